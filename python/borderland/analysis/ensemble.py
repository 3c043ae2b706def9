"""Gather an ensemble (replicas of one scenario) from a sweep file or run files.

Whatever the source, an Ensemble hands out series as arrays [R, T] (or
[R, T, k]) on one shared date axis, summaries as [R], and the seeds and
provenance needed to say where the numbers came from.
"""
from __future__ import annotations

import glob
import os
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import io
from ..io import AnalysisInputError


@dataclass
class SeriesMeta:
    units: str
    description: str
    labels: list[str]


@dataclass
class Ensemble:
    scenario: str
    kind: str                    # "sweep" or "runs"
    sources: list[str]           # the sweep file, or one run file per replica
    dates: np.ndarray            # datetime64[D] [T]
    seeds: np.ndarray            # [R]
    provenance: list[dict]       # root attrs of each source file
    ok_rows: np.ndarray | None = None   # sweep rows with status ok
    design: pd.DataFrame | None = None  # sweep design (ok rows only)
    point: dict | None = None           # one design point of a sweep: {parameter key path: value}
    # A sweep over posterior draws (its /design attr `posterior`): the posterior file, and each run's
    # draw (0..D-1, by parameter values). Such an ensemble is one scenario whose runs cover parameter
    # and seed uncertainty; `draws` is None for replicas of one parameter point.
    posterior: str | None = None
    draws: np.ndarray | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def replicas(self) -> int:
        return len(self.seeds)

    @property
    def n_draws(self) -> int:
        """Posterior draws among the runs (0: the runs share one parameter point)."""
        return 0 if self.draws is None else int(np.unique(self.draws).size)

    @property
    def model(self) -> str:
        return self.provenance[0].get("model", "") if self.provenance else ""

    def title(self, profile=None) -> str:
        """A human name: the profile's name of the scenario, with the design point's values."""
        name = profile.scenario_title(self.scenario) if profile is not None else self.scenario
        if self.point:
            name += " [" + ", ".join(f"{k.rsplit('.', 1)[-1]}={v:g}" if isinstance(v, (int, float, np.number))
                                     else f"{k.rsplit('.', 1)[-1]}={v}" for k, v in self.point.items()) + "]"
        return name

    def has_series(self, name: str) -> bool:
        prefix = "runs/timeseries/" if self.kind == "sweep" else "timeseries/"
        with io.open_h5(self.sources[0]) as f:
            return prefix + name in f

    def series_names(self) -> list[str]:
        """The daily series the files carry (step and date left out), in file order."""
        prefix = "runs/timeseries" if self.kind == "sweep" else "timeseries"
        with io.open_h5(self.sources[0]) as f:
            if prefix not in f:
                return []
            return io.data_names(f[prefix])

    def series(self, name: str) -> tuple[np.ndarray, SeriesMeta]:
        """Values [R, T] or [R, T, k] as float64, and units/description/labels."""
        if ("series", name) in self._cache:
            return self._cache[("series", name)]
        if self.kind == "sweep":
            with io.open_h5(self.sources[0]) as f:
                dset = io.require(f, f"runs/timeseries/{name}")
                values = np.asarray(io.read_array(f, f"runs/timeseries/{name}"), dtype=float)
                if values.ndim < 2 or values.shape[1] != len(self.dates):
                    raise AnalysisInputError(
                        f"{f.filename}: dataset '/runs/timeseries/{name}' has shape {values.shape}, "
                        f"expected [R, {len(self.dates)}, ...]")
                values = values[self.ok_rows]
                meta = _meta(dset)
        else:
            rows, meta = [], None
            for path in self.sources:
                with io.open_h5(path) as f:
                    dset = io.require(f, f"timeseries/{name}")
                    row = np.asarray(io.read_array(f, f"timeseries/{name}"), dtype=float)
                    if row.shape[0] != len(self.dates):
                        raise AnalysisInputError(
                            f"{path}: dataset '/timeseries/{name}' has {row.shape[0]} steps, expected {len(self.dates)}")
                    meta = meta or _meta(dset)
                    rows.append(row)
            values = np.stack(rows)
        self._cache[("series", name)] = (values, meta)
        return values, meta

    def column(self, name: str, label: str) -> np.ndarray:
        """One labelled column of a [T, k] series, as [R, T]."""
        values, meta = self.series(name)
        if label not in meta.labels:
            raise AnalysisInputError(
                f"{self.sources[0]}: series '{name}' has no column '{label}' (labels: {', '.join(meta.labels)})")
        return values[:, :, meta.labels.index(label)]

    def summary(self, name: str) -> np.ndarray | None:
        """A summary metric [R], or None where the files do not carry it."""
        if self.kind == "sweep":
            with io.open_h5(self.sources[0]) as f:
                key = f"runs/summary/{name}"
                return np.asarray(io.read_array(f, key), dtype=float)[self.ok_rows] if key in f else None
        values = []
        for path in self.sources:
            with io.open_h5(path) as f:
                if f"summary/{name}" not in f:
                    return None
                values.append(float(np.asarray(io.read_array(f, f"summary/{name}")).ravel()[0]))
        return np.array(values)

    def events(self) -> list[pd.DataFrame] | None:
        """One events table per replica (run files only; sweeps keep no events)."""
        if self.kind == "sweep":
            return None
        if "events" not in self._cache:
            tables = []
            for path in self.sources:
                with io.open_h5(path) as f:
                    tables.append(io.read_table(f, "events"))
            self._cache["events"] = tables
        return self._cache["events"]

    def map(self) -> io.MapInfo | None:
        with io.open_h5(self.sources[0]) as f:
            return io.read_map(f) if "map" in f else None


def _meta(dset) -> SeriesMeta:
    return SeriesMeta(io.attr_text(dset, "units"), io.attr_text(dset, "description"), io.labels_of(dset))


def varied_columns(design: pd.DataFrame) -> list[str]:
    """The design's parameter columns (what differs between design points)."""
    return [c for c in design.columns if c not in ("run", "replicate", "seed", "point")]


def draw_index(design: pd.DataFrame, points: int | None = None) -> np.ndarray:
    """Each run's posterior draw: its design point (run r is point r % P, docs/experiments.md; two
    draws may repeat one particle of the population, so values alone do not tell draws apart), or,
    without the `points` attr, rows with the same parameter values (0, 1, ... in their order)."""
    if points and "run" in design:
        return design["run"].to_numpy(dtype=np.int64) % int(points)
    varied = varied_columns(design)
    if not varied:
        return np.zeros(len(design), dtype=np.int64)
    return design.groupby(varied, sort=True, dropna=False).ngroup().to_numpy(dtype=np.int64)


def split_points(ens: Ensemble) -> list[Ensemble]:
    """One ensemble per design point of a sweep: runs at different parameter values are different
    experiments, never replicas of one another. A replicas design stays one ensemble, and so does a
    design of posterior draws (its points are samples of the parameter uncertainty, pooled on purpose:
    /design attr `posterior`, docs/analysis.md)."""
    if ens.kind != "sweep" or ens.design is None or ens.posterior:
        return [ens]
    varied = varied_columns(ens.design)
    if not varied:
        return [ens]
    out = []
    for values, rows in ens.design.groupby(varied if len(varied) > 1 else varied[0], sort=True, dropna=False):
        values = values if isinstance(values, tuple) else (values,)
        index = rows.index.to_numpy()
        out.append(Ensemble(ens.scenario, "sweep", ens.sources, ens.dates, ens.seeds[index], ens.provenance,
                            ok_rows=ens.ok_rows[index], design=rows.reset_index(drop=True),
                            point=dict(zip(varied, (v.item() if hasattr(v, "item") else v for v in values)))))
    return out


def _int_attr(obj, key: str) -> int | None:
    return int(np.asarray(obj.attrs[key]).ravel()[0]) if key in obj.attrs else None


def load_sweep(path: str) -> Ensemble:
    with io.open_h5(path) as f:
        io.check_format(f, (io.SWEEP_FORMAT,))
        dates = io.read_dates(f, "runs/timeseries/date")
        status = np.asarray(io.read_array(f, "runs/status"))
        ok = np.flatnonzero(status == 1)
        if ok.size == 0:
            raise AnalysisInputError(f"{path}: dataset '/runs/status' shows no finished run")
        design = io.read_design(f)
        if len(design) != len(status):
            raise AnalysisInputError(
                f"{path}: table '/design' has {len(design)} rows but '/runs/status' has {len(status)}")
        seeds = design["seed"].to_numpy()[ok] if "seed" in design else np.arange(ok.size)
        posterior = io.attr_text(f["design"], "posterior") or None
        kept = design.iloc[ok].reset_index(drop=True)
        return Ensemble(io.scenario_name(f), "sweep", [path], dates, seeds, [io.provenance(f)],
                        ok_rows=ok, design=kept, posterior=posterior,
                        draws=draw_index(kept, _int_attr(f["design"], "points")) if posterior else None)


def load_runs(paths: list[str]) -> Ensemble:
    """Run files of one scenario; they must share the date axis."""
    dates, seeds, prov, scenario = None, [], [], None
    for path in paths:
        with io.open_h5(path) as f:
            io.check_format(f, (io.RUN_FORMAT,))
            these = io.read_dates(f, "timeseries/date")
            if dates is None:
                dates, scenario = these, io.scenario_name(f)
            elif len(these) != len(dates) or (these != dates).any():
                raise AnalysisInputError(
                    f"{path}: dataset '/timeseries/date' differs from {paths[0]}'s; "
                    "replicas of one ensemble must cover the same days")
            seeds.append(int(f.attrs["seed"]) if "seed" in f.attrs else len(seeds))
            prov.append(io.provenance(f))
    return Ensemble(scenario, "runs", list(paths), dates, np.array(seeds), prov)


def expand(paths: list[str]) -> list[str]:
    """Directories become their *.h5 files (sorted); files stay as given."""
    out = []
    for path in paths:
        if os.path.isdir(path):
            found = sorted(glob.glob(os.path.join(path, "*.h5")))
            if not found:
                raise AnalysisInputError(f"{path}: directory holds no .h5 files")
            out.extend(found)
        else:
            out.append(path)
    return out


def same_files(paths: list[str]) -> list[tuple[str, str]]:
    """Pairs of inputs that are one file (the same path spelt twice, a link, or a copy byte for byte
    of the same size and contents): analysing them together counts the same runs twice."""
    seen: dict[tuple, str] = {}
    pairs = []
    for path in paths:
        st = os.stat(path)
        keys = [("inode", st.st_dev, st.st_ino)]
        with open(path, "rb") as fh:  # head and tail: HDF5 keeps its superblock and most metadata there
            head = fh.read(1 << 20)
            fh.seek(max(0, st.st_size - (1 << 16)))
            keys.append(("content", st.st_size, hash(head), hash(fh.read())))
        for key in keys:
            if key in seen and seen[key] != path:
                pairs.append((seen[key], path))
                break
        for key in keys:
            seen.setdefault(key, path)
    return pairs


def warn_same_files(paths: list[str]) -> None:
    for first, second in same_files(paths):
        warnings.warn(f"{second}: is the same file as {first} (same runs); it is counted once per mention",
                      SameFileWarning, stacklevel=3)


class SameFileWarning(UserWarning):
    """Two inputs of one analysis are the same file."""


def gather(paths: list[str], split: bool = True) -> list[Ensemble]:
    """Every sweep file is one ensemble per design point (split=False: the whole sweep, e.g. for
    Sobol indices); run files are grouped by scenario (first-seen order). Warns when two inputs
    are the same file."""
    ensembles: list[Ensemble] = []
    runs_by_scenario: dict[str, list[str]] = {}
    files = expand(paths)
    warn_same_files(files)
    for path in files:
        with io.open_h5(path) as f:
            fmt = io.check_format(f, (io.RUN_FORMAT, io.SWEEP_FORMAT))
            name = io.scenario_name(f)
        if fmt == io.SWEEP_FORMAT:
            sweep = load_sweep(path)
            ensembles.extend(split_points(sweep) if split else [sweep])
        else:
            runs_by_scenario.setdefault(name, []).append(path)
    ensembles.extend(load_runs(group) for group in runs_by_scenario.values())
    return ensembles


def gather_one(path_or_dir: str) -> Ensemble:
    """One scenario from a sweep file or a directory of run files (compare's arguments)."""
    found = gather([path_or_dir])
    if len(found) != 1:
        names = ", ".join(e.title() for e in found[:6]) + (", ..." if len(found) > 6 else "")
        what = "design points" if all(e.point for e in found) else "scenarios"
        raise AnalysisInputError(f"{path_or_dir}: expected one scenario, found {len(found)} {what} ({names}); "
                                 "compare one design point at a time (--baseline-point KEY=VALUE takes one point "
                                 "of a sweep as the baseline and the others as scenarios), or see `dose` for a "
                                 "lever's strength")
    return found[0]


def split_at_point(path: str, spec: str) -> tuple[Ensemble, list[Ensemble]]:
    """A sweep of several design points as (the point `spec` names, every other point): compare's
    --baseline-point. `spec` is KEY=VALUE, KEY a varied key path or its last part (policy_set,
    legitimacy), VALUE an alternative's name or a number."""
    key, sep, value = spec.partition("=")
    if not sep or not key or not value:
        raise AnalysisInputError(f"--baseline-point: error: expected KEY=VALUE (e.g. policy_set=none), got {spec!r}")
    points = [e for e in gather([path]) if e.point]
    if not points:
        raise AnalysisInputError(f"{path}: --baseline-point: the file has one design point; give it as BASELINE "
                                 "and the scenarios after it")
    keys = list(points[0].point)
    full = [k for k in keys if k == key] or [k for k in keys if k.rsplit(".", 1)[-1] == key]
    if len(full) != 1:
        raise AnalysisInputError(f"{path}: --baseline-point: error: '{key}' is not a varied key of the sweep "
                                 f"(varied: {', '.join(keys)})")

    def matches(v) -> bool:
        if isinstance(v, str):
            return v == value
        try:
            return np.isclose(float(v), float(value))
        except ValueError:
            return False
    chosen = [e for e in points if matches(e.point[full[0]])]
    values = ", ".join(dict.fromkeys(str(e.point[full[0]]) for e in points))
    if not chosen:
        raise AnalysisInputError(f"{path}: --baseline-point: error: no design point has {full[0]}={value} "
                                 f"(values: {values})")
    if len(chosen) > 1:
        raise AnalysisInputError(f"{path}: --baseline-point: error: {len(chosen)} design points have "
                                 f"{full[0]}={value} (other keys vary too: {', '.join(keys)}); compare a sweep "
                                 "that varies one key")
    return chosen[0], [e for e in points if e is not chosen[0]]


def gather_one_sweep(path: str) -> tuple[Ensemble, list[Ensemble]]:
    """A sweep file as a whole and as one ensemble per design point (dose-response, per-point views)."""
    with io.open_h5(path) as f:
        io.check_format(f, (io.SWEEP_FORMAT,))
    sweep = load_sweep(path)
    return sweep, split_points(sweep)
