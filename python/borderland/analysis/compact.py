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
        available = [k for k in src["runs/timeseries"] if k not in ("step", "date")]
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
                    out.attrs[key] = value
    os.replace(partial, output)
    return {"bytes_in": os.path.getsize(source), "bytes_out": os.path.getsize(output), "series": kept,
            "days": len(dates) - first}
