"""Batches of particles run through `borderland sweep` (a list design), and read back.

The calibrator writes, for each batch, `NAME.csv` (a header of key paths, one
row per particle) and `NAME.yaml` (a list-design sweep of the base scenario
with the calibration's `set`), then runs `borderland sweep NAME.yaml -o
NAME.h5 --resume` (resuming whatever a kill left in NAME.h5.partial). A
launcher (`mpirun -np 3`, `srun`) goes in front of the command; shards and
Slurm arrays work on the same files (docs/experiments.md).
"""
from __future__ import annotations

import os
import subprocess

import h5py
import numpy as np
import yaml

from .errors import CalibrationRunError


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, (bytes, np.bytes_)) else str(value)


def number_text(value: float, integer: bool) -> str:
    """A value as the CSV holds it: whole numbers for integer keys, full precision otherwise."""
    return str(int(round(value))) if integer else repr(float(value))


# Runs read into memory at once when a batch's statistics are computed: one provincial series
# of a three-year run is 42 provinces x 1155 days x 8 bytes (~390 kB), so a batch of 2,500 runs
# holds ~1 GB of it; this many hold ~80 MB.
READ_RUNS = 200


def run_sets(sets: dict, statistics, binary: str, base: str) -> dict:
    """The calibration's `set`, with output.series (unless given) = the series its statistics read
    that the model writes: the runs write only those (docs/experiments.md), so a batch's file stays
    small and no statistic's series can be left out by a hand-made list."""
    from .config import SERIES_KEY
    from .specs import model_series
    out = dict(sets)
    if SERIES_KEY in out:
        return out
    written = model_series(binary, base)
    if written is None:
        return out                     # the engine did not list its series: the runs write all of them
    needed = set().union(*(s.series_needed() for s in statistics))
    out[SERIES_KEY] = [name for name in written if name in needed]
    return out


def write_batch(folder: str, name: str, base: str, sets: dict, keys: list[str],
                integers: list[bool], values: np.ndarray, seed: int, description: str, replicas: int = 1) -> str:
    """Write NAME.csv and NAME.yaml into folder; return the sweep file's path."""
    os.makedirs(folder, exist_ok=True)
    csv_path = os.path.join(folder, f"{name}.csv")
    with open(csv_path, "w", encoding="utf-8") as f:
        f.write(",".join(keys) + "\n")
        for row in values:
            f.write(",".join(number_text(v, i) for v, i in zip(row, integers)) + "\n")
    sweep = {"description": description, "base": base, "design": "list", "runs": f"{name}.csv",
             "replicas": int(replicas), "seed": int(seed)}
    if sets:
        sweep["set"] = {k: list(v) if isinstance(v, (list, tuple)) else v for k, v in sets.items()}
    sweep_path = os.path.join(folder, f"{name}.yaml")
    with open(sweep_path, "w", encoding="utf-8") as f:
        yaml.safe_dump(sweep, f, sort_keys=False)
    return sweep_path


def run_sweep(binary: str, sweep_path: str, threads: int, launcher: list[str], extra: list[str]) -> str:
    """Run (or finish) a batch; return the sweep output's path. A failed run is no error here:
    its status is 2 and its statistics NaN (infinitely far)."""
    out = sweep_path[:-len(".yaml")] + ".h5"
    if os.path.exists(out):
        return out                                  # finished before a kill of the calibrator
    cmd = list(launcher) + [binary, "sweep", sweep_path, "-o", out, "--threads", str(threads), *extra]
    if os.path.exists(out + ".partial"):
        cmd.append("--resume")
    env = dict(os.environ)
    try:
        done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    except OSError as exc:
        raise CalibrationRunError(f"{cmd[0]}: cannot start ({exc.strerror})") from None
    if done.returncode not in (0, 1) or not os.path.exists(out):
        raise CalibrationRunError(f"{' '.join(cmd)}: exit {done.returncode}: {done.stderr.strip()}")
    return out


def available(path: str) -> tuple[dict[str, list[str]], set[str]]:
    """The series (with their column labels) and summary metrics a sweep file holds."""
    with h5py.File(path, "r") as f:
        series = {}
        for name, ds in f["runs/timeseries"].items():
            if name in ("date", "step"):
                continue
            labels = _text(ds.attrs.get("labels", b""))
            series[name] = [s.strip() for s in labels.split(",")] if labels else []
        summary = set(f["runs/summary"].keys()) if "runs/summary" in f else set()
    return series, summary


def batch_size(path: str) -> int:
    with h5py.File(path, "r") as f:
        return int(f["runs/status"].shape[0])


def read_batch(path: str, series: set[str], summary: set[str], rows: slice = slice(None)):
    """The RunData of a sweep file (its runs `rows`): only the series and summaries the statistics need."""
    from .observation import RunData
    with h5py.File(path, "r") as f:
        dates = np.array([_text(d) for d in f["runs/timeseries/date"][()]], dtype="datetime64[D]")
        data = {}
        for name in series:
            key = f"runs/timeseries/{name}"
            if key in f:
                labels = _text(f[key].attrs.get("labels", b""))
                data[name] = (f[key][rows], [s.strip() for s in labels.split(",")] if labels else [])
        sums = {m: f[f"runs/summary/{m}"][rows] for m in summary if f"runs/summary/{m}" in f}
        ok = f["runs/status"][rows] == 1
    return RunData(dates=dates, series=data, summary=sums, ok=ok)
