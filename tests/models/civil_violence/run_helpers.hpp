#pragma once
// Runs the civil violence model in-process for tests.
#include <string>
#include <vector>

#include "models/civil_violence/model.hpp"
#include "sim/run.hpp"
#include "sim/scenario.hpp"

namespace borderland::civil_violence::testing {

inline const Model& model() {
  static const Model m;
  return m;
}

inline sim::Scenario scenario_from_file(const std::string& relative,
                                        const std::vector<std::string>& overrides = {}) {
  return sim::load_scenario(std::string(BORDERLAND_SOURCE_DIR) + "/" + relative, overrides,
                            {&model().spec()});
}

// The `active` series of one run, one value per day.
inline std::vector<double> active_series(const sim::Scenario& s, int threads = 1) {
  sim::RunOptions options;
  options.threads = threads;
  options.keep_series = true;
  const sim::RunResult result = sim::run_scenario(model(), s, options);
  return result.series.at(1);  // quiescent, active, jailed, arrests, legitimacy
}

// Outbursts: episodes that start when activity reaches `high` and end when it falls back to `low`.
struct Outbursts {
  int count = 0;
  std::vector<double> peaks;
  double quiet_share = 0;  // share of days with activity at or below `low`
};

inline Outbursts find_outbursts(const std::vector<double>& active, double high, double low) {
  Outbursts o;
  bool inside = false;
  int quiet = 0;
  for (double v : active) {
    quiet += v <= low ? 1 : 0;
    if (!inside && v >= high) {
      inside = true;
      ++o.count;
      o.peaks.push_back(v);
    } else if (inside) {
      o.peaks.back() = std::max(o.peaks.back(), v);
      if (v <= low) inside = false;
    }
  }
  o.quiet_share =
      active.empty() ? 0 : static_cast<double>(quiet) / static_cast<double>(active.size());
  return o;
}

}  // namespace borderland::civil_violence::testing
