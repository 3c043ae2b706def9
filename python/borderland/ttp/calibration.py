"""Calibration targets T1-T7 (../shared/DOMAIN.md) computed from TTP outputs.

Each target is computed per replica, then the ensemble is judged against the
tolerance bands of issue 4: a target passes when the ensemble median lies in
its band (T1-T5), when the ceasefire window lies below both neighbours in the
median replica (T6), and when the ensemble's largest event has 50 or more
deaths and none has more than 300 (T7).

Sources inside a file: attack counts and provinces come from the daily series
(`attacks`, `attacks_by_province`, `killed`), which run and sweep files both
carry; T3 (KP police deaths and incidents in 2022) and T7 (deaths in one
event) need the events table, which only run files have. For sweep files T3
deaths and T7 fall back to the summary metrics `t3` and `t7` when present.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..analysis.ensemble import Ensemble

D = np.datetime64
KABUL_FALLS = D("2021-08-15")
# Khyber Pakhtunkhwa and the tribal areas merged into it in 2018 (matched by name
# when a sweep file has no /map/provinces table with merged_into).
KP_NAME = re.compile(r"khyber|pakhtunkhwa|^kp$|^nwfp$|north[- ]west frontier", re.I)
FATA_NAME = re.compile(r"fata|federally administered tribal|tribal areas", re.I)
KP_HASC = {"PK.KP", "PK.NW"}
VICTIM_COLUMNS = ("killed_police", "killed_army", "killed_civilians")  # T7 counts victims, not attackers


@dataclass(frozen=True)
class Target:
    key: str          # column in the per-run table
    target: str       # T1..T7
    what: str
    observed: str     # the figure in DOMAIN.md
    low: float | None
    high: float | None
    units: str
    observed_value: float | None = None  # the figure as a number, drawn on the calibration figure


TARGETS = [
    Target("T1", "T1", "attacks, 12 months after 15 Aug 2021 vs 12 months before", "+51 %", 30, 75, "% change", 51),
    Target("T2", "T2", "share of those attacks in KP (incl. former FATA)", "over 75 %", 70, None, "%", 75),
    Target("T3_deaths", "T3", "KP police killed in 2022", "105", 80, 135, "deaths", 105),
    Target("T3_incidents", "T3", "KP attacks on police in 2022", "151", 110, 190, "incidents", 151),
    Target("T4", "T4", "police killed 1 Sep 2022 - 28 Feb 2023", "about 300", 200, 400, "deaths", 300),
    Target("T5", "T5", "attacks in KP in January 2023", "62", 40, 85, "attacks", 62),
    Target("T6", "T6", "ceasefire Nov-Dec 2021 vs the lower of Sep-Oct 2021 and Jan-Feb 2022",
           "clearly fewer", None, 0, "% change"),
    Target("T7", "T7", "largest single-event deaths in 2022-2023", "80+ (one, early 2023)", 50, 300, "deaths", 80),
]
TARGET_BY_KEY = {t.key: t for t in TARGETS}


def band_text(t: Target) -> str:
    if t.key == "T6":
        return "below both neighbours (< 0 %)"
    if t.key == "T7":
        return "max >= 50 and none > 300"
    if t.high is None:
        return f">= {t.low:g}"
    return f"{t.low:g} .. {t.high:g}"


def _window(dates: np.ndarray, start, end) -> np.ndarray | None:
    """Mask of [start, end) or None when the run does not cover the whole window."""
    start, end = D(start), D(end)
    if len(dates) == 0 or dates[0] > start or dates[-1] < end - 1:
        return None
    return (dates >= start) & (dates < end)


def _sum(values: np.ndarray, dates: np.ndarray, start, end) -> np.ndarray:
    mask = _window(dates, start, end)
    if mask is None:
        return np.full(values.shape[0], np.nan)
    return values[:, mask].sum(axis=1)


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


def per_run_targets(ens: Ensemble) -> pd.DataFrame:
    """One row per replica, one column per target quantity (NaN where not computable)."""
    dates = ens.dates
    attacks, _ = ens.series("attacks")
    by_prov, prov_meta = ens.series("attacks_by_province")
    police = ens.column("killed", "police")
    map_info = ens.map()
    provinces = map_info.provinces if map_info is not None else None
    kp_attacks = by_prov[:, :, kp_label_mask(prov_meta.labels, provinces)].sum(axis=2)

    out = pd.DataFrame({"seed": ens.seeds})
    after_start, after_end = KABUL_FALLS, D("2022-08-15")
    before = _sum(attacks, dates, D("2020-08-15"), KABUL_FALLS)
    after = _sum(attacks, dates, after_start, after_end)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["T1"] = 100.0 * (after / before - 1.0)
        out["T2"] = 100.0 * _sum(kp_attacks, dates, after_start, after_end) / after
    out["T4"] = _sum(police, dates, D("2022-09-01"), D("2023-03-01"))
    out["T5"] = _sum(kp_attacks, dates, D("2023-01-01"), D("2023-02-01"))
    ceasefire = _sum(attacks, dates, D("2021-11-01"), D("2022-01-01"))
    lower_neighbour = np.minimum(_sum(attacks, dates, D("2021-09-01"), D("2021-11-01")),
                                 _sum(attacks, dates, D("2022-01-01"), D("2022-03-01")))
    with np.errstate(divide="ignore", invalid="ignore"):
        out["T6"] = 100.0 * (ceasefire / lower_neighbour - 1.0)

    events = ens.events()
    if events is not None:
        kp_ids = kp_province_ids(provinces)
        t3_deaths, t3_incidents, t7 = [], [], []
        covers_2022 = _window(dates, D("2022-01-01"), D("2023-01-01")) is not None
        covers_t7 = dates[0] <= D("2022-01-01") and dates[-1] >= D("2022-01-01")
        for table in events:
            ev_dates = np.array(table["date"].astype(str), dtype="datetime64[D]") if len(table) else \
                np.array([], dtype="datetime64[D]")
            in_2022 = (ev_dates >= D("2022-01-01")) & (ev_dates < D("2023-01-01"))
            in_kp = table["province"].astype(int).isin(kp_ids).to_numpy() if "province" in table else \
                np.zeros(len(table), bool)
            kp_2022 = table[in_2022 & in_kp]
            t3_deaths.append(kp_2022["killed_police"].sum() if covers_2022 else np.nan)
            if "target" in table:
                on_police = kp_2022["target"].astype(str).str.lower().str.startswith("police")
            else:  # no target column: count attacks that killed police
                on_police = kp_2022["killed_police"] > 0
            t3_incidents.append(on_police.sum() if covers_2022 else np.nan)
            late = (ev_dates >= D("2022-01-01")) & (ev_dates < D("2024-01-01"))
            victims = table.loc[late, [c for c in VICTIM_COLUMNS if c in table]].sum(axis=1)
            t7.append(victims.max() if covers_t7 and len(victims) else (0.0 if covers_t7 else np.nan))
        out["T3_deaths"] = np.array(t3_deaths, float)
        out["T3_incidents"] = np.array(t3_incidents, float)
        out["T7"] = np.array(t7, float)
    else:
        for key, metric in (("T3_deaths", "t3"), ("T3_incidents", "t3_incidents"), ("T7", "t7")):
            values = ens.summary(metric)
            out[key] = values if values is not None else np.nan
    return out[["seed"] + [t.key for t in TARGETS]]


def judge(per_run: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """The ensemble against each target: median, 90 % interval, band, pass/fail."""
    rows = []
    for t in TARGETS:
        values = per_run[t.key].to_numpy(dtype=float)
        finite = values[np.isfinite(values)]
        if finite.size == 0:
            median = low = high = np.nan
            verdict = "n/a"
        else:
            median = float(np.median(finite))
            low, high = (float(q) for q in np.quantile(finite, [0.05, 0.95]))
            if t.key == "T7":
                ok = finite.max() >= t.low and finite.max() <= t.high
            elif t.key == "T6":
                ok = median < 0
            else:
                ok = median >= t.low and (t.high is None or median <= t.high)
            verdict = "pass" if ok else "FAIL"
        rows.append({"scenario": scenario, "target": t.target, "quantity": t.what, "units": t.units,
                     "observed": t.observed, "band": band_text(t), "median": median, "p05": low, "p95": high,
                     "max": float(finite.max()) if finite.size else np.nan, "replicas": int(finite.size),
                     "result": verdict})
    return pd.DataFrame(rows)
