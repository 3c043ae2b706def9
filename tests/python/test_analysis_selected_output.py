"""The main job's output selection end to end: sweeps that write only the series the report reads
(scripts/main.sh, SWEEP_OUTPUT: output.series, events and snapshots off) and map runs with
yearly fighter snapshots (MAP_OUTPUT) are what calibration, compare and report read.

The selection is taken from scripts/main.sh itself, so this test follows the job. The engine is
$BORDERLAND_BIN (ctest sets it), else build/borderland; the TTP model runs the historical scenario
in full (the calibration targets need it) and two projections up to 2023-08-31, 3 replicas each.
"""
from __future__ import annotations

import re
import subprocess
import sys

import h5py
import pytest

import synth

REPO = synth.REPO
BIN = synth.engine_binary()
MAIN = REPO / "scripts" / "main.sh"
TTP = REPO / "scenarios" / "ttp"
pytestmark = pytest.mark.skipif(BIN is None, reason="no engine: BORDERLAND_BIN is unset and build/borderland "
                                                    "does not exist")


def engine(*args, check=True):
    proc = subprocess.run([BIN, *map(str, args)], cwd=REPO, capture_output=True, text=True, timeout=600)
    if check:
        assert proc.returncode == 0, f"borderland {' '.join(map(str, args))}:\n{proc.stderr}"
    return proc


def analysis(*args):
    proc = subprocess.run([sys.executable, "-m", "borderland", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, env=synth.python_env(), timeout=600)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def main_job_lines(name: str) -> list[str]:
    """The `set:` lines of a bash array NAME=("..." "...") in scripts/main.sh, series filled in."""
    text = MAIN.read_text()
    series = re.search(r'^REPORT_SERIES="([^"]+)"', text, re.M).group(1)
    body = re.search(rf"^{name}=\((.*?)\)$", text, re.M | re.S).group(1)
    return [line.replace("$REPORT_SERIES", series) for line in re.findall(r'"([^"]*)"', body)]


def sweep_yaml(path, scenario, replicas, lines, end=None):
    sets = [*lines, *([f"end: {end}"] if end else [])]
    path.write_text(f"base: {scenario}\nset:\n" + "".join(f"  {line}\n" for line in sets)
                    + f"design: replicas\nreplicas: {replicas}\nseed: 2023\n")
    return path


@pytest.fixture(scope="module")
def job(tmp_path_factory):
    if "ttp" not in engine("models").stdout.split():
        pytest.skip("the engine has no ttp model")
    root = tmp_path_factory.mktemp("selected")
    (root / "sweeps").mkdir()
    sweep_lines, map_lines = main_job_lines("SWEEP_OUTPUT"), main_job_lines("MAP_OUTPUT")
    # The projections stop at 2023-08-31 here: snapshots every 60 days instead of yearly, so that
    # some fall after the projection start, as the yearly ones do in the job's 2023-2026 runs.
    map_lines = ["output.snapshot_every: 60" if line.startswith("output.snapshot_every") else line
                 for line in map_lines]
    for name, end in (("historical_2020_2023", None), ("baseline", "2023-08-31"), ("police_reform", "2023-08-31")):
        spec = sweep_yaml(root / f"{name}.yaml", TTP / f"{name}.yaml", 3, sweep_lines, end)
        engine("sweep", spec, "-o", root / "sweeps" / f"{name}.h5", "--threads", 2, "-q")
        if name != "historical_2020_2023":
            maps = sweep_yaml(root / f"{name}.maps.yaml", TTP / f"{name}.yaml", 1, map_lines, end)
            engine("sweep", maps, "-o", root / f"{name}.maps.h5", "--threads", 1, "-q",
                   "--runs-dir", root / "maps" / name)
    series = [s.strip() for s in re.search(r"\[(.*)\]", [line for line in sweep_lines
                                                          if line.startswith("output.series")][0]).group(1).split(",")]
    return {"root": root, "series": series}


def test_sweeps_hold_exactly_the_selected_series(job):
    with h5py.File(job["root"] / "sweeps" / "baseline.h5") as f:
        ts = f["runs/timeseries"]  # the series, not the axis (step, date) or coordinates (time, labels)
        names = sorted(n for n in ts if n not in ("step", "date") and "CLASS" not in ts[n].attrs)
        assert names == sorted(job["series"])
        assert f["runs/timeseries/attacks"].compression == "gzip"
        assert f["runs/timeseries/attacks"].chunks[0] == 1
        assert list(f["runs/status"][()]) == [1, 1, 1]
    with h5py.File(job["root"] / "maps" / "baseline" / "run_000000.h5") as f:
        ts = f["timeseries"]
        assert sorted(n for n in ts if n not in ("step", "date") and "CLASS" not in ts[n].attrs) == ["attacks"]
        assert "events" not in f and f["snapshots/fighters"].shape[0] >= 20


def test_calibration_compare_and_report_read_the_selected_files(job, tmp_path):
    sweeps = job["root"] / "sweeps"
    cal = analysis("calibration", sweeps / "historical_2020_2023.h5", "-o", tmp_path / "cal.csv")
    assert cal.returncode == 0, cal.stderr
    cmp = analysis("compare", sweeps / "baseline.h5", sweeps / "police_reform.h5", "-o", tmp_path / "cmp.csv",
                   "--since", "2023-03-01")
    assert cmp.returncode == 0, cmp.stderr
    assert "police_reform" in (tmp_path / "cmp.csv").read_text()
    html = tmp_path / "report.html"
    rep = analysis("report", sweeps, "--maps", job["root"] / "maps", "-o", html, "--since", "2023-03-01",
                   "--boot", 200)
    assert rep.returncode == 0, rep.stderr
    page = html.read_text()
    for text in ("What each policy changes", "Where each policy changes attacks",
                 "Where each policy changes militant fighters", "Calibration and history"):
        assert text in page, text
    # the district map comes from every replica's attacks_by_district series, not the map runs' events
    assert "Where each policy changes attacks, by district" in page
    assert "From the attacks_by_district series of" in page


def test_a_series_the_model_lacks_is_refused_where_it_is_named(job):
    bad = sweep_yaml(job["root"] / "bad.yaml", TTP / "baseline.yaml", 2, ["output.series: [attacks, atacks]"])
    proc = engine("sweep", bad, "-o", job["root"] / "bad.h5", "-q", check=False)
    assert proc.returncode == 2
    assert f"{bad}:3:3: error: output.series: unknown series \"atacks\"" in proc.stderr, proc.stderr
    assert not (job["root"] / "bad.h5.partial").exists()
