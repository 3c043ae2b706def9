"""Bad calibration files get located messages (file:line:col, exit 2); the TTP calibration file is whole."""
import textwrap

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
        ("suicide_bombing", "complex_assault", "ied", "targeted_killing", "prison_break_siege"),)
    assert by_name["pips_suicide_attacks_pakistan_2022-01-01_2022-12-31"].component.labels == (("suicide_bombing",),)
    assert by_name["T6"].kind == "band" and by_name["T4"].weight == 0.5
    assert "PIPS" in by_name["pips_terrorist_attacks_pakistan_2022-01-01_2022-12-31"].source
