"""First- and total-order Sobol indices from a Saltelli design, with bootstrap CIs.

Design (Saltelli 2010): two independent N x d sample matrices A and B, and for
each parameter i the matrix AB_i = A with column i taken from B. The model is
evaluated on all (d + 2) N rows. With fA, fB, fABi the outputs and V the
variance of the pooled fA and fB:

  first order  S_i  = mean(fB * (fABi - fA)) / V          (Saltelli et al. 2010, eq. b)
  total order  ST_i = mean((fA - fABi)^2) / (2 V)         (Jansen 1999)

Confidence intervals: percentile bootstrap over the N base rows (row j of A,
B and every AB_i is resampled together, since they share sample j).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .stats import DEFAULT_SEED


@dataclass
class SobolResult:
    parameters: list[str]
    first: np.ndarray          # [d]
    total: np.ndarray          # [d]
    first_ci: np.ndarray       # [d, 2]
    total_ci: np.ndarray       # [d, 2]
    base_samples: int
    level: float

    def table(self):
        import pandas as pd
        return pd.DataFrame({
            "parameter": self.parameters,
            "S1": self.first, "S1_low": self.first_ci[:, 0], "S1_high": self.first_ci[:, 1],
            "ST": self.total, "ST_low": self.total_ci[:, 0], "ST_high": self.total_ci[:, 1],
        })


def split_blocks(outputs: np.ndarray, base_samples: int, n_params: int):
    """Outputs in row order A, B, AB_1..AB_d -> (fA [N], fB [N], fAB [d, N])."""
    outputs = np.asarray(outputs, dtype=float)
    n = base_samples
    if outputs.shape[0] != (n_params + 2) * n:
        raise ValueError(f"a Saltelli design with N={n} and d={n_params} has {(n_params + 2) * n} rows, "
                         f"got {outputs.shape[0]}")
    f_a = outputs[:n]
    f_b = outputs[n:2 * n]
    f_ab = outputs[2 * n:].reshape(n_params, n)
    return f_a, f_b, f_ab


def indices(f_a: np.ndarray, f_b: np.ndarray, f_ab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Point estimates (S1 [d], ST [d]) from the block outputs."""
    variance = np.var(np.concatenate([f_a, f_b]), ddof=1)
    if not np.isfinite(variance) or variance <= 0:
        nan = np.full(f_ab.shape[0], np.nan)
        return nan, nan.copy()
    first = np.mean(f_b[None, :] * (f_ab - f_a[None, :]), axis=1) / variance
    total = 0.5 * np.mean((f_a[None, :] - f_ab) ** 2, axis=1) / variance
    return first, total


def analyse(outputs, base_samples: int, parameters: list[str], level: float = 0.9,
            n_boot: int = 1000, seed: int = DEFAULT_SEED) -> SobolResult:
    f_a, f_b, f_ab = split_blocks(outputs, base_samples, len(parameters))
    first, total = indices(f_a, f_b, f_ab)
    rng = np.random.default_rng(seed)
    boot_first = np.empty((n_boot, len(parameters)))
    boot_total = np.empty_like(boot_first)
    for b in range(n_boot):
        rows = rng.integers(0, base_samples, size=base_samples)
        boot_first[b], boot_total[b] = indices(f_a[rows], f_b[rows], f_ab[:, rows])
    tail = (1.0 - level) / 2.0
    with warnings.catch_warnings():  # a constant output has no indices: NaN, quietly
        warnings.simplefilter("ignore", RuntimeWarning)
        first_ci = np.nanquantile(boot_first, [tail, 1 - tail], axis=0).T
        total_ci = np.nanquantile(boot_total, [tail, 1 - tail], axis=0).T
    return SobolResult(list(parameters), first, total, first_ci, total_ci, base_samples, level)


def from_sweep_design(design, outputs: np.ndarray, parameters: list[str], base_samples: int):
    """Arrange a sweep's rows (several replicates, maybe failed runs) into one A,B,AB_i output vector.

    Per replicate the rows come in blocks A, B, AB_1..AB_d (docs/hdf5_layout.md).
    Replicates that repeat the same parameter points are averaged, so the indices
    describe the expected outcome and seed noise does not count as a parameter's
    effect; replicates with their own points are stacked as extra base samples.
    A base sample j whose A, B or any AB_i run failed (NaN) is dropped from every
    block, which keeps the estimator's pairing intact.
    Returns (outputs in block order, effective N, replicates used).
    """
    d = len(parameters)
    replicate = design["replicate"].to_numpy() if "replicate" in design else np.zeros(len(design), int)
    per_rep_outputs, per_rep_points = [], []
    for r in np.unique(replicate):
        rows = np.flatnonzero(replicate == r)
        if rows.size != (d + 2) * base_samples:
            raise ValueError(f"replicate {r} has {rows.size} rows, a Saltelli design with N={base_samples} "
                             f"and {d} parameters has {(d + 2) * base_samples}")
        per_rep_outputs.append(outputs[rows].reshape(d + 2, base_samples))
        per_rep_points.append(design.iloc[rows][parameters].to_numpy(dtype=float))
    stacked = np.stack(per_rep_outputs)  # [reps, d+2, N]
    same_points = all(np.allclose(p, per_rep_points[0], equal_nan=True) for p in per_rep_points)
    if same_points:
        blocks = np.nanmean(stacked, axis=0) if stacked.shape[0] > 1 else stacked[0]
        if stacked.shape[0] > 1:  # a point only counts if every replicate of it ran
            blocks[np.isnan(stacked).any(axis=0)] = np.nan
    else:
        blocks = np.concatenate(list(stacked), axis=1)  # [d+2, reps*N]
    keep = ~np.isnan(blocks).any(axis=0)
    blocks = blocks[:, keep]
    return blocks.reshape(-1), int(keep.sum()), stacked.shape[0]


def analyse_sweep(path: str, output: str, reduce: str = "sum", level: float = 0.9, n_boot: int = 1000,
                  seed: int = DEFAULT_SEED):
    """Sobol indices of one output of a saltelli sweep file.

    output: a summary metric (/runs/summary/NAME), else a series (/runs/timeseries/NAME,
    or NAME:label for a [T, k] series) reduced per run by `reduce` (sum, mean or final).
    Returns (SobolResult, units, notes).
    """
    from .. import io
    from ..io import AnalysisInputError

    with io.open_h5(path) as f:
        io.check_format(f, (io.SWEEP_FORMAT,))
        design_group = io.require(f, "design")
        kind = io.attr_text(design_group, "design")
        if kind != "saltelli":
            raise AnalysisInputError(f"{path}: attribute '/design/design' is '{kind}', sensitivity needs 'saltelli'")
        if "base_samples" not in design_group.attrs:
            raise AnalysisInputError(f"{path}: attribute '/design/base_samples' is missing")
        base_samples = int(design_group.attrs["base_samples"])
        parameters = [p for p in io.attr_text(design_group, "parameters").split(",") if p]
        design = io.read_table(f, "design")
        missing = [p for p in parameters if p not in design]
        if missing:
            raise AnalysisInputError(f"{path}: dataset '/design/{missing[0]}' is missing")
        status = np.asarray(io.read_array(f, "runs/status"))
        name, _, label = output.partition(":")
        if f"runs/summary/{name}" in f and not label:
            values = np.asarray(io.read_array(f, f"runs/summary/{name}"), dtype=float)
            units = io.attr_text(f[f"runs/summary/{name}"], "units")
        elif f"runs/timeseries/{name}" in f:
            dset = f[f"runs/timeseries/{name}"]
            series = np.asarray(io.read_array(f, f"runs/timeseries/{name}"), dtype=float)
            units = io.attr_text(dset, "units")
            if series.ndim == 3:
                labels = io.labels_of(dset)
                if label not in labels:
                    raise AnalysisInputError(
                        f"{path}: series '/runs/timeseries/{name}' needs a column, e.g. '{name}:{labels[0] if labels else '?'}'")
                series = series[:, :, labels.index(label)]
            values = {"sum": series.sum(axis=1), "mean": series.mean(axis=1), "final": series[:, -1]}[reduce]
        else:
            available = sorted(f["runs/summary"].keys()) if "runs/summary" in f else []
            raise AnalysisInputError(
                f"{path}: dataset '/runs/summary/{name}' is missing (nor is '/runs/timeseries/{name}'); "
                f"summary metrics: {', '.join(available) or 'none'}")
    values = np.where(status == 1, values, np.nan)
    try:
        outputs, effective_n, replicas = from_sweep_design(design, values, parameters, base_samples)
    except ValueError as exc:
        raise AnalysisInputError(f"{path}: table '/design' does not follow the saltelli row order ({exc})") from exc
    if effective_n < 2:
        raise AnalysisInputError(f"{path}: fewer than 2 complete base samples in dataset '/runs/status'")
    notes = (f"N = {effective_n} of {base_samples} base samples complete, {replicas} replicate(s), "
             f"{len(parameters)} parameters")
    return analyse(outputs, effective_n, parameters, level, n_boot, seed), units, notes
