"""One self-contained HTML report of everything in a folder of result files.

Sweep files (and run files, grouped by their `scenario` attr) become scenario
ensembles. Scenarios named historical* are judged against the calibration
targets; the others are projections compared with the one named `baseline`;
saltelli sweeps get Sobol indices. Figures are PNGs embedded as base64, so the
one file can be mailed or archived on its own.
"""
from __future__ import annotations

import base64
import datetime as dt
import glob
import html
import os
import tempfile

import numpy as np
import pandas as pd

from .. import io
from ..ttp import calibration
from . import compare, figures, sobol
from .ensemble import Ensemble, gather
from ..io import AnalysisInputError

TIME_SERIES = ["attacks", "killed:police", "killed:civilians", "tension", "fighters_pakistan",
               "fighters_sanctuary"]
SENSITIVITY_OUTPUTS = ["total_attacks", "police_killed", "civilians_killed", "mean_tension", "final_fighters"]

CALIBRATION_RULES = (
    "A target passes when the ensemble median lies in its band (T1-T5), when the median replica's ceasefire "
    "months are below both neighbouring two-month windows (T6), and when the largest event in the ensemble has "
    "at least 50 and none more than 300 deaths (T7). KP includes the former FATA (merged 2018). T3 incidents "
    "are KP attacks on police in 2022; T7 counts victims (police, army, civilians), not militants.")

CSS = """
body { font-family: sans-serif; max-width: 1250px; margin: 2em auto; color: #222; line-height: 1.4; }
h1 { border-bottom: 2px solid #444; } h2 { margin-top: 2em; border-bottom: 1px solid #bbb; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.8em 0; }
th, td { border: 1px solid #ccc; padding: 3px 7px; text-align: right; }
th { background: #eee; } td:first-child, th:first-child { text-align: left; }
img { max-width: 100%; border: 1px solid #ddd; margin: 0.5em 0; }
.note { color: #555; font-size: 0.9em; } .fail { color: #b2182b; font-weight: bold; }
.pass { color: #1a7f37; font-weight: bold; } .swatch { display: inline-block; width: 1em; height: 1em;
  vertical-align: middle; margin-right: 0.4em; border: 1px solid #888; }
"""


def _png(path: str) -> str:
    with open(path, "rb") as fh:
        data = base64.b64encode(fh.read()).decode("ascii")
    return f'<img alt="{html.escape(os.path.basename(path))}" src="data:image/png;base64,{data}">'


def _table(df: pd.DataFrame, floatfmt="{:.4g}") -> str:
    shown = df.copy()
    for col in shown.columns:
        if shown[col].dtype.kind == "f":
            shown[col] = shown[col].map(lambda v: "" if pd.isna(v) else floatfmt.format(v))
    out = shown.to_html(index=False, escape=True, border=0)
    return out.replace("<td>FAIL</td>", '<td class="fail">FAIL</td>').replace("<td>pass</td>",
                                                                                '<td class="pass">pass</td>')


def _seeds_text(seeds: np.ndarray) -> str:
    seeds = np.sort(np.asarray(seeds))
    if seeds.size > 6 and np.all(np.diff(seeds) == 1):
        return f"{seeds[0]}..{seeds[-1]}"
    text = ", ".join(str(s) for s in seeds[:12])
    return text + (f", ... ({seeds.size} in all)" if seeds.size > 12 else "")


def provenance_table(ensembles: list[Ensemble], colours) -> str:
    rows = []
    for ens in ensembles:
        p = ens.provenance[0]
        versions = sorted({q.get("borderland_version", "?") for q in ens.provenance})
        commits = sorted({q.get("git_commit", "?") for q in ens.provenance})
        rows.append(
            f"<tr><td><span class='swatch' style='background:{colours[ens.scenario]}'></span>"
            f"{html.escape(ens.scenario)}</td><td>{html.escape(ens.kind)}</td>"
            f"<td>{html.escape(', '.join(os.path.basename(s) for s in ens.sources[:3]))}"
            f"{' ...' if len(ens.sources) > 3 else ''}</td><td>{html.escape(p.get('model', '?'))}</td>"
            f"<td>{ens.replicas}</td><td>{html.escape(_seeds_text(ens.seeds))}</td>"
            f"<td>{ens.dates[0]} .. {ens.dates[-1]}</td><td>{html.escape(', '.join(versions))}</td>"
            f"<td>{html.escape(', '.join(commits))}</td></tr>")
    head = ("<tr><th>scenario</th><th>source</th><th>files</th><th>model</th><th>replicas</th><th>seeds</th>"
            "<th>period</th><th>borderland version</th><th>git commit</th></tr>")
    return f"<table>{head}{''.join(rows)}</table>"


def summary_matrix(table: pd.DataFrame) -> str:
    """Policies x outcomes: % change of the mean vs the baseline [CI] and P(better); green where the whole
    interval is an improvement, red where it is a deterioration."""
    outcomes = list(dict.fromkeys(table["outcome"]))
    level = int(round(table["ci_level"].iloc[0] * 100)) if len(table) else 90
    head = "<tr><th>policy</th>" + "".join(f"<th>{html.escape(o)}</th>" for o in outcomes) + "</tr>"
    rows = []
    for scenario, group in table.groupby("scenario", sort=False):
        cells = []
        for outcome in outcomes:
            r = group[group["outcome"] == outcome].iloc[0]
            style = ("background:#d8f0dc" if r["pct_high"] < 0 else "background:#f8d7d5" if r["pct_low"] > 0
                     else "")
            cells.append(f"<td style='{style}'>{r['pct_change']:+.0f} % [{r['pct_low']:+.0f}, {r['pct_high']:+.0f}]"
                         f"<br>P(better) {r['p_better']:.2f}</td>")
        rows.append(f"<tr><td>{html.escape(str(scenario))}</td>{''.join(cells)}</tr>")
    return (f"<p class='note'>Change of each outcome's mean against the baseline, with its {level} % interval, "
            "and P(better). Green: better across the whole interval; red: worse across it.</p>"
            f"<table>{head}{''.join(rows)}</table>")


def report_series(ensembles: list[Ensemble], most: int = 6) -> list[str]:
    """The TTP series the report shows; for another model (no TTP series), its own first series."""
    chosen = [s for s in TIME_SERIES if any(e.has_series(s.partition(":")[0]) for e in ensembles)]
    if chosen:
        return chosen
    names = list(dict.fromkeys(n for e in ensembles for n in e.series_names()))
    return names[:most]


def _find_files(directory: str) -> list[str]:
    return sorted(set(glob.glob(os.path.join(directory, "**", "*.h5"), recursive=True)))


def build(directory: str, out_path: str, since=None, n_boot: int = 2000) -> dict:
    """Write the report; return what went into it (for the CLI's message and tests)."""
    if not os.path.isdir(directory):
        raise AnalysisInputError(f"{directory}: not a directory")
    files = _find_files(directory)
    if not files:
        raise AnalysisInputError(f"{directory}: holds no .h5 result files")
    skipped, usable, saltelli = [], [], []
    for path in files:
        try:
            with io.open_h5(path) as f:
                fmt = io.check_format(f, (io.RUN_FORMAT, io.SWEEP_FORMAT))
                design = io.attr_text(f["design"], "design") if fmt == io.SWEEP_FORMAT and "design" in f else ""
            (saltelli if design == "saltelli" else usable).append(path)
        except AnalysisInputError as exc:
            skipped.append(str(exc))
    ensembles = gather(usable) if usable else []
    if not ensembles and not saltelli:
        raise AnalysisInputError(f"{directory}: no readable borderland file:\n  " + "\n  ".join(skipped))
    names = figures.sort_scenarios([e.scenario for e in ensembles])
    ensembles.sort(key=lambda e: names.index(e.scenario))
    colours = figures.scenario_colours(names)
    historical = [e for e in ensembles if e.scenario.startswith("historical")]
    projections = [e for e in ensembles if not e.scenario.startswith("historical")]
    baseline = next((e for e in projections if e.scenario == "baseline"), None)

    parts, summary = [], {"scenarios": names, "skipped": skipped}
    tmp = tempfile.mkdtemp(prefix="borderland-report-")
    created = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts.append(f"<h1>borderland report</h1><p class='note'>Folder <code>{html.escape(os.path.abspath(directory))}"
                 f"</code>, written {created}. Every figure shows scenario ensembles: the line is the median "
                 "over replicas, shading the central 50 % of replicas. Colours stay the same for a scenario "
                 "throughout.</p>")
    parts.append("<h2>Scenarios and provenance</h2>" + provenance_table(ensembles, colours))

    # Comparison first: it is the question the report answers.
    if baseline is not None and len(projections) > 1:
        others = [e for e in projections if e is not baseline]
        table = compare.compare(baseline, others, since=since, n_boot=n_boot)
        fig = os.path.join(tmp, "compare.png")
        figures.figure_compare(table, fig)
        shown = table[["scenario", "outcome", "units", "baseline_mean", "scenario_mean", "difference", "diff_low",
                       "diff_high", "pct_change", "p_better"]].rename(columns={
                           "diff_low": "CI low (90 %)", "diff_high": "CI high (90 %)", "pct_change": "change [%]",
                           "p_better": "P(better)"})
        period = f" from {since}" if since else " over each run"
        paired = "paired by seed" if table["paired"].all() else "unpaired"
        parts.append(f"<h2>What each policy changes (vs <em>baseline</em>)</h2><p class='note'>Outcomes{period}; "
                     f"difference of ensemble means with percentile bootstrap 90 % intervals ({n_boot} resamples, "
                     f"{paired}); P(better) is the probability that the policy's outcome is lower than the "
                     f"baseline's in a replica. Lower is better for every outcome.</p>"
                     + _png(fig) + summary_matrix(table) + "<p class='note'>Every number:</p>" + _table(shown))
        summary["compare"] = table
    elif projections:
        parts.append("<h2>Comparison</h2><p class='note'>No scenario named <code>baseline</code> (or nothing "
                     "to compare with it): comparison skipped.</p>")

    if projections and baseline is not None and len(projections) > 1:
        others = [e for e in projections if e is not baseline]
        figs = []
        for k, spec in enumerate(s for s in report_series(projections) if baseline.has_series(s.partition(":")[0])):
            fig = os.path.join(tmp, f"projection_{k}.png")
            figures.figure_policy_grid(baseline, others, spec, fig, since=since)
            figs.append(_png(fig))
        start = f"; the dashed line marks the projection start ({since})" if since else ""
        parts.append("<h2>Projections over time</h2><p class='note'>One panel per policy, drawn over the "
                     "baseline (grey): median over replicas and the central 50 % band. Daily counts (attacks, "
                     f"deaths) are sums over trailing 30-day windows; levels (fighters, tension) as they are{start}."
                     "</p>" + "".join(figs))
    elif projections:
        fig = os.path.join(tmp, "projections.png")
        figures.figure_panels(projections, report_series(projections), fig, suptitle="Time series by scenario")
        parts.append("<h2>Time series by scenario</h2><p class='note'>Daily counts are shown as sums over "
                     "trailing 30-day windows; levels as they are.</p>" + _png(fig))
    for ens in historical:
        fig = os.path.join(tmp, f"series_{ens.scenario}.png")
        figures.figure_panels([ens], report_series([ens]), fig, suptitle=f"{ens.scenario}: time series", timeline=True)
        per_run = calibration.per_run_targets(ens)
        judged = calibration.judge(per_run, ens.scenario)
        cal_fig = os.path.join(tmp, f"calibration_{ens.scenario}.png")
        figures.figure_calibration({ens.scenario: per_run}, calibration.TARGETS, cal_fig)
        passed = int((judged["result"] == "pass").sum())
        source_note = ("" if ens.kind == "runs" else " T3 and T7 need the events table of run files; from a "
                       "sweep file they come from the summary metrics <code>t3</code>/<code>t7</code> if present.")
        parts.append(f"<h2>Calibration: {html.escape(ens.scenario)}</h2><p>{passed} of {len(judged)} target "
                     f"quantities met by the ensemble ({ens.replicas} replicas).</p><p class='note'>"
                     f"{html.escape(CALIBRATION_RULES)}{source_note}</p>" + _png(cal_fig)
                     + _table(judged.drop(columns=["scenario"])) + _png(fig))
        summary.setdefault("calibration", []).append(judged)

    for path in saltelli:
        try:
            with io.open_h5(path) as f:
                metrics = sorted(f["runs/summary"].keys()) if "runs/summary" in f else []
            chosen = [m for m in SENSITIVITY_OUTPUTS if m in metrics] or metrics[:3]
            section = [f"<h2>Sensitivity: {html.escape(os.path.basename(path))}</h2>"]
            for metric in chosen:
                result, units, notes = sobol.analyse_sweep(path, metric, n_boot=500)
                fig = os.path.join(tmp, f"sobol_{len(parts)}_{metric}.png")
                figures.figure_sobol(result, metric, units, fig)
                section.append(f"<h3>{html.escape(metric)}</h3><p class='note'>{html.escape(notes)}; 90 % "
                               "bootstrap intervals.</p>" + _png(fig) + _table(result.table()))
            parts.append("".join(section))
            summary.setdefault("sensitivity", []).append(path)
        except AnalysisInputError as exc:
            skipped.append(str(exc))

    if skipped:
        items = "".join(f"<li><code>{html.escape(s)}</code></li>" for s in skipped)
        parts.append(f"<h2>Files not used</h2><ul>{items}</ul>")
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>borderland report</title>"
            f"<style>{CSS}</style></head><body>{''.join(parts)}</body></html>")
    with open(out_path, "w", encoding="utf-8") as fh:
        fh.write(page)
    for name in os.listdir(tmp):
        os.remove(os.path.join(tmp, name))
    os.rmdir(tmp)
    return summary
