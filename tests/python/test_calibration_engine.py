"""ABC-SMC through borderland sweep on a synthetic problem made by the model itself.

Civil violence at 20 x 20 cells for 90 days, two parameters with known values
(calibration_helpers.TRUTH): the method must find them (inside the 90 % credible
interval, the identifiable one narrowed well below its prior), the posterior file
must give them back to `borderland run --posterior`, and a calibration killed in
the middle of a round must resume to the same posterior.
"""
import os
import signal
import subprocess
import sys
import time

import h5py
import numpy as np
import pytest

import calibration_helpers as ch
from borderland.calibration import diagnostics
from borderland.calibration.posterior import Posterior

pytestmark = pytest.mark.skipif(ch.BIN is None, reason=ch.NO_ENGINE)


@pytest.fixture(scope="module")
def problem(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic")
    observed = ch.observed_from_truth(folder)
    cal = ch.write_calibration(folder, observed)
    out = folder / "posterior.h5"
    done = ch.calibrate(cal, out)
    assert done.returncode == 0, done.stderr
    return folder, cal, out


def test_recovers_the_truth(problem):
    _, _, out = problem
    post = Posterior(str(out))
    table = diagnostics.constraint_table(post).set_index("parameter")
    for key, truth in ch.TRUTH.items():
        row = table.loc[key]
        assert row["p05"] <= truth <= row["p95"], (key, truth, row.to_dict())
    # legitimacy drives how many are jailed: the data pin it down
    assert table.loc["parameters.legitimacy", "sd_ratio"] < 0.5
    lo, hi = ch.PRIORS["parameters.legitimacy"]
    width = table.loc["parameters.legitimacy", "p95"] - table.loc["parameters.legitimacy", "p05"]
    assert width < 0.5 * 0.9 * (hi - lo)      # the prior's 90 % interval is 0.9 of its range
    assert np.all(np.diff(post.schedule["epsilon"][1:]) <= 0)


def test_posterior_file_round_trips(problem, tmp_path):
    _, _, out = problem
    post = Posterior(str(out))
    with h5py.File(out, "r") as f:
        assert f.attrs["format"] == b"borderland-posterior"
        assert f["population/theta"].shape == (100, 2) and f["draws/value"].shape == (200, 2)
        assert np.isclose(f["population/weight"][()].sum(), 1.0)
        assert "calibration_yaml" in f.attrs and len(f["schedule/epsilon"]) == len(f["rounds"])
        assert f.attrs["base_scenario_yaml"].decode() == ch.SCENARIO
        assert f.attrs["borderland_version"].decode().startswith("borderland ")
        assert [s.decode() for s in f["statistics/name"][()]] == [n for n, *_ in ch.STATISTICS]
    # draw K: the engine reads the same values the Python side wrote
    k = 7
    overrides = post.draw_overrides(k)
    scenario = ch.write_scenario(tmp_path)
    a, b = tmp_path / "posterior_draw.h5", tmp_path / "set.h5"
    run = [ch.BIN, "run", str(scenario), "-q", "--threads", "1"]
    assert subprocess.run(run + ["--posterior", str(out), "--draw", str(k), "-o", str(a)]).returncode == 0
    sets = [x for o in overrides for x in ("--set", o)]
    assert subprocess.run(run + sets + ["-o", str(b)]).returncode == 0
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        for name in ("active", "jailed", "arrests"):
            assert np.array_equal(fa[f"timeseries/{name}"][()], fb[f"timeseries/{name}"][()])
        resolved = fa["scenario/resolved"][()].decode()
    assert f"legitimacy: {post.draws[k, 0]!r}" in resolved
    # the draws as a list design for a sweep
    design = tmp_path / "draws.csv"
    post.write_design(str(design), 20)
    lines = [line for line in design.read_text().splitlines() if not line.startswith("#")]
    assert lines[0] == "parameters.legitimacy,parameters.cops.density" and len(lines) == 21
    # bad draws and files: located, exit 2
    bad = subprocess.run(run + ["--posterior", str(out), "--draw", "200", "-o", str(tmp_path / "x.h5")],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "--draw: error: expected a draw in 0..199" in bad.stderr
    bad = subprocess.run(run + ["--posterior", str(a), "--draw", "0", "-o", str(tmp_path / "x.h5")],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and f"--posterior {a}: error: attribute '/format'" in bad.stderr
    assert not (tmp_path / "x.h5").exists()


def test_diagnostics_write_every_table_and_figure(problem, tmp_path):
    _, _, out = problem
    written = diagnostics.write_all(Posterior(str(out)), str(tmp_path / "diag"))
    names = {os.path.basename(p) for p in written}
    assert names == {"predictive.csv", "parameters.csv", "correlations.csv", "predictive.png", "marginals.png",
                     "correlations.png", "schedule.png", "summary.md"}
    predictive = diagnostics.predictive_table(Posterior(str(out)))
    assert predictive["inside_90"].all()        # the truth's own statistics lie in the predictive bands
    summary = (tmp_path / "diag" / "summary.md").read_text()
    constrained = next(line for line in summary.splitlines() if line.startswith("- parameters constrained"))
    assert "parameters.legitimacy" in constrained


def _round_files(work):
    return sorted(os.listdir(work)) if os.path.isdir(work) else []


def test_killed_calibration_resumes_to_the_same_posterior(tmp_path):
    observed = ch.observed_from_truth(tmp_path)
    cal = ch.write_calibration(tmp_path, observed, population=40, rounds=4, seed=23)
    whole = tmp_path / "whole.h5"
    assert ch.calibrate(cal, whole).returncode == 0
    broken = tmp_path / "broken.h5"
    env = ch.synth.python_env(BORDERLAND_BIN=ch.BIN)
    proc = subprocess.Popen([sys.executable, "-m", "borderland.calibration", "calibrate", str(cal), "-o",
                             str(broken)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    work = str(broken) + ".work"
    deadline = time.monotonic() + 120
    # kill it while round 2 runs: rounds 0 and 1 are in the state, round 2's sweep is under way
    while not any(f.startswith("round_02") for f in _round_files(work)) and time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not broken.exists() and os.path.exists(str(broken) + ".partial"), "killed too late"
    again = ch.calibrate(cal, broken)
    assert again.returncode == 2 and "add --resume" in again.stderr     # never overwritten silently
    resumed = ch.calibrate(cal, broken, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming" in resumed.stderr
    with h5py.File(whole, "r") as a, h5py.File(broken, "r") as b:
        for name in ("population/theta", "population/weight", "population/distance", "draws/value",
                     "schedule/epsilon", "schedule/simulations"):
            assert np.array_equal(a[name][()], b[name][()]), name


def test_predictive_check_from_fresh_runs_of_the_draws(problem, tmp_path):
    _, cal, out = problem
    env = ch.synth.python_env(BORDERLAND_BIN=ch.BIN)
    done = subprocess.run([sys.executable, "-m", "borderland", "posterior", "check", str(out), str(cal),
                           "--draws", "30", "--replicas", "2", "-o", str(tmp_path / "check")],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    import pandas as pd
    table = pd.read_csv(tmp_path / "check" / "predictive_draws.csv")
    assert list(table["statistic"]) == [n for n, *_ in ch.STATISTICS]
    assert table["inside_90"].all()        # 60 fresh runs of the posterior cover the truth's statistics
    with h5py.File(tmp_path / "check" / "runs" / "predictive.h5", "r") as f:
        assert f["runs/status"].shape == (60,) and (f["runs/status"][()] == 1).all()
    # a posterior with other parameters than the calibration file is refused, located
    other = tmp_path / "other.yaml"
    other.write_text(cal.read_text().replace("    parameters.cops.density: {min: 0.02, max: 0.08}\n", ""))
    (tmp_path / "cv_small.yaml").write_text(ch.SCENARIO)
    bad = subprocess.run([sys.executable, "-m", "borderland", "posterior", "check", str(out), str(other),
                          "-o", str(tmp_path / "bad")], env=env, capture_output=True, text=True)
    assert bad.returncode == 2 and "its parameters are not those of" in bad.stderr


@pytest.mark.skipif(__import__("shutil").which("mpirun") is None, reason="mpirun not found")
def test_mpi_ranks_give_the_same_posterior_as_threads(tmp_path):
    observed = ch.observed_from_truth(tmp_path)
    cal = ch.write_calibration(tmp_path, observed, population=20, rounds=2, seed=5)
    mpi = tmp_path / "mpi.yaml"
    mpi.write_text(cal.read_text().replace("run: {threads: 2}",
                                           'run: {threads: 1, launcher: [mpirun, -np, "3", --oversubscribe]}'))
    assert ch.calibrate(cal, tmp_path / "threads.h5").returncode == 0
    done = ch.calibrate(mpi, tmp_path / "mpi.h5",
                        extra_env={"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"})
    assert done.returncode == 0, done.stderr
    with h5py.File(tmp_path / "threads.h5", "r") as a, h5py.File(tmp_path / "mpi.h5", "r") as b:
        for name in ("population/theta", "population/weight", "draws/value", "schedule/epsilon"):
            assert np.array_equal(a[name][()], b[name][()]), name


def test_a_sweep_over_posterior_draws_is_one_scenario(problem, tmp_path):
    """`posterior design --sweep` writes a list design marked `posterior:`; borderland sweep checks the
    rows are draws of the file and records it; analysis pools draws x seeds as one ensemble, while the
    same rows without the marker stay one design point each (never pooled as replicas)."""
    from borderland.analysis import compare, ensemble
    folder, _, out = problem
    csv, sweep = tmp_path / "draws.csv", tmp_path / "draws.yaml"
    env = ch.synth.python_env(BORDERLAND_BIN=ch.BIN)
    done = subprocess.run([sys.executable, "-m", "borderland", "posterior", "design", str(out), "--draws", "6",
                           "-o", str(csv), "--sweep", str(sweep), "--base", str(folder / "cv_small.yaml"),
                           "--replicas", "2", "--set", "output.flush_every=100"],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"posterior: {out}" in sweep.read_text() and "replicas: 2" in sweep.read_text()
    result = tmp_path / "draws.h5"
    run = subprocess.run([ch.BIN, "sweep", str(sweep), "-o", str(result), "--threads", "2"], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr
    with h5py.File(result, "r") as f:
        assert f["design"].attrs["posterior"].decode() == str(out)
        assert f["design"].attrs["design"].decode() == "list" and len(f["runs/status"]) == 12
    found = ensemble.gather([str(result)])
    assert len(found) == 1 and found[0].replicas == 12 and found[0].n_draws == 6
    assert found[0].posterior == str(out)
    assert sorted(np.bincount(found[0].draws)) == [2] * 6           # each draw with its 2 seeds
    # the draws' parameters reach the runs: draw d's runs carry its legitimacy
    post = Posterior(str(out))
    legit = found[0].design["parameters.legitimacy"].to_numpy()
    assert set(np.round(legit, 12)) == set(np.round(post.draws[:6, 0], 12))
    # compare with itself: paired by draw and seed, the effect is 0 and all of it is "seeds"
    with pytest.warns(ensemble.SameFileWarning):
        table = compare.compare(found[0], [found[0]], n_boot=200)
    assert (table["uncertainty"] == "parameters and seeds").all() and table["paired"].all()
    # without the marker: an ordinary list design, one ensemble per point
    plain = tmp_path / "plain.yaml"
    plain.write_text("\n".join(line for line in sweep.read_text().splitlines() if not line.startswith("posterior:")))
    result2 = tmp_path / "plain.h5"
    assert subprocess.run([ch.BIN, "sweep", str(plain), "-o", str(result2), "--threads", "2"]).returncode == 0
    points = {tuple(row) for row in np.round(post.draws[:6], 12)}      # draws may repeat a particle
    assert len(ensemble.gather([str(result2)])) == len(points) > 1
    # a row that is no draw of the posterior: refused, located, nothing written
    lines = csv.read_text().splitlines()
    header = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    lines[header + 1] = "0.123456,0.0411"
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("\n".join(lines) + "\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text(sweep.read_text().replace(str(csv), str(bad_csv)))
    refused = subprocess.run([ch.BIN, "sweep", str(bad), "-o", str(tmp_path / "bad.h5")], capture_output=True,
                             text=True)
    assert refused.returncode == 2 and "posterior" in refused.stderr and "none of the 200 draws" in refused.stderr
    assert f"{bad}:" in refused.stderr and not (tmp_path / "bad.h5").exists()
    # the marker on another kind of design, or naming a file that is not a posterior
    other = tmp_path / "other.yaml"
    other.write_text(f"base: {folder / 'cv_small.yaml'}\ndesign: replicas\nreplicas: 2\nposterior: {out}\n")
    refused = subprocess.run([ch.BIN, "validate", str(other)], capture_output=True, text=True)
    assert refused.returncode == 2 and "only a list design" in refused.stderr
    foreign = tmp_path / "foreign.yaml"
    foreign.write_text(sweep.read_text().replace(f"posterior: {out}", f"posterior: {result}"))
    refused = subprocess.run([ch.BIN, "validate", str(foreign)], capture_output=True, text=True)
    assert refused.returncode == 2 and "not a posterior file" in refused.stderr
