"""Ensemble statistics: quantile bands, percentile bootstrap CIs, P(policy beats baseline).

Every random draw goes through a numpy Generator seeded by the caller, so a
table or report is reproducible to the last digit.
"""
from __future__ import annotations

import warnings

import numpy as np

DEFAULT_SEED = 20230130  # any fixed value; the date of the Peshawar bombing, for remembering
DEFAULT_BOOT = 2000


def no_negative_zero(value, digits: int | None = None) -> float:
    """`value` (rounded to `digits` decimals when given) with -0 made 0: a table never shows "-0"
    for a change that rounds to nothing."""
    v = float(value)
    if digits is not None and np.isfinite(v):
        v = round(v, digits)
    return v + 0.0


def quantile_bands(values: np.ndarray, levels=(0.5, 0.9)) -> tuple[np.ndarray, dict]:
    """Median over replicas (axis 0) and central bands {level: (low, high)}."""
    values = np.asarray(values, dtype=float)
    with warnings.catch_warnings():  # columns that are all NaN (before a rolling window fills) stay NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        return _bands(values, levels)


def _bands(values, levels):
    """np.quantile over replicas at once; nanquantile (slow) only for columns with some NaN."""
    probs = [0.5]
    for level in levels:
        tail = (1.0 - level) / 2.0
        probs += [tail, 1.0 - tail]
    flat = values.reshape(values.shape[0], -1)
    nan = np.isnan(flat)
    out = np.full((len(probs), flat.shape[1]), np.nan)
    clean = ~nan.any(axis=0)
    if clean.any():
        out[:, clean] = np.quantile(flat[:, clean], probs, axis=0)
    partial = nan.any(axis=0) & ~nan.all(axis=0)
    if partial.any():
        out[:, partial] = np.nanquantile(flat[:, partial], probs, axis=0)
    out = out.reshape((len(probs),) + values.shape[1:])
    median, bands = out[0], {}
    for i, level in enumerate(levels):
        bands[level] = (out[1 + 2 * i], out[2 + 2 * i])
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


def _cluster_means(values: np.ndarray, clusters: np.ndarray, rng, n_boot: int) -> np.ndarray:
    """Bootstrap means of `values` resampling whole clusters (a posterior draw with all its seeds), so
    that the runs of one draw, which share its parameters, are not taken for independent replicas."""
    ids, inverse = np.unique(clusters, return_inverse=True)
    sums = np.bincount(inverse, weights=values, minlength=ids.size)
    counts = np.bincount(inverse, minlength=ids.size).astype(float)
    picks = rng.integers(0, ids.size, size=(n_boot, ids.size))
    return sums[picks].sum(axis=1) / counts[picks].sum(axis=1)


def bootstrap_difference(baseline, scenario, level: float = 0.9, n_boot: int = DEFAULT_BOOT,
                         seed: int = DEFAULT_SEED, paired: bool = False,
                         clusters=None) -> tuple[float, float, float]:
    """Mean(scenario) - mean(baseline) and its percentile bootstrap interval.

    Paired (same seeds in both, matched by position) resamples the per-seed
    differences; unpaired resamples each group on its own. `clusters` (paired
    only): each pair's posterior draw; whole draws are resampled.
    """
    baseline = np.asarray(baseline, dtype=float)
    scenario = np.asarray(scenario, dtype=float)
    rng = np.random.default_rng(seed)
    if paired and clusters is not None:
        diffs = scenario - baseline
        replicates = _cluster_means(diffs, np.asarray(clusters), rng, n_boot)
        estimate = diffs.mean()
    elif paired:
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


def variance_components(values, groups) -> dict:
    """Split the spread of `values` (one per run) between groups (posterior draws) and runs within a
    group (seeds): one-way random-effects ANOVA (method of moments, e.g. Searle, Casella & McCulloch
    1992, ch. 3). within = the pooled variance of runs around their draw's mean; between = the
    variance of the draws' means less the part the seeds put there (within / seeds per draw), at
    least 0. share_between = between / (between + within): the share of the spread that parameter
    uncertainty contributes (NaN without two draws of two or more runs)."""
    values = np.asarray(values, dtype=float)
    ids, inverse = np.unique(np.asarray(groups), return_inverse=True)
    counts = np.bincount(inverse, minlength=ids.size).astype(float)
    out = {"draws": int(ids.size), "runs": int(values.size), "between": np.nan, "within": np.nan,
           "share_between": np.nan, "total": float(np.var(values, ddof=1)) if values.size > 1 else np.nan}
    if ids.size < 2 or (counts < 2).all():
        return out
    means = np.bincount(inverse, weights=values, minlength=ids.size) / counts
    within = float(((values - means[inverse]) ** 2).sum() / (values.size - ids.size))
    grand = values.mean()
    # n0: the effective runs per draw of an unbalanced design (equal to the runs per draw when balanced)
    n0 = (values.size - (counts ** 2).sum() / values.size) / (ids.size - 1)
    mean_square_between = float((counts * (means - grand) ** 2).sum() / (ids.size - 1))
    between = max(0.0, (mean_square_between - within) / n0)
    total = between + within
    out.update(between=between, within=within, share_between=between / total if total > 0 else np.nan)
    return out
