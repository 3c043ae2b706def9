#!/usr/bin/env python3
"""The calibrated model's forecast for 2023 and 2024 under the policies Pakistan pursued.

Reads a sweep of scenarios/ttp/realised_2023_2024.yaml over posterior draws x seeds and prints,
per calendar year, the median and 90 % interval over the runs of: attacks (as the model counts
them, and as PICSS would, each run thinned by its draw's fitted PICSS reporting rate), the shares
of Khyber Pakhtunkhwa (with the former tribal districts) and Balochistan, suicide attacks, and the
victims of attacks by group (police, army, civilians). The intervals cover parameter and seed
uncertainty together (the runs are draws x seeds). Nothing observed after 28 February 2023 is
read: this is the forecast the later counts will judge.

    python3 -m borderland posterior design models/ttp/calibration/posterior.h5 --draws 100 \\
        -o draws.csv --sweep realised.yaml --base scenarios/ttp/realised_2023_2024.yaml --replicas 2 \\
        --set output.snapshot_every=0 \\
        --set "output.series=[attacks, attack_killed, attacks_by_province, attacks_by_tactic]"
    build/borderland sweep realised.yaml -o realised.h5
    /usr/bin/python3 scripts/forecast_realised.py realised.h5 [--csv forecast.csv]
"""
import argparse
import sys

import h5py
import numpy as np

YEARS = (2023, 2024)
KP_PROVINCES = ("Khyber Pakhtunkhwa", "Federally Administered Tribal Areas")  # the map's pre-2018 units
PICSS_RATE = "observation.PICSS.reporting_rate"
QUANTILES = (0.05, 0.5, 0.95)
RUN_OK = 1  # /runs/status of a finished run (sim/experiments/sweep_file.hpp)
THINNING_SEED = 20230301  # the binomial thinning of the PICSS view: fixed, so the table repeats


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def labels(ds):
    return text(ds.attrs["labels"]).split(",")


def picss_rates(sweep):
    """The PICSS reporting rate of each run's posterior draw: the sweep's design (`posterior:`)
    names the posterior file, and each run's parameter values are those of one of its draws."""
    design = sweep["design"]
    if "posterior" not in design.attrs:
        sys.exit("forecast: the sweep is not over posterior draws (its design has no 'posterior')")
    with h5py.File(text(design.attrs["posterior"]), "r") as post:
        keys = [text(k) for k in post["draws/key"][...]]
        values = post["draws/value"][...]
    first = next(i for i, k in enumerate(keys) if k.startswith("parameters."))
    # The design copies the draws' values exactly, so one parameter finds each run's draw.
    draw_of = [int(np.flatnonzero(values[:, first] == v)[0]) for v in design[keys[first]][...]]
    return values[draw_of, keys.index(PICSS_RATE)]


def year_mask(dates, year):
    return np.array([d.startswith(str(year)) for d in dates])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sweep", help="sweep file of realised_2023_2024.yaml over posterior draws x seeds")
    ap.add_argument("--csv", help="also write the table as CSV")
    args = ap.parse_args()
    with h5py.File(args.sweep, "r") as f:
        ts = f["runs/timeseries"]
        ok = f["runs/status"][...] == RUN_OK
        dates = [text(d) for d in ts["date"][...]]
        attacks = ts["attacks"][...][ok]
        by_province = ts["attacks_by_province"][...][ok]
        provinces = labels(ts["attacks_by_province"])
        by_tactic = ts["attacks_by_tactic"][...][ok]
        suicide = labels(ts["attacks_by_tactic"]).index("suicide_attack")
        victims = ts["attack_killed"][...][ok]
        groups = labels(ts["attack_killed"])
        rates = picss_rates(f)[ok]
    rng = np.random.default_rng(THINNING_SEED)
    kp = [provinces.index(p) for p in KP_PROVINCES]
    baloch = provinces.index("Balochistan")
    rows = []
    for year in YEARS:
        m = year_mask(dates, year)
        a = attacks[:, m].sum(axis=1)
        share = lambda cols: by_province[:, m][:, :, cols].sum(axis=(1, 2)) / np.maximum(a, 1)
        stats = {
            "attacks (model events)": a,
            "attacks as PICSS counts them": rng.binomial(a, rates),
            "KP share of attacks": share(kp),
            "Balochistan share of attacks": share([baloch]),
            "suicide attacks": by_tactic[:, m, suicide].sum(axis=1),
        }
        for g in ("police", "army", "civilians"):
            stats[f"{g} killed in attacks"] = victims[:, m, groups.index(g)].sum(axis=1)
        for name, v in stats.items():
            lo, med, hi = np.quantile(v, QUANTILES)
            rows.append((year, name, med, lo, hi))
    n = int(ok.sum())
    print(f"# {args.sweep}: {n} runs (posterior draws x seeds); median [5 %, 95 %]")
    for year, name, med, lo, hi in rows:
        fmt = "{:.2f}" if "share" in name else "{:.0f}"
        print(f"{year}  {name:32s} {fmt.format(med)} [{fmt.format(lo)}, {fmt.format(hi)}]")
    if args.csv:
        with open(args.csv, "w") as out:
            out.write("year,statistic,median,q05,q95\n")
            for row in rows:
                out.write("{},{},{:.6g},{:.6g},{:.6g}\n".format(*row))


if __name__ == "__main__":
    main()
