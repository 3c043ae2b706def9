"""What `borderland view PATH` shows: the ensembles, map, events, snapshots, series and
comparisons of the result files under PATH, as plain JSON-ready dicts (the API of viewer/README.md).

Every number comes from the project's analysis code (readers, ensemble bands, the
comparison of `analysis compare`, the map frames of `analysis map`); this module only
picks and packs. Bad input raises AnalysisInputError with the file and dataset named.
"""
from __future__ import annotations

import base64
import glob
import os
import re

import numpy as np
import yaml

from .. import io
from ..analysis import compare, figures, stats
from ..analysis.ensemble import Ensemble, gather
from ..io import AnalysisInputError

# The map drawn when no input file carries one (sweep files keep no /map): the project's asset.
REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DEFAULT_MAP_ASSET = os.path.join(REPO_ROOT, "scenarios", "maps", "afpak_0p05.h5")
# The model whose sweep files are drawn on DEFAULT_MAP_ASSET (its runs carry that map).
GEOGRAPHIC_MODEL = "ttp"
# Series offered in the time-series panels, in this order, when the files carry them.
PANEL_SERIES = ["attacks", "killed:police", "killed:civilians", "fighters_pakistan", "fighters_sanctuary",
                "tension", "host_tolerance", "mean_grievance", "mean_support", "recruits", "arrests"]
# Panels shown for another model (no 'attacks' series): its first series in file order.
OTHER_MODEL_PANELS = 8
# Cities named on the map: the largest places, at most this many (the rest are hover targets only).
NAMED_CITIES = 14


def finite_list(values) -> list:
    """A float array as a JSON list, NaN and inf as null (JSON has no NaN)."""
    arr = np.asarray(values, dtype=float)
    return [None if not np.isfinite(v) else float(v) for v in arr.ravel()]


def plain(value):
    """numpy scalars and arrays as JSON-ready Python values."""
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()] if value.dtype.kind != "f" else finite_list(value)
    if isinstance(value, (np.floating, float)):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return value


def b64(array: np.ndarray, dtype) -> str:
    """An array as base64 of its little-endian bytes (the page decodes it into a typed array)."""
    return base64.b64encode(np.ascontiguousarray(array, dtype=np.dtype(dtype).newbyteorder("<")).tobytes()).decode()


def result_files(path: str) -> tuple[list[str], list[str]]:
    """The .h5 result files named by PATH (a file, or every *.h5 below a folder) and what was skipped."""
    if not os.path.exists(path):
        raise AnalysisInputError(f"{path}: no such file or directory")
    if os.path.isfile(path):
        with io.open_h5(path) as f:
            fmt = io.text(f.attrs.get("format", b""))
            if fmt == io.MAP_FORMAT:
                raise AnalysisInputError(f"{path}: is a map asset (format '{fmt}'), not a run or sweep output; "
                                         "view a file written by 'borderland run' or 'borderland sweep'")
            io.check_format(f, (io.RUN_FORMAT, io.SWEEP_FORMAT))
        return [path], []
    found = sorted(glob.glob(os.path.join(path, "**", "*.h5"), recursive=True))
    usable, skipped = [], []
    for candidate in found:
        try:
            with io.open_h5(candidate) as f:
                io.check_format(f, (io.RUN_FORMAT, io.SWEEP_FORMAT))
            usable.append(candidate)
        except AnalysisInputError as exc:
            skipped.append(str(exc))
    if not usable:
        why = f" ({len(skipped)} .h5 file(s) skipped: {skipped[0]})" if skipped else ""
        raise AnalysisInputError(f"{path}: folder holds no borderland run or sweep file (*.h5){why}")
    return usable, skipped


def _natural_key(path: str):
    """seed_2 before seed_10."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path)]


class Catalog:
    """The ensembles under one PATH, with caches: the page asks for the same things often."""

    def __init__(self, path: str):
        self.path = os.path.abspath(path)
        files, self.skipped = result_files(path)
        self.ensembles: dict[str, Ensemble] = {}
        found = gather(files)
        for name in figures.sort_scenarios([e.scenario for e in found]):
            ens = next(e for e in found if e.scenario == name)
            if ens.kind == "runs":  # replicas in natural order (seed_2 before seed_10)
                order = sorted(range(len(ens.sources)), key=lambda i: _natural_key(ens.sources[i]))
                ens.sources = [ens.sources[i] for i in order]
                ens.seeds = ens.seeds[order]
                ens.provenance = [ens.provenance[i] for i in order]
            self.ensembles[name] = ens
        self._cache: dict = {}

    # -- lookup --------------------------------------------------------------------------------
    def ensemble(self, name: str) -> Ensemble:
        if name not in self.ensembles:
            raise AnalysisInputError(f"scenario '{name}' is not in {self.path} "
                                     f"(scenarios: {', '.join(self.ensembles)})")
        return self.ensembles[name]

    def run_file(self, name: str, run: int) -> str:
        ens = self.ensemble(name)
        if ens.kind != "runs":
            raise AnalysisInputError(f"{ens.sources[0]}: a sweep file keeps no events or snapshots per run")
        if not 0 <= run < len(ens.sources):
            raise AnalysisInputError(f"scenario '{name}' has runs 0..{len(ens.sources) - 1}, not {run}")
        return ens.sources[run]

    def _cached(self, key, build):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    # -- the index -----------------------------------------------------------------------------
    def catalog(self) -> dict:
        scenarios = []
        colours = figures.scenario_colours(list(self.ensembles))
        for name, ens in self.ensembles.items():
            fields, has_events = [], False
            if ens.kind == "runs":
                with io.open_h5(ens.sources[0]) as f:
                    if "snapshots" in f:
                        fields = [k for k in f["snapshots"] if k not in ("step", "date")]
                    has_events = "events" in f
            series = ens.series_names()
            if "attacks" in series:  # the TTP model's series, in a reader's order
                panels = [s for s in PANEL_SERIES if s.partition(":")[0] in series]
            else:  # another model's: its own series, in file order
                panels = series[:OTHER_MODEL_PANELS]
            tactics = ens.series("attacks_by_tactic")[1].labels if "attacks_by_tactic" in series else []
            scenarios.append({
                "name": name, "kind": ens.kind, "replicas": ens.replicas, "colour": colours[name],
                "seeds": plain(ens.seeds), "files": [os.path.relpath(s, self._root()) for s in ens.sources],
                "first": str(ens.dates[0]), "last": str(ens.dates[-1]), "series": series, "panels": panels,
                "snapshot_fields": fields, "has_events": has_events, "tactics": tactics,
                "metrics_from": self._metrics_from(ens),
            })
        baseline = "baseline" if "baseline" in self.ensembles else None
        return {
            "source": self.path, "scenarios": scenarios, "baseline": baseline, "skipped": self.skipped,
            "timeline": [{"date": d, "label": t} for d, t in figures.TIMELINE_MARKS],
            "outcomes": [{"key": o.key, "label": o.label, "units": o.units} for o in compare.OUTCOMES],
        }

    def _root(self) -> str:
        return self.path if os.path.isdir(self.path) else os.path.dirname(self.path)

    @staticmethod
    def _metrics_from(ens: Ensemble) -> str | None:
        """The date the scenario counts its outcomes from (parameters.metrics.from), e.g. a projection start."""
        with io.open_h5(ens.sources[0]) as f:
            if "scenario/resolved" not in f:
                return None
            resolved = io.text(f["scenario/resolved"][()])
        try:
            doc = yaml.safe_load(resolved) or {}
            value = ((doc.get("parameters") or {}).get("metrics") or {}).get("from")
        except Exception:  # an unreadable scenario text only loses the default date
            return None
        return str(value) if value else None

    # -- the map -------------------------------------------------------------------------------
    def map_source(self) -> str | None:
        """The file whose /map is drawn: the first input with a georeferenced /map (its model's map);
        else, for TTP sweeps (which keep no map), the project's asset; else None (a model without
        geography, such as civil_violence, whose grid has no longitude or latitude)."""
        for ens in self.ensembles.values():
            for source in ens.sources:
                with io.open_h5(source) as f:
                    if "map" in f and "lon0" in f["map"].attrs:
                        return source
        models = {p.get("model") for ens in self.ensembles.values() for p in ens.provenance}
        return DEFAULT_MAP_ASSET if GEOGRAPHIC_MODEL in models else None

    def map(self) -> dict:
        return self._cached("map", self._build_map)

    def _build_map(self) -> dict:
        source = self.map_source()
        if source is None:
            return {"available": False, "reason": "the files carry no georeferenced map (/map without lon0, lat0)"}
        layers = ("province", "country", "border", "district")
        with io.open_h5(source) as f:
            info = io.read_map(f, layers)
            districts = io.read_table(f, "map/districts") if "map/districts" in f else None
        out = {"available": True, "source": source, "lon0": info.lon0, "lat0": info.lat0, "dlon": info.dlon, "dlat": info.dlat,
               "nx": info.nx, "ny": info.ny, "layers": {}}
        for name, values in info.layers.items():
            out["layers"][name] = b64(values, "<i2")
        out["provinces"] = _records(info.provinces, ("id", "name", "country", "merged_into"))
        out["districts"] = _records(districts, ("id", "name", "province")) if districts is not None else []
        places = info.places.sort_values("population", ascending=False) if info.places is not None else None
        out["places"] = _records(places, ("id", "name", "country", "province", "lon", "lat", "population"))
        out["named_cities"] = NAMED_CITIES
        out["crossings"] = _records(info.crossings, ("id", "name", "lon", "lat"))
        return out

    # -- one run: events and snapshots -----------------------------------------------------------
    def events(self, name: str, run: int) -> dict:
        path = self.run_file(name, run)
        return self._cached(("events", path), lambda: self._build_events(path))

    @staticmethod
    def _build_events(path: str) -> dict:
        with io.open_h5(path) as f:
            table = io.read_table(f, "events")
            seed = io.attr_text(f, "seed")
        columns = {c: plain(table[c].to_numpy()) for c in table.columns}
        return {"file": path, "seed": seed, "rows": len(table), "columns": columns}

    def snapshots(self, name: str, run: int, field: str) -> dict:
        path = self.run_file(name, run)
        return self._cached(("snapshots", path, field), lambda: self._build_snapshots(path, field))

    def _build_snapshots(self, path: str, field: str) -> dict:
        """Every frame as `analysis map` prepares it (sparse counts summed over blocks, vmax = 99th pct)."""
        with io.open_h5(path) as f:
            field = figures.require_snapshots(f, field)
            frames = np.asarray(io.read_array(f, f"snapshots/{field}"), dtype=float)
            units = io.attr_text(f[f"snapshots/{field}"], "units") or "1"
            description = io.attr_text(f[f"snapshots/{field}"], "description")
            dates = io.read_dates(f, "snapshots/date") if "snapshots/date" in f else None
            steps = np.asarray(io.read_array(f, "snapshots/step"), dtype=int)
            info = io.read_map(f)
        if frames.ndim != 3 or frames.shape[1:] != (info.ny, info.nx):
            raise AnalysisInputError(f"{path}: dataset '/snapshots/{field}' has shape {frames.shape}, "
                                     f"expected [S, {info.ny}, {info.nx}]")
        if dates is None:
            dates = np.array([np.datetime64("NaT")] * len(steps))
        drawn, extent, vmax, label = figures.prepare_frames(info, frames, field, units)
        return {"field": field, "units": units, "description": description, "label": label,
                "extent": [float(v) for v in extent], "shape": list(drawn.shape), "vmax": vmax,
                "dates": [str(d) for d in dates], "steps": plain(steps),
                "frames": [b64(frame, "<f4") for frame in drawn]}

    # -- ensembles: series bands and comparisons -------------------------------------------------
    def series(self, name: str, spec: str, window: int) -> dict:
        return self._cached(("series", name, spec, window), lambda: self._build_series(name, spec, window))

    def _build_series(self, name: str, spec: str, window: int) -> dict:
        ens = self.ensemble(name)
        if not ens.has_series(spec.partition(":")[0]):
            raise AnalysisInputError(f"{ens.sources[0]}: series '{spec.partition(':')[0]}' is missing")
        values, ylabel, title = figures.series_values(ens, spec, window)
        median, bands = stats.quantile_bands(values, (0.5, 0.9))
        return {"scenario": name, "spec": spec, "title": title, "ylabel": ylabel, "replicas": ens.replicas,
                "dates": [str(d) for d in ens.dates], "median": finite_list(median),
                "band50": [finite_list(bands[0.5][0]), finite_list(bands[0.5][1])],
                "band90": [finite_list(bands[0.9][0]), finite_list(bands[0.9][1])]}

    def compare(self, baseline: str, scenarios: list[str], since: str | None, level: float) -> dict:
        key = ("compare", baseline, tuple(scenarios), since, level)
        return self._cached(key, lambda: self._build_compare(baseline, scenarios, since, level))

    def _build_compare(self, baseline: str, scenarios: list[str], since, level) -> dict:
        base = self.ensemble(baseline)
        others = [self.ensemble(s) for s in scenarios]
        table = compare.compare(base, others, level=level, since=since)  # exactly `analysis compare`
        rows = [{k: plain(v) for k, v in row.items()} for row in table.to_dict(orient="records")]
        return {"baseline": baseline, "since": since, "level": level, "rows": rows,
                "text": compare.format_table(table),
                "provinces": {s.scenario: self._province_differences(base, s, since, level) for s in others}}

    @staticmethod
    def _province_differences(base: Ensemble, ens: Ensemble, since, level) -> list[dict]:
        """Attacks per province: the difference of means and its interval, with the comparison's own
        statistics (same pairing by seed, bootstrap and level as compare.compare)."""
        if not (base.has_series("attacks_by_province") and ens.has_series("attacks_by_province")):
            return []
        mask_b = compare._mask(base, since)
        mask_s = compare._mask(ens, since)
        base_order = np.argsort(base.seeds, kind="stable")
        order = np.argsort(ens.seeds, kind="stable")
        paired = stats.seeds_pair(base.seeds[base_order], ens.seeds[order])
        labels = base.series("attacks_by_province")[1].labels
        out = []
        for label in labels:
            b = base.column("attacks_by_province", label)[:, mask_b].sum(axis=1)[base_order]
            s = ens.column("attacks_by_province", label)[:, mask_s].sum(axis=1)[order]
            diff, low, high = stats.bootstrap_difference(b, s, level, stats.DEFAULT_BOOT, stats.DEFAULT_SEED, paired)
            out.append({"province": label, "baseline_mean": float(b.mean()), "scenario_mean": float(s.mean()),
                        "difference": diff, "diff_low": low, "diff_high": high, "paired": paired})
        return out

    # -- provenance ------------------------------------------------------------------------------
    def provenance(self, name: str) -> dict:
        ens = self.ensemble(name)
        with io.open_h5(ens.sources[0]) as f:
            resolved = io.text(f["scenario/resolved"][()]) if "scenario/resolved" in f else ""
            given = io.text(f["scenario/given"][()]) if "scenario/given" in f else ""
            overrides = io.attr_text(f["scenario/given"], "overrides") if "scenario/given" in f else ""
        files = [{"file": s, **{k: plain(v) for k, v in p.items()}} for s, p in zip(ens.sources, ens.provenance)]
        return {"scenario": name, "kind": ens.kind, "files": files, "resolved": resolved, "given": given,
                "overrides": overrides, "map": self.map_source()}


def _records(table, columns) -> list[dict]:
    if table is None:
        return []
    keep = [c for c in columns if c in table.columns]
    return [{c: plain(v) for c, v in row.items()} for row in table[keep].to_dict(orient="records")]
