"""Posterior predictive check from fresh runs: draws x seeds through one sweep.

The diagnostics' default bands come from the final population's own
simulations (what ABC accepted). This check runs the first `draws`
equal-weight draws again, each with `replicas` new seeds, computes every
statistic with the draws' reporting rates, and gives the same tables and
figures, plus the monthly attack counts as each tracker would have counted them
(bands) against the tracker's own monthly and yearly figures.
"""
from __future__ import annotations

import os

import numpy as np
import pandas as pd

from . import diagnostics, observation, simulate
from .config import CalibrationFile
from .errors import CalibrationInputError
from .posterior import Posterior

# The monthly figure shows each source's national count of all attacks (series named attacks...).
MONTHLY_SERIES = "attacks"
PPC_STREAM = 7        # the generator purpose of the check's thinning and seeds


def check_matches(post: Posterior, cal: CalibrationFile) -> None:
    keys = [p.key for p in cal.priors]
    if keys != post.keys:
        raise CalibrationInputError(f"{post.path}: error: its parameters are not those of {cal.path} "
                                    f"({len(post.keys)} vs {len(keys)}, or in another order)")


def simulate_draws(post: Posterior, cal: CalibrationFile, draws: int, replicas: int, folder: str,
                   binary: str) -> tuple[np.ndarray, observation.RunData, np.ndarray]:
    """[draws * replicas, S] statistics of fresh runs, the runs' data and each run's draw index."""
    check_matches(post, cal)
    if not 1 <= draws <= len(post.draws):
        raise CalibrationInputError(f"--draws {draws}: expected 1..{len(post.draws)}")
    model = [i for i, k in enumerate(post.kinds) if k == "model"]
    theta = post.draws[:draws]
    seed = int(np.random.SeedSequence([cal.seed, PPC_STREAM]).generate_state(1)[0])
    sets = simulate.run_sets(cal.set, cal.statistics, binary, cal.base)
    sweep = simulate.write_batch(folder, "predictive", cal.base, sets, [post.keys[i] for i in model],
                                 [bool(post.integer[i]) for i in model], theta[:, model], seed,
                                 f"posterior predictive check of {post.path}", replicas=replicas)
    path = simulate.run_sweep(binary, sweep, cal.threads, cal.launcher, cal.extra_args)
    series, summary = simulate.available(path)
    observation.resolve(cal.statistics, series, summary)
    needed = set().union(*(s.series_needed() for s in cal.statistics))
    data = simulate.read_batch(path, needed, {s.summary for s in cal.statistics if s.summary})
    draw_of_run = np.arange(draws * replicas) % draws          # run r is point r % P (docs/experiments.md)
    index = {k: i for i, k in enumerate(post.keys)}
    rates = {s.name: theta[draw_of_run, index[s.rate_parameter]] for s in cal.sources}
    stats = observation.evaluate(cal.statistics, data, rates, np.random.default_rng([cal.seed, PPC_STREAM]))
    return stats, data, draw_of_run


def national_attack_figures(cal: CalibrationFile, source: str) -> list[observation.Statistic]:
    """A source's national counts of all attacks (not of one tactic): the monthly figure's data."""
    return [st for st in cal.statistics
            if st.source == source and st.region == "Pakistan" and st.kind == "value" and not st.pending
            and st.component is not None and st.component.series[0].startswith(MONTHLY_SERIES)
            and (st.component.labels[0] is None or len(st.component.labels[0]) > 1)]


def monthly_counts(data: observation.RunData, component: observation.Component) -> tuple[pd.PeriodIndex, np.ndarray]:
    """[R, months] sums of a statistic's series and columns, month by month."""
    values, labels = data.series[component.series[0]]
    if values.ndim == 3:
        chosen = component.labels[0]
        cols = [labels.index(l) for l in chosen] if chosen else list(range(values.shape[2]))
        values = values[:, :, cols].sum(axis=2)
    months = pd.PeriodIndex(pd.to_datetime(data.dates), freq="M")
    unique = months.unique()
    out = np.stack([values[:, months == m].sum(axis=1) for m in unique], axis=1)
    return unique, out.astype(float)


def figure_monthly(post: Posterior, cal: CalibrationFile, data: observation.RunData, draw_of_run: np.ndarray,
                   path: str) -> None:
    """Monthly attacks as each source would count them (its rate x the model's count of what it includes):
    50 % and 90 % bands, with the source's monthly figures (dots) and its longer periods per month (lines)."""
    plt = diagnostics._plt()
    index = {k: i for i, k in enumerate(post.keys)}
    panels = [(s, national_attack_figures(cal, s.name)) for s in cal.sources]
    panels = [(s, figs) for s, figs in panels if figs]
    fig, axes = plt.subplots(max(1, len(panels)), 1, figsize=(9, 2.8 * max(1, len(panels))), squeeze=False)
    for ax, (source, figures) in zip(axes[:, 0], panels):
        months, counts = monthly_counts(data, figures[0].component)
        rate = post.draws[draw_of_run, index[source.rate_parameter]]
        q = np.quantile(counts * rate[:, None], [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
        x = months.to_timestamp()
        ax.fill_between(x, q[0], q[4], color="tab:blue", alpha=0.2, label="90 %")
        ax.fill_between(x, q[1], q[3], color="tab:blue", alpha=0.35, label="50 %")
        ax.plot(x, q[2], color="tab:blue", lw=1)
        for st in figures:
            start, end = pd.Timestamp(st.component.start), pd.Timestamp(st.component.end)
            n_months = (end.year - start.year) * 12 + end.month - start.month + 1
            if n_months == 1:
                ax.plot(start, st.observed, "o", color="black", ms=4)
            else:
                ax.hlines(st.observed / n_months, start, end, color="black", lw=1.5)
        ax.set_title(f"attacks a month as {source.name} would count them (posterior predictive); "
                     f"black: {source.name}'s figures, per month", fontsize=8)
        ax.set_ylabel("attacks / month")
        ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_check(post: Posterior, cal: CalibrationFile, draws: int, replicas: int, folder: str,
                binary: str) -> list[str]:
    os.makedirs(folder, exist_ok=True)
    stats, data, draw_of_run = simulate_draws(post, cal, draws, replicas, os.path.join(folder, "runs"), binary)
    weights = np.ones(len(stats))
    table = diagnostics.predictive_table(post, stats, weights)
    written = [os.path.join(folder, n) for n in ("predictive_draws.csv", "predictive_draws.png", "monthly.png")]
    table.to_csv(written[0], index=False)
    diagnostics.figure_predictive(post, written[1], table)
    figure_monthly(post, cal, data, draw_of_run, written[2])
    return written
