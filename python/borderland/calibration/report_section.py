"""The report's calibration-diagnostics section: what the posterior says and how far to trust it.

`section(path, folder, embed)` reads a posterior file (python3 -m borderland calibrate) and returns
the HTML of one section: the method and its schedule, posterior predictive checks (the final
population's 90 % bands against every observed figure the calibration fitted: yearly, half-yearly,
monthly, national and by province, and the targets), prior against posterior marginals, pairwise
correlations, and which parameters the data constrain and which they leave free. The tables and
figures are those of `diagnostics` (also written by `python3 -m borderland posterior diagnostics`).
"""
from __future__ import annotations

import html
import os

import numpy as np
import pandas as pd

from . import diagnostics
from .posterior import Posterior, PosteriorError

MAX_ROWS_SHOWN = 400   # rows of the full predictive table before it is cut (the CSV has them all)


def _table(df: pd.DataFrame) -> str:
    shown = df.copy()
    for col in shown.columns:
        if shown[col].dtype.kind == "f":
            shown[col] = shown[col].map(lambda v: "" if pd.isna(v) else f"{v:.4g}")
    return shown.to_html(index=False, escape=True, border=0)


def _names(table: pd.DataFrame, verdict: str) -> str:
    names = table[table["data"] == verdict]["parameter"].tolist()
    return ", ".join(html.escape(n.replace("parameters.", "")) for n in names) or "none"


def section(path: str, folder: str, embed) -> tuple[str, list[str]]:
    """(HTML, notes). `embed(png_path)` gives the <img> tag; figures are drawn into `folder`.
    A file that is not a posterior gives no section and a note saying why."""
    try:
        post = Posterior(path)
    except PosteriorError as exc:
        return "", [str(exc)]
    predictive = diagnostics.predictive_table(post)
    constraint = diagnostics.constraint_table(post)
    pairs, _ = diagnostics.correlation_table(post)
    coverage = diagnostics.coverage_table(predictive)
    figs = {name: os.path.join(folder, f"posterior_{name}.png")
            for name in ("predictive", "marginals", "correlations", "schedule")}
    diagnostics.figure_predictive(post, figs["predictive"], predictive)
    diagnostics.figure_marginals(post, figs["marginals"])
    diagnostics.figure_correlations(post, figs["correlations"])
    if len(post.schedule.get("epsilon", [])) > 1:
        diagnostics.figure_schedule(post, figs["schedule"])
    used = predictive[predictive["status"] == "used"]
    inside = int(used["inside_90"].astype(bool).sum())
    ess, n = float(post.schedule["ess"][-1]), len(post.weight)
    degenerate = ess < diagnostics.DEGENERATE_ESS_SHARE * n
    rounds = len(post.schedule["epsilon"])
    sims = int(np.sum(post.schedule["simulations"]))
    level = f"{diagnostics.LEVEL:.0%}"
    parts = [
        f"<h2>Calibration diagnostics: {html.escape(os.path.basename(path))}</h2>",
        f"<p class='note'>{html.escape(str(post.attrs.get('method', '')))}. Model "
        f"{html.escape(str(post.attrs.get('model', '?')))}, {len(post.keys)} parameters "
        f"({sum(k == 'model' for k in post.kinds)} of the model, {sum(k != 'model' for k in post.kinds)} reporting "
        f"rates of the sources); {rounds} rounds, {sims:,} simulations, stopped: "
        f"{html.escape(str(post.attrs.get('stop_reason', '?')))}; final population {n}, effective sample size "
        f"{ess:.1f}{' (degenerate: too few effective particles to judge the constraints below)' if degenerate else ''}"
        f"; {len(post.draws)} equal-weight draws for projections.</p>",
        f"<h3>Posterior predictive checks</h3><p>{inside} of {len(used)} observed figures lie inside the "
        f"{level} posterior predictive band; {len(predictive) - len(used)} figures of the data are not fitted "
        "(pending: the model does not compute them yet, or they lie outside the simulated period).</p>"
        f"<p class='note'>Bands from the final population's own simulations (weighted), each figure as its "
        "source would have counted the model's events (the observation model's reporting rates). One panel per "
        "kind of period (years, half-years, months, other windows), national and by province, then the targets; "
        "1 on the axis is the observed figure.</p>" + _table(coverage) + embed(figs["predictive"]),
    ]
    shown = predictive[["statistic", "source", "period", "region", "observed", "median", "p05", "p95", "inside_90",
                        "status"]]
    cut = f" (the first {MAX_ROWS_SHOWN} of {len(shown)})" if len(shown) > MAX_ROWS_SHOWN else ""
    parts.append(f"<details><summary>Every figure of the data{cut}</summary>"
                 + _table(shown.head(MAX_ROWS_SHOWN)) + "</details>")
    parts.append(
        "<h3>What the data constrain</h3><p>"
        f"Constrained (posterior sd under {diagnostics.CONSTRAINED:.0%} of the prior's): "
        f"{_names(constraint, 'constrained')}.<br>Weakly constrained (under "
        f"{diagnostics.WEAKLY_CONSTRAINED:.0%}): {_names(constraint, 'weakly constrained')}.<br>"
        f"Left free by the data: {_names(constraint, 'free')}.</p><p class='note'>Prior (black line: uniform on "
        "the working scale, log for log-uniform priors) against the posterior (histogram), and per parameter the "
        f"posterior median and {level} interval; sd ratio = posterior over prior standard deviation in the working "
        "space (1: the data leave it where the prior had it).</p>" + embed(figs["marginals"])
        + _table(constraint))
    strong = (f"{len(pairs)} pairs with |r| of {diagnostics.STRONG_CORRELATION} or more: trade-offs the data "
              "cannot break (a projection over the draws carries them along)." if len(pairs)
              else f"No pair with |r| of {diagnostics.STRONG_CORRELATION} or more.")
    parts.append(f"<h3>Pairwise correlations</h3><p>{strong}</p>" + embed(figs["correlations"])
                 + (_table(pairs) if len(pairs) else ""))
    if os.path.exists(figs["schedule"]):
        parts.append("<h3>Schedule</h3><p class='note'>Tolerance and acceptance rate by round.</p>"
                     + embed(figs["schedule"]))
    return "".join(parts), ([f"{path}: degenerate posterior (effective sample size {ess:.1f} of {n})"]
                            if degenerate else [])
