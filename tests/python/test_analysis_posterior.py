"""Projections over posterior draws x seeds: one scenario whose spread covers parameter and seed
uncertainty, its variance split between the two, and the posterior's diagnostics in the report.

Synthetic files (synth.write_posterior_sweep, synth.write_posterior): the draws scale the attacks,
so parameter uncertainty dominates the attacks' spread and is absent from police killed per attack.
"""
import subprocess
import sys

import numpy as np
import pytest

import synth
from borderland.analysis import compare, ensemble, report, stats
from borderland.calibration import diagnostics
from borderland.calibration.posterior import Posterior

START, END = "2023-03-01", "2024-02-29"
DRAWS = (0.5, 0.8, 1.0, 1.3, 1.8)


@pytest.fixture(scope="module")
def posterior_set(tmp_path_factory):
    folder = tmp_path_factory.mktemp("posterior_set")
    post = synth.write_posterior(str(folder / "posterior.h5"))
    sweeps = folder / "sweeps"
    sweeps.mkdir()
    for name, effects in {"baseline": {}, "police_reform": {"police_factor": 0.5},
                          "talks": {"attack_factor": 1.2}}.items():
        synth.write_posterior_sweep(str(sweeps / f"{name}.h5"), name, draws=DRAWS, seeds_per_draw=3,
                                    posterior=post, start=START, end=END, **effects)
    return folder, post


def test_variance_components_recover_known_shares():
    rng = np.random.default_rng(3)
    draws, seeds = 400, 4
    group = np.repeat(np.arange(draws), seeds)
    values = rng.normal(0, 2.0, draws)[group] + rng.normal(0, 1.0, draws * seeds)   # between 4, within 1
    parts = stats.variance_components(values, group)
    assert parts["draws"] == draws and parts["runs"] == draws * seeds
    assert parts["within"] == pytest.approx(1.0, rel=0.1) and parts["between"] == pytest.approx(4.0, rel=0.15)
    assert parts["share_between"] == pytest.approx(0.8, abs=0.04)
    # no parameter effect: the share is near 0 (never negative); one draw: undefined
    flat = stats.variance_components(rng.normal(0, 1, draws * seeds), group)
    assert 0 <= flat["share_between"] < 0.1
    assert np.isnan(stats.variance_components(values[:seeds], group[:seeds])["share_between"])
    # a balanced design by hand: draws' means 1 and 3, runs 0,2 and 2,4 -> within 2, between 2 - 2/2 = 1
    exact = stats.variance_components(np.array([0.0, 2.0, 2.0, 4.0]), np.array([0, 0, 1, 1]))
    assert exact["within"] == pytest.approx(2.0) and exact["between"] == pytest.approx(1.0)


def test_the_bootstrap_resamples_whole_draws():
    rng = np.random.default_rng(8)
    group = np.repeat(np.arange(50), 4)
    diffs = rng.normal(0, 3.0, 50)[group] + rng.normal(0, 0.3, 200)     # runs of a draw move together
    zeros = np.zeros(200)
    _, lo_iid, hi_iid = stats.bootstrap_difference(zeros, diffs, paired=True)
    estimate, lo, hi = stats.bootstrap_difference(zeros, diffs, paired=True, clusters=group)
    assert estimate == pytest.approx(diffs.mean())
    assert lo < estimate < hi
    assert (hi - lo) > 1.5 * (hi_iid - lo_iid)     # about sqrt(4): the 4 seeds of a draw are not 4 replicas


def test_a_posterior_sweep_is_one_scenario_an_unmarked_one_is_not(tmp_path):
    post = synth.write_posterior(str(tmp_path / "p.h5"))
    marked = synth.write_posterior_sweep(str(tmp_path / "m.h5"), posterior=post, draws=DRAWS, start=START, end=END)
    plain = synth.write_posterior_sweep(str(tmp_path / "u.h5"), marked=False, draws=DRAWS, start=START, end=END)
    [one] = ensemble.gather([marked])
    assert one.replicas == 2 * len(DRAWS) and one.n_draws == len(DRAWS) and one.posterior == post
    assert one.point is None and list(np.bincount(one.draws)) == [2] * len(DRAWS)
    split = ensemble.gather([plain])
    assert len(split) == len(DRAWS) and all(e.replicas == 2 and e.n_draws == 0 for e in split)
    with pytest.raises(ensemble.AnalysisInputError, match="design points"):
        ensemble.gather_one(plain)
    assert ensemble.gather_one(marked).n_draws == len(DRAWS)


def test_compare_over_draws_pairs_runs_and_splits_the_spread(posterior_set):
    folder, _ = posterior_set
    base, reform, talks = (ensemble.gather_one(str(folder / "sweeps" / f"{n}.h5"))
                           for n in ("baseline", "police_reform", "talks"))
    table = compare.compare(base, [reform, talks], since=START, n_boot=400)
    assert table["paired"].all() and (table["uncertainty"] == "parameters and seeds").all()
    assert (table["draws"] == len(DRAWS)).all()
    row = table[(table["scenario"] == "talks") & (table["outcome"] == "attacks")].iloc[0]
    # talks scale every draw's attacks by 1.2: the effect grows with the draw's rate, so most of its
    # spread is between draws; the attacks themselves are mostly parameter uncertainty too
    assert row["share_parameters"] > 0.6 and row["share_parameters_outcome"] > 0.8
    assert row["spread_low"] <= row["difference"] <= row["spread_high"]
    assert row["diff_low"] < row["difference"] < row["diff_high"]
    assert row["p_better"] < 0.1
    text = compare.coverage_text(table)
    assert "parameters and seeds (5 posterior draws, 15 runs per scenario)" in text
    # seeds only: the same sentence says so
    seeds_only = compare.compare(*(lambda e: (e[0], e[1:]))(ensemble.gather(synth.write_scenario_set(
        str(folder), seeds=range(1, 5), start=START, end=END)[:2])), n_boot=100)
    assert (seeds_only["uncertainty"] == "seeds").all() and seeds_only["share_parameters"].isna().all()
    assert "seed noise only" in compare.coverage_text(seeds_only)


def test_report_says_what_its_intervals_cover_and_shows_the_diagnostics(posterior_set, tmp_path):
    folder, post = posterior_set
    out = tmp_path / "report.html"
    summary = report.build(str(folder / "sweeps"), str(out), since=START, n_boot=300)
    page = out.read_text()
    assert summary["uncertainty"] == "parameters and seeds" and summary["posterior"] == post
    assert "What the intervals cover: parameter and seed uncertainty" in page
    assert f"same {len(DRAWS)} draws of the posterior posterior.h5 with 3 seeds each" in page
    assert "Where the spread comes from" in page and "same posterior draw and seed" in page
    # the diagnostics, found from the sweeps' marker: every kind of figure of the data, constraint, correlations
    assert "Calibration diagnostics: posterior.h5" in page and "Posterior predictive checks" in page
    for panel in ("<td>year</td>", "<td>half-year</td>", "<td>month</td>", "<td>year, by province</td>",
                  "<td>targets</td>"):
        assert panel in page
    used = diagnostics.predictive_table(Posterior(post)).query("status == 'used'")
    inside = int(used["inside_90"].astype(bool).sum())
    assert f"{inside} of {len(used)} observed figures lie inside" in page
    assert "Left free by the data: cycle.reach_km" in page
    assert "Constrained (posterior sd under 50% of the prior's): attacks.rate" in page
    assert "parameters.attacks.rate</td>" in page and "observation.PICSS.reporting_rate" in page
    assert "Pairwise correlations" in page and "pairs with |r| of 0.5 or more" in page
    assert page.count("data:image/png;base64") >= 6


def test_report_without_a_posterior_says_seed_noise_only(tmp_path):
    synth.write_scenario_set(str(tmp_path), seeds=range(1, 5), start=START, end=END)
    summary = report.build(str(tmp_path), str(tmp_path / "r.html"), since=START, n_boot=100)
    page = (tmp_path / "r.html").read_text()
    assert summary["uncertainty"] == "seeds" and "posterior" not in summary
    assert "What the intervals cover: seed noise only" in page and "Calibration diagnostics" not in page
    assert "Where the spread comes from" not in page and "with the same seed (seed noise only)" in page


def test_report_says_when_scenarios_cover_different_uncertainty(tmp_path):
    post = synth.write_posterior(str(tmp_path / "posterior.h5"))
    synth.write_posterior_sweep(str(tmp_path / "baseline.h5"), "baseline", posterior=post, start=START, end=END)
    synth.write_sweep(str(tmp_path / "talks.h5"), "talks", seeds=range(1, 7), start=START, end=END)
    summary = report.build(str(tmp_path), str(tmp_path / "r.html"), since=START, n_boot=100)
    page = (tmp_path / "r.html").read_text()
    assert summary["uncertainty"] == "mixed" and "it differs between scenarios" in page
    assert "not paired (different seeds)" in page


def test_report_posterior_flag(tmp_path):
    (tmp_path / "runs").mkdir()
    synth.write_scenario_set(str(tmp_path / "runs"), seeds=range(1, 4), start=START, end=END)
    post = synth.write_posterior(str(tmp_path / "posterior.h5"), degenerate=True)
    env = synth.python_env()
    done = subprocess.run([sys.executable, "-m", "borderland", "report", str(tmp_path / "runs"), "-o",
                           str(tmp_path / "r.html"), "--posterior", post, "--boot", "100"],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "r.html").read_text()
    assert "Calibration diagnostics" in page and "degenerate" in page and "degenerate posterior" in done.stderr
    # a file that is not a posterior: a note, the rest of the report stands; a missing one: exit 2
    not_posterior = str(tmp_path / "runs" / "baseline.h5")
    done = subprocess.run([sys.executable, "-m", "borderland", "report", str(tmp_path / "runs"), "-o",
                           str(tmp_path / "r2.html"), "--posterior", not_posterior, "--boot", "100"],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0 and "expected 'borderland-posterior'" in done.stderr
    assert "Calibration diagnostics" not in (tmp_path / "r2.html").read_text()
    done = subprocess.run([sys.executable, "-m", "borderland", "report", str(tmp_path / "runs"), "-o",
                           str(tmp_path / "r3.html"), "--posterior", str(tmp_path / "nope.h5")],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 2 and "nope.h5: no such file (--posterior)" in done.stderr


# ------------------------------------------------------------------ maps by district
ASSET = synth.REPO / "scenarios" / "maps" / "afpak_0p05.h5"


def _with_districts(path, districts, rng, own_map=True):
    """A synthetic run file re-mapped on the committed asset: its /map replaced by the asset's (with
    the district layer, or without it, so the report must find it through the scenario's `map:`),
    and a `district` column on the events drawn from `districts` (ids of /map/districts)."""
    import h5py
    with h5py.File(path, "a") as f, h5py.File(ASSET, "r") as asset:
        del f["map"]
        asset.copy(asset["map"], f, name="map")
        if not own_map:
            del f["map/district"], f["map/districts"]
            given = f"name: x\nmodel: ttp\nparameters:\n  map: {ASSET}\n".encode()
            del f["scenario/resolved"]
            f["scenario"].create_dataset("resolved", data=np.bytes_(given))
        events = f["events"]
        n = len(events["step"])
        events.create_dataset("district", data=rng.choice(districts, size=n).astype(np.int64))
        events.attrs["columns"] = np.bytes_((events.attrs["columns"].decode() + ",district").encode())
    return path


@pytest.mark.parametrize("own_map", [True, False])
def test_report_maps_attacks_by_district_where_events_carry_one(tmp_path, own_map):
    rng = np.random.default_rng(4)
    everywhere = np.arange(0, 40)
    for seed in (1, 2, 3):
        _with_districts(synth.write_run(str(tmp_path / f"baseline_{seed}.h5"), "baseline", seed, start=START,
                                        end=END), everywhere, rng, own_map)
        # the policy moves every attack out of districts 0-19 into 20-39
        _with_districts(synth.write_run(str(tmp_path / f"talks_{seed}.h5"), "talks", seed, start=START, end=END),
                        everywhere[20:], rng, own_map)
    from borderland.analysis import maps
    base = maps.district_attacks(sorted(str(p) for p in tmp_path.glob("baseline_*.h5")), START)
    assert set(base.index) <= set(everywhere) and base.sum() > 0
    layer, table = maps.district_layer(str(tmp_path / "baseline_1.h5"))
    assert layer.shape == (300, 360) and len(table) == 136 and set(np.unique(layer)) >= set(everywhere)
    change = maps.district_raster(layer, pd_series({0: -5.0, 25: 3.0}))
    assert np.all(change[layer == 0] == -5.0) and np.all(change[layer == 25] == 3.0)
    assert np.isnan(change[layer == 1]).all() and np.isnan(change[layer < 0]).all()
    out = tmp_path / "report.html"
    report.build(str(tmp_path), str(out), since=START, n_boot=100)
    page = out.read_text()
    assert "Where each policy changes attacks, by district" in page and "136 districts" in page
    assert page.count("<h3>Where each policy changes attacks") == 2    # the province map stays


def test_no_district_column_no_district_map(tmp_path):
    for seed in (1, 2):
        synth.write_run(str(tmp_path / f"baseline_{seed}.h5"), "baseline", seed, start=START, end=END)
        synth.write_run(str(tmp_path / f"talks_{seed}.h5"), "talks", seed, start=START, end=END)
    from borderland.analysis import maps
    assert maps.district_attacks([str(tmp_path / "baseline_1.h5")]) is None
    report.build(str(tmp_path), str(tmp_path / "r.html"), since=START, n_boot=100)
    page = (tmp_path / "r.html").read_text()
    assert "by district" not in page and "Where each policy changes attacks" in page


def pd_series(values: dict):
    import pandas as pd
    return pd.Series(values)
