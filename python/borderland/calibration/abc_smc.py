"""The mathematics of ABC-SMC, without a simulator (Toni et al. 2009; Beaumont et al. 2009).

Particles live in a *working space* z where every prior is uniform on a box
[low, high]: a parameter with a uniform prior is its own z, one with a
log-uniform prior has z = log(theta). In that space the prior density is a
constant inside the box and 0 outside, so the importance weight of a particle
of round t is

    w_i  ∝  1 / sum_j w_j^(t-1) K(z_i | z_j^(t-1)),

with K the Gaussian perturbation kernel whose covariance is twice the weighted
covariance of the previous population (Beaumont et al. 2009). Tolerances come
from a weighted quantile of the previous population's distances (the adaptive
schedule of Del Moral et al. 2012 and Drovandi & Pettitt 2011, in its simplest
form). Every random draw comes from a numpy Generator the caller seeds, so the
same seed gives the same particles.
"""
from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

# Proposals outside the prior box are redrawn (their prior density is 0); after this
# many rounds of redraws the kernel is hopeless for the box and the caller is told.
MAX_REDRAW_ROUNDS = 1000
# Jitter added to the diagonal of a kernel covariance that is singular (for example a
# population whose particles all share one value of a parameter), relative to the
# box's width squared: small against any posterior spread worth reporting.
SINGULAR_JITTER = 1e-12


def sample_prior(rng: np.random.Generator, n: int, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """n particles uniform on the box (working space)."""
    return low + (high - low) * rng.random((n, len(low)))


def weighted_covariance(z: np.ndarray, w: np.ndarray) -> np.ndarray:
    w = np.asarray(w, float) / np.sum(w)
    mean = w @ z
    centred = z - mean
    return (centred * w[:, None]).T @ centred


def kernel_covariance(z: np.ndarray, w: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Twice the weighted covariance (Beaumont et al. 2009), regularised if singular."""
    cov = 2.0 * np.atleast_2d(weighted_covariance(z, w))
    cov += np.diag(SINGULAR_JITTER * (high - low) ** 2)
    return cov


def propose(rng: np.random.Generator, z_prev: np.ndarray, w_prev: np.ndarray, cov: np.ndarray, n: int,
            low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """n proposals inside the box: a parent drawn by weight, moved by N(0, cov).

    Returns the proposals and each one's parent index. A proposal outside the box
    is redrawn (parent and move) until it falls inside: the kernel truncated to
    the prior's support.
    """
    d = z_prev.shape[1]
    chol = np.linalg.cholesky(cov)
    p = np.asarray(w_prev, float) / np.sum(w_prev)
    parents = rng.choice(len(p), size=n, p=p)
    z = z_prev[parents] + rng.standard_normal((n, d)) @ chol.T
    for _ in range(MAX_REDRAW_ROUNDS):
        outside = np.any((z < low) | (z > high), axis=1)
        if not outside.any():
            return z, parents
        k = int(outside.sum())
        parents[outside] = rng.choice(len(p), size=k, p=p)
        z[outside] = z_prev[parents[outside]] + rng.standard_normal((k, d)) @ chol.T
    raise RuntimeError("ABC-SMC: the perturbation kernel keeps proposing outside the prior box")


def log_kernel_matrix(z_new: np.ndarray, z_prev: np.ndarray, cov: np.ndarray) -> np.ndarray:
    """log K(z_new_i | z_prev_j) for the Gaussian kernel, as an [n_new, n_prev] matrix."""
    d = z_new.shape[1]
    chol = np.linalg.cholesky(cov)
    diff = z_new[:, None, :] - z_prev[None, :, :]                  # [n, m, d]
    solved = np.linalg.solve(chol, diff.reshape(-1, d).T).T.reshape(diff.shape)
    log_det = 2.0 * np.sum(np.log(np.diag(chol)))
    return -0.5 * (np.sum(solved ** 2, axis=2) + d * np.log(2 * np.pi) + log_det)


def importance_weights(z_new: np.ndarray, z_prev: np.ndarray, w_prev: np.ndarray, cov: np.ndarray) -> np.ndarray:
    """Normalised weights prior / sum_j w_j K(z_i | z_j); the prior is constant inside the box."""
    log_w_prev = np.log(np.asarray(w_prev, float) / np.sum(w_prev))
    log_mix = logsumexp(log_kernel_matrix(z_new, z_prev, cov) + log_w_prev[None, :], axis=1)
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
    med = np.nanmedian(x, axis=0)
    mad = np.nanmedian(np.abs(x - med[None, :]), axis=0) * 1.4826   # consistent for a normal
    return np.where(np.isfinite(mad) & (mad > 0), mad, 1.0)
