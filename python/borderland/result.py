"""A borderland run or sweep file as pandas and xarray objects (borderland.open).

    res = borderland.open("out/baseline.h5")
    res.dataset          # xarray.Dataset: series on `time` (dates), snapshots on (snapshot_time, lat, lon)
    res.events           # pandas.DataFrame: one row per event, text decoded, province names joined
    res.summary          # run: pandas.Series metric -> value; sweep: DataFrame run x metric + design
    res.design           # sweep: the design table (run, replicate, seed, point, varied parameters)

Both today's fixed-length byte strings and variable-length UTF-8 strings are read.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import io
from .io import AnalysisInputError

if TYPE_CHECKING:  # xarray is imported when a file is read (it is slow to import)
    import xarray

SNAPSHOT_PREFIX = "snapshot_"  # snapshot fields become variables snapshot_FIELD (series may share a name)


@dataclass
class Result:
    """What one output file holds, decoded."""
    path: str
    kind: str                      # "run" or "sweep"
    model: str
    scenario: str
    attrs: dict[str, str]          # root attributes as text (provenance)
    dataset: "xarray.Dataset"
    events: pd.DataFrame
    summary: pd.Series | pd.DataFrame
    design: pd.DataFrame | None = None
    map: io.MapInfo | None = None
    scenario_given: str = ""
    scenario_resolved: str = ""
    units: dict[str, str] = field(default_factory=dict)   # summary metric -> units

    def __repr__(self) -> str:
        size = f"{self.dataset.sizes.get('run', 1)} run(s), " if self.kind == "sweep" else ""
        return (f"<borderland.Result {self.kind} of model '{self.model}', scenario '{self.scenario}': {size}"
                f"{self.dataset.sizes.get('time', 0)} days, {len(self.events)} events; {self.path}>")

    def __iter__(self):
        """`dataset, events = borderland.run(...)` unpacks the two main parts."""
        return iter((self.dataset, self.events))


def open(path: str | os.PathLike) -> Result:  # noqa: A001  (borderland.open, as xarray.open_dataset)
    """Read a run file (format "borderland") or a sweep file ("borderland-sweep")."""
    path = os.fspath(path)
    with io.open_h5(path) as f:
        fmt = io.check_format(f, (io.RUN_FORMAT, io.SWEEP_FORMAT))
        return _read_sweep(f, path) if fmt == io.SWEEP_FORMAT else _read_run(f, path)


def _common(f, path):
    attrs = io.provenance(f)
    map_info = io.read_map(f) if "map" in f else None
    given = io.text(io.read_array(f, "scenario/given")) if "scenario/given" in f else ""
    resolved = io.text(io.read_array(f, "scenario/resolved")) if "scenario/resolved" in f else ""
    return attrs, map_info, given, resolved


def _time_coord(f, group: str):
    dates = io.read_dates(f, f"{group}/date")
    steps = np.asarray(io.read_array(f, f"{group}/step"), dtype=np.int64) if f"{group}/step" in f \
        else np.arange(len(dates))
    return dates.astype("datetime64[ns]"), steps


def _series_vars(f, group: str, lead_dims: tuple[str, ...], n_time: int, rows=None) -> dict:
    """Every series of `group` as (dims, values, attrs) for xarray; [.., T, k] series get a label dim."""
    out, coords = {}, {}
    for name in io.data_names(f[group]):
        dset = f[group][name]
        values = io.read_array(f, f"{group}/{name}")
        if rows is not None:
            values = values[rows]
        lead = len(lead_dims)
        if values.ndim < lead + 1 or values.shape[lead] != n_time:
            raise AnalysisInputError(f"{f.filename}: dataset '/{group}/{name}' has shape {values.shape}, "
                                     f"expected {n_time} steps on axis {lead}")
        attrs = {"units": io.attr_text(dset, "units"), "description": io.attr_text(dset, "description")}
        dims = (*lead_dims, "time")
        if values.ndim == lead + 2:
            labels = io.labels_of(dset) or [str(i) for i in range(values.shape[-1])]
            if len(labels) != values.shape[-1]:
                raise AnalysisInputError(f"{f.filename}: dataset '/{group}/{name}' has {values.shape[-1]} columns "
                                         f"but {len(labels)} labels")
            label_dim = f"{name}_label"
            dims = (*dims, label_dim)
            coords[label_dim] = labels
        out[name] = (dims, values, attrs)
    return out, coords


def _map_coords(map_info: io.MapInfo | None, ny: int, nx: int) -> dict:
    if map_info is None or (map_info.ny, map_info.nx) != (ny, nx):
        return {"lat": np.arange(ny), "lon": np.arange(nx)}
    lon, lat = map_info.cell_centre(np.arange(nx), np.arange(ny))
    return {"lat": ("lat", lat, {"units": "degrees_north", "standard_name": "latitude"}),
            "lon": ("lon", lon, {"units": "degrees_east", "standard_name": "longitude"})}


def _read_run(f, path) -> Result:
    import xarray as xr
    attrs, map_info, given, resolved = _common(f, path)
    time, steps = _time_coord(f, "timeseries")
    data, coords = _series_vars(f, "timeseries", (), len(time))
    coords.update(time=time, step=("time", steps))
    if "snapshots" in f and "snapshots/date" in f:
        snap_time, snap_steps = _time_coord(f, "snapshots")
        for name in io.data_names(f["snapshots"]):
            dset = f["snapshots"][name]
            frames = io.read_array(f, f"snapshots/{name}")
            if frames.ndim != 3 or frames.shape[0] != len(snap_time):
                raise AnalysisInputError(f"{path}: dataset '/snapshots/{name}' has shape {frames.shape}, "
                                         f"expected [{len(snap_time)}, ny, nx]")
            coords.update(_map_coords(map_info, *frames.shape[1:]))
            data[SNAPSHOT_PREFIX + name] = (("snapshot_time", "lat", "lon"), frames,
                                            {"units": io.attr_text(dset, "units"),
                                             "description": io.attr_text(dset, "description")})
        coords.update(snapshot_time=snap_time, snapshot_step=("snapshot_time", snap_steps))
    ds = xr.Dataset(data, coords=coords, attrs=attrs)
    summary, units = _run_summary(f)
    return Result(path, "run", attrs.get("model", ""), io.scenario_name(f), attrs, ds,
                  read_events(f, map_info), summary, None, map_info, given, resolved, units)


def _run_summary(f):
    values, units = {}, {}
    if "summary" in f:
        for name, dset in f["summary"].items():
            values[name] = float(np.asarray(io.read_array(f, f"summary/{name}")).ravel()[0])
            units[name] = io.attr_text(dset, "units")
    return pd.Series(values, dtype=float, name="value"), units


def read_events(f, map_info: io.MapInfo | None = None) -> pd.DataFrame:
    """The events table of a run file: text decoded, `date` as datetime64, and where the model
    writes a province id, `province_name` from /map/provinces."""
    if "events" not in f:
        return pd.DataFrame()
    events = io.read_table(f, "events")
    if "date" in events:
        events["date"] = pd.to_datetime(events["date"], format="%Y-%m-%d", errors="coerce")
    provinces = map_info.provinces if map_info is not None else None
    if "province" in events and provinces is not None and {"id", "name"} <= set(provinces.columns):
        names = dict(zip(provinces["id"].astype(int), provinces["name"]))
        position = list(events.columns).index("province") + 1
        events.insert(position, "province_name", events["province"].map(lambda i: names.get(int(i), "")))
    return events


def design_points(design: pd.DataFrame) -> np.ndarray:
    """The design point of every sweep row: rows with equal values of every varied parameter share
    a point, whatever their seed or replicate (so replicas are never confused with other points)."""
    varied = [c for c in design.columns if c not in ("run", "replicate", "seed", "point")]
    if not varied:
        return np.zeros(len(design), dtype=np.int64)
    return design.groupby(varied, sort=False, dropna=False).ngroup().to_numpy(dtype=np.int64)


def _read_sweep(f, path) -> Result:
    import xarray as xr
    attrs, map_info, given, resolved = _common(f, path)
    time, steps = _time_coord(f, "runs/timeseries")
    design = io.read_design(f)
    status = np.asarray(io.read_array(f, "runs/status"))
    if len(design) != len(status):
        raise AnalysisInputError(f"{path}: table '/design' has {len(design)} rows but '/runs/status' has "
                                 f"{len(status)}")
    design["point"] = design_points(design)
    data, coords = _series_vars(f, "runs/timeseries", ("run",), len(time))
    coords.update(time=time, step=("time", steps), run=np.arange(len(status)), status=("run", status))
    for column in design.columns:
        if column != "run":
            coords[column] = ("run", design[column].to_numpy())
    errors = io.texts(io.read_array(f, "runs/error")) if "runs/error" in f else [""] * len(status)
    coords["error"] = ("run", np.array(errors, dtype=object))
    summary, units = design.copy(), {}
    if "runs/summary" in f:
        for name, dset in f["runs/summary"].items():
            values = np.asarray(io.read_array(f, f"runs/summary/{name}"), dtype=float)
            summary[name] = values
            units[name] = io.attr_text(dset, "units")
            data[f"summary_{name}"] = (("run",), values, {"units": units[name],
                                                          "description": io.attr_text(dset, "description")})
    summary.insert(1, "status", status)
    ds = xr.Dataset(data, coords=coords, attrs=attrs)
    return Result(path, "sweep", attrs.get("model", ""), io.scenario_name(f), attrs, ds, pd.DataFrame(),
                  summary, design, map_info, given, resolved, units)
