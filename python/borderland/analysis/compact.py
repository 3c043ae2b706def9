"""A smaller copy of a sweep file: only the series an analysis reads, from a date on, compressed.

The engine writes a sweep file's [R, T] datasets contiguous and allocated at full size (so a killed
sweep leaves every finished row intact); once the sweep is complete that safety is no longer
needed, and a report over 2,400 runs of 7 years reads a few series only. The copy is a sweep file
of the same format (docs/hdf5_layout.md): design, status, errors, summaries, scenario and
provenance unchanged; `/runs/timeseries` holds the kept series from `since` on, chunked one run a
chunk, shuffled and deflated; the root attribute `compacted` says what was left out.
"""
from __future__ import annotations

import os

import h5py
import numpy as np

from .. import io
from ..io import AnalysisInputError

# The dimension-scale bookkeeping HDF5 keeps in attributes: object references into the file,
# meaningless in a copy; the scales are attached anew (_attach_scales).
SCALE_ATTRS = ("CLASS", "NAME", "DIMENSION_LIST", "REFERENCE_LIST")
DEFLATE_LEVEL = 4  # zlib level: level 9 is ~2x slower for ~5 % less on these integer series


def compact_sweep(source: str, output: str, series: list[str] | None = None, since: str | None = None) -> dict:
    """Copy `source` into `output` (written as OUTPUT.partial, then renamed). Returns sizes."""
    if os.path.abspath(source) == os.path.abspath(output):
        raise AnalysisInputError(f"{output}: is the input file; write the compact copy elsewhere")
    partial = output + ".partial"
    with io.open_h5(source) as src:
        io.check_format(src, (io.SWEEP_FORMAT,))
        dates = io.read_dates(src, "runs/timeseries/date")
        first = 0
        if since is not None:
            first = int(np.searchsorted(dates, np.datetime64(since, "D")))
            if first >= len(dates):
                raise AnalysisInputError(f"{source}: no day on or after {since} (last day {dates[-1]})")
        available = io.data_names(src["runs/timeseries"])
        kept = available if not series else series
        for name in kept:
            if name not in available:
                raise AnalysisInputError(f"{source}: dataset '/runs/timeseries/{name}' is missing "
                                         f"(series: {', '.join(available)})")
        with h5py.File(partial, "w") as dst:
            for key, value in src.attrs.items():
                dst.attrs[key] = value
            dst.attrs["compacted"] = np.bytes_(
                f"series {','.join(kept)} from {dates[first]}; left out: "
                f"{','.join(k for k in available if k not in kept) or 'none'}".encode())
            for name in src:
                if name != "runs":
                    src.copy(src[name], dst, name=name)
            runs = dst.create_group("runs")
            for name in src["runs"]:
                if name != "timeseries":
                    src.copy(src["runs"][name], runs, name=name)
            ts_src, ts = src["runs/timeseries"], runs.create_group("timeseries")
            for name in ["step", "date", *kept]:
                data = ts_src[name][first:] if name in ("step", "date") else ts_src[name][:, first:]
                chunks = None if name in ("step", "date") else (1, *data.shape[1:])
                out = ts.create_dataset(name, data=data, chunks=chunks, shuffle=chunks is not None,
                                        compression="gzip" if chunks else None,
                                        compression_opts=DEFLATE_LEVEL if chunks else None)
                for key, value in ts_src[name].attrs.items():
                    if key not in SCALE_ATTRS:
                        out.attrs[key] = value
            _attach_scales(dst, kept)
    os.replace(partial, output)
    return {"bytes_in": os.path.getsize(source), "bytes_out": os.path.getsize(output), "series": kept,
            "days": len(dates) - first}


def _attach_scales(dst: h5py.File, kept: list[str]) -> None:
    """The sweep file's dimension scales (docs/hdf5_layout.md), as the engine writes them: `run`
    (/runs/run, /design/run), `time` (CF days since the start) and the labels of [R, T, k] series."""
    def scrub(obj):
        if isinstance(obj, h5py.Dataset):
            for key in SCALE_ATTRS:
                if key in obj.attrs:
                    del obj.attrs[key]
    dst.visititems(lambda _name, obj: scrub(obj))
    runs, ts = dst["runs"], dst["runs/timeseries"]
    start = io.text(dst.attrs.get("start", b""))
    time = ts.create_dataset("time", data=np.asarray(ts["step"][()], dtype=np.int64))
    time.attrs.update({"units": np.bytes_(f"days since {start}".encode()), "calendar": np.bytes_(b"standard"),
                       "standard_name": np.bytes_(b"time"), "axis": np.bytes_(b"T"),
                       "description": np.bytes_(b"date of the step, as days since the scenario's start")})
    time.make_scale("time")
    run = runs["run"] if "run" in runs else runs.create_dataset("run", data=np.arange(len(runs["status"])))
    run.make_scale("run")
    for name in ("step", "date"):
        ts[name].dims[0].attach_scale(time)
    for name in kept:
        ds = ts[name]
        ds.dims[0].attach_scale(run)
        ds.dims[1].attach_scale(time)
        if ds.ndim == 3:
            label = f"{name}_label"
            labels = [s.strip() for s in io.text(ds.attrs.get("labels", b"")).split(",")]
            scale = ts.create_dataset(label, data=labels, dtype=h5py.string_dtype())
            scale.make_scale(label)
            ds.dims[2].attach_scale(scale)
    for name in ("status", "error"):
        runs[name].dims[0].attach_scale(run)
    for ds in runs["summary"].values():
        ds.dims[0].attach_scale(run)
    if "design" in dst and "run" in dst["design"]:
        design_run = dst["design/run"]
        design_run.make_scale("run")
        for name, ds in dst["design"].items():
            if name != "run":
                ds.dims[0].attach_scale(design_run)
