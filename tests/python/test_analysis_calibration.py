"""Calibration targets computed from known inputs, and the pass/fail rules."""
import numpy as np
import pandas as pd
import pytest

import synth
from borderland.analysis import ensemble
from borderland.ttp import calibration


def step_rate(dates):
    """2 attacks a day before Kabul falls, 3 after; 1 a day in Nov-Dec 2021; 2 in Jan 2023."""
    rate = np.where(dates < np.datetime64("2021-08-15"), 2.0, 3.0)
    rate = np.where((dates >= np.datetime64("2021-11-01")) & (dates < np.datetime64("2022-01-01")), 1.0, rate)
    return np.where((dates >= np.datetime64("2023-01-01")) & (dates < np.datetime64("2023-02-01")), 2.0, rate)


def test_targets_from_known_counts(tmp_path):
    # deterministic synthetic run: every attack in KP, on police, killing one officer
    path = synth.write_run(tmp_path / "d.h5", rate=step_rate, deterministic=True)
    ens = ensemble.gather([str(path)])[0]
    row = calibration.per_run_targets(ens).iloc[0]
    before = 2 * 365                                     # 2020-08-15 .. 2021-08-14
    after = 3 * (365 - 61) + 1 * 61                      # Nov-Dec 2021 (61 days) at 1 a day
    assert np.isclose(row["T1"], after / before - 1)          # fractions, as in targets.yaml
    assert np.isclose(row["T2"], 1.0)
    assert row["T3_deaths"] == 3 * 365 and row["T3_incidents"] == 3 * 365
    assert row["T4"] == 3 * (30 + 31 + 30 + 31) + 2 * 31 + 3 * 28   # Sep-Dec 2022, Jan 2023, Feb 2023
    assert row["T5"] == 2 * 31
    assert np.isclose(row["T6"], 61 / (3 * 59))  # 61 in Nov-Dec vs min(Sep-Oct 3*61, Jan-Feb 3*59)
    assert row["T7"] == 1


def test_fata_counts_with_kp_through_merged_into(tmp_path):
    path = synth.write_run(tmp_path / "r.h5", seed=4)
    ens = ensemble.gather([str(path)])[0]
    provinces = ens.map().provinces
    assert calibration.kp_province_ids(provinces) == {0, 1}  # KP and FATA (merged_into = 0)
    by_prov, meta = ens.series("attacks_by_province")
    mask = calibration.kp_label_mask(meta.labels, provinces)
    assert mask.tolist() == [True, True] + [False] * 7
    # the same by name alone, as for sweep files that carry no /map
    assert calibration.kp_label_mask(meta.labels, None).tolist() == mask.tolist()


def test_series_and_events_agree(tmp_path):
    # T2 from the attacks_by_province series equals the share computed from the events table
    path = synth.write_run(tmp_path / "r.h5", seed=9)
    ens = ensemble.gather([str(path)])[0]
    row = calibration.per_run_targets(ens).iloc[0]
    events = ens.events()[0]
    dates = pd.to_datetime(events["date"])
    after = events[(dates >= "2021-08-15") & (dates < "2022-08-15")]
    assert np.isclose(row["T2"], after["province"].isin([0, 1]).mean())


def test_sweep_without_events_leaves_t3_t7_open(tmp_path):
    path = synth.write_sweep(tmp_path / "h.h5", scenario="historical_2020_2023", seeds=[1, 2, 3])
    per_run = calibration.per_run_targets(ensemble.load_sweep(str(path)))
    assert per_run[["T1", "T2", "T4", "T5", "T6"]].notna().all().all()
    assert per_run[["T3_deaths", "T7"]].isna().all().all()
    judged = calibration.judge(per_run, "h")
    assert (judged.set_index("quantity").loc[calibration.TARGET_BY_KEY["T7"].what, "result"]) == "n/a"


def test_runs_that_do_not_cover_a_window_give_nan(tmp_path):
    path = synth.write_run(tmp_path / "p.h5", start="2023-03-01", end="2023-06-30")
    row = calibration.per_run_targets(ensemble.gather([str(path)])[0]).iloc[0]
    assert row[["T1", "T2", "T3_deaths", "T4", "T5", "T6"]].isna().all()
    assert np.isfinite(row["T7"])  # a maximum over the part of 2022-2023 the run covers, as the model's t7
    later = synth.write_run(tmp_path / "q.h5", start="2024-01-01", end="2024-03-31")
    assert np.isnan(calibration.per_run_targets(ensemble.gather([str(later)])[0]).iloc[0]["T7"])


def test_judge_rules():
    per_run = pd.DataFrame({"seed": [1, 2, 3], "T1": [0.20, 0.40, 0.90], "T2": [0.60, 0.65, 0.71],
                            "T3_deaths": [100.0] * 3, "T3_incidents": [150.0] * 3, "T4": [300.0] * 3,
                            "T5": [62.0] * 3, "T6": [0.90, 0.95, 1.03], "T7": [20.0, 55.0, 40.0]})
    result = calibration.judge(per_run, "x").set_index("target")["result"]
    assert result["T1"] == "pass"        # median 40 in 30..75
    assert result["T2"] == "FAIL"        # median 65 < 70
    assert result["T6"] == "pass"        # median replica below both neighbours
    assert result["T7"] == "pass"        # one event >= 50 somewhere, none > 300
    per_run["T7"] = [20.0, 301.0, 60.0]
    assert calibration.judge(per_run, "x").set_index("target")["result"]["T7"] == "FAIL"


def test_targets_come_from_the_projects_one_definition(tmp_path):
    import yaml
    from borderland.ttp import targets
    doc = yaml.safe_load((synth.REPO / "models" / "ttp" / "calibration" / "targets.yaml").read_text())
    assert [t.key for t in calibration.TARGETS] == [e["id"] for e in doc["targets"]]
    for t, e in zip(calibration.TARGETS, doc["targets"]):
        assert (t.metric, t.statistic, t.low, t.high) == (e["metric"], e["statistic"], e["band"]["low"], e["band"]["high"])
        assert t.source == e["source"]
    # another file (BORDERLAND_TTP_TARGETS, or a path): its bands are the ones judged
    changed = dict(doc)
    changed["targets"] = [dict(e) for e in doc["targets"]]
    changed["targets"][0]["band"] = {"low": 0.0, "high": 0.1}
    path = tmp_path / "targets.yaml"
    path.write_text(yaml.safe_dump(changed))
    _, loaded = targets.load(str(path))
    assert (loaded[0].low, loaded[0].high) == (0.0, 0.1) and not loaded[0].passes(0.5)
    broken = tmp_path / "broken.yaml"
    broken.write_text("targets:\n  - id: T1\n")
    with pytest.raises(targets.InputError, match=r"broken.yaml: targets\[0\] \(T1\): missing or bad field"):
        targets.load(str(broken))
