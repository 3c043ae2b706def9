"""Sweeps with several design points: never pooled as replicas; dose-response; the same file twice."""
import numpy as np
import pandas as pd
import pytest

import synth
from borderland.__main__ import main
from borderland.analysis import ensemble
from borderland.analysis.ensemble import SameFileWarning

PERIOD = dict(start="2023-03-01", end="2023-08-31")
LEVER = "policies.6.training"
STRENGTHS = (0.0, 0.4, 0.8)
SEEDS = (1, 2, 3, 4, 5)


@pytest.fixture(scope="module")
def dose_sweep(tmp_path_factory):
    """A factorial sweep of a police-training strength: each point's police lethality falls with it."""
    root = tmp_path_factory.mktemp("dose")
    runs, strengths = [], []
    for s in STRENGTHS:
        for seed in SEEDS:
            runs.append(synth.write_run(root / f"run_{s}_{seed}.h5", scenario="police_reform", seed=seed,
                                        police_factor=1.0 - 0.8 * s, **PERIOD))
            strengths.append(s)
    path = root / "dose.h5"
    synth.sweep_from_runs(path, runs, {LEVER: strengths}, design="factorial", scenario="police_reform")
    baseline = synth.write_sweep(root / "baseline.h5", scenario="baseline", seeds=SEEDS, **PERIOD)
    return {"sweep": str(path), "baseline": str(baseline), "root": root}


def test_design_points_are_separate_ensembles(dose_sweep):
    found = ensemble.gather([dose_sweep["sweep"]])
    assert len(found) == 3
    assert [e.point[LEVER] for e in found] == list(STRENGTHS)
    assert all(e.replicas == len(SEEDS) for e in found)
    assert all(sorted(e.seeds) == list(SEEDS) for e in found)
    whole = ensemble.gather([dose_sweep["sweep"]], split=False)
    assert len(whole) == 1 and whole[0].replicas == 15


def test_plot_draws_each_point_and_compare_refuses_a_pool(dose_sweep, tmp_path, capsys):
    assert main(["plot", dose_sweep["sweep"], "-o", str(tmp_path / "p.png"), "--series", "killed:police"]) == 0
    out = capsys.readouterr().out
    assert out.count(f"{len(SEEDS)} run(s)") == 3 and "15 run(s)" not in out
    assert main(["compare", dose_sweep["baseline"], dose_sweep["sweep"], "-o", str(tmp_path / "c.csv")]) == 2
    err = capsys.readouterr().err
    assert "3 design points" in err and "dose" in err


def test_dose_response_falls_with_the_lever(dose_sweep, tmp_path, capsys):
    prefix = str(tmp_path / "d")
    assert main(["dose", dose_sweep["sweep"], "--lever", LEVER, "--outcome", "police_deaths", "--prefix", prefix,
                 "--boot", "300", "--since", "2023-04-01"]) == 0
    table = pd.read_csv(prefix + ".csv")
    assert list(table["strength"]) == list(STRENGTHS) and (table["runs"] == len(SEEDS)).all()
    assert (np.diff(table["median"]) < 0).all() and (np.diff(table["mean"]) < 0).all()
    assert (table["p05"] <= table["p25"]).all() and (table["p25"] <= table["median"]).all()
    assert (table["median"] <= table["p75"]).all() and (table["p75"] <= table["p95"]).all()
    assert (table["mean_low"] <= table["mean"]).all() and (table["mean"] <= table["mean_high"]).all()
    with open(prefix + ".png", "rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
    assert main(["dose", dose_sweep["sweep"], "--lever", "parameters.nothing", "--prefix", prefix]) == 2
    assert "does not vary 'parameters.nothing'" in capsys.readouterr().err


def test_the_same_file_twice_is_warned_about(dose_sweep, tmp_path):
    base = dose_sweep["baseline"]
    copy = tmp_path / "copy.h5"
    copy.write_bytes(open(base, "rb").read())
    assert ensemble.same_files([base, str(copy)]) == [(base, str(copy))]
    assert ensemble.same_files([base, dose_sweep["sweep"]]) == []
    with pytest.warns(SameFileWarning, match="same file"):
        ensemble.gather([base, str(copy)])
    with pytest.warns(SameFileWarning, match="compared with itself"):
        assert main(["compare", base, base, "-o", str(tmp_path / "self.csv"), "--boot", "100"]) == 0
