"""What a posterior says and how far to trust it: tables and figures for the report.

- `predictive_table`: every statistic (every tracker row, every target): the
  observed figure against the posterior predictive median and 90 % band of
  the final population's simulations (weighted), inside or not; pending ones
  with their reason.
- `constraint_table`: each parameter's prior and posterior (median, 90 %
  interval) and how much the data narrowed it: the posterior's standard
  deviation over the prior's in the working space (1: the data leave it free).
- `correlation_table`: the weighted correlations of the parameters (working
  space), strongest pairs first: trade-offs the data cannot break.
- Figures: `figure_predictive` (bands against the observed figures, one panel
  per kind of period: years, half-years, months, other windows, targets),
  `figure_marginals` (prior against posterior for every parameter),
  `figure_correlations` (a heat map), `figure_schedule` (tolerance and
  acceptance by round).
"""
from __future__ import annotations

import math
import os

import numpy as np
import pandas as pd

from .abc_smc import weighted_covariance, weighted_quantile
from .posterior import Posterior

LEVEL = 0.9                      # the credible / predictive interval shown everywhere
CONSTRAINED = 0.5                # posterior sd below this share of the prior's: "constrained"
WEAKLY_CONSTRAINED = 0.8         # below this: "weakly constrained"; above: "free"
STRONG_CORRELATION = 0.5         # pairs listed in the correlation table
DEGENERATE_ESS_SHARE = 0.1      # an ESS below this share of the population is flagged
MIN_RATIO_SHOWN = 1e-2           # ratios below this are drawn at it (log axis)
PERIOD_ORDER = ("year", "half-year", "month", "window")


def working_space(post: Posterior, theta: np.ndarray) -> np.ndarray:
    z = np.array(theta, float)
    for i, prior in enumerate(post.prior):
        if prior == "log":
            z[:, i] = np.log(z[:, i])
    return z


def prior_box(post: Posterior) -> tuple[np.ndarray, np.ndarray]:
    log = np.array([p == "log" for p in post.prior])
    return np.where(log, np.log(post.low), post.low), np.where(log, np.log(post.high), post.high)


def _quantiles(values: np.ndarray, weights: np.ndarray) -> tuple[float, float, float]:
    ok = np.isfinite(values)
    if not ok.any():
        return (math.nan,) * 3
    tail = (1 - LEVEL) / 2
    return tuple(weighted_quantile(values[ok], weights[ok], q) for q in (tail, 0.5, 1 - tail))


def constraint_table(post: Posterior) -> pd.DataFrame:
    z = working_space(post, post.theta)
    low, high = prior_box(post)
    prior_sd = (high - low) / math.sqrt(12.0)             # a uniform on the box
    post_sd = np.sqrt(np.diag(np.atleast_2d(weighted_covariance(z, post.weight))))
    rows = []
    for i, key in enumerate(post.keys):
        lo, med, hi = _quantiles(post.theta[:, i], post.weight)
        ratio = post_sd[i] / prior_sd[i]
        verdict = "constrained" if ratio < CONSTRAINED else "weakly constrained" if ratio < WEAKLY_CONSTRAINED \
            else "free"
        rows.append({"parameter": key, "kind": post.kinds[i], "prior": f"{post.prior[i]} [{post.low[i]:.4g}, "
                     f"{post.high[i]:.4g}]", "median": med, "p05": lo, "p95": hi, "sd_ratio": ratio,
                     "data": verdict})
    return pd.DataFrame(rows).sort_values("sd_ratio", kind="stable").reset_index(drop=True)


def predictive_table(post: Posterior, stats: np.ndarray | None = None,
                     weights: np.ndarray | None = None) -> pd.DataFrame:
    """Observed against predicted, from the final population (default) or fresh runs of the draws."""
    s = post.statistics
    stats = post.stats if stats is None else stats
    weights = post.weight if weights is None else weights
    rows = []
    for j, name in enumerate(s["name"]):
        lo, med, hi = _quantiles(stats[:, j], weights)
        observed = float(s["observed"][j])
        status = s["status"][j]
        band = (s["band_low"][j], s["band_high"][j]) if s["kind"][j] == "band" else None
        inside = (lo <= observed <= hi) if status == "used" and np.isfinite(lo) else None
        rows.append({"statistic": name, "source": s["source"][j], "period": s["period"][j],
                     "region": s["region"][j], "kind": s["kind"][j],
                     "observed": observed if band is None else f"band {band[0]:g} .. {band[1]:g}",
                     "median": med, "p05": lo, "p95": hi, "inside_90": inside, "weight": float(s["weight"][j]),
                     "status": status, "series": s["series"][j], "reference": s["reference"][j]})
    return pd.DataFrame(rows)


NATIONAL = ("", "Pakistan")     # regions that are the whole country
BY_REGION = ", by province"     # the suffix of a period's provincial statistics


def predictive_groups(table: pd.DataFrame) -> list[str]:
    """Each statistic's panel: its period (year, half-year, month, window), national or by province,
    or the targets (T1-T7) and the band statistics."""
    groups = []
    for _, r in table.iterrows():
        if r["kind"] == "band":
            groups.append("bands")
        elif not r["region"] and r["period"] == "window" and not str(r["statistic"]).startswith(("picss", "pips")):
            groups.append("targets")
        else:
            groups.append((r["period"] or "window") + ("" if r["region"] in NATIONAL else BY_REGION))
    return groups


def coverage_table(table: pd.DataFrame) -> pd.DataFrame:
    """Per panel (period, national or by province): statistics fitted and how many observed figures lie
    inside the 90 % posterior predictive band."""
    used = table[table["status"] == "used"].copy()
    used["panel"] = predictive_groups(used)
    rows = [{"figures": panel, "fitted": len(part), "inside_90": int(part["inside_90"].astype(bool).sum())}
            for panel, part in used.groupby("panel", sort=False)]
    return pd.DataFrame(rows, columns=["figures", "fitted", "inside_90"])


def correlation_table(post: Posterior) -> tuple[pd.DataFrame, np.ndarray]:
    z = working_space(post, post.theta)
    cov = np.atleast_2d(weighted_covariance(z, post.weight))
    sd = np.sqrt(np.diag(cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / np.outer(sd, sd)
    pairs = []
    d = len(post.keys)
    for a in range(d):
        for b in range(a + 1, d):
            if np.isfinite(corr[a, b]) and abs(corr[a, b]) >= STRONG_CORRELATION:
                pairs.append({"a": post.keys[a], "b": post.keys[b], "correlation": corr[a, b]})
    table = pd.DataFrame(pairs, columns=["a", "b", "correlation"])
    if len(table):
        table = table.reindex(table["correlation"].abs().sort_values(ascending=False, kind="stable").index)
    return table.reset_index(drop=True), corr


# ---------------------------------------------------------------------- figures
def _plt():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def figure_predictive(post: Posterior, path: str, table: pd.DataFrame | None = None) -> None:
    """Each used statistic: the 90 % predictive band and median over the observed figure (ratio scale)."""
    plt = _plt()
    table = predictive_table(post) if table is None else table
    used = table[table["status"] == "used"].copy()
    used["group"] = predictive_groups(used)
    order = [p + suffix for p in PERIOD_ORDER for suffix in ("", BY_REGION)] + ["targets", "bands"]
    groups = [g for g in order if (used["group"] == g).any()]
    heights = [max(1.5, 0.28 * (used["group"] == g).sum() + 0.8) for g in groups]
    fig, axes = plt.subplots(len(groups), 1, figsize=(9, sum(heights)), squeeze=False,
                             gridspec_kw={"height_ratios": heights})
    for ax, group in zip(axes[:, 0], groups):
        part = used[used["group"] == group]
        band = group == "bands"
        for k, (_, r) in enumerate(part.iterrows()):
            # a band statistic is the distance outside its band (0 inside); the others over the observed figure
            scale = 1.0 if band or float(r["observed"]) == 0 else float(r["observed"])
            lo, med, hi = (max(v / scale, 0 if band else MIN_RATIO_SHOWN) for v in (r["p05"], r["median"], r["p95"]))
            ax.plot([lo, hi], [k, k], color="tab:blue", lw=4, alpha=0.5)
            ax.plot(med, k, "|", color="tab:blue", ms=10)
        ax.axvline(0.0 if band else 1.0, color="black", lw=0.8)
        if not band:
            ax.set_xscale("log")
        ax.set_yticks(np.arange(len(part)))
        ax.set_yticklabels([s.replace("_", " ") for s in part["statistic"]], fontsize=6)
        ax.set_title(f"{group}: {LEVEL:.0%} posterior predictive band and median "
                     + ("(distance outside the target's band; 0 = inside)" if band
                        else "/ observed (1 = the observed figure)"), fontsize=8)
        ax.invert_yaxis()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def figure_marginals(post: Posterior, path: str) -> None:
    plt = _plt()
    d = len(post.keys)
    cols = min(4, d)
    rows = math.ceil(d / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.2 * rows), squeeze=False)
    low, high = prior_box(post)
    z = working_space(post, post.theta)
    for i in range(rows * cols):
        ax = axes[i // cols, i % cols]
        if i >= d:
            ax.axis("off")
            continue
        bins = np.linspace(low[i], high[i], 21)
        ax.hist(z[:, i], bins=bins, weights=post.weight, density=True, color="tab:blue", alpha=0.7,
                label="posterior")
        ax.hlines(1.0 / (high[i] - low[i]), low[i], high[i], color="black", lw=1, label="prior")
        ax.set_title(post.keys[i].replace("parameters.", ""), fontsize=7)
        ax.set_xlabel(f"log({post.keys[i].split('.')[-1]})" if post.prior[i] == "log" else "", fontsize=6)
        ax.tick_params(labelsize=6)
    axes[0, 0].legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def figure_correlations(post: Posterior, path: str) -> None:
    plt = _plt()
    _, corr = correlation_table(post)
    d = len(post.keys)
    fig, ax = plt.subplots(figsize=(max(4, 0.25 * d + 2), max(3.5, 0.25 * d + 1.5)))
    im = ax.imshow(np.nan_to_num(corr), vmin=-1, vmax=1, cmap="RdBu_r")
    names = [k.replace("parameters.", "") for k in post.keys]
    ax.set_xticks(range(d))
    ax.set_xticklabels(names, rotation=90, fontsize=5)
    ax.set_yticks(range(d))
    ax.set_yticklabels(names, fontsize=5)
    fig.colorbar(im, ax=ax, label="posterior correlation (working space)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def figure_schedule(post: Posterior, path: str) -> None:
    plt = _plt()
    eps, acc = post.schedule["epsilon"], post.schedule["acceptance"]
    fig, ax = plt.subplots(figsize=(5, 3))
    rounds = np.arange(len(eps))
    ax.plot(rounds[1:], eps[1:], "o-", label="tolerance")
    ax.set_xlabel("round")
    ax.set_ylabel("tolerance (distance)")
    ax2 = ax.twinx()
    ax2.plot(rounds, acc, "s--", color="tab:orange", label="acceptance")
    ax2.set_ylabel("acceptance rate")
    fig.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_all(post: Posterior, folder: str) -> list[str]:
    """Every table (CSV) and figure (PNG) into folder, plus summary.md listing them."""
    os.makedirs(folder, exist_ok=True)
    written = []

    def out(name):
        written.append(os.path.join(folder, name))
        return written[-1]

    predictive = predictive_table(post)
    constraint = constraint_table(post)
    pairs, _ = correlation_table(post)
    predictive.to_csv(out("predictive.csv"), index=False)
    constraint.to_csv(out("parameters.csv"), index=False)
    pairs.to_csv(out("correlations.csv"), index=False)
    figure_predictive(post, out("predictive.png"))
    figure_marginals(post, out("marginals.png"))
    figure_correlations(post, out("correlations.png"))
    figure_schedule(post, out("schedule.png"))
    used = predictive[predictive["status"] == "used"]
    inside = used["inside_90"].astype(bool)
    with open(out("summary.md"), "w", encoding="utf-8") as f:
        f.write(f"# Calibration diagnostics: {os.path.basename(post.path)}\n\n")
        f.write(f"{post.attrs.get('method', '')}. {len(post.schedule['epsilon'])} rounds, "
                f"{int(np.sum(post.schedule['simulations']))} simulations; stopped: {post.attrs.get('stop_reason')}.\n\n")
        ess, n = float(post.schedule["ess"][-1]), len(post.weight)
        f.write(f"- effective sample size of the final population: {ess:.1f} of {n}"
                + (" (degenerate: too few effective particles to judge the constraints below)"
                   if ess < DEGENERATE_ESS_SHARE * n else "") + "\n")
        f.write(f"- statistics fitted: {len(used)}; observed figure inside the {LEVEL:.0%} posterior predictive "
                f"band: {int(inside.sum())} of {len(used)}\n")
        f.write(f"- statistics pending (not fitted): {len(predictive) - len(used)}\n")
        for verdict in ("constrained", "weakly constrained", "free"):
            names = constraint[constraint["data"] == verdict]["parameter"].tolist()
            f.write(f"- parameters {verdict} by the data: {len(names)}" + (f" ({', '.join(names)})" if names else "")
                    + "\n")
        f.write(f"- strongly correlated pairs (|r| >= {STRONG_CORRELATION}): {len(pairs)}\n")
    return written
