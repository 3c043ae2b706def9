"""The mathematics of ABC-SMC, without a simulator (Toni et al. 2009; Beaumont et al. 2009).

Particles live in a *working space* z where every prior is uniform on a box
[low, high]: a parameter with a uniform prior is its own z, one with a
log-uniform prior has z = log(theta). In that space the prior density is a
constant inside the box and 0 outside, so the importance weight of a particle
of round t is

    w_i  ∝  1 / sum_j w_j^(t-1) K(z_i | z_j^(t-1)),

with K the perturbation kernel: independent per parameter, each a Gaussian
centred on the parent with a variance `scale` times the weighted variance of
the previous population (scale 2: Beaumont et al. 2009), kept inside that
parameter's side of the box in one of two ways:

- **reflected** (the default): a move past a side is folded back at it. The
  density is the sum of the Gaussian's mirror images and integrates to 1 on
  the box whatever the parent, and a uniform population perturbed this way
  stays uniform: a parameter the data leave free adds no spread to the
  weights. Measured on 40 parameters, 39 of them free, population 300: the
  effective sample size stays at ~50-60 % of the population a round.
- **truncated**: the Gaussian cut to the box, drawn by inverse CDF and
  renormalised; the normaliser depends on the parent (mass lost past the
  sides), so parents near a side weigh differently, and over 40 parameters
  those factors multiply: the same problem keeps 7-30 % of the population.

Either way every proposal lies inside the prior's support without a redraw:
a joint Gaussian redrawn until the whole vector is inside accepts a share that
falls geometrically with the number of parameters (about 0.6 per parameter
after a prior round, so nothing in a lifetime at 40 parameters). Tolerances
come from a weighted quantile of the previous population's distances (the
adaptive schedule of Del Moral et al. 2012 and Drovandi & Pettitt 2011, in its
simplest form). Every random draw comes from a numpy Generator the caller
seeds, so the same seed gives the same particles.
"""
from __future__ import annotations

import warnings

import numpy as np
from scipy.spatial.distance import cdist
from scipy.special import logsumexp, ndtr, ndtri

KERNELS = ("reflected", "truncated")
DEFAULT_KERNEL = "reflected"
# Beaumont et al. (2009): the kernel's variance is twice the previous population's.
DEFAULT_KERNEL_SCALE = 2.0
# Floor of a kernel's standard deviation, relative to the box's width: a population
# whose particles all share one value of a parameter still moves it (a little).
MIN_SD_SHARE = 1e-6
# Mirror images of the parent on each side summed in the reflected density: a kernel's sd is
# at most the box's width (kernel_sd), so the images left out lie 7 widths or more away, under
# 1e-10 of the density.
REFLECTIONS = 3
# Rows of the [new, previous] kernel matrix computed at once: bounds the memory of the
# weights (rows x previous population x parameters x 8 bytes for the reflected kernel).
WEIGHT_ROWS = 32


def sample_prior(rng: np.random.Generator, n: int, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """n particles uniform on the box (working space)."""
    return low + (high - low) * rng.random((n, len(low)))


def weighted_covariance(z: np.ndarray, w: np.ndarray) -> np.ndarray:
    w = np.asarray(w, float) / np.sum(w)
    mean = w @ z
    centred = z - mean
    return (centred * w[:, None]).T @ centred


def weighted_variance(z: np.ndarray, w: np.ndarray) -> np.ndarray:
    w = np.asarray(w, float) / np.sum(w)
    mean = w @ z
    return w @ (z - mean) ** 2


def kernel_sd(z: np.ndarray, w: np.ndarray, low: np.ndarray, high: np.ndarray,
              scale: float = DEFAULT_KERNEL_SCALE) -> np.ndarray:
    """Each parameter's kernel standard deviation: sqrt(scale x weighted variance), floored, and at
    most the box's width (a wider Gaussian, folded or cut to the box, is close to uniform anyway)."""
    sd = np.sqrt(scale * weighted_variance(z, w))
    return np.clip(sd, MIN_SD_SHARE * (high - low), high - low)


def _bounds(mu: np.ndarray, sd: np.ndarray, low: np.ndarray, high: np.ndarray):
    """The box's sides in standard units of the kernels centred on mu (rows)."""
    return (low - mu) / sd, (high - mu) / sd


def _log_mass(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """log(Phi(b) - Phi(a)), for a <= b, computed on the side away from the tail it sits in."""
    upper = a > 0          # both in the upper tail: 1 - Phi(x) = Phi(-x) keeps its digits
    lo = np.where(upper, ndtr(-b), ndtr(a))
    hi = np.where(upper, ndtr(-a), ndtr(b))
    return np.log(np.maximum(hi - lo, np.finfo(float).tiny))


def _fold(x: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """x reflected at the box's sides until it lies inside (a billiard on each axis)."""
    width = high - low
    y = np.mod(x - low, 2 * width)
    return low + np.where(y > width, 2 * width - y, y)


def propose(rng: np.random.Generator, z_prev: np.ndarray, w_prev: np.ndarray, sd: np.ndarray, n: int,
            low: np.ndarray, high: np.ndarray, kernel: str = DEFAULT_KERNEL) -> tuple[np.ndarray, np.ndarray]:
    """n proposals inside the box: a parent drawn by weight, each coordinate moved by a Gaussian of
    standard deviation sd, reflected at the box's sides or truncated to them (never redrawn).

    Returns the proposals and each one's parent index.
    """
    p = np.asarray(w_prev, float) / np.sum(w_prev)
    parents = rng.choice(len(p), size=n, p=p)
    mu = z_prev[parents]
    u = rng.random(mu.shape)
    if kernel == "reflected":
        return _fold(mu + sd * ndtri(np.clip(u, 1e-300, 1 - 1e-16)), low, high), parents
    a, b = _bounds(mu, sd, low, high)
    # a parent in the lower half of the box has most of its kernel's mass above it: draw the
    # mirror image there, so that ndtri works near 0 (full precision), never within 1e-16 of 1
    flip = (a + b) > 0
    fa, fb = np.where(flip, -b, a), np.where(flip, -a, b)
    pa, pb = ndtr(fa), ndtr(fb)
    x = ndtri(pa + u * (pb - pa))
    x = np.clip(x, fa, fb)
    z = mu + sd * np.where(flip, -x, x)
    return np.clip(z, low, high), parents


def _log_reflected(z_new: np.ndarray, z_prev: np.ndarray, sd: np.ndarray, low: np.ndarray,
                   high: np.ndarray) -> np.ndarray:
    """log K for the reflected kernel: per parameter the sum over the parent's mirror images
    (z_j + 2mW and 2 low - z_j + 2mW), then the sum of logs over parameters."""
    width = high - low
    images = [z_prev + 2 * m * width for m in range(-REFLECTIONS, REFLECTIONS + 1)] + \
             [2 * low - z_prev + 2 * m * width for m in range(-REFLECTIONS, REFLECTIONS + 1)]
    terms = np.stack([-0.5 * ((z_new[:, None, :] - img[None, :, :]) / sd) ** 2 for img in images])
    per_parameter = logsumexp(terms, axis=0) - np.log(sd) - 0.5 * np.log(2 * np.pi)
    return per_parameter.sum(axis=2)


def log_kernel_matrix(z_new: np.ndarray, z_prev: np.ndarray, sd: np.ndarray, low: np.ndarray,
                      high: np.ndarray, kernel: str = DEFAULT_KERNEL) -> np.ndarray:
    """log K(z_new_i | z_prev_j), as an [n_new, n_prev] matrix; K integrates to 1 over the box."""
    if kernel == "reflected":
        return _log_reflected(z_new, z_prev, sd, low, high)
    d = z_new.shape[1]
    a, b = _bounds(z_prev, sd, low, high)
    log_norm = np.sum(_log_mass(a, b), axis=1)                      # [n_prev]: the kernel's mass in the box
    const = -0.5 * d * np.log(2 * np.pi) - np.sum(np.log(sd))
    squared = cdist(z_new / sd, z_prev / sd, "sqeuclidean")
    return -0.5 * squared + const - log_norm[None, :]


def importance_weights(z_new: np.ndarray, z_prev: np.ndarray, w_prev: np.ndarray, sd: np.ndarray,
                       low: np.ndarray, high: np.ndarray, kernel: str = DEFAULT_KERNEL) -> np.ndarray:
    """Normalised weights prior / sum_j w_j K(z_i | z_j); the prior is constant inside the box."""
    log_w_prev = np.log(np.asarray(w_prev, float) / np.sum(w_prev))
    log_mix = np.empty(len(z_new))
    for start in range(0, len(z_new), WEIGHT_ROWS):
        rows = slice(start, start + WEIGHT_ROWS)
        log_mix[rows] = logsumexp(log_kernel_matrix(z_new[rows], z_prev, sd, low, high, kernel)
                                  + log_w_prev[None, :], axis=1)
    log_w = -log_mix
    w = np.exp(log_w - log_w.max())
    return w / w.sum()


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The q-quantile of a weighted sample (the smallest value whose cumulative weight reaches q)."""
    order = np.argsort(values, kind="stable")
    v, w = np.asarray(values, float)[order], np.asarray(weights, float)[order]
    cumulative = np.cumsum(w) / np.sum(w)
    return float(v[min(np.searchsorted(cumulative, q), len(v) - 1)])


def effective_sample_size(w: np.ndarray) -> float:
    w = np.asarray(w, float) / np.sum(w)
    return float(1.0 / np.sum(w ** 2))


def systematic_resample(rng: np.random.Generator, w: np.ndarray, m: int) -> np.ndarray:
    """m indices drawn with probability w, systematic scheme (low variance; Kitagawa 1996)."""
    cumulative = np.cumsum(np.asarray(w, float) / np.sum(w))
    cumulative[-1] = 1.0
    points = (rng.random() + np.arange(m)) / m
    return np.searchsorted(cumulative, points)


def distance(simulated: np.ndarray, observed: np.ndarray, scale: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Weighted Euclidean distance of scaled residuals, one value per simulated row.

    d = sqrt( sum_s weight_s ((x_s - y_s) / scale_s)^2 / sum_s weight_s ). A row with a
    missing statistic (a failed run, NaN) is infinitely far.
    """
    residual = (np.asarray(simulated, float) - observed[None, :]) / scale[None, :]
    d = np.sqrt(np.sum(weight[None, :] * residual ** 2, axis=1) / np.sum(weight))
    return np.where(np.isfinite(d), d, np.inf)


def mad_scale(simulated: np.ndarray) -> np.ndarray:
    """Median absolute deviation of each statistic over simulations (Prangle 2017's scale).

    A statistic that does not vary gets scale 1 (it cannot tell particles apart anyway).
    """
    x = np.asarray(simulated, float)
    with warnings.catch_warnings():            # a pending statistic's column is NaN throughout
        warnings.simplefilter("ignore", RuntimeWarning)
        med = np.nanmedian(x, axis=0)
        mad = np.nanmedian(np.abs(x - med[None, :]), axis=0) * 1.4826   # consistent for a normal
    return np.where(np.isfinite(mad) & (mad > 0), mad, 1.0)
