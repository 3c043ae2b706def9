"""Bad calibration files get located messages (file:line:col, exit 2); the TTP calibration file is whole."""
import textwrap

import numpy as np
import pytest

import calibration_helpers as ch
from borderland.calibration.config import load_calibration
from borderland.calibration.errors import CalibrationInputError

pytestmark = pytest.mark.skipif(ch.BIN is None, reason=ch.NO_ENGINE)

GOOD = """\
base: cv_small.yaml
seed: 3
method: {population: 10, rounds: 2}
parameters:
  priors:
    parameters.legitimacy: {min: 0.5, max: 0.9}
statistics:
  - {name: jailed, series: jailed, reduce: mean, observed: 10}
"""


def _error(tmp_path, text: str) -> str:
    ch.write_scenario(tmp_path)
    path = tmp_path / "cal.yaml"
    path.write_text(textwrap.dedent(text))
    with pytest.raises(CalibrationInputError) as info:
        load_calibration(str(path), ch.BIN)
    return str(info.value).replace(str(path), "cal.yaml")


@pytest.mark.parametrize("old,new,expected", [
    ("seed: 3", "sed: 3", "cal.yaml:2:1: error: sed: unknown key; did you mean 'seed'?"),
    ("population: 10", "population: ten", 'cal.yaml:3:22: error: method.population: expected an integer >= 2, '
                                           'got "ten"'),
    ("{min: 0.5, max: 0.9}", "{min: 0.5, max: 1.5}", "cal.yaml:6:44: error: parameters.priors.parameters.legitimacy"
                                                     ".max: expected a number in [0, 1], got \"1.5\""),
    ("parameters.legitimacy:", "parameters.legitimacyy:",
     "cal.yaml:6:5: error: parameters.priors.parameters.legitimacyy: not a ranged parameter of the model nor an "
     "observation parameter; did you mean 'parameters.legitimacy'?"),
    ("base: cv_small.yaml", "base: nowhere.yaml", "cal.yaml:1:7: error: base: no such scenario file"),
    ("reduce: mean", "reduce: median", 'cal.yaml:8:44: error: statistics[0].reduce: expected one of sum, mean, max, '
                                       'got "median"'),
    ("observed: 10}", "}", "cal.yaml:8:5: error: statistics[0]: 'observed' is missing; expected the observed figure"),
    ("{min: 0.5, max: 0.9}", "{min: 0.9, max: 0.5}", "cal.yaml:6:28: error: parameters.priors.parameters.legitimacy: "
                                                     "expected min < max, got [0.9, 0.5]"),
    ("method: {population: 10, rounds: 2}", "method: [1, 2", "cal.yaml:4:11: error: invalid YAML"),
    ("rounds: 2}", "rounds: 2, kernel_scale: 0}", "cal.yaml:3:51: error: method.kernel_scale: expected a number in "
                                                  "[0.01, 100], got \"0\""),
    # a series selection without the series a statistic reads: it could only be left out of the fit
    ("seed: 3", "set: {output.series: [active, arrests]}\nseed: 3",
     "cal.yaml:2:22: error: set.output.series: selects none of the series 'jailed' that statistic 'jailed' reads"),
])
def test_bad_calibration_files_are_located(tmp_path, old, new, expected):
    assert old in GOOD
    assert expected in _error(tmp_path, GOOD.replace(old, new))


def test_the_command_exits_2_and_writes_nothing(tmp_path):
    ch.write_scenario(tmp_path)
    cal = tmp_path / "cal.yaml"
    cal.write_text(GOOD.replace("seed: 3", "seed: -3"))
    done = ch.calibrate(cal, tmp_path / "out.h5")
    assert done.returncode == 2
    assert done.stderr.startswith(f"{cal}:2:7: error: seed: expected an integer in [0,")
    assert not list(tmp_path.glob("out.h5*"))


def test_unknown_statistic_source_and_key_paths(tmp_path):
    text = GOOD.replace("reduce: mean, observed: 10}", "reduce: mean, observed: 10, source: PICSS}")
    assert "statistics[0].source: unknown source 'PICSS'" in _error(tmp_path, text)
    text = GOOD.replace("  priors:", "  exclude: [parameters.nothing]\n  priors:")
    assert "cal.yaml:5:13: error: parameters.exclude[0]: 'parameters.nothing' is not a ranged parameter" \
        in _error(tmp_path, text)


TTP_CAL = ch.REPO / "models" / "ttp" / "calibration" / "calibrate.yaml"


def test_the_ttp_calibration_file_is_complete():
    cal = load_calibration(str(TTP_CAL), ch.BIN)
    models = [p for p in cal.priors if p.kind == "model"]
    rates = [p.key for p in cal.priors if p.kind == "observation"]
    assert len(models) >= 30 and sorted(rates) == ["observation.ICG.reporting_rate",
                                                   "observation.PICSS.reporting_rate",
                                                   "observation.PIPS.reporting_rate"]
    for p in models:          # within the declared range, around the default
        assert p.low <= p.default <= p.high
    # every tracker row and every target is a statistic
    rows = (TTP_CAL.parent / "pk_militancy_2020_2023_trackers.csv").read_text().strip().splitlines()[1:]
    tracker_stats = [s for s in cal.statistics if s.name.startswith(("picss_", "pips_"))]
    assert len(tracker_stats) == len(rows)
    assert {s.name for s in cal.statistics if not s.name.startswith(("picss_", "pips_"))} == \
        {"T1", "T2", "T3_deaths", "T3_incidents", "T4", "T5", "T6", "T7"}
    by_name = {s.name: s for s in cal.statistics}
    # January 2023: PICSS gives KP and its tribal districts as two rows, so KP is the settled districts
    jan_kp = by_name["picss_militant_attacks_khyber_pakhtunkhwa_2023-01-01_2023-01-31"]
    assert jan_kp.component.labels == (("Khyber Pakhtunkhwa",),) and jan_kp.period == "month"
    pips_kp = by_name["pips_terrorist_attacks_khyber_pakhtunkhwa_2021-01-01_2021-12-31"]
    assert pips_kp.component.labels == (("Khyber Pakhtunkhwa", "Federally Administered Tribal Areas"),)
    assert by_name["picss_militant_attacks_per_month_pakistan_2019-01-01_2019-12-31"].unavailable.startswith(
        "outside the simulated period")
    # a source's national attack count takes the tactics it includes; a tactic's count only that tactic
    assert by_name["pips_terrorist_attacks_pakistan_2022-01-01_2022-12-31"].component.labels == (
        ("armed_raid", "ambush", "ied", "targeted_killing", "suicide_attack", "grenade_rocket", "night_sniping"),)
    assert by_name["pips_suicide_attacks_pakistan_2022-01-01_2022-12-31"].component.labels == (("suicide_attack",),)
    assert by_name["T6"].kind == "band" and by_name["T4"].weight == 0.5
    assert "PIPS" in by_name["pips_terrorist_attacks_pakistan_2022-01-01_2022-12-31"].source


def test_bad_observation_files_are_located(tmp_path):
    ch.write_scenario(tmp_path)
    (tmp_path / "obs.yaml").write_text(textwrap.dedent("""\
        sources:
          S: {reporting_rate: {min: 0.2, max: 1.5}}
        """))
    text = GOOD.replace("seed: 3", "seed: 3\nobservation: obs.yaml")
    assert "obs.yaml:2:39: error: sources.S.reporting_rate.max: expected a number in [0, 1], got \"1.5\"" \
        in _error(tmp_path, text)
    (tmp_path / "obs.yaml").write_text("generators:\n  - {kind: ttp_tracker, file: x.csv}\n")
    assert "obs.yaml:2:12: error: generators[0].kind: unknown generator 'ttp_tracker'; did you mean " \
           "'ttp_trackers'?" in _error(tmp_path, text)


def test_the_ttp_calibration_runs_against_the_model(tmp_path):
    """Two rounds of six particles of the real TTP calibration (its 40 parameters): round 1 gets
    its proposals through the prior box, every statistic resolves against the model's output (but
    the rows outside the simulated period, which say so), and the runs write only the series the
    statistics read."""
    import re
    import yaml
    text = TTP_CAL.read_text()
    text = text.replace("base: ../../../scenarios/", f"base: {ch.REPO}/scenarios/")
    text = text.replace("observation: observation.yaml", f"observation: {TTP_CAL.parent}/observation.yaml")
    for key, value in (("population", 6), ("rounds", 2), ("draws", 6), ("max_simulations_per_round", 60)):
        text, n = re.subn(rf"^(  {key}:) \d+", rf"\1 {value}", text, count=1, flags=re.M)
        assert n == 1, key
    cal = tmp_path / "ttp_tiny.yaml"
    cal.write_text(text)
    done = ch.calibrate(cal, tmp_path / "ttp.h5")
    assert done.returncode == 0, done.stderr
    from borderland.calibration.posterior import Posterior
    post = Posterior(str(tmp_path / "ttp.h5"))
    assert len(post.schedule["epsilon"]) == 2 and post.theta.shape == (6, len(post.keys))
    status = dict(zip(post.statistics["name"], post.statistics["status"]))
    assert all(status[t] == "used" for t in ("T1", "T2", "T3_deaths", "T3_incidents", "T4", "T5", "T6", "T7"))
    assert status["picss_militant_attacks_pakistan_2022-01-01_2022-12-31"] == "used"
    assert status["picss_share_of_attacks_khyber_pakhtunkhwa_2022-01-01_2022-12-31"] == "used"
    unused = {name: why for name, why in status.items() if why != "used"}
    assert len(unused) == 3 and all("outside the simulated period" in why for why in unused.values()), unused
    assert np.isfinite(post.stats[:, [why == "used" for why in status.values()]]).all()
    sweep = yaml.safe_load((tmp_path / "ttp.h5.work" / "round_01_batch_00.yaml").read_text())
    series = set(sweep["set"]["output.series"])
    assert {"attacks_by_tactic", "attack_killed", "injured", "attacks_by_province", "attacks_by_group",
            "security_operations", "arrests"} <= series and "fighters_pakistan" not in series
    for name, s in status.items():
        assert s == "used" or s.startswith(("pending: needs", "pending: outside the simulated period")), (name, s)
    counts = [j for j, (s, k) in enumerate(zip(post.statistics["status"], post.statistics["kind"]))
              if s == "used" and k == "value"]          # sums: finite for every finished run (ratios may be 0/0)
    assert len(counts) >= 40 and np.isfinite(post.stats[:, counts]).all()
