"""ABC-SMC's mathematics on problems with known answers, without the simulator."""
import math
import os

import numpy as np
import pytest

import calibration_helpers  # noqa: F401  (puts the package on the path)
from borderland.calibration import abc_smc, observation
from borderland.calibration.calibrate import Calibration
from borderland.calibration.config import CalibrationFile, Method, Prior
from borderland.calibration.errors import CalibrationInputError
from borderland.calibration.posterior import Posterior


def test_kernel_is_twice_the_weighted_variance_per_parameter():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(400, 2)) @ np.array([[1.0, 0.0], [0.6, 0.5]])
    w = rng.random(400)
    low, high = np.array([-10.0, -10.0]), np.array([10.0, 10.0])
    sd = abc_smc.kernel_sd(z, w, low, high)
    mean = (w / w.sum()) @ z
    expected = 2 * ((z - mean) ** 2 * (w / w.sum())[:, None]).sum(axis=0)
    assert np.allclose(sd ** 2, expected, atol=1e-9)
    assert np.allclose(abc_smc.kernel_sd(z, w, low, high, scale=1.0) ** 2, expected / 2)
    # a parameter on which every particle agrees still gets a (tiny) kernel
    flat = np.column_stack([z[:, 0], np.full(400, 3.0)])
    assert 0 < abc_smc.kernel_sd(flat, w, low, high)[1] < 1e-4


def test_importance_weights_undo_the_proposal():
    # Previous population: two particles, weights 0.9 / 0.1. A proposal that sits on the
    # first particle with a narrow kernel has mixture density ~0.9 K(0): weight ∝ 1/0.9;
    # one on the second ∝ 1/0.1. Normalised: 0.1 and 0.9.
    prev = np.array([[0.0], [10.0]])
    sd = np.array([0.1])
    low, high = np.array([-20.0]), np.array([20.0])
    for kernel in abc_smc.KERNELS:
        w = abc_smc.importance_weights(np.array([[0.0], [10.0]]), prev, np.array([0.9, 0.1]), sd, low, high, kernel)
        assert np.allclose(w, [0.1, 0.9])


def test_truncated_kernel_density_is_normalised_on_the_box():
    # a parent on the box's edge loses half its Gaussian: the density inside is twice the
    # untruncated one, and integrates to 1 over the box
    low, high = np.array([0.0]), np.array([1.0])
    sd = np.array([0.1])
    grid = np.linspace(0, 1, 20001)[:, None]
    for parent in (0.0, 0.03, 0.5):
        density = np.exp(abc_smc.log_kernel_matrix(grid, np.array([[parent]]), sd, low, high, "truncated")[:, 0])
        assert math.isclose(np.trapz(density, grid[:, 0]), 1.0, rel_tol=1e-4), parent
    edge = np.exp(abc_smc.log_kernel_matrix(np.array([[0.05]]), np.array([[0.0]]), sd, low, high, "truncated")[0, 0])
    assert math.isclose(edge, 2 * math.exp(-0.125) / (0.1 * math.sqrt(2 * math.pi)), rel_tol=1e-9)


def test_reflected_kernel_density_is_normalised_and_keeps_a_uniform_population_uniform():
    low, high = np.array([0.0]), np.array([1.0])
    grid = np.linspace(0, 1, 20001)[:, None]
    for sd in (0.1, 0.5, 1.0):
        for parent in (0.0, 0.03, 0.5, 1.0):
            k = np.exp(abc_smc.log_kernel_matrix(grid, np.array([[parent]]), np.array([sd]), low, high)[:, 0])
            assert math.isclose(np.trapz(k, grid[:, 0]), 1.0, rel_tol=1e-4), (sd, parent)
    # a parent on the edge: its Gaussian and its mirror image coincide, twice the density
    edge = np.exp(abc_smc.log_kernel_matrix(np.array([[0.05]]), np.array([[0.0]]), np.array([0.1]), low, high)[0, 0])
    assert math.isclose(edge, 2 * math.exp(-0.125) / (0.1 * math.sqrt(2 * math.pi)), rel_tol=1e-6)
    # the mixture over an evenly spread population is flat: a free parameter adds nothing to the weights
    parents = (np.arange(200)[:, None] + 0.5) / 200
    mix = np.exp(abc_smc.log_kernel_matrix(grid[::100], parents, np.array([0.3]), low, high)).mean(axis=1)
    assert np.allclose(mix, 1.0, rtol=1e-3)
    # proposals fold back in: N(0.01, 0.2) folded at 0 and 1 has mean E|N(0.01, 0.2)| (the upper side barely matters)
    rng = np.random.default_rng(3)
    z, _ = abc_smc.propose(rng, np.array([[0.01]]), np.array([1.0]), np.array([0.2]), 40000, low, high)
    assert np.all((z >= 0) & (z <= 1))
    folded_mean = 0.2 * math.sqrt(2 / math.pi) * math.exp(-0.5 * (0.01 / 0.2) ** 2) + 0.01 * (1 - 2 * 0.5 * math.erfc(
        0.01 / 0.2 / math.sqrt(2)))
    assert abs(z.mean() - folded_mean) < 0.003


def test_proposals_stay_in_the_prior_box_and_follow_the_truncated_kernel():
    rng = np.random.default_rng(2)
    prev = np.array([[0.01, 0.5], [0.99, 0.5]])
    low, high = np.zeros(2), np.ones(2)
    sd = np.array([0.2, 0.2])
    z, parents = abc_smc.propose(rng, prev, np.array([0.5, 0.5]), sd, 20000, low, high, "truncated")
    assert z.shape == (20000, 2) and np.all((z >= low) & (z <= high))
    assert set(parents.tolist()) == {0, 1}
    # the mean of N(0.01, 0.2) truncated to [0, 1] is 0.01 + 0.2 (phi(a) - phi(b)) / (Phi(b) - Phi(a))
    from scipy.stats import truncnorm
    near = z[parents == 0, 0]
    expected = truncnorm.mean((0 - 0.01) / 0.2, (1 - 0.01) / 0.2, loc=0.01, scale=0.2)
    assert abs(near.mean() - expected) < 0.005
    assert abs(np.std(near) - truncnorm.std((0 - 0.01) / 0.2, (1 - 0.01) / 0.2, loc=0.01, scale=0.2)) < 0.005


@pytest.mark.parametrize("kernel", abc_smc.KERNELS)
def test_proposals_in_forty_dimensions_never_stall(kernel):
    # After a round of prior draws, a joint Gaussian with twice the population's covariance lands
    # inside a 40-dimensional box about 0.6^40 of the time; the per-parameter kernel always does.
    rng = np.random.default_rng(7)
    d, n = 40, 300
    low, high = np.zeros(d), np.ones(d)
    prev = abc_smc.sample_prior(rng, n, low, high)
    w = np.full(n, 1 / n)
    sd = abc_smc.kernel_sd(prev, w, low, high)
    z, _ = abc_smc.propose(rng, prev, w, sd, 2000, low, high, kernel)
    assert np.all((z >= low) & (z <= high))
    weights = abc_smc.importance_weights(z, prev, w, sd, low, high, kernel)
    assert np.isclose(weights.sum(), 1.0) and np.all(weights > 0)
    # every coordinate spreads like the truncated kernel, not stuck at the parents
    assert np.all(np.std(z - prev[_], axis=0) > 0.15)


def test_weighted_quantile_and_resampling():
    values = np.array([1.0, 2.0, 3.0, 4.0])
    assert abc_smc.weighted_quantile(values, np.ones(4), 0.5) == 2.0
    assert abc_smc.weighted_quantile(values, np.array([0.1, 0.1, 0.1, 0.7]), 0.5) == 4.0
    picks = abc_smc.systematic_resample(np.random.default_rng(3), np.array([0.5, 0.25, 0.25]), 1000)
    assert np.bincount(picks, minlength=3).tolist() == [500, 250, 250]
    assert math.isclose(abc_smc.effective_sample_size(np.ones(10)), 10)


def test_distance_scales_weights_and_failed_runs():
    sims = np.array([[1.0, 10.0], [0.0, np.nan]])
    d = abc_smc.distance(sims, np.array([0.0, 0.0]), np.array([1.0, 10.0]), np.array([1.0, 3.0]))
    assert math.isclose(d[0], math.sqrt((1 + 3) / 4)) and d[1] == math.inf


class GaussianMean(Calibration):
    """y_1..y_n ~ N(mu, 1); the statistic is the sample mean of a simulated data set.

    With a flat prior on a wide box the posterior of mu is N(ybar, 1/n); ABC with a
    tolerance near 0 approaches it.
    """
    N_DATA = 25

    def run_batch(self, round_no, batch, z):
        rng = np.random.default_rng([self.cal.seed, round_no, batch, 99])
        means = rng.normal(z[:, 0:1], 1.0, size=(len(z), self.N_DATA)).mean(axis=1)
        return means[:, None]


def toy_calibration(tmp_path, seed=5, rounds=7, population=400):
    stat = observation.Statistic(name="mean", observed=1.3, scale=1.0, source=None)
    prior = Prior("mu", -5.0, 5.0, "uniform", False, "model", 0.0, "1")
    cal = CalibrationFile(path=str(tmp_path / "toy.yaml"), text="toy", description="", model="toy", base="",
                          set={}, seed=seed, method=Method(population, rounds, None, 0.5, 0.001, 100000, 500),
                          threads=1, launcher=[], extra_args=[], priors=[prior], statistics=[stat])
    return GaussianMean(cal, str(tmp_path / f"toy_{seed}.h5"), binary="none", log=open("/dev/null", "w"))


def test_gaussian_mean_posterior(tmp_path):
    toy = toy_calibration(tmp_path)
    toy.run(resume=False)
    post = Posterior(toy.output)
    mean = np.average(post.theta[:, 0], weights=post.weight)
    sd = math.sqrt(np.average((post.theta[:, 0] - mean) ** 2, weights=post.weight))
    exact_sd = 1 / math.sqrt(GaussianMean.N_DATA)          # 0.2
    assert abs(mean - 1.3) < 0.05
    # ABC's posterior is the exact one widened by the last tolerance: between the exact sd and
    # the exact sd plus the tolerance
    eps = post.schedule["epsilon"][-1]
    assert exact_sd * 0.85 < sd < exact_sd + eps
    assert np.all(np.diff(post.schedule["epsilon"][1:]) < 0)      # the schedule decreases
    assert np.isclose(post.weight.sum(), 1.0)
    assert post.draws.shape == (500, 1)
    assert abs(post.draws[:, 0].mean() - mean) < 0.03            # the equal-weight draws follow the weights
    assert "kernel reflected at the ends of the prior's range" in post.attrs["method"]
    assert "variance 2 x" in post.attrs["method"]


@pytest.mark.parametrize("kernel,min_ess", [("reflected", 0.4), ("truncated", 0.05)])
def test_one_identifiable_parameter_among_forty(tmp_path, kernel, min_ess):
    """The Gaussian-mean problem with 39 parameters the data say nothing about (half log-uniform).

    A joint Gaussian kernel redrawn until all 40 coordinates lie in the prior box never gets a
    proposal through at round 1; the per-parameter kernels must run every round, find mu, and leave
    the 39 others where the prior had them. The reflected kernel keeps far more of the population
    effective (the truncated one's normalisers differ from parent to parent, over 39 parameters)."""
    toy = toy_calibration(tmp_path, rounds=6, population=300)
    toy.cal.method.kernel = kernel
    nuisance = [Prior(f"free{j}", 0.1 if j % 2 else 0.0, 10.0 if j % 2 else 1.0, "log" if j % 2 else "uniform",
                      False, "model", 1.0, "1") for j in range(39)]
    toy.priors = toy.cal.priors = toy.cal.priors + nuisance
    toy.low = np.array([p.z_low for p in toy.priors])
    toy.high = np.array([p.z_high for p in toy.priors])
    toy.run(resume=False)
    post = Posterior(toy.output)
    assert len(post.schedule["epsilon"]) == 6 and np.all(np.diff(post.schedule["epsilon"][1:]) < 0)
    assert np.all(post.schedule["ess"][1:] > min_ess * 300), post.schedule["ess"]
    theta, w = post.theta, post.weight
    lo, hi = np.quantile(post.draws[:, 0], [0.05, 0.95])
    assert lo < 1.3 < hi and hi - lo < 0.1 * 0.9 * 10        # mu: within a tenth of the prior's 90 % width
    z = post.rounds[-1]["z"]
    prior_sd = (toy.high - toy.low) / math.sqrt(12)
    ratio = np.sqrt(abc_smc.weighted_variance(z, w)) / prior_sd
    assert ratio[0] < 0.1 and np.all((ratio[1:] > 0.7) & (ratio[1:] < 1.3)), ratio
    assert np.all((theta >= [p.low for p in toy.priors]) & (theta <= [p.high for p in toy.priors]))


def test_same_seed_same_posterior_other_seed_other(tmp_path):
    a, b, c = (toy_calibration(tmp_path / name, seed=s, rounds=3, population=100)
               for name, s in (("a", 5), ("b", 5), ("c", 6)))
    for t in (a, b, c):
        (tmp_path / t.output).parent.mkdir(parents=True, exist_ok=True)
        t.run(resume=False)
    pa, pb, pc = (Posterior(t.output) for t in (a, b, c))
    assert np.array_equal(pa.theta, pb.theta) and np.array_equal(pa.weight, pb.weight)
    assert not np.array_equal(pa.theta, pc.theta)


def test_thinning_is_binomial_with_the_sources_rate():
    data = observation.RunData(dates=np.arange("2020-01-01", "2020-01-11", dtype="datetime64[D]"),
                               series={"attacks": (np.full((4000, 10), 10), [])})
    stat = observation.Statistic(name="a", observed=0, source="S",
                                 component=observation.Component(("attacks",), (None,), None, None))
    observation.resolve([stat], {"attacks": []}, set())
    x = observation.evaluate([stat], data, {"S": np.full(4000, 0.3)}, np.random.default_rng(4))[:, 0]
    assert abs(x.mean() - 30) < 0.5 and abs(x.var() - 100 * 0.3 * 0.7) < 2.5
    # a window the runs do not cover is NaN, not 0
    late = observation.Statistic(name="b", observed=0, component=observation.Component(
        ("attacks",), (None,), np.datetime64("2020-01-05").astype(object), np.datetime64("2020-02-01").astype(object)))
    observation.resolve([late], {"attacks": []}, set())
    assert np.isnan(observation.evaluate([late], data, {}, np.random.default_rng(0))).all()


def test_missing_series_make_a_statistic_pending():
    stat = observation.Statistic(name="x", observed=1, component=observation.Component(
        ("attack_killed", "killed"), (("police",), ("police",)), None, None))
    observation.resolve([stat], {"killed": ["police", "army"]}, set())
    assert stat.pending == "" and stat.used_series == "killed"
    observation.resolve([stat], {"injured": ["police"]}, set())
    assert "needs series 'attack_killed' or 'killed'" in stat.pending
    observation.resolve([stat], {"killed": ["army"]}, set())
    assert "no column 'police'" in stat.pending


@pytest.mark.parametrize("integer", [True, False])
def test_theta_rounds_integers_and_undoes_logs(tmp_path, integer):
    toy = toy_calibration(tmp_path)
    toy.priors = [Prior("k", 1.0, 100.0, "log", integer, "model", 10.0, "1")]
    theta = toy.theta(np.log(np.array([[12.4]])))
    assert theta[0, 0] == (12.0 if integer else pytest.approx(12.4))


def test_stops_at_the_final_tolerance(tmp_path):
    toy = toy_calibration(tmp_path, rounds=20, population=100)
    toy.cal.method.final_tolerance = 0.3
    toy.run(resume=False)
    post = Posterior(toy.output)
    eps = post.schedule["epsilon"]
    assert eps[-1] <= 0.3 < eps[-2] and len(eps) < 20
    assert "reached final_tolerance 0.3" in post.attrs["stop_reason"]


class Killed(RuntimeError):
    pass


def test_finish_now_writes_the_rounds_so_far_and_resume_goes_on(tmp_path):
    """`calibrate --finish`: a deadline's posterior from the last whole round; the state stays, so the
    calibration resumed afterwards ends where an uninterrupted one does."""
    whole = toy_calibration(tmp_path / "whole", rounds=5, population=100)
    (tmp_path / "whole").mkdir()
    whole.run(resume=False)
    (tmp_path / "cut").mkdir()
    cut = toy_calibration(tmp_path / "cut", rounds=5, population=100)
    original = cut.next_round

    def dies_in_round_3(t):
        if t == 3:
            raise Killed()
        return original(t)
    cut.next_round = dies_in_round_3
    with pytest.raises(Killed):
        cut.run(resume=False)
    early = toy_calibration(tmp_path / "cut", rounds=5, population=100)
    early.finish_now()
    post = Posterior(early.output)
    assert len(post.schedule["epsilon"]) == 3 and "finished early (--finish) after 3 of at most 5" in \
        post.attrs["stop_reason"]
    assert np.isclose(post.weight.sum(), 1.0) and post.draws.shape == (500, 1)
    assert os.path.exists(early.partial)
    resumed = toy_calibration(tmp_path / "cut", rounds=5, population=100)
    resumed.run(resume=True)
    a, b = Posterior(whole.output), Posterior(resumed.output)
    assert np.array_equal(a.theta, b.theta) and np.array_equal(a.weight, b.weight)
    assert not os.path.exists(resumed.partial)
    with pytest.raises(CalibrationInputError, match="no unfinished calibration"):
        toy_calibration(tmp_path / "cut", rounds=5, population=100).finish_now()
