"""Ensemble statistics: quantile bands, percentile bootstrap CIs, P(policy beats baseline).

Every random draw goes through a numpy Generator seeded by the caller, so a
table or report is reproducible to the last digit.
"""
from __future__ import annotations

import warnings

import numpy as np

DEFAULT_SEED = 20230130  # any fixed value; the date of the Peshawar bombing, for remembering
DEFAULT_BOOT = 2000


def quantile_bands(values: np.ndarray, levels=(0.5, 0.9)) -> tuple[np.ndarray, dict]:
    """Median over replicas (axis 0) and central bands {level: (low, high)}."""
    values = np.asarray(values, dtype=float)
    with warnings.catch_warnings():  # columns that are all NaN (before a rolling window fills) stay NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        return _bands(values, levels)


def _bands(values, levels):
    median = np.nanmedian(values, axis=0)
    bands = {}
    for level in levels:
        tail = (1.0 - level) / 2.0
        bands[level] = (np.nanquantile(values, tail, axis=0), np.nanquantile(values, 1.0 - tail, axis=0))
    return median, bands


def _percentile_interval(replicates: np.ndarray, level: float) -> tuple[float, float]:
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(replicates, [tail, 1.0 - tail])
    return float(low), float(high)


def bootstrap_ci(sample, level: float = 0.9, n_boot: int = DEFAULT_BOOT, seed: int = DEFAULT_SEED,
                 statistic=np.mean) -> tuple[float, float]:
    """Percentile bootstrap interval of `statistic` (applied along axis 1 of resampled rows)."""
    sample = np.asarray(sample, dtype=float)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, sample.size, size=(n_boot, sample.size))
    return _percentile_interval(statistic(sample[picks], axis=1), level)


def bootstrap_difference(baseline, scenario, level: float = 0.9, n_boot: int = DEFAULT_BOOT,
                         seed: int = DEFAULT_SEED, paired: bool = False) -> tuple[float, float, float]:
    """Mean(scenario) - mean(baseline) and its percentile bootstrap interval.

    Paired (same seeds in both, matched by position) resamples the per-seed
    differences; unpaired resamples each group on its own.
    """
    baseline = np.asarray(baseline, dtype=float)
    scenario = np.asarray(scenario, dtype=float)
    rng = np.random.default_rng(seed)
    if paired:
        diffs = scenario - baseline
        picks = rng.integers(0, diffs.size, size=(n_boot, diffs.size))
        replicates = diffs[picks].mean(axis=1)
        estimate = diffs.mean()
    else:
        base_picks = rng.integers(0, baseline.size, size=(n_boot, baseline.size))
        scen_picks = rng.integers(0, scenario.size, size=(n_boot, scenario.size))
        replicates = scenario[scen_picks].mean(axis=1) - baseline[base_picks].mean(axis=1)
        estimate = scenario.mean() - baseline.mean()
    low, high = _percentile_interval(replicates, level)
    return float(estimate), low, high


def prob_lower(baseline, scenario, paired: bool = False) -> float:
    """P(scenario outcome < baseline outcome): the chance that the policy does better
    in one future when lower is better.

    Paired: the share of seeds where the scenario came out lower. Unpaired: the
    share of all (scenario, baseline) replica pairs with the scenario lower, ties
    counting one half (the common-language effect size of Mann-Whitney's U).
    """
    baseline = np.asarray(baseline, dtype=float)
    scenario = np.asarray(scenario, dtype=float)
    if paired:
        d = scenario - baseline
        return float(np.mean(d < 0) + 0.5 * np.mean(d == 0))
    s = scenario[:, None]
    b = baseline[None, :]
    return float(np.mean(s < b) + 0.5 * np.mean(s == b))


def seeds_pair(baseline_seeds, scenario_seeds) -> bool:
    """Use a paired comparison when both ensembles ran the same seeds (common random numbers)."""
    a, b = np.asarray(baseline_seeds), np.asarray(scenario_seeds)
    return a.size > 1 and a.shape == b.shape and bool((a == b).all())
