"""Scenario comparison: outcome per replica, differences vs the baseline with CIs, P(better).

Outcomes are computed from the daily series (so run files and sweep files give
the same numbers), over the whole run or from a start date on; where a series
is missing the matching summary metric of the contract is used instead.
For every outcome lower is better.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .. import io
from . import stats
from .ensemble import Ensemble, SameFileWarning
from ..io import AnalysisInputError
from ..profiles import Outcome, humanise, profile_of


def _mask(ens: Ensemble, since) -> np.ndarray:
    if since is None:
        return np.ones(len(ens.dates), bool)
    mask = ens.dates >= np.datetime64(since)
    if not mask.any():
        raise AnalysisInputError(f"{ens.sources[0]}: no day on or after {since} (runs end {ens.dates[-1]})")
    return mask


def outcome_values(ens: Ensemble, outcome: Outcome, since=None) -> np.ndarray:
    """One value per replica: the outcome's series reduced over the period, else its summary metric."""
    mask = _mask(ens, since)
    if outcome.series and ens.has_series(outcome.series):
        values = ens.column(outcome.series, outcome.column) if outcome.column else ens.series(outcome.series)[0]
        if values.ndim == 3:
            values = values.sum(axis=2)
        if outcome.reduce == "final":
            total = values[:, -1]
            for extra in outcome.plus_series:
                if ens.has_series(extra):
                    more = ens.series(extra)[0]
                    total = total + (more.sum(axis=2) if more.ndim == 3 else more)[:, -1]
            return total
        values = values[:, mask]
        return values.mean(axis=1) if outcome.reduce == "mean" else values.sum(axis=1)
    values = ens.summary(outcome.summary_metric) if outcome.summary_metric else None
    if values is None:
        raise AnalysisInputError(
            f"{ens.sources[0]}: neither the series '{outcome.series}' nor the summary metric "
            f"'{outcome.summary_metric}' for outcome '{outcome.label}' is in the file")
    return values


def summary_outcomes(ens: Ensemble) -> list[Outcome]:
    """A model without a profile: every summary metric of its files is an outcome (whole run)."""
    with io.open_h5(ens.sources[0]) as f:
        group = "runs/summary" if ens.kind == "sweep" else "summary"
        if group not in f:
            raise AnalysisInputError(f"{ens.sources[0]}: group '/{group}' is missing: no outcome to compare "
                                     f"(a model profile in borderland.<model> can name outcomes from series)")
        return [Outcome(name, humanise(name).lower(), io.attr_text(f[group][name], "units") or "1",
                        summary_metric=name) for name in f[group]]


def outcomes_for(ens: Ensemble) -> list[Outcome]:
    return profile_of([ens]).outcomes or summary_outcomes(ens)


def uncertainty_of(ens: Ensemble) -> str:
    """What the spread of an ensemble's runs covers."""
    return "parameters and seeds" if ens.n_draws > 1 else "seeds"


def compare(baseline: Ensemble, scenarios: list[Ensemble], level: float = 0.9, since=None,
            n_boot: int = stats.DEFAULT_BOOT, seed: int = stats.DEFAULT_SEED) -> pd.DataFrame:
    """Each scenario against the baseline, per outcome: difference of means with a bootstrap interval
    (paired by seed where both ensembles have the same seeds), % change, P(better), and for counts
    the absolute number averted (baseline minus scenario) with its interval.

    Ensembles over posterior draws x seeds (Ensemble.draws) that ran the same draws and seeds are
    paired run by run; the bootstrap then resamples whole draws, P(better) is the share of
    (draw, seed) pairs where the scenario is lower, `spread_low`/`spread_high` the middle `level` of
    the per-run differences (parameter and seed uncertainty together), and `share_parameters` the
    share of their variance between draws (stats.variance_components; the rest is seed noise)."""
    rows = []
    base_order = np.argsort(baseline.seeds, kind="stable")
    for ens in scenarios:
        if ens.sources == baseline.sources and ens.point == baseline.point:
            warnings.warn(f"{ens.sources[0]}: compared with itself (the baseline is the same file)",
                          SameFileWarning, stacklevel=2)
        order = np.argsort(ens.seeds, kind="stable")
        paired = stats.seeds_pair(baseline.seeds[base_order], ens.seeds[order])
        clusters = None
        if paired and baseline.draws is not None and ens.draws is not None:
            same = np.array_equal(baseline.draws[base_order], ens.draws[order])
            clusters = ens.draws[order] if same else None
            paired = same  # the same seeds on other draws are not common random numbers
        for outcome in outcomes_for(baseline):
            base = outcome_values(baseline, outcome, since)[base_order]
            scen = outcome_values(ens, outcome, since)[order]
            diff, low, high = stats.bootstrap_difference(base, scen, level, n_boot, seed, paired, clusters)
            base_mean = base.mean()
            scale = 100.0 / base_mean if base_mean != 0 else np.nan
            spread_low = spread_high = share = share_outcome = np.nan
            if paired:
                tail = (1.0 - level) / 2.0
                spread_low, spread_high = np.quantile(scen - base, [tail, 1.0 - tail])
            if clusters is not None:
                share = stats.variance_components(scen - base, clusters)["share_between"]
                share_outcome = stats.variance_components(scen, clusters)["share_between"]
            rows.append({
                "scenario": ens.title(), "baseline": baseline.title(), "outcome": outcome.label,
                "averted": -diff if outcome.averted else np.nan, "averted_low": -high if outcome.averted else np.nan,
                "averted_high": -low if outcome.averted else np.nan, "averted_what": outcome.averted,
                "units": outcome.units, "baseline_mean": base_mean, "scenario_mean": scen.mean(),
                "difference": diff, "diff_low": low, "diff_high": high,
                "pct_change": diff * scale, "pct_low": low * scale, "pct_high": high * scale,
                "p_better": stats.prob_lower(base, scen, paired),
                "spread_low": spread_low, "spread_high": spread_high,
                "share_parameters": share, "share_parameters_outcome": share_outcome,
                "uncertainty": "parameters and seeds" if ens.n_draws > 1 and baseline.n_draws > 1 else "seeds",
                "draws": ens.n_draws, "replicas_baseline": base.size, "replicas_scenario": scen.size,
                "paired": paired, "ci_level": level,
            })
    return pd.DataFrame(rows)


def format_table(table: pd.DataFrame) -> str:
    """A readable text table: one line per scenario and outcome."""
    level = int(round(table["ci_level"].iloc[0] * 100)) if len(table) else 90
    lines = [f"Outcomes vs baseline '{table['baseline'].iloc[0]}' (difference of means, {level} % bootstrap CI; "
             "P(better) = probability the scenario comes out lower)"]
    width = max([26, *(len(str(s)) for s in table["scenario"])]) if len(table) else 26  # names line up
    header = f"{'scenario':<{width}} {'outcome':<36} {'baseline':>11} {'scenario':>11} {'difference [CI]':>30} " \
             f"{'change':>8} {'P(better)':>9}"
    lines += [header, "-" * len(header)]
    for _, r in table.iterrows():
        d, lo, hi, pct = (stats.no_negative_zero(r[k]) for k in ("difference", "diff_low", "diff_high", "pct_change"))
        ci = f"{d:+.4g} [{lo:+.4g}, {hi:+.4g}]"
        lines.append(f"{r['scenario']:<{width}} {r['outcome']:<36} {r['baseline_mean']:>11.4g} "
                     f"{r['scenario_mean']:>11.4g} {ci:>30} {pct:>+7.1f}% {r['p_better']:>9.2f}")
    lines.append(coverage_text(table))
    return "\n".join(lines)


def coverage_text(table: pd.DataFrame) -> str:
    """One sentence: what the runs, intervals and P(better) cover, and (over posterior draws) how much
    of the effects' spread the parameters contribute."""
    if not len(table):
        return ""
    if (table["uncertainty"] == "parameters and seeds").all():
        draws = int(table["draws"].min())
        runs = int(table["replicas_scenario"].min())
        share = table["share_parameters"].dropna()
        split = (f" Of the variance of the per-run effects, parameter uncertainty (between draws) contributes "
                 f"{share.median():.0%} (median over policies and outcomes; range {share.min():.0%} to "
                 f"{share.max():.0%}), seed noise (within draws) the rest." if len(share) else "")
        return (f"Uncertainty covered: parameters and seeds ({draws} posterior draws, {runs} runs per scenario); "
                "intervals resample whole draws, P(better) counts (draw, seed) pairs." + split)
    return ("Uncertainty covered: seed noise only (every run has the same parameter values); "
            "parameter uncertainty is not in these intervals or P(better).")
