"""python3 -m borderland COMMAND ...: plots, maps, comparison, sensitivity, calibration, report.

Exit codes follow the engine: 0 ok, 2 bad input (the message names the file and dataset).
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np
import pandas as pd

from .io import AnalysisInputError

EXIT_BAD_INPUT = 2


def _date(text: str) -> str:
    try:
        np.datetime64(text, "D")
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got '{text}'")
    return text


def _level(text: str) -> float:
    value = float(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"expected a level between 0 and 1 (e.g. 0.9), got {text}")
    return value


def cmd_plot(args):
    from .analysis import figures
    from .analysis.ensemble import gather
    ensembles = gather(args.files)
    from .profiles import profile_of
    if args.series is None:  # the model's first report series the files hold, else their first series
        available = ensembles[0].series_names()
        wanted = [s for s in profile_of(ensembles).report_series if s.partition(":")[0] in available]
        if not wanted and not available:
            raise AnalysisInputError(f"{ensembles[0].sources[0]}: holds no series to plot")
        args.series = (wanted or available)[0]
    name = args.series.partition(":")[0]
    for ens in ensembles:
        if not ens.has_series(name):
            prefix = "/runs/timeseries/" if ens.kind == "sweep" else "/timeseries/"
            available = ", ".join(ens.series_names())
            raise AnalysisInputError(f"{ens.sources[0]}: dataset '{prefix}{name}' is missing (series: {available})")
    names = figures.sort_scenarios([e.scenario for e in ensembles], profile_of(ensembles))
    ensembles.sort(key=lambda e: (names.index(e.scenario), sorted((e.point or {}).items())))
    figures.figure_series(ensembles, args.series, args.output, args.window)
    print(f"wrote {args.output} ({', '.join(f'{e.title()}: {e.replicas} run(s)' for e in ensembles)})")


def cmd_map(args):
    from . import io
    from .analysis import figures
    with io.open_h5(args.run) as f:
        io.check_format(f, (io.RUN_FORMAT,))
        field = figures.require_snapshots(f, args.field)
        frames = np.asarray(io.read_array(f, f"snapshots/{field}"), dtype=float)
        units = io.attr_text(f[f"snapshots/{field}"], "units") or "1"
        steps = np.asarray(io.read_array(f, "snapshots/step"), dtype=int)
        dates = io.read_dates(f, "timeseries/date") if "timeseries/date" in f else None
        map_info = io.read_map(f)
        scenario = io.scenario_name(f)
        model = io.attr_text(f, "model")
    if frames.ndim != 3 or frames.shape[1:] != (map_info.ny, map_info.nx) or len(steps) != frames.shape[0]:
        raise AnalysisInputError(f"{args.run}: dataset '/snapshots/{field}' has shape {frames.shape}, expected "
                                 f"[{len(steps)}, {map_info.ny}, {map_info.nx}]")
    frame_dates = [str(dates[s]) if dates is not None and 0 <= s < len(dates) else f"step {s}" for s in steps]
    from .profiles import profile_for
    border = profile_for(model).border_label
    figures.figure_map_strip(map_info, frames, frame_dates, field, units, scenario, args.output, border_label=border)
    print(f"wrote {args.output} ({len(frames)} snapshots of '{field}')")
    if args.gif:
        try:
            import PIL  # noqa: F401  (matplotlib's PillowWriter needs python3-pil)
        except ImportError:
            print(f"python3-pil is not installed: no animation written to {args.gif}; "
                  f"the snapshot strip {args.output} shows the run instead")
            return
        figures.animate_map(map_info, frames, frame_dates, field, units, scenario, args.gif, fps=args.fps,
                            border_label=border)
        print(f"wrote {args.gif} ({len(frames)} frames)")


def cmd_compare(args):
    from .analysis import compare, figures
    from .analysis.ensemble import gather_one, split_at_point
    if args.baseline_point:
        baseline, scenarios = split_at_point(args.baseline, args.baseline_point)
    else:
        baseline, scenarios = gather_one(args.baseline), []
    scenarios += [gather_one(p) for p in args.scenarios]
    if not scenarios:
        raise AnalysisInputError("compare: error: give a SCENARIO to compare with the baseline (or a sweep and "
                                 "--baseline-point KEY=VALUE to compare its other design points with that one)")
    from .profiles import profile_of
    profile = profile_of([baseline])
    order = figures.sort_scenarios([e.scenario for e in scenarios], profile)  # the report's order
    scenarios.sort(key=lambda e: order.index(e.scenario))
    table = compare.compare(baseline, scenarios, level=args.level, since=args.since, n_boot=args.boot,
                            seed=args.seed)
    print(compare.format_table(table))
    table.to_csv(args.output, index=False)
    figure = args.figure or os.path.splitext(args.output)[0] + ".png"
    dates = baseline.dates[baseline.dates >= np.datetime64(args.since)] if args.since else baseline.dates
    figures.figure_compare(table, figure, profile, figures.period_text(dates))
    print(f"wrote {args.output} and {figure}")


def cmd_dose(args):
    from .analysis import dose, figures
    table, outcome, profile = dose.run(args.sweep, args.lever, args.outcome, args.since, args.level, args.boot)
    stem = args.prefix or f"dose_{args.lever.rsplit('.', 1)[-1]}_{outcome.key.replace(':', '_')}"
    table.to_csv(stem + ".csv", index=False)
    from .analysis.ensemble import load_sweep
    sweep = load_sweep(args.sweep)
    dates = sweep.dates[sweep.dates >= np.datetime64(args.since)] if args.since else sweep.dates
    title = (f"{outcome.label} against {args.lever}: {profile.scenario_title(sweep.scenario)}, "
             f"{figures.period_text(dates)} ({int(table['runs'].min())}+ runs per point)")
    figures.figure_dose(table, stem + ".png", title, args.lever, profile)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.drop(columns=["lever", "ci_level"]).to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    print(f"wrote {stem}.csv and {stem}.png")


def cmd_sensitivity(args):
    from .analysis import figures, sobol
    result, units, notes = sobol.analyse_sweep(args.sweep, args.output, args.reduce, args.level, args.boot,
                                               args.seed)
    table = result.table()
    level = int(round(args.level * 100))
    print(f"Sobol indices of '{args.output}' ({notes}; {level} % bootstrap CIs)")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    stem = args.prefix or f"sensitivity_{args.output.replace(':', '_')}"
    table.to_csv(stem + ".csv", index=False)
    figures.figure_sobol(result, args.output, units, stem + ".png")
    print(f"wrote {stem}.csv and {stem}.png")


def cmd_calibration(args):
    import pandas as pd
    from .analysis import figures
    from .analysis.ensemble import gather
    from .profiles import profile_of
    ensembles = gather(args.files)
    profile = profile_of(ensembles)
    calibration = profile.calibration
    if calibration is None:
        raise AnalysisInputError(f"{ensembles[0].sources[0]}: model '{ensembles[0].model}' has no calibration "
                                 "targets in the analysis (borderland.<model>.PROFILE.calibration)")
    per_run, judged = {}, []
    for ens in ensembles:
        per_run[ens.scenario] = calibration.per_run_targets(ens)
        judged.append(calibration.judge(per_run[ens.scenario], ens.scenario))
    table = pd.concat(judged, ignore_index=True)
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.max_colwidth", 60):
        print(table.drop(columns=["quantity"]).to_string(index=False, float_format=lambda v: f"{v:.1f}"))
    stem = os.path.splitext(args.output)[0]
    table.to_csv(stem + ".csv", index=False)
    figures.figure_calibration(per_run, calibration.TARGETS, stem + ".png", calibration.band_text, profile)
    failed = int((table["result"] == "FAIL").sum())
    print(f"{len(table) - failed} of {len(table)} target quantities pass; wrote {stem}.csv and {stem}.png")


def cmd_compact(args):
    from .analysis.compact import compact_sweep
    series = [s for s in args.series.split(",") if s] if args.series else None
    done = compact_sweep(args.sweep, args.output, series, args.since)
    print(f"wrote {args.output}: {done['bytes_out'] / 1e6:.1f} MB from {done['bytes_in'] / 1e6:.1f} MB "
          f"({len(done['series'])} series, {done['days']} days)")


def cmd_report(args):
    from .analysis import report
    summary = report.build(args.directory, args.output, since=args.since, n_boot=args.boot, maps=args.maps,
                           posterior=args.posterior)
    print(f"wrote {args.output} (scenarios: {', '.join(summary['scenarios']) or 'none'})")
    for message in summary["skipped"]:
        print(f"skipped: {message}", file=sys.stderr)


def _interval_args(p, boot: int, seed: bool = True, what: str = "confidence level"):
    """--level, --boot (and --seed): the bootstrap settings every interval-giving command shares."""
    p.add_argument("--level", type=_level, default=0.9, help=f"{what} (default 0.9)")
    p.add_argument("--boot", type=int, default=boot, help=f"bootstrap resamples (default {boot})")
    if seed:
        p.add_argument("--seed", type=int, default=20230130, help="seed of the bootstrap generator")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python3 -m borderland", description=__doc__.splitlines()[0],
        epilog="calibration: 'python3 -m borderland calibrate CAL.yaml -o POSTERIOR.h5' (ABC-SMC) and "
               "'python3 -m borderland posterior {design,draw,diagnostics} POSTERIOR.h5 ...'; see docs/calibration.md")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("plot", help="time series of one run, or an ensemble's median with 50/90 %% bands",
                       description="Plot one series: one run as a line, an ensemble (sweep file or several run "
                                   "files) as its median with 50 %% and 90 %% bands; one colour per scenario.")
    p.add_argument("files", nargs="+", metavar="FILE", help="run files, sweep files or directories of run files")
    p.add_argument("-o", "--output", required=True, help="PNG to write")
    p.add_argument("--series", default=None, metavar="NAME[:LABEL]",
                   help="series name, or NAME:LABEL for one column of a [T,k] series (e.g. killed:police); "
                        "default: the model's first report series (TTP: attacks), else the files' first series")
    p.add_argument("--window", type=int, default=30,
                   help="count series are summed over trailing windows of this many days (1 = daily); default 30")
    p.set_defaults(func=cmd_plot)

    p = sub.add_parser("map", help="snapshots of a run on the map (PNG strip, optional animated GIF)",
                       description="Draw /snapshots/FIELD of a run on its map: provinces tinted, the "
                                   "international border of the map (TTP: the Afghanistan-Pakistan border), "
                                   "crossings and the largest cities.")
    p.add_argument("run", metavar="RUN.h5")
    p.add_argument("--field", help="snapshot field (default: the first in /snapshots)")
    p.add_argument("-o", "--output", default="map.png", help="PNG strip of up to 6 snapshots (default map.png)")
    p.add_argument("--gif", help="also write an animated GIF of every snapshot (needs python3-pil)")
    p.add_argument("--fps", type=float, default=3, help="GIF frames per second (default 3)")
    p.set_defaults(func=cmd_map)

    p = sub.add_parser("compare", help="outcome differences vs a baseline with bootstrap CIs and P(better)",
                       description="Compare scenarios with a baseline on attacks, police deaths, civilian "
                                   "deaths, tension with Kabul and militant strength (lower is better for all).")
    p.add_argument("baseline", metavar="BASELINE", help="sweep file or directory of run files of the baseline")
    p.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="sweep files or directories of run files")
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="CSV table to write (the figure goes next to it)")
    p.add_argument("--baseline-point", metavar="KEY=VALUE",
                   help="BASELINE is a sweep of several design points (e.g. a policy_set or scenario choice): "
                        "this point is the baseline, every other point a scenario (e.g. policy_set=none)")
    p.add_argument("--figure", help="PNG figure (default: the CSV name with .png)")
    p.add_argument("--since", type=_date, help="count outcomes from this date on (YYYY-MM-DD); default whole run")
    _interval_args(p, 2000)
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("dose", help="dose-response: an outcome against a lever's strength, from a sweep",
                       description="From a sweep that varies a lever (e.g. a policy strength), the outcome per "
                                   "design point: median with the middle 50 %% and 90 %% of runs, and the mean with "
                                   "a bootstrap interval. Design points are never pooled; other varied "
                                   "parameters give one curve each.")
    p.add_argument("sweep", metavar="SWEEP.h5")
    p.add_argument("--lever", required=True, metavar="KEY", help="the varied key path, as in the sweep file")
    p.add_argument("--outcome", default="attacks", metavar="NAME",
                   help="an outcome of the model (e.g. attacks, police_deaths), a series NAME[:LABEL] (summed), "
                        "or a summary metric; default attacks")
    p.add_argument("--since", type=_date, metavar="DATE", help="count from DATE on (default: whole run)")
    p.add_argument("--prefix", help="write PREFIX.csv and PREFIX.png (default dose_LEVER_OUTCOME)")
    _interval_args(p, 2000, seed=False, what="confidence level of the mean")
    p.set_defaults(func=cmd_dose)

    p = sub.add_parser("sensitivity", help="first- and total-order Sobol indices from a saltelli sweep",
                       description="Sobol indices (Saltelli 2010 first order, Jansen total order) with "
                                   "percentile bootstrap CIs, from a sweep file whose /design is 'saltelli'.")
    p.add_argument("sweep", metavar="SWEEP.h5")
    p.add_argument("--output", required=True,
                   help="a summary metric (/runs/summary/NAME) or a series NAME[:LABEL] reduced per run")
    p.add_argument("--reduce", choices=["sum", "mean", "final"], default="sum",
                   help="how a series becomes one number per run (default sum)")
    p.add_argument("--prefix", help="write PREFIX.csv and PREFIX.png (default sensitivity_NAME)")
    _interval_args(p, 1000)
    p.set_defaults(func=cmd_sensitivity)

    p = sub.add_parser("calibration", help="a model's calibration targets (TTP: T1-T7) for a historical ensemble",
                       description="Compute the model's calibration targets per replica (TTP: T1-T7, the "
                                   "2020-2023 figures with their public sources, docs/analysis.md) and judge "
                                   "the ensemble against each target's band.")
    p.add_argument("files", nargs="+", metavar="FILE", help="run files (needed for T3 and T7), sweep files or "
                                                             "directories")
    p.add_argument("-o", "--output", default="calibration.csv",
                   help="CSV table (figure written next to it as .png); default calibration.csv")
    p.set_defaults(func=cmd_calibration)

    p = sub.add_parser("report", help="one self-contained HTML report of every result in a folder",
                       description="Gather the sweep and run files in DIR by scenario and write one HTML file "
                                   "with embedded figures and tables.")
    p.add_argument("directory", metavar="DIR")
    p.add_argument("-o", "--output", required=True, help="HTML file to write")
    p.add_argument("--since", type=_date, help="compare outcomes from this date on (YYYY-MM-DD)")
    p.add_argument("--boot", type=int, default=2000, help="bootstrap resamples (default 2000)")
    p.add_argument("--maps", metavar="DIR",
                   help="run files with snapshots and events (any layout below DIR) for the maps of where each "
                        "policy changes attacks and fighters against the baseline")
    p.add_argument("--posterior", metavar="FILE",
                   help="a posterior file (python3 -m borderland calibrate): adds its diagnostics (posterior "
                        "predictive checks against every observed figure, prior and posterior marginals, "
                        "correlations, what the data constrain); default: the posterior the sweeps name, "
                        "where that file exists")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("compact", help="a smaller copy of a finished sweep file: chosen series, from a date, "
                                       "compressed",
                       description="Copy a sweep file keeping design, status, summaries and provenance, and of "
                                   "/runs/timeseries only the named series from --since on, compressed per run. "
                                   "The copy is a sweep file every command reads.")
    p.add_argument("sweep", metavar="SWEEP.h5")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the compact sweep file to write")
    p.add_argument("--series", metavar="NAME,NAME", help="series to keep (default: all)")
    p.add_argument("--since", type=_date, metavar="DATE", help="keep days from DATE on (default: all)")
    p.set_defaults(func=cmd_compact)
    return parser


# Calibration (borderland.calibration) has its own command line:
#   python3 -m borderland calibrate CAL.yaml -o POSTERIOR.h5 [--resume] [--check]
#   python3 -m borderland posterior design|draw|diagnostics POSTERIOR.h5 ...
CALIBRATION_COMMANDS = {"calibrate": ["calibrate"], "posterior": []}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in CALIBRATION_COMMANDS:
        from .calibration.__main__ import main as calibration_main
        return calibration_main(CALIBRATION_COMMANDS[argv[0]] + argv[1:])
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except AnalysisInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:  # an output we cannot write
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


if __name__ == "__main__":
    sys.exit(main())
