"""Dose-response: an outcome against a lever's strength, from a sweep that varies the lever.

Every design point of the sweep is its own ensemble (its replicas differ only in the seed); the
outcome is computed per run as in a comparison (borderland.analysis.compare), then summarised per
point: median, the middle 50 % and 90 % of runs, and the mean with a bootstrap interval. Points that
differ in other varied parameters are kept apart (one curve per combination of the others).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..io import AnalysisInputError
from ..profiles import Outcome, humanise, profile_of
from . import stats
from .compare import outcome_values, outcomes_for
from .ensemble import Ensemble, gather_one_sweep


def find_outcome(ens: Ensemble, name: str) -> Outcome:
    """An outcome of the model's profile (by key or label), else a summary metric, else a series (summed)."""
    for outcome in outcomes_for(ens):
        if name in (outcome.key, outcome.label, outcome.summary_metric):
            return outcome
    series, _, column = name.partition(":")
    if ens.has_series(series):
        return Outcome(name, humanise(name.replace(":", " ")).lower(), ens.series(series)[1].units or "1",
                       series=series, column=column or None)
    if ens.summary(name) is not None:
        return Outcome(name, humanise(name).lower(), "", summary_metric=name)
    known = ", ".join(o.key for o in outcomes_for(ens))
    raise AnalysisInputError(f"{ens.sources[0]}: no outcome, series or summary metric '{name}' (outcomes: {known})")


def dose_response(sweep: Ensemble, points: list[Ensemble], lever: str, outcome: Outcome, since=None,
                  level: float = 0.9, n_boot: int = stats.DEFAULT_BOOT, seed: int = stats.DEFAULT_SEED) -> pd.DataFrame:
    """One row per design point: lever value, the other varied values, runs, median, bands, mean [CI]."""
    if not points or points[0].point is None or lever not in points[0].point:
        varied = ", ".join(points[0].point) if points and points[0].point else "none"
        raise AnalysisInputError(f"{sweep.sources[0]}: the sweep does not vary '{lever}' (varied: {varied})")
    rows = []
    for ens in points:
        values = outcome_values(ens, outcome, since)
        mean = float(values.mean())
        low, high = stats.bootstrap_ci(values, level, n_boot, seed)
        q = np.quantile(values, [0.05, 0.25, 0.5, 0.75, 0.95])
        others = {k: v for k, v in ens.point.items() if k != lever}
        rows.append({"lever": lever, "strength": ens.point[lever], **others, "runs": values.size,
                     "outcome": outcome.label, "units": outcome.units, "median": q[2], "p25": q[1], "p75": q[3],
                     "p05": q[0], "p95": q[4], "mean": mean, "mean_low": low, "mean_high": high, "ci_level": level})
    table = pd.DataFrame(rows)
    other_columns = [c for c in points[0].point if c != lever]
    return table.sort_values(other_columns + ["strength"], kind="stable").reset_index(drop=True)


def run(path: str, lever: str, outcome_name: str, since=None, level: float = 0.9, n_boot: int = stats.DEFAULT_BOOT):
    sweep, points = gather_one_sweep(path)
    outcome = find_outcome(points[0], outcome_name)
    return dose_response(sweep, points, lever, outcome, since, level, n_boot), outcome, profile_of([sweep])
