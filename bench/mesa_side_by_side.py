#!/usr/bin/python3
"""Epstein's civil violence in borderland and in Mesa's example, side by side.

Runs Mesa's `epstein_civil_violence` example (from a Mesa checkout given on the
command line; nothing of Mesa is part of borderland) and `borderland run` over
the same seeds, and prints the outburst statistics of both ensembles as a
Markdown table:

  outbursts   episodes that reach `--high` (50) actives and end when activity
              falls back to `--low` (5), per 500 steps
  peak        median and mean largest activity of an outburst
  wait        mean steps between the starts of consecutive outbursts
  active, jailed   mean shares of the citizens over all steps

Settings (`--setting`):
  matched     both at the classic Rebellion setting (40x40, citizens 0.7, cops
              0.04, vision 7, L 0.82, Jmax 30, k 2.3, T 0.1), borderland in
              Mesa's rules: von Neumann vision, sequential activation in Mesa's
              turn order (act, then move; a cop leaves the cell of its arrest),
              rounded arrest ratio
  defaults    each tool at its own defaults (borderland: scenarios/
              civil_violence.yaml as shipped; Mesa: EpsteinCivilViolence())

  bench/mesa_side_by_side.py --mesa /path/to/mesa-checkout [--borderland build/borderland]
      [--setting matched|defaults] [--seeds 4] [--first-seed 1] [--steps 500] [--save FILE.json]
      [--tools borderland,Mesa]   # one of them only: save each tool's runs apart, then --merge
  bench/mesa_side_by_side.py --merge FILE.json...   # one table of runs saved by several calls

Needs Debian's python3-numpy, -pandas, -scipy, -networkx, -tqdm (Mesa) and
python3-h5py (borderland's output). Not part of CI (it needs a Mesa checkout).
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

CLASSIC = dict(width=40, height=40, citizen_density=0.7, cop_density=0.04, citizen_vision=7,
               cop_vision=7, legitimacy=0.82, max_jail_term=30, active_threshold=0.1,
               arrest_prob_constant=2.3)


def outburst_stats(active, jailed, citizens, high, low, steps_per_unit=500):
    """Outbursts (start at >= high, end at <= low), their peaks and waits, mean shares."""
    starts, peaks, inside = [], [], False
    for t, a in enumerate(active):
        if not inside and a >= high:
            inside = True
            starts.append(t)
            peaks.append(a)
        elif inside:
            peaks[-1] = max(peaks[-1], a)
            if a <= low:
                inside = False
    waits = [b - a for a, b in zip(starts, starts[1:])]
    return dict(outbursts=len(starts) * steps_per_unit / len(active), peaks=peaks, waits=waits,
                active=statistics.fmean(active) / citizens,
                jailed=statistics.fmean(jailed) / citizens)


def run_mesa(mesa_path, seed, steps, setting):
    sys.path.insert(0, mesa_path)
    from mesa.examples.advanced.epstein_civil_violence.agents import Citizen
    from mesa.examples.advanced.epstein_civil_violence.model import EpsteinCivilViolence
    kwargs = dict(CLASSIC) if setting == "matched" else {}
    model = EpsteinCivilViolence(seed=seed, max_iters=steps + 1, **kwargs)
    citizens = len(model.agents_by_type[Citizen])
    active, jailed = [], []
    for _ in range(steps):
        model.step()
        active.append(model.ACTIVE)
        jailed.append(model.ARRESTED)
    return active, jailed, citizens


def run_borderland(binary, seed, steps, setting):
    import h5py
    start = datetime.date(2000, 1, 1)
    end = start + datetime.timedelta(days=steps - 1)
    sets = ["start=2000-01-01", f"end={end.isoformat()}", "output.snapshot_every=0"]
    if setting == "matched":
        c = CLASSIC
        sets += [f"parameters.grid.width={c['width']}", f"parameters.grid.height={c['height']}",
                 f"parameters.citizens.density={c['citizen_density']}",
                 f"parameters.cops.density={c['cop_density']}",
                 f"parameters.citizens.vision={c['citizen_vision']}",
                 f"parameters.cops.vision={c['cop_vision']}",
                 f"parameters.legitimacy={c['legitimacy']}",
                 f"parameters.max_jail_term={c['max_jail_term']}",
                 f"parameters.threshold={c['active_threshold']}",
                 f"parameters.arrest_constant={c['arrest_prob_constant']}",
                 "parameters.vision_shape=von_neumann", "parameters.activation=sequential",
                 "parameters.turn_order=act_first", "parameters.arrest_rounding=round"]
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "run.h5")
        command = [binary, "run", os.path.join(ROOT, "scenarios", "civil_violence.yaml"), "-q",
                   "--seed", str(seed), "-o", out, "--threads", "1"]
        for s in sets:
            command += ["--set", s]
        subprocess.run(command, check=True)
        with h5py.File(out, "r") as f:
            active = [float(v) for v in f["timeseries/active"][()].ravel()]
            jailed = [float(v) for v in f["timeseries/jailed"][()].ravel()]
            quiet = [float(v) for v in f["timeseries/quiescent"][()].ravel()]
    citizens = active[0] + jailed[0] + quiet[0]
    return active, jailed, citizens


def ensemble(runs, high, low):
    stats = [outburst_stats(a, j, c, high, low) for a, j, c in runs]
    peaks = [p for s in stats for p in s["peaks"]]
    waits = [w for s in stats for w in s["waits"]]
    return dict(
        outbursts=statistics.fmean(s["outbursts"] for s in stats),
        peak_median=statistics.median(peaks) if peaks else float("nan"),
        peak_mean=statistics.fmean(peaks) if peaks else float("nan"),
        wait=statistics.fmean(waits) if waits else float("nan"),
        active=statistics.fmean(s["active"] for s in stats),
        jailed=statistics.fmean(s["jailed"] for s in stats))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mesa", help="a Mesa checkout (v3.x) holding mesa/examples")
    parser.add_argument("--borderland", default=os.path.join(ROOT, "build", "borderland"))
    parser.add_argument("--setting", choices=["matched", "defaults"], default="matched")
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--high", type=float, default=50)
    parser.add_argument("--low", type=float, default=5)
    parser.add_argument("--tools", default="borderland,Mesa",
                        help="which tools to run (comma-separated; --merge joins files that "
                             "hold one tool each)")
    parser.add_argument("--save", help="also write every run's series to this JSON file")
    parser.add_argument("--merge", nargs="+", metavar="JSON",
                        help="print the table of runs saved by earlier --save calls instead of running")
    args = parser.parse_args()
    if args.merge:
        runs = {"borderland": [], "Mesa": []}
        for name in args.merge:
            with open(name) as f:
                saved = json.load(f)
            for tool in runs:
                runs[tool] += saved.get(tool, [])
        steps = len(runs["Mesa"][0][0]) if runs["Mesa"] else 0
        print_table({tool: ensemble(r, args.high, args.low) for tool, r in runs.items()},
                    f"{len(runs['Mesa'])} runs of each tool from {' '.join(args.merge)}, {steps} steps",
                    args)
        return 0
    tools = args.tools.split(",")
    if any(t not in ("borderland", "Mesa") for t in tools):
        print(f"mesa_side_by_side.py: error: --tools {args.tools}: expected borderland and/or Mesa",
              file=sys.stderr)
        return 2
    if "Mesa" in tools and not os.path.isdir(os.path.join(args.mesa or "", "mesa", "examples")):
        print(f"mesa_side_by_side.py: error: --mesa {args.mesa}: no mesa/examples there", file=sys.stderr)
        return 2
    if "borderland" in tools and not os.access(args.borderland, os.X_OK):
        print(f"mesa_side_by_side.py: error: --borderland {args.borderland}: not an executable",
              file=sys.stderr)
        return 2
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    runs = {"borderland": [run_borderland(args.borderland, s, args.steps, args.setting)
                           for s in seeds] if "borderland" in tools else [],
            "Mesa": [run_mesa(args.mesa, s, args.steps, args.setting) for s in seeds]
            if "Mesa" in tools else []}
    if args.save:
        with open(args.save, "w") as f:
            json.dump(runs, f)
    if len(tools) < 2:
        return 0
    print_table({tool: ensemble(r, args.high, args.low) for tool, r in runs.items()},
                f"setting: {args.setting}, seeds {seeds.start}..{seeds.stop - 1} x {args.steps} steps",
                args)
    return 0


def print_table(tools, title, args):
    print(f"{title}, outburst: >= {args.high:g} actives until <= {args.low:g}\n")
    rows = [("outbursts per 500 steps", "outbursts", "{:.2f}"),
            ("median peak (actives)", "peak_median", "{:.0f}"),
            ("mean peak (actives)", "peak_mean", "{:.0f}"),
            ("mean wait between outbursts (steps)", "wait", "{:.0f}"),
            ("mean active share", "active", "{:.3f}"),
            ("mean jailed share", "jailed", "{:.3f}")]
    print("| statistic | borderland | Mesa | ratio |")
    print("|---|---|---|---|")
    for label, key, fmt in rows:
        b, m = tools["borderland"][key], tools["Mesa"][key]
        ratio = b / m if m else float("nan")
        print(f"| {label} | {fmt.format(b)} | {fmt.format(m)} | {ratio:.2f} |")


if __name__ == "__main__":
    sys.exit(main())
