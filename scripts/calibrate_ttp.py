#!/usr/bin/python3
"""Ensemble calibration of the TTP historical scenario against its targets T1-T7.

The targets (metric, figure, band, ensemble statistic, public source) are read from their one
definition, models/ttp/calibration/targets.yaml, through the borderland package.

Run with Debian's python (numpy, h5py):  /usr/bin/python3 scripts/calibrate_ttp.py [options]

  ensemble (default): runs --replicas seeds of scenarios/ttp/historical_2020_2023.yaml with
      the given --set overrides, reads /summary/t1..t7 from each output file and prints the
      table of models/ttp/README.md (target, median, 90 % interval, inside or not).
  --search N: random search (seeded, reproducible) over the fitted parameters: N candidates,
      each scored on --search-replicas seeds by the sum of squared, tolerance-scaled misses
      of the ensemble medians; prints the best candidates as --set lines.

Each run is `build/borderland run SCENARIO -o TMP --seed S --threads 1 --set ...`.
"""
import argparse
import concurrent.futures as cf
import math
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIO = os.path.join(ROOT, "scenarios/ttp/historical_2020_2023.yaml")

sys.path.insert(0, os.path.join(ROOT, "python"))  # this checkout's borderland package
from borderland.ttp.targets import load as load_targets  # noqa: E402

_, TARGETS = load_targets()

# Fitted parameters and their search ranges (everything else is sourced or a stated judgement).
FITTED = {
    "parameters.attacks.rate": (0.001, 0.004, "log"),
    "parameters.cycle.infiltrate_rate": (0.008, 0.04, "log"),
    "parameters.command.retaliation_per_death": (0.01, 0.08, "log"),
    "parameters.command.retaliation_max": (1.0, 6.0, "log"),
    "parameters.command.retaliation_days": (30.0, 150.0, "log"),
    "parameters.command.retaliation_lethal": (0.2, 4.0, "log"),
    "parameters.strategy.tempo_gain": (0.3, 0.8, "lin"),
    "parameters.strategy.losses_weight": (0.5, 2.5, "lin"),
    "parameters.police.post_hardness": (0.1, 0.45, "lin"),
    "parameters.tactic.suicide_attack.deaths_sigma": (0.8, 1.8, "lin"),
    "parameters.targets.hq_preference": (0.05, 0.6, "log"),
    "parameters.casualties.post_present_max": (30.0, 150.0, "log"),
    "parameters.strikes.kill_share": (0.02, 0.2, "log"),
}


def run_one(binary, seed, overrides, workdir, extra_args=()):
    out = os.path.join(workdir, f"run_{seed}_{os.getpid()}_{abs(hash(tuple(overrides))) % 10**8}.h5")
    cmd = [binary, "run", SCENARIO, "-o", out, "--seed", str(seed), "--threads", "1",
           "--set", "output.snapshot_every=0"]
    for o in overrides:
        cmd += ["--set", o]
    cmd += list(extra_args)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with h5py.File(out, "r") as f:
        summary = {k: float(v[0]) for k, v in f["summary"].items()}
    os.remove(out)
    return summary


def ensemble(binary, seeds, overrides, jobs, workdir):
    with cf.ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(lambda s: run_one(binary, s, overrides, workdir), seeds))


def _format(t):
    """How a target's values read: fractions as %, ratios with two decimals, counts whole."""
    if t.compute == "relative_change":
        return lambda x: f"{x:+.0%}"
    if t.compute == "share":
        return lambda x: f"{x:.0%}"
    if t.compute == "below_neighbours":
        return lambda x: f"{x:.2f}"
    return lambda x: f"{x:.0f}"


def table(results):
    lines = ["| target | figure | median | 90 % interval | accepted range | inside |",
             "|---|---|---|---|---|---|"]
    ok_all = True
    for t in TARGETS:
        v = np.array([r[t.metric] for r in results], dtype=float)
        v = v[np.isfinite(v)]
        med = float(np.median(v))
        q05, q95 = np.quantile(v, [0.05, 0.95])
        fmt = _format(t)
        if t.statistic == "max":
            inside = t.passes(float(v.max()))
            n80 = sum(r.get("t7_attacks_80", 0) for r in results) if t.metric == "t7" else 0
            note = (f"{'yes' if inside else 'no'} (largest {fmt(v.max())}; {(v >= (t.low or 0)).sum()}/{len(v)} runs "
                    f"at or above {fmt(t.low or 0)}" + (f", {int(n80)} attacks of 80+ in all)" if n80 else ")"))
        else:
            inside = t.passes(med)
            note = "yes" if inside else "no"
        ok_all &= inside
        band = f"{fmt(t.low) if t.low is not None else '-inf'} to {fmt(t.high) if t.high is not None else 'inf'}"
        lines.append(f"| {t.key} | {t.what}: {t.observed} | {fmt(med)} | {fmt(q05)} to {fmt(q95)} | {band} | {note} |")
    return "\n".join(lines), ok_all


def score(results):
    """Sum of squared, tolerance-scaled misses of the medians; targets without a figure (a band only)
    or judged on the maximum count as penalties."""
    s = 0.0
    for t in TARGETS:
        v = np.array([r[t.metric] for r in results], dtype=float)
        v = v[np.isfinite(v)]
        if len(v) == 0:
            return math.inf
        med = float(np.median(v))
        if t.statistic == "max":
            s += 0.0 if (t.low is None or (v >= t.low).any()) else 1.0
            s += 4.0 * float((v > t.high).mean()) if t.high is not None else 0.0
            continue
        if t.observed_value is None:  # a band only (T6: clearly below 1): aim inside it, with a margin
            s += max(0.0, med - 0.8 * t.high) ** 2 * 25 if t.high is not None else 0.0
            continue
        lo = t.low if t.low is not None else t.observed_value
        hi = t.high if t.high is not None else 2 * t.observed_value - lo
        half = (hi - lo) / 2 or 1.0
        s += ((med - t.observed_value) / half) ** 2
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(ROOT, "build/borderland"))
    ap.add_argument("--replicas", type=int, default=32)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--set", action="append", default=[], dest="overrides")
    ap.add_argument("--search", type=int, default=0, help="random-search candidates (0: just the ensemble)")
    ap.add_argument("--search-replicas", type=int, default=8)
    ap.add_argument("--log", default="", help="search: keep the five best so far in this file")
    ap.add_argument("--search-seed", type=int, default=2023)
    ap.add_argument("--around", default="", help="refine: sample near these 'key=value ...' (20 %% log-normal steps)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        if args.search:
            rng = np.random.default_rng(args.search_seed)
            seeds = range(1001, 1001 + args.search_replicas)
            best = []
            for k in range(args.search):
                centre = dict(kv.split("=", 1) for kv in args.around.split())
                cand = []
                for key, (lo, hi, scale) in FITTED.items():
                    if key in centre:
                        x = float(centre[key]) * math.exp(rng.normal(0.0, 0.2)) if k > 0 else float(centre[key])
                        x = min(max(x, lo), hi) if x > 0 or scale == "log" else x
                    elif scale == "log":
                        x = math.exp(rng.uniform(math.log(lo), math.log(hi)))
                    else:
                        x = rng.uniform(lo, hi)
                    cand.append(f"{key}={x:.6g}")
                res = ensemble(args.binary, seeds, args.overrides + cand, args.jobs, work)
                sc = score(res)
                best.append((sc, cand))
                best.sort(key=lambda t: t[0])
                print(f"[{k + 1}/{args.search}] score {sc:.3f} (best {best[0][0]:.3f})", file=sys.stderr)
                if k % 10 == 9 or k + 1 == args.search:
                    with open(args.log or os.devnull, "w") as log:
                        for sc2, c2 in best[:5]:
                            print(f"score {sc2:.3f}: " + " ".join(c2), file=log)
            for sc, cand in best[:5]:
                print(f"score {sc:.3f}: " + " ".join(f"--set {c}" for c in cand))
            return
        seeds = range(args.first_seed, args.first_seed + args.replicas)
        res = ensemble(args.binary, seeds, args.overrides, args.jobs, work)
        text, ok = table(res)
        print(f"{len(res)} replicas, seeds {seeds.start}..{seeds.stop - 1}, overrides: {' '.join(args.overrides) or 'none'}")
        print(text)
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
