#!/usr/bin/python3
"""Digests of every output dataset of every scenario, to show that a refactoring left behaviour unchanged.

Runs `borderland run` on every scenario in scenarios/ (or those given) for each seed, then hashes every
dataset of each output file (SHA-256 of its values as stored). Attributes are left out on purpose: they
carry provenance (created_utc, git_commit, threads) that differs between identical runs. The resolved
scenario (/scenario/resolved) is hashed apart, because it lists every model parameter with its default
and so changes whenever a parameter is added, even when no output does.

    /usr/bin/python3 scripts/output_digests.py --borderland build/borderland --seeds 1 2 3 > before.txt
    ... change the code, rebuild ...
    /usr/bin/python3 scripts/output_digests.py --borderland build/borderland --seeds 1 2 3 > after.txt
    diff before.txt after.txt

One line per (scenario, seed): the digest over all datasets but the resolved scenario, then that of the
resolved scenario; with --datasets, one more line per dataset.
"""
import argparse
import glob
import hashlib
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APART = "scenario/resolved"


def dataset_digests(path):
    out = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            data = obj[()]
            if isinstance(data, np.ndarray) and data.dtype.kind == "O":
                raw = b"\0".join(x if isinstance(x, bytes) else str(x).encode() for x in data.ravel())
            elif isinstance(data, np.ndarray):
                raw = np.ascontiguousarray(data).tobytes()
            elif isinstance(data, bytes):
                raw = data
            else:
                raw = np.asarray(data).tobytes()
            out[name] = hashlib.sha256(str(obj.shape).encode() + str(obj.dtype).encode() + raw).hexdigest()

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return out


def combined(digests, names):
    h = hashlib.sha256()
    for n in sorted(names):
        h.update(n.encode() + b"=" + digests[n].encode() + b"\n")
    return h.hexdigest()[:16]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--borderland", default=os.path.join(ROOT, "build/borderland"))
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--datasets", action="store_true", help="also print the digest of every dataset")
    ap.add_argument("scenarios", nargs="*", help="default: every scenarios/*.yaml and scenarios/*/*.yaml "
                    "except sweeps")
    args = ap.parse_args()
    scenarios = args.scenarios or sorted(
        p for p in glob.glob(os.path.join(ROOT, "scenarios/*.yaml")) + glob.glob(os.path.join(ROOT, "scenarios/*/*.yaml"))
        if "/sweeps/" not in p)
    with tempfile.TemporaryDirectory() as tmp:
        for scenario in scenarios:
            for seed in args.seeds:
                out = os.path.join(tmp, "run.h5")
                cmd = [args.borderland, "run", scenario, "-o", out, "--seed", str(seed),
                       "--threads", str(args.threads)]
                r = subprocess.run(cmd, capture_output=True, text=True)
                name = os.path.relpath(scenario, ROOT)
                if r.returncode != 0:
                    print(f"{name} seed={seed} FAILED rc={r.returncode}: {r.stderr.strip()}")
                    continue
                d = dataset_digests(out)
                outputs = [n for n in d if n != APART]
                print(f"{name} seed={seed} outputs={combined(d, outputs)} resolved={d.get(APART, '-')[:16]}")
                if args.datasets:
                    for n in sorted(d):
                        print(f"  {n} {d[n][:16]}")
                sys.stdout.flush()
                os.remove(out)


if __name__ == "__main__":
    main()
