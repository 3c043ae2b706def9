"""Statistics: bootstrap coverage at the nominal rate, P(better), quantile bands."""
import numpy as np

import synth  # noqa: F401  (puts the checkout on sys.path)
from borderland.analysis import stats


def test_percentile_bootstrap_covers_true_mean_at_nominal_rate():
    # 200 synthetic samples from N(3, 2^2); the 90 % interval should contain 3 about 90 % of
    # the time. Binomial sd at n=200 is ~2.1 %, so 0.84..0.96 is a ~3-sigma window.
    rng = np.random.default_rng(12345)
    trials, hits = 200, 0
    for trial in range(trials):
        sample = rng.normal(3.0, 2.0, size=60)
        low, high = stats.bootstrap_ci(sample, level=0.9, n_boot=1000, seed=trial)
        hits += low <= 3.0 <= high
    coverage = hits / trials
    assert 0.84 <= coverage <= 0.96, coverage


def test_bootstrap_difference_covers_true_difference():
    rng = np.random.default_rng(7)
    hits = 0
    for trial in range(200):
        base = rng.normal(10.0, 3.0, size=40)
        scen = rng.normal(8.5, 3.0, size=40)
        diff, low, high = stats.bootstrap_difference(base, scen, level=0.9, n_boot=800, seed=trial)
        hits += low <= -1.5 <= high
    assert 0.84 <= hits / 200 <= 0.96


def test_bootstrap_is_reproducible_with_a_seed():
    sample = np.arange(20.0)
    assert stats.bootstrap_ci(sample, seed=5) == stats.bootstrap_ci(sample, seed=5)
    assert stats.bootstrap_ci(sample, seed=5) != stats.bootstrap_ci(sample, seed=6)


def test_paired_difference_is_tighter_under_common_noise():
    rng = np.random.default_rng(3)
    shared = rng.normal(0, 10, size=30)  # seed-driven noise both scenarios share
    base, scen = 100 + shared, 98 + shared + rng.normal(0, 0.5, 30)
    _, lo_p, hi_p = stats.bootstrap_difference(base, scen, paired=True)
    _, lo_u, hi_u = stats.bootstrap_difference(base, scen, paired=False)
    assert hi_p < 0 and (hi_p - lo_p) < (hi_u - lo_u) / 5


def test_prob_lower():
    assert stats.prob_lower([5, 6, 7], [1, 2, 3]) == 1.0
    assert stats.prob_lower([1, 2, 3], [5, 6, 7]) == 0.0
    assert stats.prob_lower([1, 2], [1, 2]) == 0.5  # ties count half, symmetric
    assert stats.prob_lower([3, 3, 3, 3], [1, 5, 2, 2], paired=True) == 0.75
    rng = np.random.default_rng(0)
    a, b = rng.normal(0, 1, 4000), rng.normal(0, 1, 4000)
    assert abs(stats.prob_lower(a, b) - 0.5) < 0.02


def test_prob_lower_matches_normal_theory():
    # X ~ N(0,1), Y ~ N(1,1): P(X < Y) = Phi(1/sqrt 2) = 0.760
    rng = np.random.default_rng(1)
    scen, base = rng.normal(0, 1, 3000), rng.normal(1, 1, 3000)
    assert abs(stats.prob_lower(base, scen) - 0.760) < 0.02


def test_quantile_bands_order_and_nan_columns():
    values = np.vstack([np.arange(101.0)] * 3).T  # [101 replicas, 3 days], replica r has value r
    values[:, 0] = np.nan
    median, bands = stats.quantile_bands(values, (0.5, 0.9))
    assert np.isnan(median[0]) and median[1] == 50
    assert bands[0.5][0][1] == 25 and bands[0.5][1][1] == 75
    assert np.isclose(bands[0.9][0][1], 5) and np.isclose(bands[0.9][1][1], 95)


def test_seeds_pair():
    assert stats.seeds_pair([1, 2, 3], [1, 2, 3])
    assert not stats.seeds_pair([1, 2, 3], [1, 2, 4])
    assert not stats.seeds_pair([1, 2], [1, 2, 3])
