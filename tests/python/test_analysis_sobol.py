"""Sobol indices (Saltelli 2010 first order, Jansen total order) against the Ishigami function."""
import numpy as np
import pandas as pd
import pytest

import synth
from borderland.analysis import sobol
from borderland.__main__ import main

# Ishigami, a=7, b=0.1, inputs uniform on [-pi, pi]^3: analytic indices
S1_TRUE = np.array([0.3139, 0.4424, 0.0])
ST_TRUE = np.array([0.5576, 0.4424, 0.2437])
BOUNDS = [(-np.pi, np.pi)] * 3


def ishigami_outputs(n_base, seed):
    rows = synth.saltelli_design(n_base, BOUNDS, seed)
    return synth.ishigami(rows)


def test_ishigami_indices_within_tolerance():
    # Scrambled Sobol' points, N = 4096 base samples: the estimators land within 0.02 of
    # the analytic values (observed errors are ~0.002).
    result = sobol.analyse(ishigami_outputs(4096, seed=1), 4096, ["x1", "x2", "x3"], n_boot=300)
    assert np.allclose(result.first, S1_TRUE, atol=0.02), result.first
    assert np.allclose(result.total, ST_TRUE, atol=0.02), result.total
    # the bootstrap intervals hold the truth, and are not absurdly wide
    assert np.all((result.first_ci[:, 0] <= S1_TRUE + 0.005) & (S1_TRUE - 0.005 <= result.first_ci[:, 1]))
    assert np.all((result.total_ci[:, 0] <= ST_TRUE + 0.005) & (ST_TRUE - 0.005 <= result.total_ci[:, 1]))
    assert np.all(result.first_ci[:, 1] - result.first_ci[:, 0] < 0.15)


def test_indices_of_an_additive_model():
    # y = x1 + 2 x2 with independent uniforms: S1 = ST = (1/5, 4/5), no interaction
    rows = synth.saltelli_design(2048, [(0, 1), (0, 1)], seed=3)
    result = sobol.analyse(rows[:, 0] + 2 * rows[:, 1], 2048, ["a", "b"], n_boot=100)
    assert np.allclose(result.first, [0.2, 0.8], atol=0.02)
    assert np.allclose(result.total, [0.2, 0.8], atol=0.02)


def test_constant_output_gives_nan_not_a_crash():
    result = sobol.analyse(np.ones(5 * 64), 64, ["a", "b", "c"], n_boot=20)
    assert np.isnan(result.first).all()


def test_sweep_file_with_replicates_and_failed_runs(tmp_path):
    # Two replicates of the same points with seed noise, a few failed runs: failed base samples
    # are dropped from every block, replicates are averaged, the indices stay near the truth.
    path = synth.write_saltelli_sweep(tmp_path / "s.h5", n_base=2048, replicas=2, noise=0.3,
                                      failed=[5, 2048 + 17, 3 * 2048 + 100])
    result, units, notes = sobol.analyse_sweep(str(path), "y", n_boot=200)
    assert "2045 of 2048" in notes and "2 replicate" in notes
    assert np.allclose(result.first, S1_TRUE, atol=0.04), result.first
    assert np.allclose(result.total, ST_TRUE, atol=0.04), result.total


def test_sensitivity_command(tmp_path, capsys):
    path = synth.write_saltelli_sweep(tmp_path / "s.h5", n_base=2048)
    prefix = tmp_path / "ish"
    assert main(["sensitivity", str(path), "--output", "y", "--prefix", str(prefix), "--boot", "200"]) == 0
    table = pd.read_csv(f"{prefix}.csv")
    assert list(table["parameter"]) == ["p.x1", "p.x2", "p.x3"]
    assert np.allclose(table["S1"], S1_TRUE, atol=0.03)
    assert np.allclose(table["ST"], ST_TRUE, atol=0.03)
    assert (table["S1_low"] <= table["S1"]).all() and (table["S1"] <= table["S1_high"]).all()
    assert (prefix.parent / "ish.png").stat().st_size > 10_000
    assert "Sobol indices of 'y'" in capsys.readouterr().out


def test_sensitivity_from_a_series(tmp_path):
    # the synthetic sweep's `attacks` series is y/days each day, so its sum reproduces y
    path = synth.write_saltelli_sweep(tmp_path / "s.h5", n_base=1024)
    by_series, _, _ = sobol.analyse_sweep(str(path), "attacks", reduce="sum", n_boot=50)
    by_metric, _, _ = sobol.analyse_sweep(str(path), "y", n_boot=50)
    assert np.allclose(by_series.first, by_metric.first, atol=1e-9)


def test_sensitivity_rejects_non_saltelli_sweep(tmp_path, capsys):
    path = synth.write_sweep(tmp_path / "r.h5", seeds=range(1, 3), start="2023-03-01", end="2023-03-31")
    assert main(["sensitivity", str(path), "--output", "total_attacks"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "/design/design" in err and "saltelli" in err


def test_sensitivity_unknown_output(tmp_path, capsys):
    path = synth.write_saltelli_sweep(tmp_path / "s.h5", n_base=64)
    assert main(["sensitivity", str(path), "--output", "nope", "--prefix", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "/runs/summary/nope" in err
