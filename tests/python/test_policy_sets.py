"""A sweep over named alternatives (policy_set, scenario) is read with the alternatives' names, plotted
one colour per design point, and compared point against point (compare --baseline-point); tables
never print "-0". Sweeps and runs are written by the engine itself (civil violence, a few days)."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import synth

BIN = synth.engine_binary()
pytestmark = pytest.mark.skipif(BIN is None, reason="no engine: BORDERLAND_BIN is unset and build/borderland "
                                                    "does not exist")
CV = synth.REPO / "scenarios" / "civil_violence.yaml"
SWEEP = f"""base: {CV}
set: {{end: 2000-02-29, output.snapshot_every: 0}}
design: factorial
replicas: 3
seed: 5
parameters:
  policy_set:
    none: []
    crackdown: [{{policy: legitimacy_shift, start: 2000-01-15, delta: -0.1}}]
"""


@pytest.fixture(scope="module")
def policy_sweep(tmp_path_factory):
    folder = tmp_path_factory.mktemp("policy_sets")
    (folder / "ps.yaml").write_text(SWEEP)
    subprocess.run([BIN, "sweep", "ps.yaml", "-o", "ps.h5", "-q"], cwd=folder, check=True, timeout=300)
    subprocess.run([BIN, "run", str(CV), "-o", "cv.h5", "-q", "--until", "2000-02-15"], cwd=folder, check=True,
                   timeout=300)
    return folder


def _cli(folder, *args):
    return subprocess.run([sys.executable, "-m", "borderland", *args], cwd=folder, capture_output=True, text=True,
                          env=synth.python_env(), timeout=300)


def test_open_names_the_alternatives(policy_sweep):
    import borderland
    res = borderland.open(policy_sweep / "ps.h5")
    assert list(res.design["policy_set"]) == ["none", "crackdown"] * 3
    assert list(res.dataset["policy_set"].values) == ["none", "crackdown"] * 3
    assert res.design.groupby("policy_set")["point"].nunique().tolist() == [1, 1]
    assert set(res.summary["policy_set"]) == {"none", "crackdown"}


def test_compare_takes_one_design_point_as_the_baseline(policy_sweep):
    refused = _cli(policy_sweep, "compare", "ps.h5", "-o", "c.csv")
    assert refused.returncode == 2 and "--baseline-point" in refused.stderr
    done = _cli(policy_sweep, "compare", "ps.h5", "-o", "c.csv", "--baseline-point", "policy_set=none")
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(policy_sweep / "c.csv")
    assert set(table["scenario"]) == {"civil_violence [policy_set=crackdown]"}
    assert set(table["baseline"]) == {"civil_violence [policy_set=none]"}
    import borderland
    summary = borderland.open(policy_sweep / "ps.h5").summary
    row = table[table["outcome"] == "total arrests"].iloc[0]
    by_set = summary.groupby("policy_set")["total_arrests"].mean()
    assert row["baseline_mean"] == pytest.approx(by_set["none"])
    assert row["scenario_mean"] == pytest.approx(by_set["crackdown"])
    unknown = _cli(policy_sweep, "compare", "ps.h5", "-o", "c.csv", "--baseline-point", "policy_set=nope")
    assert unknown.returncode == 2 and "values: " in unknown.stderr and "crackdown" in unknown.stderr


def test_plot_defaults_to_a_series_the_files_hold_and_colours_each_point(policy_sweep):
    for name in ("cv.h5", "ps.h5"):  # civil violence has no `attacks`: its first series is drawn
        done = _cli(policy_sweep, "plot", name, "-o", name + ".png")
        assert done.returncode == 0, done.stderr
        assert (policy_sweep / (name + ".png")).stat().st_size > 0
    missing = _cli(policy_sweep, "plot", "cv.h5", "-o", "x.png", "--series", "nope")
    assert missing.returncode == 2 and "(series: active, arrests" in missing.stderr
    from borderland.analysis import ensemble, figures
    points = ensemble.gather([str(policy_sweep / "ps.h5")])
    colours = figures.ensemble_colours(points, figures.scenario_colours([e.scenario for e in points]))
    assert len(points) == 2 and colours[0] != colours[1]


def test_no_table_shows_minus_zero():
    from borderland.analysis import compare, stats
    assert f"{stats.no_negative_zero(-0.3, 0):+.0f}" == "+0"
    assert f"{stats.no_negative_zero(-0.0):.4g}" == "0"
    assert f"{stats.no_negative_zero(-0.6, 0):+.0f}" == "-1"
    row = {"scenario": "a", "baseline": "b", "outcome": "attacks", "baseline_mean": 10.0, "scenario_mean": 10.0,
           "difference": -0.0, "diff_low": -0.0, "diff_high": 0.0, "pct_change": -0.0, "p_better": 0.5,
           "ci_level": 0.9, "uncertainty": "seeds"}
    text = compare.format_table(pd.DataFrame([row]))
    assert "-0 " not in text and "-0]" not in text and "-0.0%" not in text
    assert np.isnan(stats.no_negative_zero(np.nan, 0))  # NaN stays NaN (shown as n/a or blank)
