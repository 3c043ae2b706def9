"""The TTP model's calibration targets T1-T7, read from their one definition in the project:
models/ttp/calibration/targets.yaml (metric, description, published figure, value and units,
band, ensemble statistic, windows, public source). The model's summary metrics, the C++
calibration test, this package and scripts/calibrate_ttp.py all read that file."""
from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from ..io import InputError

# The checkout's copy; BORDERLAND_TTP_TARGETS names another (e.g. an installed tree's).
DEFAULT_PATH = Path(__file__).resolve().parents[3] / "models" / "ttp" / "calibration" / "targets.yaml"


@dataclass(frozen=True)
class Window:
    series: str
    start: np.datetime64   # first day
    end: np.datetime64     # last day (inclusive)


@dataclass(frozen=True)
class Target:
    key: str              # id: T1, T2, T3_deaths, T3_incidents, T4, T5, T6, T7 (a column per run)
    target: str           # T1..T7
    metric: str           # the summary metric the model computes (/summary, /runs/summary)
    what: str             # description
    observed: str         # the published figure, as text
    observed_value: float | None
    units: str
    low: float | None
    high: float | None
    strict: bool
    statistic: str        # median | max
    compute: str          # relative_change | share | sum | below_neighbours | max
    windows: dict[str, Window]
    source: str

    def passes(self, value: float) -> bool:
        low_ok = self.low is None or (value > self.low if self.strict else value >= self.low)
        high_ok = self.high is None or (value < self.high if self.strict else value <= self.high)
        return bool(low_ok and high_ok)

    def band_text(self) -> str:
        less = "<" if self.strict else "<="
        if self.low is None:
            return f"{self.statistic} {less} {self.high:g}"
        if self.high is None:
            return f"{self.statistic} >= {self.low:g}" if not self.strict else f"{self.statistic} > {self.low:g}"
        return f"{self.low:g} {less} {self.statistic} {less} {self.high:g}"


def _day(value, where: str) -> np.datetime64:
    if isinstance(value, (dt.date, str)):
        try:
            return np.datetime64(str(value), "D")
        except ValueError:
            pass
    raise InputError(f"{where}: expected a date YYYY-MM-DD, got {value!r}")


@functools.lru_cache(maxsize=None)
def load(path: str | None = None) -> tuple[dict, list[Target]]:
    """(source, targets) from targets.yaml; InputError naming the file and entry on a bad file."""
    path = path or os.environ.get("BORDERLAND_TTP_TARGETS") or str(DEFAULT_PATH)
    if not os.path.exists(path):
        raise InputError(f"{path}: no such file (the TTP calibration targets)")
    try:
        with open(path, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({exc})") from exc
    targets = []
    for i, entry in enumerate(doc.get("targets") or []):
        where = f"{path}: targets[{i}] ({entry.get('id', '?')})"
        try:
            band = entry.get("band") or {}
            windows = {name: Window(w["series"], _day(w["from"], f"{where}: windows.{name}.from"),
                                    _day(w["to"], f"{where}: windows.{name}.to"))
                       for name, w in (entry.get("windows") or {}).items()}
            value = entry.get("value")
            targets.append(Target(
                key=str(entry["id"]), target=str(entry["target"]), metric=str(entry["metric"]),
                what=str(entry["description"]), observed=str(entry.get("figure", "")),
                observed_value=None if value is None else float(value), units=str(entry.get("units", "")),
                low=None if band.get("low") is None else float(band["low"]),
                high=None if band.get("high") is None else float(band["high"]),
                strict=bool(band.get("strict", False)), statistic=str(entry.get("statistic", "median")),
                compute=str(entry["compute"]), windows=windows, source=str(entry.get("source", ""))))
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{where}: missing or bad field ({exc})") from exc
    if not targets:
        raise InputError(f"{path}: no targets")
    return doc.get("source") or {}, targets
