"""Scenario comparison: outcome per replica, differences vs the baseline with CIs, P(better).

Outcomes are computed from the daily series (so run files and sweep files give
the same numbers), over the whole run or from a start date on; where a series
is missing the matching summary metric of the contract is used instead.
For every outcome lower is better.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import stats
from .ensemble import Ensemble
from ..io import AnalysisInputError


@dataclass(frozen=True)
class Outcome:
    key: str
    label: str
    units: str
    summary_metric: str  # fallback in /runs/summary when the series is absent


OUTCOMES = [
    Outcome("attacks", "attacks", "attacks", "total_attacks"),
    Outcome("police_deaths", "police deaths", "deaths", "police_killed"),
    Outcome("civilian_deaths", "civilian deaths", "deaths", "civilians_killed"),
    Outcome("tension", "tension with Kabul (mean)", "1", "mean_tension"),
    Outcome("militant_strength", "militant strength (final fighters)", "fighters", "final_fighters"),
]


def _mask(ens: Ensemble, since) -> np.ndarray:
    if since is None:
        return np.ones(len(ens.dates), bool)
    mask = ens.dates >= np.datetime64(since)
    if not mask.any():
        raise AnalysisInputError(f"{ens.sources[0]}: no day on or after {since} (runs end {ens.dates[-1]})")
    return mask


def outcome_values(ens: Ensemble, outcome: Outcome, since=None) -> np.ndarray:
    """One value per replica."""
    mask = _mask(ens, since)
    has = ens.has_series
    if outcome.key == "attacks" and has("attacks"):
        return ens.series("attacks")[0][:, mask].sum(axis=1)
    if outcome.key in ("police_deaths", "civilian_deaths") and has("killed"):
        label = "police" if outcome.key == "police_deaths" else "civilians"
        return ens.column("killed", label)[:, mask].sum(axis=1)
    if outcome.key == "tension" and has("tension"):
        return ens.series("tension")[0][:, mask].mean(axis=1)
    if outcome.key == "militant_strength" and has("fighters_pakistan"):
        total = ens.series("fighters_pakistan")[0][:, -1]
        if has("fighters_sanctuary"):
            total = total + ens.series("fighters_sanctuary")[0][:, -1]
        return total
    values = ens.summary(outcome.summary_metric)
    if values is None:
        raise AnalysisInputError(
            f"{ens.sources[0]}: neither the series nor the summary metric '{outcome.summary_metric}' "
            f"for outcome '{outcome.label}' is in the file")
    return values


def compare(baseline: Ensemble, scenarios: list[Ensemble], level: float = 0.9, since=None,
            n_boot: int = stats.DEFAULT_BOOT, seed: int = stats.DEFAULT_SEED) -> pd.DataFrame:
    rows = []
    base_order = np.argsort(baseline.seeds, kind="stable")
    for ens in scenarios:
        order = np.argsort(ens.seeds, kind="stable")
        paired = stats.seeds_pair(baseline.seeds[base_order], ens.seeds[order])
        for outcome in OUTCOMES:
            base = outcome_values(baseline, outcome, since)[base_order]
            scen = outcome_values(ens, outcome, since)[order]
            diff, low, high = stats.bootstrap_difference(base, scen, level, n_boot, seed, paired)
            base_mean = base.mean()
            scale = 100.0 / base_mean if base_mean != 0 else np.nan
            rows.append({
                "scenario": ens.scenario, "baseline": baseline.scenario, "outcome": outcome.label,
                "units": outcome.units, "baseline_mean": base_mean, "scenario_mean": scen.mean(),
                "difference": diff, "diff_low": low, "diff_high": high,
                "pct_change": diff * scale, "pct_low": low * scale, "pct_high": high * scale,
                "p_better": stats.prob_lower(base, scen, paired),
                "replicas_baseline": base.size, "replicas_scenario": scen.size,
                "paired": paired, "ci_level": level,
            })
    return pd.DataFrame(rows)


def format_table(table: pd.DataFrame) -> str:
    """A readable text table: one line per scenario and outcome."""
    level = int(round(table["ci_level"].iloc[0] * 100)) if len(table) else 90
    lines = [f"Outcomes vs baseline '{table['baseline'].iloc[0]}' (difference of means, {level} % bootstrap CI; "
             "P(better) = probability the scenario comes out lower)"]
    header = f"{'scenario':<26} {'outcome':<36} {'baseline':>11} {'scenario':>11} {'difference [CI]':>30} " \
             f"{'change':>8} {'P(better)':>9}"
    lines += [header, "-" * len(header)]
    for _, r in table.iterrows():
        ci = f"{r['difference']:+.4g} [{r['diff_low']:+.4g}, {r['diff_high']:+.4g}]"
        lines.append(f"{r['scenario']:<26} {r['outcome']:<36} {r['baseline_mean']:>11.4g} {r['scenario_mean']:>11.4g} "
                     f"{ci:>30} {r['pct_change']:>+7.1f}% {r['p_better']:>9.2f}")
    return "\n".join(lines)
