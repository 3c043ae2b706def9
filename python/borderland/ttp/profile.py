"""The TTP model's profile for the generic analysis (borderland.profiles): names, outcomes, series,
dates and the calibration targets of the Pakistani Taliban (TTP) insurgency model."""
from __future__ import annotations

from ..profiles import ModelProfile, Outcome
from . import calibration

# Known scenarios keep their colour in every figure and report (the names of scenarios/ttp/*.yaml);
# the order here is the display order.
SCENARIO_COLOURS = {
    "historical_2020_2023": "#222222",  # the record: black
    "baseline": "#7f7f7f",  # the reference: grey
    "talks_with_concessions": "#1f77b4",  # blue
    "talks_without_concessions": "#17becf",  # cyan
    "cross_border_strikes": "#d62728",  # red
    "police_reform": "#2ca02c",  # green
    "host_pressure": "#9467bd",  # purple
    "border_control": "#ff7f0e",  # orange
    "rule_of_law": "#8c564b",  # brown
    "combined_police_rule_of_law": "#bcbd22",  # olive
    "combined_strikes_host_pressure": "#e377c2",  # pink
}

SCENARIO_TITLES = {
    "historical_2020_2023": "History, Jan 2020 - Feb 2023",
    "baseline": "Baseline (policies of Feb 2023 continue)",
    "talks_with_concessions": "Talks with concessions",
    "talks_without_concessions": "Talks without concessions",
    "cross_border_strikes": "Cross-border strikes in Afghanistan",
    "police_reform": "Police reform",
    "host_pressure": "Pressure on the Afghan Taliban",
    "border_control": "Border control",
    "rule_of_law": "Rule of law",
    "combined_police_rule_of_law": "Police reform + rule of law",
    "combined_strikes_host_pressure": "Strikes + pressure on the Afghan Taliban",
}

OUTCOMES = [
    Outcome("attacks", "attacks", "attacks", series="attacks", summary_metric="total_attacks",
            averted="attacks averted"),
    Outcome("police_deaths", "police killed", "deaths", series="killed", column="police",
            summary_metric="police_killed", averted="police deaths averted"),
    Outcome("civilian_deaths", "civilians killed", "deaths", series="killed", column="civilians",
            summary_metric="civilians_killed", averted="civilian deaths averted"),
    Outcome("tension", "tension with the Afghan Taliban (mean, 0-1)", "1", series="tension", reduce="mean",
            summary_metric="mean_tension"),
    Outcome("militant_strength", "militant strength at the end (fighters)", "fighters",
            series="fighters_pakistan", plus_series=("fighters_sanctuary",), reduce="final",
            summary_metric="final_fighters", averted="fewer fighters"),
]

REPORT_SERIES = ["attacks", "killed:police", "killed:civilians", "tension", "fighters_pakistan",
                 "fighters_sanctuary"]
SERIES_TITLES = {
    "attacks": "Militant attacks",
    "killed:police": "Police killed",
    "killed:civilians": "Civilians killed",
    "killed:army": "Soldiers killed",
    "tension": "Tension between Pakistan and the Afghan Taliban (0-1)",
    "fighters_pakistan": "Militant fighters in Pakistan",
    "fighters_sanctuary": "Militant fighters in Afghan sanctuaries",
    "attacks_by_province": "Attacks by province",
}

TIMELINE_MARKS = [("2021-08-15", "Kabul falls"), ("2021-11-09", "ceasefire"), ("2022-11-28", "ceasefire ends"),
                  ("2023-01-30", "Peshawar police HQ bombing")]

SOURCES = [
    "International Crisis Group, \"Pakistan's Hard Policy Choices in Tackling Violent Extremism\", commentary, "
    "2023, https://www.crisisgroup.org/asia/south-asia/pakistan (the scenarios' narrative and targets T1-T7).",
    "Pakistan Institute for Conflict and Security Studies (PICSS) and Pak Institute for Peace Studies (PIPS), "
    "published counts of militant attacks in Pakistan, January 2020 - January 2023 (the calibration period).",
    "Natural Earth admin-0 and admin-1 boundaries (public domain); GeoNames populated places (CC-BY 4.0); "
    "Pakistan Bureau of Statistics, 2017 census (the map).",
]

PROFILE = ModelProfile(
    model="ttp",
    scenario_colours=SCENARIO_COLOURS,
    scenario_titles=SCENARIO_TITLES,
    outcomes=OUTCOMES,
    report_series=REPORT_SERIES,
    series_titles=SERIES_TITLES,
    timeline_marks=TIMELINE_MARKS,
    baseline="baseline",
    border_label="Afghanistan-Pakistan border",
    sensitivity_outputs=["total_attacks", "police_killed", "civilians_killed", "mean_tension", "final_fighters"],
    map_fields={"fighters": "militant fighters"},
    is_historical=lambda name: str(name).startswith("historical"),
    calibration=calibration,
    sources=SOURCES,
)
