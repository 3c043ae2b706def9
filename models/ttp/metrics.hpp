#pragma once
// The calibration targets T1-T7 as summary metrics of a run.
//
// The targets are defined once, in models/ttp/calibration/targets.yaml (with
// their windows, bands, ensemble statistics and public sources). That file is
// compiled into the model (CMake embeds it as a string; parsed on first use),
// so no date window or band is written in C++: this file computes each
// target's metric from the daily tallies below as the file says, and the
// calibration test judges the ensemble with the file's bands.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/date.hpp"

namespace borderland::ttp {

struct DailyTotals {
  sim::Date start;
  std::vector<std::int64_t> attacks, attacks_kp;  // per day
  std::vector<std::int64_t> police_killed, police_killed_kp, police_incidents_kp;
  std::vector<std::int64_t> attack_victims;     // killed in attacks: police, soldiers, civilians
  std::vector<std::int64_t> max_attack_deaths;  // victims of the day's deadliest attack
  std::vector<std::int64_t> attacks_over_threshold;  // attacks with T7's victims_threshold or more
  void add_day();                                    // one more day of zeros in every series
};

struct TargetWindow {
  std::string series;  // a DailyTotals series
  sim::Date from, to;  // inclusive
};

struct CalibrationTarget {
  std::string id;      // T1, T2, T3_deaths, ...
  std::string target;  // T1 ... T7 (the published figure it belongs to)
  std::string metric;  // name in /summary
  std::string description, figure, units, source;
  std::optional<double> value;      // the published figure as a number
  std::optional<double> low, high;  // tolerance band; empty = open
  bool strict = false;              // band ends excluded
  std::string statistic;            // "median" or "max" over replicas
  std::string compute;              // relative_change, share, sum, below_neighbours, max
  std::map<std::string, TargetWindow> windows;
  std::int64_t victims_threshold = 0;  // T7: attacks this deadly are counted apart
  std::string count_metric;            // ... under this summary name
  bool in_band(double x) const;
};

// The targets of calibration/targets.yaml, in file order.
const std::vector<CalibrationTarget>& calibration_target_definitions();
// Victims that make an attack count in attacks_over_threshold (T7's victims_threshold).
std::int64_t mass_casualty_threshold();

// The metric of every target (and T7's count), by summary name. A target whose
// windows the run does not cover is NaN.
std::map<std::string, double> calibration_targets(const DailyTotals& totals);

}  // namespace borderland::ttp
