"""Gather an ensemble (replicas of one scenario) from a sweep file or run files.

Whatever the source, an Ensemble hands out series as arrays [R, T] (or
[R, T, k]) on one shared date axis, summaries as [R], and the seeds and
provenance needed to say where the numbers came from.
"""
from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field

import h5py
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
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def replicas(self) -> int:
        return len(self.seeds)

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
            return [k for k in f[prefix] if k not in ("step", "date") and isinstance(f[prefix][k], h5py.Dataset)]

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


def load_sweep(path: str) -> Ensemble:
    with io.open_h5(path) as f:
        io.check_format(f, (io.SWEEP_FORMAT,))
        dates = io.read_dates(f, "runs/timeseries/date")
        status = np.asarray(io.read_array(f, "runs/status"))
        ok = np.flatnonzero(status == 1)
        if ok.size == 0:
            raise AnalysisInputError(f"{path}: dataset '/runs/status' shows no finished run")
        design = io.read_table(f, "design")
        if len(design) != len(status):
            raise AnalysisInputError(
                f"{path}: table '/design' has {len(design)} rows but '/runs/status' has {len(status)}")
        seeds = design["seed"].to_numpy()[ok] if "seed" in design else np.arange(ok.size)
        return Ensemble(io.scenario_name(f), "sweep", [path], dates, seeds, [io.provenance(f)],
                        ok_rows=ok, design=design.iloc[ok].reset_index(drop=True))


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


def gather(paths: list[str]) -> list[Ensemble]:
    """Every sweep file is one ensemble; run files are grouped by scenario (first-seen order)."""
    ensembles: list[Ensemble] = []
    runs_by_scenario: dict[str, list[str]] = {}
    for path in expand(paths):
        with io.open_h5(path) as f:
            fmt = io.check_format(f, (io.RUN_FORMAT, io.SWEEP_FORMAT))
            name = io.scenario_name(f)
        if fmt == io.SWEEP_FORMAT:
            ensembles.append(load_sweep(path))
        else:
            runs_by_scenario.setdefault(name, []).append(path)
    ensembles.extend(load_runs(group) for group in runs_by_scenario.values())
    return ensembles


def gather_one(path_or_dir: str) -> Ensemble:
    """One scenario from a sweep file or a directory of run files (compare's arguments)."""
    found = gather([path_or_dir])
    if len(found) != 1:
        names = ", ".join(e.scenario for e in found)
        raise AnalysisInputError(f"{path_or_dir}: expected one scenario, found {len(found)} ({names})")
    return found[0]
