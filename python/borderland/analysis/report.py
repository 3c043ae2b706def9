"""One self-contained HTML report of everything in a folder of result files.

Sweep files (one ensemble per design point) and run files (grouped by their `scenario` attribute)
become scenario ensembles. What the report knows about a model comes from its profile
(borderland.profiles, found from the files' `model` attribute): human names, the outcomes, the
series, which scenario is the baseline and which are historical (judged against the model's
calibration targets). Every other scenario is a projection compared with the baseline: what each
policy is (from the resolved scenario in its files), what it changes (in % and in absolute numbers,
with intervals), where (maps against the baseline) and over which period. Saltelli sweeps get Sobol
indices. Figures are PNGs embedded as base64, so the one file can be mailed or archived alone.
"""
from __future__ import annotations

import base64
import datetime as dt
import glob
import html
import os
import re
import tempfile
import warnings

import numpy as np
import pandas as pd

from .. import io
from ..profiles import ModelProfile, profile_of
from . import compare, figures, maps, policies, sobol, stats
from .ensemble import Ensemble, gather
from ..io import AnalysisInputError

CSS = """
body { font-family: sans-serif; max-width: 1250px; margin: 2em auto; color: #222; line-height: 1.4; }
h1 { border-bottom: 2px solid #444; } h2 { margin-top: 2em; border-bottom: 1px solid #bbb; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.8em 0; }
th, td { border: 1px solid #ccc; padding: 3px 7px; text-align: right; }
th { background: #eee; } td:first-child, th:first-child { text-align: left; }
img { max-width: 100%; border: 1px solid #ddd; margin: 0.5em 0; }
.note { color: #555; font-size: 0.9em; } .box { background: #f4f6fa; border-left: 4px solid #4a6fa5;
  padding: 0.6em 1em; margin: 1em 0; } dl.policy dt { font-weight: bold; margin-top: 0.6em; } .fail { color: #b2182b; font-weight: bold; }
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
            shown[col] = shown[col].map(lambda v: "" if pd.isna(v) else floatfmt.format(stats.no_negative_zero(v)))
    out = shown.to_html(index=False, escape=True, border=0)
    return out.replace("<td>FAIL</td>", '<td class="fail">FAIL</td>').replace("<td>pass</td>",
                                                                                '<td class="pass">pass</td>')


def _seeds_text(seeds: np.ndarray) -> str:
    seeds = np.sort(np.asarray(seeds))
    if seeds.size > 6 and np.all(np.diff(seeds) == 1):
        return f"{seeds[0]}..{seeds[-1]}"
    if seeds.size > 12:
        return f"{seeds.size} seeds from {seeds[0]} to {seeds[-1]} (in /design/seed)"
    text = ", ".join(str(s) for s in seeds[:12])
    return text + (f", ... ({seeds.size} in all)" if seeds.size > 12 else "")


def natural_key(text: str):
    """'seed_2' before 'seed_10': digits compare as numbers."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", str(text))]


def provenance_table(ensembles: list[Ensemble], colours, profile: ModelProfile) -> str:
    rows = []
    for ens in ensembles:
        sources = sorted((os.path.basename(s) for s in ens.sources), key=natural_key)
        p = ens.provenance[0]
        versions = sorted({q.get("borderland_version", "?") for q in ens.provenance})
        commits = sorted({q.get("git_commit", "?") for q in ens.provenance})
        rows.append(
            f"<tr><td><span class='swatch' style='background:{colours[ens.scenario]}'></span>"
            f"{html.escape(ens.title(profile))}</td><td>{html.escape(ens.kind)}</td>"
            f"<td>{html.escape(', '.join(sources[:3]))}"
            f"{f' ... {sources[-1]}' if len(sources) > 3 else ''}</td><td>{html.escape(p.get('model', '?'))}</td>"
            f"<td>{ens.replicas}</td><td>{html.escape(_seeds_text(ens.seeds))}</td>"
            f"<td>{ens.dates[0]} .. {ens.dates[-1]}</td><td>{html.escape(', '.join(versions))}</td>"
            f"<td>{html.escape(', '.join(commits))}</td></tr>")
    head = ("<tr><th>scenario</th><th>source</th><th>files</th><th>model</th><th>replicas</th><th>seeds</th>"
            "<th>period</th><th>borderland version</th><th>git commit</th></tr>")
    return f"<table>{head}{''.join(rows)}</table>"


def summary_matrix(table: pd.DataFrame, profile: ModelProfile) -> str:
    """Policies x outcomes: % change of the mean vs the baseline [CI], the absolute number averted [CI]
    and P(better); green where the whole interval is an improvement, red where it is a deterioration."""
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
            whole = {k: stats.no_negative_zero(r[k], 0) for k in
                     ("averted", "averted_low", "averted_high", "pct_change", "pct_low", "pct_high")}
            averted = ""
            if isinstance(r.get("averted_what"), str) and r["averted_what"]:
                averted = (f"<br>{whole['averted']:,.0f} {html.escape(r['averted_what'])} "
                           f"[{whole['averted_low']:,.0f}, {whole['averted_high']:,.0f}]")
            cells.append(f"<td style='{style}'>{whole['pct_change']:+.0f} % [{whole['pct_low']:+.0f}, "
                         f"{whole['pct_high']:+.0f}]{averted}<br>P(better) {r['p_better']:.2f}</td>")
        rows.append(f"<tr><td>{html.escape(profile.scenario_title(str(scenario)))}</td>{''.join(cells)}</tr>")
    return (f"<p class='note'>Change of each outcome's mean against the baseline in %, with its {level} % "
            "interval; below it the same change as an absolute number (averted = baseline minus policy; "
            "negative: more than under the baseline), and P(better). Green: better across the whole "
            "interval; red: worse across it.</p>"
            f"<table>{head}{''.join(rows)}</table>")


def report_series(ensembles: list[Ensemble], profile: ModelProfile, most: int = 6) -> list[str]:
    """The series the model's profile names; for a model without a profile, its own first series."""
    chosen = [s for s in profile.report_series if any(e.has_series(s.partition(":")[0]) for e in ensembles)]
    if chosen:
        return chosen
    names = list(dict.fromkeys(n for e in ensembles for n in e.series_names()))
    return names[:most]


def _find_files(directory: str) -> list[str]:
    return sorted(set(glob.glob(os.path.join(directory, "**", "*.h5"), recursive=True)))


INTERVALS_TEXT = (
    "What the intervals cover: seed noise only. Each interval is a {level} % percentile-bootstrap interval of "
    "the difference between two ensemble means, resampling the replicas (runs with different random seeds; "
    "paired by seed where both scenarios ran the same seeds), and P(better) is the share of seeds where the "
    "policy comes out lower. Every run has the same parameter values, so both cover the model's own chance "
    "variation and the finite number of runs, not the uncertainty in the parameter values (no posterior was "
    "given: the main job runs over posterior draws once a calibration has written one), in the model's "
    "mechanisms, or in the data the model was calibrated to: read the effects as what this model, with these "
    "parameters, implies, not as a forecast.")
INTERVALS_POSTERIOR_TEXT = (
    "What the intervals cover: parameter and seed uncertainty. Every scenario ran the same {draws} draws of "
    "the posterior {posterior} with {seeds} seeds each ({runs} runs), paired run by run. The mean over these "
    "runs is the posterior predictive mean; each interval is a {level} % percentile-bootstrap interval of the "
    "difference between two such means, resampling whole draws (with their seeds), and P(better) is the share "
    "of (draw, seed) pairs where the policy comes out lower, so both cover the parameters' uncertainty as the "
    "calibration left it and the model's chance variation. The table 'Where the spread comes from' splits "
    "each effect's spread between the two. Not covered: uncertainty in the model's mechanisms and in the data "
    "beyond what the calibration's observation model allows: read the effects as what this model, as "
    "calibrated, implies, not as a forecast.")


INTERVALS_MIXED_TEXT = (
    "What the intervals cover: it differs between scenarios. Some ran over posterior draws x seeds, others "
    "at one parameter point; a comparison of the two kinds is not paired, and its interval and P(better) mix "
    "parameter uncertainty on one side with seed noise alone on the other. Run every scenario over the same "
    "draws (the main job does with BORDERLAND_POSTERIOR) to compare like with like.")


def uncertainty_of(ensembles: list[Ensemble]) -> str:
    """What the runs of these scenarios cover: "seeds", "parameters and seeds", or "mixed"."""
    kinds = {e.n_draws > 1 for e in ensembles}
    return "mixed" if len(kinds) > 1 else "parameters and seeds" if kinds == {True} else "seeds"


def intervals_text(baseline: Ensemble | None, level: int, ensembles: list[Ensemble] | None = None) -> str:
    """The box that says what the intervals cover: seeds only, posterior draws x seeds, or a mix."""
    kind = uncertainty_of(ensembles or ([baseline] if baseline is not None else []))
    if kind == "mixed":
        return INTERVALS_MIXED_TEXT
    if baseline is None or kind == "seeds":
        return INTERVALS_TEXT.format(level=level)
    per_draw = np.bincount(np.unique(baseline.draws, return_inverse=True)[1])
    seeds = f"{per_draw.min()}" if per_draw.min() == per_draw.max() else f"{per_draw.min()} to {per_draw.max()}"
    return INTERVALS_POSTERIOR_TEXT.format(draws=baseline.n_draws, posterior=os.path.basename(baseline.posterior),
                                           seeds=seeds, runs=baseline.replicas, level=level)


def spread_section(table: pd.DataFrame, profile: ModelProfile, level: int) -> str:
    """Policies x outcomes: the share of each effect's variance between posterior draws (parameters) and
    within them (seeds), with the middle of the per-run effects."""
    if not len(table) or table["share_parameters"].isna().all():
        return ""
    outcomes = list(dict.fromkeys(table["outcome"]))
    head = "<tr><th>policy</th>" + "".join(f"<th>{html.escape(o)}</th>" for o in outcomes) + "</tr>"
    rows = []
    for scenario, group in table.groupby("scenario", sort=False):
        cells = []
        for outcome in outcomes:
            r = group[group["outcome"] == outcome].iloc[0]
            cells.append(f"<td>parameters {r['share_parameters']:.0%}, seeds {1 - r['share_parameters']:.0%}<br>"
                         f"<span class='note'>per run {r['spread_low']:+,.4g} .. {r['spread_high']:+,.4g}; "
                         f"outcome itself: parameters {r['share_parameters_outcome']:.0%}</span></td>")
        rows.append(f"<tr><td>{html.escape(profile.scenario_title(str(scenario)))}</td>{''.join(cells)}</tr>")
    return ("<h3>Where the spread comes from</h3><p class='note'>The per-run effect (policy minus baseline, "
            "same draw and seed) varies because the draws differ (parameter uncertainty) and because the seeds "
            "differ (chance). Shares of its variance from a one-way random-effects decomposition (between draws "
            f"against within draws); below them the middle {level} % of the per-run effects and the share of "
            "the policy's own outcome that is parameter uncertainty.</p>"
            f"<table>{head}{''.join(rows)}</table>")


def _period(dates: np.ndarray, since) -> str:
    shown = dates[dates >= np.datetime64(since)] if since else dates
    return figures.period_text(shown)


def _words(text: str) -> str:
    """A model description without its bracketed source tags."""
    return re.sub(r"\s*\[[^\]]*\]", "", text or "").strip()


def policy_section(baseline: Ensemble | None, projections: list[Ensemble], profile: ModelProfile,
                   since=None) -> str:
    """Each scenario's own policies (those the baseline lacks) in words and numbers; for the baseline,
    the policies still in force on or after `since` (the projection start)."""
    base = policies.resolved_scenario(baseline.sources[0]) if baseline is not None else {}
    items = []
    for ens in [baseline] + projections if baseline is not None else projections:
        scenario = policies.resolved_scenario(ens.sources[0])
        model = ens.model
        if ens is baseline:
            levers = [p for p in scenario.get("policies") or []
                      if since is None or str(p.get("end", "9999")) >= str(since)]
            heading = (f"policies in force on or after {since}" if since else "policies in force") + \
                " (every projection has these too)"
        else:
            levers = policies.added_policies(scenario, base)
            heading = "its own policies, on top of the baseline's"
        parts = [f"<dt>{html.escape(ens.title(profile))}</dt><dd>"]
        if scenario.get("description"):
            parts.append(f"<span class='note'>{html.escape(str(scenario['description']))}</span><br>")
        if ens.point:
            parts.append("Design point: " + html.escape(", ".join(f"{k} = {v}" for k, v in ens.point.items())) + "<br>")
        if not levers:
            parts.append("No policy of its own." if ens is not baseline else "No policy in force.")
        else:
            parts.append(f"{heading}:<ul>")
            for entry in levers:
                d = policies.describe_policy(model, entry)
                numbers = "; ".join(f"{html.escape(k)} = {html.escape(v)}"
                                    + (f" <span class='note'>({html.escape(_words(doc))})</span>" if doc else "")
                                    for k, v, doc in d["strengths"])
                what = f": {html.escape(_words(d['what']))}" if d["what"] else ""
                parts.append(f"<li><b>{html.escape(d['name'].replace('_', ' '))}</b>{what}. From "
                             f"{html.escape(d['period'])}; {html.escape(d['ramp'])}. Strengths: {numbers or 'none'}.</li>")
            parts.append("</ul>")
        parts.append("</dd>")
        items.append("".join(parts))
    return ("<h2>The policies</h2><p class='note'>Read from the resolved scenario stored in each file (every "
            "default filled in); the descriptions are the model's own.</p><dl class='policy'>"
            + "".join(items) + "</dl>")


def _map_runs(folder: str | None) -> dict[str, list[str]]:
    """Run files with snapshots or events below `folder`, by scenario name."""
    if not folder:
        return {}
    if not os.path.isdir(folder):
        raise AnalysisInputError(f"{folder}: not a directory (--maps)")
    found: dict[str, list[str]] = {}
    for path in sorted(glob.glob(os.path.join(folder, "**", "*.h5"), recursive=True), key=natural_key):
        with io.open_h5(path) as f:
            if io.check_format(f, (io.RUN_FORMAT, io.SWEEP_FORMAT)) != io.RUN_FORMAT:
                continue
            found.setdefault(io.scenario_name(f), []).append(path)
    return found


def maps_section(baseline: Ensemble, others: list[Ensemble], map_runs: dict[str, list[str]], since, tmp: str,
                 profile: ModelProfile) -> tuple[str, list[str]]:
    """Maps of where each policy changes attacks (by province) and fighters (snapshots) against the
    baseline. Returns (html, notes on what could not be drawn)."""
    notes, parts = [], []
    map_info = baseline.map()
    for paths in map_runs.values():
        if map_info is None and paths:
            with io.open_h5(paths[0]) as f:
                map_info = io.read_map(f) if "map" in f else None
    if map_info is None or "province" not in map_info.layers or map_info.provinces is None:
        return "", ["maps: no map in the files (run files or --maps DIR carry /map)"]
    period = _period(baseline.dates, since)
    base_attacks = maps.province_attacks(baseline, since)
    if base_attacks is not None:
        panels = []
        for ens in others:
            attacks = maps.province_attacks(ens, since)
            if attacks is None:
                continue
            change = attacks.reindex(base_attacks.index).fillna(0) - base_attacks
            panels.append((ens.title(profile), maps.province_raster(map_info, change), None))
        if panels:
            fig = os.path.join(tmp, "map_attacks.png")
            maps.figure_difference_maps(map_info, panels, f"Where each policy changes attacks: policy minus baseline, "
                                        f"mean attacks per run by province, {period}",
                                        "attacks per run: policy minus baseline", fig, profile)
            parts.append(f"<h3>Where each policy changes attacks, {html.escape(period)}</h3>" + figures_img(fig)
                         + f"<p class='note'>Mean over {baseline.replicas} baseline runs and "
                         "each policy's runs (series attacks_by_province, or the events' province). Blue: fewer "
                         "attacks than under the baseline, red: more.</p>")
    district = district_maps(baseline, others, map_runs, since, tmp, profile, map_info, period)
    if district:
        parts.insert(0, district)
    for field, field_name in (profile.map_fields or {}).items():
        base_runs = map_runs.get(baseline.scenario, [])
        base_mean = maps.mean_snapshot(base_runs, field, since) if base_runs else None
        if base_mean is None:
            notes.append(f"maps: no {field} snapshots of the baseline on or after {since or 'the start'} "
                         "(run files under --maps DIR)")
            continue
        base_grid, _, used = base_mean
        panels, block = [], None
        for ens in others:
            found = maps.mean_snapshot(map_runs.get(ens.scenario, []), field, since)
            if found is None:
                continue
            grid, extent, block = maps.blocks(found[0] - base_grid, map_info)
            panels.append((ens.title(profile), grid, extent))
        if panels:
            fig = os.path.join(tmp, f"map_{field}.png")
            maps.figure_difference_maps(map_info, panels, f"Where each policy changes {field_name}: policy minus "
                                        f"baseline, mean of the snapshots of {period}", f"{field_name} per "
                                        f"{block:g} deg block: policy minus baseline", fig, profile)
            runs = min(len(map_runs.get(e.scenario, [])) for e in [baseline] + others if map_runs.get(e.scenario))
            parts.append(f"<h3>Where each policy changes {html.escape(field_name)}, {html.escape(period)}</h3>"
                         + figures_img(fig) + f"<p class='note'>From the snapshots of {runs} or more map runs per "
                         f"scenario ({used} snapshots each in the period), summed on blocks of {block:g} degrees. "
                         "Few runs: read the broad pattern, not single blocks.</p>")
    if not parts:
        return "", notes
    return "<h2>Where: maps against the baseline</h2>" + "".join(parts), notes


def posterior_file(given: str | None, ensembles: list[Ensemble]) -> str | None:
    """The posterior whose diagnostics the report shows: the one given (--posterior), else the one the
    sweeps over posterior draws name (/design attr `posterior`) where that file is still there."""
    if given:
        if not os.path.isfile(given):
            raise AnalysisInputError(f"{given}: no such file (--posterior)")
        return given
    named = sorted({e.posterior for e in ensembles if e.posterior})
    return next((p for p in named if os.path.isfile(p)), None)


def district_maps(baseline: Ensemble, others: list[Ensemble], map_runs: dict[str, list[str]], since, tmp: str,
                  profile: ModelProfile, map_info, period: str) -> str:
    """Where each policy changes attacks by district: from the `attacks_by_district` series of the
    ensembles (every replica) where they carry it, else from the events of the map runs (or of the run
    files themselves) where those have a `district` column; "" where neither (the province map then
    stands alone)."""
    base_runs = map_runs.get(baseline.scenario, [])
    layer = None
    for path in [baseline.sources[0]] + base_runs[:1]:
        layer = maps.district_layer(path)
        if layer is not None:
            break
    if layer is None:
        return ""
    district_ids, table = layer
    base = maps.ensemble_district_attacks(baseline, table, since)
    from_series = base is not None
    if not from_series:
        base = maps.district_attacks(base_runs, since, table)
    if base is None:
        return ""
    panels, runs = [], [baseline.replicas if from_series else len(base_runs)]
    for ens in others:
        if from_series:
            found, n = maps.ensemble_district_attacks(ens, table, since), ens.replicas
        else:
            paths = map_runs.get(ens.scenario, [])
            found, n = maps.district_attacks(paths, since, table), len(paths)
        if found is None:
            continue
        index = base.index.union(found.index)
        change = found.reindex(index).fillna(0) - base.reindex(index).fillna(0)
        panels.append((ens.title(profile), maps.district_raster(district_ids, change), None))
        runs.append(n)
    if not panels:
        return ""
    fig = os.path.join(tmp, "map_attacks_district.png")
    maps.figure_difference_maps(map_info, panels, f"Where each policy changes attacks: policy minus baseline, mean "
                                f"attacks per run by district, {period}", "attacks per run: policy minus baseline",
                                fig, profile)
    where = ("the attacks_by_district series of" if from_series else "the events (district column) of the map runs,")
    note = ("" if from_series else " Few runs: read the broad pattern, not single districts.")
    return (f"<h3>Where each policy changes attacks, by district, {html.escape(period)}</h3>" + figures_img(fig)
            + f"<p class='note'>From {where} {min(runs)} or more runs per scenario ({len(table)} districts of the "
            f"map's district layer). Blue: fewer attacks than under the baseline, red: more.{note}</p>")


def figures_img(path: str) -> str:
    return _png(path)


def build(directory: str, out_path: str, since=None, n_boot: int = 2000, maps: str | None = None,
          posterior: str | None = None) -> dict:
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
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ensembles = gather(usable) if usable else []
    skipped += [str(w.message) for w in caught]
    if not ensembles and not saltelli:
        raise AnalysisInputError(f"{directory}: no readable borderland file:\n  " + "\n  ".join(skipped))
    profile = profile_of(ensembles)
    names = figures.sort_scenarios([e.scenario for e in ensembles], profile)
    ensembles.sort(key=lambda e: (names.index(e.scenario), sorted((e.point or {}).items())))
    colours = figures.scenario_colours([e.scenario for e in ensembles] + [e.title() for e in ensembles], profile)
    historical = [e for e in ensembles if profile.is_historical(e.scenario)]
    projections = [e for e in ensembles if not profile.is_historical(e.scenario)]
    baseline = next((e for e in projections if e.scenario == profile.baseline and not e.point), None)
    others = [e for e in projections if e is not baseline]
    # snapshots for the maps: the run files under --maps, else the run files of the ensembles themselves
    map_runs = _map_runs(maps) or {e.scenario: list(e.sources) for e in projections if e.kind == "runs"}

    parts, summary = [], {"scenarios": names, "skipped": skipped}
    tmp = tempfile.mkdtemp(prefix="borderland-report-")
    created = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    model = ensembles[0].model if ensembles else ""
    level = 90
    parts.append(f"<h1>borderland report{': model ' + html.escape(model) if model else ''}</h1>"
                 f"<p class='note'>Folder <code>{html.escape(os.path.abspath(directory))}</code>, written {created}. "
                 "Figures show scenario ensembles: the line is the median over runs, shading the middle 50 % of "
                 "runs. A scenario keeps its colour throughout.</p>"
                 f"<p class='box'>{html.escape(intervals_text(baseline, level, projections))}</p>")
    summary["uncertainty"] = uncertainty_of(projections)
    if projections:
        parts.append(policy_section(baseline, others, profile, since))

    if baseline is not None and others:
        table = compare.compare(baseline, others, since=since, n_boot=n_boot)
        period = _period(baseline.dates, since)
        fig = os.path.join(tmp, "compare.png")
        figures.figure_compare(table, fig, profile, period)
        shown = table[["scenario", "outcome", "units", "baseline_mean", "scenario_mean", "difference", "diff_low",
                       "diff_high", "pct_change", "pct_low", "pct_high", "averted", "averted_low", "averted_high",
                       "p_better"]].copy()
        shown["scenario"] = shown["scenario"].map(profile.scenario_title)
        shown = shown.rename(columns={
            "scenario": "policy", "baseline_mean": "baseline (mean)", "scenario_mean": "policy (mean)",
            "difference": "policy minus baseline", "diff_low": f"low ({level} %)", "diff_high": f"high ({level} %)",
            "pct_change": "change [%]", "pct_low": "change low [%]", "pct_high": "change high [%]",
            "averted": "averted", "averted_low": "averted low", "averted_high": "averted high",
            "p_better": "P(better)"})
        posterior_runs = summary["uncertainty"] == "parameters and seeds"
        paired = ("paired by draw and seed, resampling whole draws" if posterior_runs and table["paired"].all()
                  else "paired by seed" if table["paired"].all() else "not paired (different seeds)")
        better = ("a policy's run comes out lower than the baseline's run with the same posterior draw and seed "
                  "(over parameter and seed uncertainty)" if posterior_runs else
                  "a policy's run comes out lower than the baseline's run with the same seed (seed noise only)")
        parts.append(f"<h2>What each policy changes against the baseline, {html.escape(period)}</h2>"
                     f"<p class='note'>Outcomes summed (counts) or averaged (levels) over {html.escape(period)}; "
                     f"differences of ensemble means, {level} % bootstrap intervals ({n_boot} resamples, {paired}); "
                     f"P(better) is the probability that {better}. Lower is better for every outcome.</p>"
                     + _png(fig) + summary_matrix(table, profile) + spread_section(table, profile, level)
                     + "<p class='note'>Every number:</p>" + _table(shown))
        summary["compare"] = table
        section, notes = maps_section(baseline, others, map_runs, since, tmp, profile)
        parts.append(section)
        skipped += notes
    elif projections:
        parts.append(f"<h2>Comparison</h2><p class='note'>No scenario named <code>{html.escape(profile.baseline)}"
                     "</code> (or nothing to compare with it): comparison skipped.</p>")

    if baseline is not None and others:
        figs = []
        specs = [s for s in report_series(projections, profile) if baseline.has_series(s.partition(":")[0])]
        for k, spec in enumerate(specs):
            fig = os.path.join(tmp, f"projection_{k}.png")
            figures.figure_policy_grid(baseline, others, spec, fig, since=since)
            figs.append(_png(fig))
        start = f"; the dashed line marks the projection start ({since})" if since else ""
        parts.append("<h2>Projections over time</h2><p class='note'>One panel per policy, drawn over the "
                     "baseline (grey): median over runs and the middle 50 % of runs. Daily counts (attacks, "
                     f"deaths) are sums over trailing 30-day windows; levels (fighters, tension) as they are{start}."
                     "</p>" + "".join(figs))
    elif projections:
        fig = os.path.join(tmp, "projections.png")
        figures.figure_panels(projections, report_series(projections, profile), fig,
                              suptitle="Time series by scenario")
        parts.append("<h2>Time series by scenario</h2><p class='note'>Daily counts are shown as sums over "
                     "trailing 30-day windows; levels as they are.</p>" + _png(fig))
    calibration = profile.calibration
    for ens in historical:
        fig = os.path.join(tmp, f"series_{ens.scenario}.png")
        figures.figure_panels([ens], report_series([ens], profile), fig,
                              suptitle=f"{ens.title(profile)}: time series, {figures.period_text(ens.dates)}",
                              timeline=True)
        section = f"<h2>Calibration and history: {html.escape(ens.title(profile))}</h2>"
        if calibration is not None:
            per_run = calibration.per_run_targets(ens)
            judged = calibration.judge(per_run, ens.scenario)
            cal_fig = os.path.join(tmp, f"calibration_{ens.scenario}.png")
            figures.figure_calibration({ens.scenario: per_run}, calibration.TARGETS, cal_fig, calibration.band_text,
                                       profile)
            passed = int((judged["result"] == "pass").sum())
            source_note = ("" if ens.kind == "runs" else " From a sweep file, the targets that need single events "
                           "come from the summary metrics the model computes in every run.")
            section += (f"<p>{passed} of {len(judged)} calibration target quantities met by the ensemble "
                        f"({ens.replicas} runs).</p><p class='note'>{html.escape(calibration.RULES)}{source_note}</p>"
                        + _png(cal_fig) + _table(judged.drop(columns=["scenario"])))
            summary.setdefault("calibration", []).append(judged)
        parts.append(section + _png(fig))

    for path in saltelli:
        try:
            with io.open_h5(path) as f:
                metrics = sorted(f["runs/summary"].keys()) if "runs/summary" in f else []
            chosen = [m for m in profile.sensitivity_outputs if m in metrics] or metrics[:3]
            section = [f"<h2>Sensitivity: {html.escape(os.path.basename(path))}</h2>"]
            for metric in chosen:
                result, units, notes = sobol.analyse_sweep(path, metric, n_boot=500)
                fig = os.path.join(tmp, f"sobol_{len(parts)}_{metric}.png")
                figures.figure_sobol(result, metric, units, fig)
                section.append(f"<h3>{html.escape(metric.replace('_', ' '))}</h3><p class='note'>"
                               f"{html.escape(notes)}; 90 % bootstrap intervals.</p>" + _png(fig) + _table(result.table()))
            parts.append("".join(section))
            summary.setdefault("sensitivity", []).append(path)
        except AnalysisInputError as exc:
            skipped.append(str(exc))

    chosen = posterior_file(posterior, ensembles)
    if chosen:
        from ..calibration import report_section
        section, notes = report_section.section(chosen, tmp, _png)
        parts.append(section)
        skipped += notes
        summary["posterior"] = chosen if section else None
    parts.append("<h2>Scenarios and provenance</h2>" + provenance_table(ensembles, colours, profile))
    if profile.sources:
        parts.append("<h2>Sources</h2><ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in profile.sources) + "</ul>")
    if skipped:
        items = "".join(f"<li><code>{html.escape(s)}</code></li>" for s in skipped)
        parts.append(f"<h2>Files not used, warnings</h2><ul>{items}</ul>")
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>borderland report</title>"
            f"<style>{CSS}</style></head><body>{''.join(parts)}</body></html>")
    with open(out_path, "w", encoding="utf-8") as fh:
        fh.write(page)
    for name in os.listdir(tmp):
        os.remove(os.path.join(tmp, name))
    os.rmdir(tmp)
    summary["scenarios"] = [n for n in names]
    return summary
