"""The calibration's command line, reached as `python3 -m borderland calibrate ...` and
`python3 -m borderland posterior ...` (or `python3 -m borderland.calibration COMMAND ...`):

    calibrate CAL.yaml -o posterior.h5 [--resume] [--check] [--finish]   # --finish: a posterior of the rounds so far
    posterior design POSTERIOR.h5 --draws 100 -o draws.csv   # posterior draws as a list design for a sweep
        [--sweep SWEEP.yaml --base SCENARIO --replicas 2]     # and the sweep over draws x seeds
    posterior draw POSTERIOR.h5 --draw K                     # draw K as --set overrides, one a line
    posterior diagnostics POSTERIOR.h5 -o DIR                # PPC, marginals, correlations, constraint
    posterior check POSTERIOR.h5 CAL.yaml --draws 100 --replicas 2 -o DIR   # PPC from fresh runs

Exit codes follow the engine: 0 ok, 1 run failure, 2 bad input (located message).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys

from .errors import CalibrationInputError, CalibrationRunError

EXIT_RUN_FAILURE = 1
EXIT_BAD_INPUT = 2


def binary() -> str:
    """The borderland executable: $BORDERLAND_BIN, else build/borderland of this checkout, else PATH."""
    if os.environ.get("BORDERLAND_BIN"):
        return os.environ["BORDERLAND_BIN"]
    here = os.path.dirname(os.path.abspath(__file__))
    local = os.path.normpath(os.path.join(here, "..", "..", "..", "build", "borderland"))
    return local if os.path.exists(local) else (shutil.which("borderland") or "borderland")


def cmd_calibrate(args) -> int:
    from .calibrate import Calibration
    from .config import load_calibration
    cal = load_calibration(args.file, binary())
    if args.check:
        models = sum(p.kind == "model" for p in cal.priors)
        print(f"{args.file}: valid calibration of model {cal.model}: {len(cal.priors)} parameters "
              f"({models} model, {len(cal.priors) - models} observation), {len(cal.statistics)} statistics, "
              f"population {cal.method.population}, at most {cal.method.rounds} rounds")
        return 0
    output = args.output or os.path.splitext(os.path.basename(args.file))[0] + "_posterior.h5"
    if args.finish:
        Calibration(cal, output, binary()).finish_now()
    else:
        Calibration(cal, output, binary()).run(args.resume)
    return 0


def cmd_design(args) -> int:
    from .posterior import Posterior, sweep_yaml
    if args.sweep and not args.base:
        raise CalibrationInputError("--sweep: error: needs --base SCENARIO (the scenario the draws run)")
    fixed = {}
    for item in args.set or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise CalibrationInputError(f"--set {item}: error: expected KEY=VALUE")
        fixed[key.strip()] = value.strip()
    Posterior(args.posterior).write_design(args.output, args.draws)
    print(f"wrote {args.output} ({args.draws} draws)")
    if args.sweep:
        with open(args.sweep, "w", encoding="utf-8") as f:
            f.write(sweep_yaml(args.posterior, args.output, args.base, args.replicas, args.seed, fixed))
        print(f"wrote {args.sweep} ({args.draws} draws x {args.replicas} seeds of {args.base}: borderland sweep "
              f"{args.sweep} -o OUTPUT.h5)")
    return 0


def cmd_draw(args) -> int:
    from .posterior import Posterior
    print("\n".join(Posterior(args.posterior).draw_overrides(args.draw)))
    return 0


def cmd_diagnostics(args) -> int:
    from . import diagnostics
    from .posterior import Posterior
    written = diagnostics.write_all(Posterior(args.posterior), args.output)
    print(f"wrote {len(written)} files to {args.output}")
    return 0


def cmd_check(args) -> int:
    from . import predictive
    from .config import load_calibration
    from .posterior import Posterior
    cal = load_calibration(args.calibration, binary())
    written = predictive.write_check(Posterior(args.posterior), cal, args.draws, args.replicas, args.output,
                                     binary())
    print(f"wrote {', '.join(written)}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m borderland", description="calibration by ABC-SMC and its posterior")
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("calibrate", help="fit a model by ABC-SMC (CAL.yaml)")
    c.add_argument("file", help="calibration file (YAML)")
    c.add_argument("-o", "--output", help="posterior file (default: <CAL name>_posterior.h5)")
    c.add_argument("--resume", action="store_true", help="finish the calibration a kill left in OUTPUT.partial")
    c.add_argument("--check", action="store_true", help="only check the file (parameters, statistics)")
    c.add_argument("--finish", action="store_true",
                   help="write OUTPUT now from the rounds OUTPUT.partial holds (the state stays; --resume goes on)")
    c.set_defaults(func=cmd_calibrate)
    d = sub.add_parser("design", help="posterior draws as a list design (CSV) for borderland sweep")
    d.add_argument("posterior")
    d.add_argument("--draws", type=int, default=100, help="how many draws (default 100)")
    d.add_argument("-o", "--output", required=True, help="the list design (CSV)")
    d.add_argument("--sweep", metavar="FILE", help="also write a sweep file over the draws x seeds (YAML), "
                   "marked 'posterior: FILE' so that analysis pools the draws as one scenario")
    d.add_argument("--base", metavar="SCENARIO", help="the sweep's base scenario (with --sweep)")
    d.add_argument("--replicas", type=int, default=2, help="seeds per draw (with --sweep; default 2)")
    d.add_argument("--seed", type=int, default=2023, help="the sweep seed (with --sweep; default 2023)")
    d.add_argument("--set", action="append", metavar="KEY=VALUE", help="a fixed override of the sweep (repeatable)")
    d.set_defaults(func=cmd_design)
    k = sub.add_parser("draw", help="one draw as --set overrides")
    k.add_argument("posterior")
    k.add_argument("--draw", type=int, required=True)
    k.set_defaults(func=cmd_draw)
    g = sub.add_parser("diagnostics", help="posterior predictive checks, marginals, correlations, constraint")
    g.add_argument("posterior")
    g.add_argument("-o", "--output", required=True, help="folder for the figures and tables")
    g.set_defaults(func=cmd_diagnostics)
    c = sub.add_parser("check", help="posterior predictive check from fresh runs of the draws (draws x seeds)")
    c.add_argument("posterior")
    c.add_argument("calibration", help="the calibration file the posterior came from")
    c.add_argument("--draws", type=int, default=100, help="how many draws (default 100)")
    c.add_argument("--replicas", type=int, default=1, help="seeds per draw (default 1)")
    c.add_argument("-o", "--output", required=True, help="folder for the tables, figures and the runs")
    c.set_defaults(func=cmd_check)
    args = parser.parse_args(argv)
    from .posterior import PosteriorError
    try:
        return args.func(args)
    except (CalibrationInputError, PosteriorError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except CalibrationRunError as exc:
        print(f"calibration failed: {exc}", file=sys.stderr)
        return EXIT_RUN_FAILURE


if __name__ == "__main__":
    sys.exit(main())
