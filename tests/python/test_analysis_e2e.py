"""End to end: the real engine writes small outputs, every analysis command reads them.

The executable is $BORDERLAND_BIN (ctest sets it), else build/borderland. Runs go to a temporary
folder: civil_violence for 90 days (3 seeds, plus a 2-parameter Saltelli sweep: `borderland sweep` where
the executable has it, else the same runs assembled into a sweep file), and the TTP model when the executable
has it: the historical scenario in full (3 seeds, for the calibration targets) and two projections
(baseline, police_reform) up to 2023-08-31 (3 seeds each). Each analysis command then runs as a
process, as a user would run it; the checks are on exit codes, files and content.
"""
from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest

import synth

REPO = synth.REPO
SEEDS = (1, 2, 3)
PROJECTION_START = "2023-03-01"


BIN = synth.engine_binary()
pytestmark = pytest.mark.skipif(
    BIN is None, reason="no engine: BORDERLAND_BIN is unset and build/borderland does not exist "
                        "(build with scripts/setup.sh, or run through ctest)")


def engine(*args, timeout=120):
    proc = subprocess.run([BIN, *map(str, args)], cwd=REPO, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"borderland {' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stderr}"
    return proc


def analysis(*args):
    """python3 -m borderland ARGS as a process: (exit status, stdout, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "borderland", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, env=synth.python_env(), timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stdout, proc.stderr


def run_all(jobs):
    """[(scenario, out, seed, extra args)] on the engine, as many at a time as there are cores."""
    def one(job):
        scenario, out, seed, extra = job
        out.parent.mkdir(parents=True, exist_ok=True)
        engine("run", scenario, "-o", out, "--seed", seed, "--threads", 1, "-q", *extra)
        return out
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(one, jobs))


def has_ttp() -> bool:
    return BIN is not None and "ttp" in engine("models").stdout.split()


def png_ok(path: Path, min_bytes=8_000):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > min_bytes, path


def attr(f, key):
    value = f.attrs[key]
    return value.decode() if isinstance(value, (bytes, np.bytes_)) else value


# ------------------------------------------------------------------ civil violence (always there)
CV = REPO / "scenarios" / "civil_violence.yaml"
CV_UNTIL = "2000-03-31"  # 90 days
SALTELLI = {"parameters.legitimacy": (0.7, 0.9), "parameters.cops.density": (0.02, 0.08)}
N_BASE = 8


def has_sweep() -> bool:
    return BIN is not None and re.search(r"^\s+sweep\s", engine("--help").stdout, re.M) is not None


@pytest.fixture(scope="module")
def cv(tmp_path_factory):
    """Three 90-day runs, and a Saltelli sweep: `borderland sweep` where the executable has it,
    else the same design run one by one and assembled into a sweep file (synth.sweep_from_runs)."""
    root = tmp_path_factory.mktemp("cv")
    jobs = [(CV, root / "runs" / f"seed_{s}.h5", s, ["--until", CV_UNTIL]) for s in SEEDS]
    sweep = root / "saltelli.h5"
    if has_sweep():
        spec = root / "saltelli.yaml"
        ranges = "".join(f"  {name}: {{min: {lo}, max: {hi}}}\n" for name, (lo, hi) in SALTELLI.items())
        spec.write_text(f"description: e2e saltelli\nbase: {CV}\nset:\n  end: {CV_UNTIL}\n"
                        f"  output.snapshot_every: 0\ndesign: saltelli\nsamples: {N_BASE}\nreplicas: 1\n"
                        f"seed: 7\nparameters:\n{ranges}")
        engine("sweep", spec, "-o", sweep, "--threads", os.cpu_count() or 2, "-q")
        paths = run_all(jobs)
    else:
        points = synth.saltelli_design(N_BASE, list(SALTELLI.values()), seed=3)
        for i, row in enumerate(points):
            sets = [a for name, v in zip(SALTELLI, row) for a in ("--set", f"{name}={v:.6f}")]
            jobs.append((CV, root / "saltelli" / f"run_{i:03d}.h5", 100 + i, ["--until", CV_UNTIL, *sets]))
        paths = run_all(jobs)
        synth.sweep_from_runs(sweep, paths[len(SEEDS):], {name: points[:, j] for j, name in enumerate(SALTELLI)},
                              base_samples=N_BASE, scenario="civil_violence")
    return {"root": root, "runs": root / "runs", "files": paths[:len(SEEDS)], "sweep": sweep}


def test_cv_plot_ensemble_and_one_run(cv, tmp_path):
    rc, out, err = analysis("plot", cv["runs"], "-o", tmp_path / "active.png", "--series", "active")
    assert rc == 0, err
    png_ok(tmp_path / "active.png")
    assert f"civil_violence: {len(SEEDS)} run(s)" in out
    rc, out, err = analysis("plot", cv["files"][0], "-o", tmp_path / "arrests.png", "--series", "arrests")
    assert rc == 0, err
    assert "civil_violence: 1 run(s)" in out


def test_cv_map_of_snapshots(cv, tmp_path):
    with h5py.File(cv["files"][0]) as f:
        snapshots = len(f["snapshots/step"])
    rc, out, err = analysis("map", cv["files"][0], "--field", "state", "-o", tmp_path / "m.png",
                            "--gif", tmp_path / "m.gif")
    assert rc == 0, err
    png_ok(tmp_path / "m.png")
    assert f"{snapshots} snapshots of 'state'" in out and f"({snapshots} frames)" in out
    assert (tmp_path / "m.gif").read_bytes()[:6] in (b"GIF87a", b"GIF89a")


def test_cv_plot_of_a_sweep_file(cv, tmp_path):
    rc, out, err = analysis("plot", cv["sweep"], "-o", tmp_path / "sweep.png", "--series", "arrests")
    assert rc == 0, err
    png_ok(tmp_path / "sweep.png")
    # every design point is its own ensemble (never pooled as replicas), labelled with its values
    with h5py.File(cv["sweep"]) as f:
        design = pd.DataFrame({k: f["design"][k][()] for k in SALTELLI})
    counts = [int(n) for n in re.findall(r"\]: (\d+) run\(s\)", out)]
    assert len(counts) == len(design.drop_duplicates()) and sum(counts) == N_BASE * (len(SALTELLI) + 2)
    assert "civil_violence [" in out


def test_cv_sensitivity_on_engine_runs(cv, tmp_path):
    stem = tmp_path / "sens"
    rc, out, err = analysis("sensitivity", cv["sweep"], "--output", "total_arrests", "--prefix", stem,
                            "--boot", 200)
    assert rc == 0, err
    png_ok(Path(f"{stem}.png"))
    table = pd.read_csv(f"{stem}.csv")
    assert sorted(table["parameter"]) == sorted(SALTELLI)
    numbers = table.select_dtypes("number").to_numpy()
    assert np.isfinite(numbers).all()
    # arrests need cops: the cop density must carry a visible share of the variance
    cops = table.set_index("parameter").loc["parameters.cops.density"]
    assert cops["ST"] > 0.05, table


def test_cv_report_for_a_model_without_ttp_series(cv, tmp_path):
    rc, out, err = analysis("report", cv["runs"], "-o", tmp_path / "cv.html")
    assert rc == 0, err
    page = (tmp_path / "cv.html").read_text()
    assert "civil_violence" in page and "1, 2, 3" in page
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert images, "the report shows the model's own series"
    assert "active" in page or len(base64.b64decode(images[0])) > 20_000


def test_bad_real_files_exit_2_naming_file_and_dataset(cv, tmp_path):
    broken = tmp_path / "no_active.h5"
    broken.write_bytes(cv["files"][0].read_bytes())
    with h5py.File(broken, "a") as f:
        del f["timeseries/active"]
    rc, _, err = analysis("plot", broken, "-o", tmp_path / "x.png", "--series", "active")
    assert rc == 2 and str(broken) in err and "/timeseries/active" in err
    truncated = tmp_path / "truncated.h5"
    truncated.write_bytes(cv["files"][0].read_bytes()[:4096])
    rc, _, err = analysis("plot", truncated, "-o", tmp_path / "y.png", "--series", "active")
    assert rc == 2 and str(truncated) in err


# ------------------------------------------------------------------ TTP (once the executable has it)
TTP = REPO / "scenarios" / "ttp"
PROJECTION_UNTIL = "2023-08-31"


@pytest.fixture(scope="module")
def ttp(tmp_path_factory):
    if not has_ttp():
        pytest.skip(f"{BIN} has no 'ttp' model yet")
    wanted = ["historical_2020_2023", "baseline", "police_reform"]
    missing = [n for n in wanted if not (TTP / f"{n}.yaml").exists()]
    if missing:
        pytest.skip(f"scenarios/ttp/ lacks {', '.join(missing)}")
    root = tmp_path_factory.mktemp("ttp")
    jobs = [(TTP / "historical_2020_2023.yaml", root / "runs" / "historical_2020_2023" / f"seed_{s}.h5", s, [])
            for s in SEEDS]
    for name in wanted[1:]:
        jobs += [(TTP / f"{name}.yaml", root / "runs" / name / f"seed_{s}.h5", s, ["--until", PROJECTION_UNTIL])
                 for s in SEEDS]
    run_all(jobs)
    return {"root": root, "runs": root / "runs", "dir": {n: root / "runs" / n for n in wanted}}


def test_ttp_plot_history_and_two_scenarios(ttp, tmp_path):
    rc, out, err = analysis("plot", ttp["dir"]["historical_2020_2023"], "-o", tmp_path / "p.png",
                            "--series", "killed:police")
    assert rc == 0, err
    png_ok(tmp_path / "p.png")
    assert f"historical_2020_2023: {len(SEEDS)} run(s)" in out
    rc, out, err = analysis("plot", ttp["dir"]["baseline"], ttp["dir"]["police_reform"], "-o", tmp_path / "t.png",
                            "--series", "tension")
    assert rc == 0, err
    assert f"baseline: {len(SEEDS)} run(s), police_reform: {len(SEEDS)} run(s)" in out


def test_ttp_map_on_the_real_map(ttp, tmp_path):
    run = ttp["dir"]["historical_2020_2023"] / "seed_1.h5"
    with h5py.File(run) as f:
        fields = [k for k in f["snapshots"] if k not in ("step", "date")]
        snapshots = len(f["snapshots/step"])
    field = "fighters" if "fighters" in fields else fields[0]
    rc, out, err = analysis("map", run, "--field", field, "-o", tmp_path / "m.png")  # the GIF: on civil_violence
    assert rc == 0, err
    png_ok(tmp_path / "m.png", min_bytes=50_000)
    assert f"{snapshots} snapshots of '{field}'" in out


def test_ttp_compare_numbers_match_the_files(ttp, tmp_path):
    csv = tmp_path / "compare.csv"
    rc, out, err = analysis("compare", ttp["dir"]["baseline"], ttp["dir"]["police_reform"], "-o", csv,
                            "--since", PROJECTION_START, "--boot", 500)
    assert rc == 0, err
    png_ok(tmp_path / "compare.png")
    table = pd.read_csv(csv).set_index("outcome")
    assert list(table.index) == ["attacks", "police killed", "civilians killed", "tension with the Afghan Taliban (mean, 0-1)",
                                 "militant strength at the end (fighters)"]
    assert (table["scenario"] == "police_reform").all() and table["paired"].all()
    assert (table["replicas_baseline"] == len(SEEDS)).all() and (table["replicas_scenario"] == len(SEEDS)).all()
    assert ((table["diff_low"] <= table["difference"]) & (table["difference"] <= table["diff_high"])).all()
    assert table["p_better"].between(0, 1).all()
    # the baseline's attacks and police deaths from 2023-03-01, straight from the files
    attacks, police = [], []
    for s in SEEDS:
        with h5py.File(ttp["dir"]["baseline"] / f"seed_{s}.h5") as f:
            dates = np.array([d.decode() for d in f["timeseries/date"][()]], dtype="datetime64[D]")
            keep = dates >= np.datetime64(PROJECTION_START)
            attacks.append(f["timeseries/attacks"][()][keep].sum())
            labels = attr(f["timeseries/killed"], "labels").split(",")
            police.append(f["timeseries/killed"][()][keep, labels.index("police")].sum())
    assert table.loc["attacks", "baseline_mean"] == pytest.approx(np.mean(attacks))
    assert table.loc["police killed", "baseline_mean"] == pytest.approx(np.mean(police))
    assert "police_reform" in out and "P(better)" in out


def test_ttp_calibration_agrees_with_the_engines_summary(ttp, tmp_path):
    csv = tmp_path / "calibration.csv"
    rc, out, err = analysis("calibration", ttp["dir"]["historical_2020_2023"], "-o", csv)
    assert rc == 0, err
    png_ok(tmp_path / "calibration.png")
    table = pd.read_csv(csv)
    assert list(table["target"].unique()) == [f"T{i}" for i in range(1, 8)]
    assert set(table["result"]) <= {"pass", "FAIL"}, "a full historical run covers every target's window"
    assert (table["replicas"] == len(SEEDS)).all()
    # the model's summary metrics t1..t7 and the analysis read the same targets.yaml: the same numbers
    summary = {k: [] for k in ("t1", "t2", "t3", "t3_incidents", "t4", "t5", "t6")}
    for s in SEEDS:
        with h5py.File(ttp["dir"]["historical_2020_2023"] / f"seed_{s}.h5") as f:
            for k in summary:
                summary[k].append(float(np.ravel(f[f"summary/{k}"][()])[0]))
    median = table.set_index("key")["median"]
    expect = {"T1": "t1", "T2": "t2", "T3_deaths": "t3", "T3_incidents": "t3_incidents", "T4": "t4", "T5": "t5",
              "T6": "t6"}
    for key, metric in expect.items():
        assert median[key] == pytest.approx(np.median(summary[metric]), rel=1e-9, abs=1e-9), key
    assert "target quantities pass" in out


def test_ttp_report_states_scenarios_seeds_version(ttp, tmp_path):
    html = tmp_path / "report.html"
    rc, out, err = analysis("report", ttp["runs"], "-o", html, "--since", PROJECTION_START, "--boot", 300)
    assert rc == 0, err
    page = html.read_text()
    with h5py.File(ttp["dir"]["baseline"] / "seed_1.h5") as f:
        version, commit = attr(f, "borderland_version"), attr(f, "git_commit")
    for text in ("History, Jan 2020 - Feb 2023", "Baseline (policies of Feb 2023 continue)", "Police reform",
                 "1, 2, 3", version, commit, "Calibration and history", "What each policy changes", "P(better)",
                 "Projections over time", "2020-01-01 .. 2023-02-28",
                 # the policy in words and numbers, from the resolved scenario and the model's descriptions
                 "police reform</b>: training", "From 2023-03-01 to 2026-12-31",
                 "ramps up linearly over the first 730 days", "training = 0.3",
                 # effects in % and in absolute numbers, the period, what the intervals cover
                 "police deaths averted", "change [%]", "1 Mar 2023 - 31 Aug 2023", "What the intervals cover",
                 # where: maps against the baseline from the series and the runs' snapshots
                 "Where each policy changes attacks", "Where each policy changes militant fighters",
                 "Sources", "Crisis Group"):
        assert text in page, text
    # Names of things outside the repository that a reader does not have (the team's domain notes,
    # the shared folder, issue numbers), spelled in parts so that this check is not itself one.
    for outside in ("DOMAIN" + ".md", "../" + "shared", "issue" + " 4", "issue" + " "):
        assert outside not in page, outside
    sources = re.findall(r"seed_\d+\.h5", page)
    assert sources[:3] == ["seed_1.h5", "seed_2.h5", "seed_3.h5"]
    images = re.findall(r'alt="([^"]+)" src="data:image/png;base64,([^"]+)"', page)
    assert {"compare.png", "map_attacks.png", "map_fighters.png"} <= {name for name, _ in images}
    assert len(images) >= 6  # comparison, two maps, projection panels, calibration, historical series
    for _, data in images:
        assert base64.b64decode(data)[:8] == b"\x89PNG\r\n\x1a\n"
    assert "skipped" not in err


def test_ttp_report_sorts_seeds_naturally(ttp, tmp_path):
    """seed_2 before seed_10 in the provenance, whatever the directory listing says."""
    folder = tmp_path / "runs"
    folder.mkdir()
    for seed, target in ((1, 10), (2, 2), (3, 1)):
        (folder / f"seed_{target}.h5").write_bytes((ttp["dir"]["baseline"] / f"seed_{seed}.h5").read_bytes())
    html = tmp_path / "r.html"
    rc, _, err = analysis("report", folder, "-o", html, "--boot", 100)
    assert rc == 0, err
    assert re.findall(r"seed_\d+\.h5", html.read_text())[:3] == ["seed_1.h5", "seed_2.h5", "seed_10.h5"]
