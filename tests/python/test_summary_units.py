"""Every summary metric carries units and a description (docs/hdf5_layout.md), in run files and in
sweep files, for both models: the models declare them (OutputSchema::summary; the TTP's in
models/ttp/summary.cpp, its calibration targets' from targets.yaml)."""
from __future__ import annotations

import h5py
import pytest

import synth

REPO = synth.REPO
BIN = synth.engine_binary()
pytestmark = pytest.mark.skipif(BIN is None, reason="no engine: BORDERLAND_BIN is unset and build/borderland "
                                                    "does not exist")

COUNTS = {"civil_violence": {"peak_active", "total_arrests", "final_jailed"},
          "ttp": {"total_attacks", "police_killed", "civilians_killed", "army_killed", "final_fighters", "t3",
                  "t4", "t5"}}
FRACTIONS = {"civil_violence": set(), "ttp": {"mean_tension", "t1", "t2", "t6"}}


def _check(group, model):
    names = set(group)
    assert COUNTS[model] <= names and FRACTIONS[model] <= names
    for name in names:
        units = group[name].attrs.get("units", b"")
        description = group[name].attrs.get("description", b"")
        units = units.decode() if isinstance(units, bytes) else str(units)
        description = description.decode() if isinstance(description, bytes) else str(description)
        assert units, f"{group.name}/{name} has no units"
        assert description and "end-of-run metric" not in description, f"{group.name}/{name}: {description!r}"
        if name in COUNTS[model]:
            assert units == "count", (name, units)
        if name in FRACTIONS[model]:
            assert units == "1", (name, units)


@pytest.mark.parametrize("model, scenario, until", [
    ("civil_violence", "scenarios/civil_violence.yaml", "2000-01-20"),
    ("ttp", "scenarios/ttp/historical_2020_2023.yaml", "2020-02-15")])
def test_run_and_sweep_summaries_have_units_and_descriptions(tmp_path, model, scenario, until):
    import subprocess
    run = tmp_path / "run.h5"
    done = subprocess.run([BIN, "run", str(REPO / scenario), "-o", str(run), "-q", "--until", until, "--set",
                           "output.snapshot_every=0"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with h5py.File(run, "r") as f:
        _check(f["summary"], model)
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text(f"base: {REPO / scenario}\nset:\n  end: {until}\n  output.snapshot_every: 0\n"
                     "design: replicas\nreplicas: 2\nseed: 3\n")
    out = tmp_path / "sweep.h5"
    done = subprocess.run([BIN, "sweep", str(sweep), "-o", str(out), "--threads", "2"], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    with h5py.File(out, "r") as f:
        _check(f["runs/summary"], model)
        if model == "ttp":   # the sweep summary that had units "1"
            assert f["runs/summary/police_killed"].attrs["units"] == b"count"
            assert b"T1" in f["runs/summary/t1"].attrs["description"]
