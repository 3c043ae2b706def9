"""Calibration targets T1-T7 of the TTP model, computed from its outputs and judged.

The targets, their windows, bands and ensemble statistics come from their one definition,
models/ttp/calibration/targets.yaml (borderland.ttp.targets): figures for January 2020 - February
2023 quoted from the International Crisis Group's March 2023 commentary
"The Pakistani Taliban Test Ties between Islamabad and Kabul". Values are in the file's units (fractions as fractions).

Each target is computed per replica from the daily series (`attacks`, `attacks_by_province`,
`killed`), which run and sweep files both carry, and from the events table for the quantities that
need single events (police killed and attacks on police in KP, the deadliest attack), which only
run files have; from sweep files those come from the summary metric the model computes (named in
targets.yaml). The ensemble passes a target when its statistic (the median over replicas, or the
largest replica value for "rare but possible") lies in the band.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..analysis.ensemble import Ensemble
from ..io import AnalysisInputError
from . import targets as targets_file

D = np.datetime64
# Khyber Pakhtunkhwa and the tribal areas merged into it in 2018 (matched by name
# when a sweep file has no /map/provinces table with merged_into).
KP_NAME = re.compile(r"khyber|pakhtunkhwa|^kp$|^nwfp$|north[- ]west frontier", re.I)
FATA_NAME = re.compile(r"fata|federally administered tribal|tribal areas", re.I)
KP_HASC = {"PK.KP", "PK.NW"}
VICTIM_COLUMNS = ("killed_police", "killed_army", "killed_civilians")  # T7 counts victims, not attackers


SOURCE, TARGETS = targets_file.load()
TARGET_BY_KEY = {t.key: t for t in TARGETS}

RULES = (
    "A target passes when its ensemble statistic lies in its band: the median over runs for T1-T6, the largest "
    "value over runs for T7 (rare but possible: some run has such an attack, none an implausibly larger one). "
    "Khyber Pakhtunkhwa (KP) includes the former tribal areas (merged 2018). T3 incidents are KP attacks on "
    "police in 2022; T7 counts victims (police, soldiers, civilians), not the attackers. Bands, windows and "
    "quotations: models/ttp/calibration/targets.yaml.")


def band_text(t) -> str:
    return t.band_text()


def _window(dates: np.ndarray, start, end) -> np.ndarray | None:
    """Mask of [start, end] (inclusive) or None when the run does not cover the whole window."""
    start, end = D(start), D(end)
    if len(dates) == 0 or dates[0] > start or dates[-1] < end:
        return None
    return (dates >= start) & (dates <= end)


def kp_province_ids(provinces: pd.DataFrame | None) -> set[int]:
    """KP's id and the ids merged into it (FATA), from /map/provinces."""
    if provinces is None or "id" not in provinces:
        return set()
    names = provinces.get("name", pd.Series([""] * len(provinces))).astype(str)
    hasc = provinces.get("hasc", pd.Series([""] * len(provinces))).astype(str)
    kp = provinces["id"][(hasc.isin(KP_HASC)) | names.str.contains(KP_NAME)].astype(int).tolist()
    ids = set(kp)
    if "merged_into" in provinces:
        ids |= set(provinces["id"][provinces["merged_into"].isin(kp)].astype(int).tolist())
    return ids


def kp_label_mask(labels: list[str], provinces: pd.DataFrame | None) -> np.ndarray:
    """Which columns of attacks_by_province belong to KP (with FATA)."""
    ids = kp_province_ids(provinces)
    if ids and provinces is not None and "name" in provinces:
        kp_names = set(provinces["name"][provinces["id"].isin(ids)].astype(str))
        return np.array([label in kp_names for label in labels])
    return np.array([bool(KP_NAME.search(l) or FATA_NAME.search(l)) for l in labels])


def _event_dates(table: pd.DataFrame) -> np.ndarray:
    return np.array(table["date"].astype(str).str[:10], dtype="datetime64[D]") if len(table) else \
        np.array([], dtype="datetime64[D]")


class _Tallies:
    """The model's daily tallies that targets.yaml names, per replica, from what the files carry."""

    def __init__(self, ens: Ensemble):
        self.ens, self.dates = ens, ens.dates
        map_info = ens.map()
        self.provinces = map_info.provinces if map_info is not None else None
        self.events = ens.events()

    def daily(self, series: str) -> np.ndarray | None:
        """[R, T] daily values of a series-backed tally, or None when it needs the events."""
        ens = self.ens
        if series == "attacks":
            return ens.series("attacks")[0]
        if series == "attacks_kp":
            by_prov, meta = ens.series("attacks_by_province")
            return by_prov[:, :, kp_label_mask(meta.labels, self.provinces)].sum(axis=2)
        if series == "police_killed":
            return ens.column("killed", "police")
        if series == "attack_victims" and ens.has_series("attack_killed"):  # killed in attacks, attackers aside
            values, meta = ens.series("attack_killed")
            keep = [i for i, label in enumerate(meta.labels) if label in ("police", "army", "civilians")]
            return values[:, :, keep].sum(axis=2)
        return None

    def window(self, w) -> np.ndarray | None:
        """The window's sum (or, for max_attack_deaths, its maximum) per replica; NaN where a run does not
        cover it; None when only events could say and the files have none."""
        daily = self.daily(w.series)
        if daily is not None:
            mask = _window(self.dates, w.start, w.end)
            return np.full(daily.shape[0], np.nan) if mask is None else daily[:, mask].sum(axis=1)
        if self.events is None:
            return None
        if w.series == "max_attack_deaths":  # a maximum needs only part of its window (as the model's t7)
            covered = len(self.dates) > 0 and self.dates[0] <= w.end and self.dates[-1] >= w.start
        else:
            covered = _window(self.dates, w.start, w.end) is not None
        kp_ids = kp_province_ids(self.provinces)
        out = []
        for table in self.events:
            ev_dates = _event_dates(table)
            inside = table[(ev_dates >= w.start) & (ev_dates <= w.end)]
            in_kp = inside["province"].astype(int).isin(kp_ids) if "province" in inside else \
                pd.Series(False, index=inside.index)
            if w.series == "police_killed_kp":
                value = inside.loc[in_kp, "killed_police"].sum()
            elif w.series == "police_incidents_kp":
                kp = inside[in_kp]
                on_police = (kp["target"].astype(str).str.lower().str.startswith("police") if "target" in kp
                             else kp["killed_police"] > 0)
                value = on_police.sum()
            elif w.series == "attack_victims":
                value = inside[[c for c in VICTIM_COLUMNS if c in inside]].to_numpy().sum()
            elif w.series == "max_attack_deaths":
                victims = inside[[c for c in VICTIM_COLUMNS if c in inside]].sum(axis=1)
                value = victims.max() if len(victims) else 0.0
            else:
                raise AnalysisInputError(f"{self.ens.sources[0]}: calibration tally '{w.series}' of "
                                         "targets.yaml is not known to the analysis")
            out.append(float(value) if covered else np.nan)
        return np.array(out, float)


def _combine(t, w: dict) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        if t.compute == "relative_change":
            return w["after"] / w["before"] - 1.0
        if t.compute == "share":
            return w["part"] / w["whole"]
        if t.compute == "below_neighbours":
            return w["middle"] / np.minimum(w["before"], w["after"])
        if t.compute in ("sum", "max"):
            return w["total"]
    raise AnalysisInputError(f"targets.yaml: target {t.key}: unknown compute '{t.compute}'")


def per_run_targets(ens: Ensemble) -> pd.DataFrame:
    """One row per replica, one column per target (in targets.yaml's units; NaN where not computable)."""
    tallies = _Tallies(ens)
    out = pd.DataFrame({"seed": ens.seeds})
    for t in TARGETS:
        windows = {name: tallies.window(w) for name, w in t.windows.items()}
        if any(v is None for v in windows.values()):  # needs events the files lack: the model's own metric
            values = ens.summary(t.metric)
            out[t.key] = values if values is not None else np.nan
        else:
            out[t.key] = _combine(t, windows)
    return out[["seed"] + [t.key for t in TARGETS]]


def judge(per_run: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """The ensemble against each target: its statistic (median or max), the 90 % range of runs, pass/fail."""
    rows = []
    for t in TARGETS:
        values = per_run[t.key].to_numpy(dtype=float)
        finite = values[np.isfinite(values)]
        if finite.size == 0:
            median = low = high = statistic = np.nan
            verdict = "n/a"
        else:
            median = float(np.median(finite))
            low, high = (float(q) for q in np.quantile(finite, [0.05, 0.95]))
            statistic = float(finite.max()) if t.statistic == "max" else median
            verdict = "pass" if t.passes(statistic) else "FAIL"
        rows.append({"scenario": scenario, "target": t.target, "key": t.key, "quantity": t.what, "units": t.units,
                     "observed": t.observed, "band": t.band_text(), "statistic": t.statistic, "median": median,
                     "p05": low, "p95": high, "max": float(finite.max()) if finite.size else np.nan,
                     "replicas": int(finite.size), "result": verdict})
    return pd.DataFrame(rows)
