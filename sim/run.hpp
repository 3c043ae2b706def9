#pragma once
// Runs one scenario of one model: the single entry point that the command
// line, the sweep runner and the tests all call.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/date.hpp"
#include "sim/model.hpp"
#include "sim/scenario.hpp"

namespace borderland::sim {

struct RunOptions {
  std::string output_path;    // empty: write no file
  int threads = 0;            // 0: all cores
  std::optional<Date> until;  // stop after this date (inclusive)
  bool progress = false;      // draw progress on stderr
  bool keep_series = false;   // return every series in RunResult (sweeps)
};

struct RunResult {
  std::int64_t steps = 0;
  std::vector<std::vector<double>> series;  // per schema series: steps * width values (keep_series)
  std::map<std::string, double> summary;
  double seconds = 0.0;
};

RunResult run_scenario(const Model& model, const Scenario& scenario, const RunOptions& options);

}  // namespace borderland::sim
