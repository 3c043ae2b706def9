"""scripts/forecast_realised.py on a real (small) sweep: realised_2023_2024.yaml over three draws
of the committed posterior x one seed, through `posterior design` and `borderland sweep`."""
import csv
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("BORDERLAND_BIN", os.path.join(ROOT, "build", "borderland"))
POSTERIOR = os.path.join(ROOT, "models", "ttp", "calibration", "posterior.h5")
SCENARIO = os.path.join(ROOT, "scenarios", "ttp", "realised_2023_2024.yaml")
SCRIPT = os.path.join(ROOT, "scripts", "forecast_realised.py")


@pytest.fixture(scope="module")
def forecast(tmp_path_factory):
    if not os.path.exists(BIN):
        pytest.skip(f"no borderland binary at {BIN}")
    folder = tmp_path_factory.mktemp("forecast")
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    subprocess.run([sys.executable, "-m", "borderland", "posterior", "design", POSTERIOR, "--draws", "3",
                    "-o", str(folder / "draws.csv"), "--sweep", str(folder / "realised.yaml"),
                    "--base", SCENARIO, "--replicas", "1", "--set", "output.snapshot_every=0",
                    "--set", "output.series=[attacks, attack_killed, attacks_by_province, attacks_by_tactic]"],
                   check=True, env=env, capture_output=True)
    subprocess.run([BIN, "sweep", str(folder / "realised.yaml"), "-o", str(folder / "realised.h5"), "-q"],
                   check=True, capture_output=True)
    out = subprocess.run([sys.executable, SCRIPT, str(folder / "realised.h5"), "--csv", str(folder / "f.csv")],
                         check=True, env=env, capture_output=True, text=True).stdout
    with open(folder / "f.csv") as f:
        rows = list(csv.DictReader(f))
    return out, rows


def test_every_statistic_of_both_years_with_an_ordered_interval(forecast):
    out, rows = forecast
    assert "3 runs" in out
    assert {r["year"] for r in rows} == {"2023", "2024"}
    assert len(rows) == 16  # 8 statistics a year
    for r in rows:
        lo, med, hi = float(r["q05"]), float(r["median"]), float(r["q95"])
        assert lo <= med <= hi, r
        if "share" in r["statistic"]:
            assert 0 <= lo and hi <= 1, r


def test_picss_view_never_counts_more_than_the_model(forecast):
    _, rows = forecast
    by = {(r["year"], r["statistic"]): r for r in rows}
    for year in ("2023", "2024"):
        model, picss = by[(year, "attacks (model events)")], by[(year, "attacks as PICSS counts them")]
        assert float(model["median"]) > 0
        assert float(picss["q95"]) <= float(model["q95"])  # thinning: each run's count only falls


def test_a_sweep_without_posterior_draws_is_refused(tmp_path):
    if not os.path.exists(BIN):
        pytest.skip(f"no borderland binary at {BIN}")
    sweep = tmp_path / "seeds.yaml"
    sweep.write_text(f"base: {SCENARIO}\nset: {{output.snapshot_every: 0, end: 2020-01-31}}\n"
                     "design: replicas\nreplicas: 1\nseed: 1\n")
    subprocess.run([BIN, "sweep", str(sweep), "-o", str(tmp_path / "s.h5"), "-q"], check=True, capture_output=True)
    res = subprocess.run([sys.executable, SCRIPT, str(tmp_path / "s.h5")], capture_output=True, text=True)
    assert res.returncode != 0 and "not over posterior draws" in res.stderr
