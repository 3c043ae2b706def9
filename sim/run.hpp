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
  // Checkpoints: every this many days the full state goes into the output's
  // /checkpoint group (needs an output file and a model with save_state()).
  std::int64_t checkpoint_every = 0;
  // Continue the run saved in this file (an output or NAME.partial holding
  // /checkpoint) into output_path; `scenario` must be load_checkpoint_scenario(file).
  std::string restart_from;
  // Files the run reads (scenario, checkpoint, map ...): the output may be none of them.
  std::vector<std::string> inputs;
  // An existing OUTPUT.partial (not locked by a live writer) is deleted rather
  // than refused: for the sweep's --runs-dir files, which a resumed sweep redoes.
  bool replace_partial = false;
};

struct RunResult {
  std::int64_t steps = 0;
  // Per selected series (select_output, schema order): steps * width values (keep_series).
  std::vector<std::vector<double>> series;
  std::map<std::string, double> summary;
  double seconds = 0.0;
};

// What a run writes of its model's schema (scenario keys output.series and output.events,
// docs/hdf5_layout.md): the indices into schema.series of the selected series, in schema order.
// Throws InputError placed where a name was given when it is not a series of the model.
struct OutputSelection {
  std::vector<std::size_t> series;
  bool events = true;
};
OutputSelection select_output(const OutputSchema& schema, const OutputSettings& output);

RunResult run_scenario(const Model& model, const Scenario& scenario, const RunOptions& options);

// The scenario a checkpointed output was written from (its /scenario/given and
// overrides), for run --restart.
Scenario load_checkpoint_scenario(const std::string& file,
                                  const std::vector<const ModelSpec*>& models);

}  // namespace borderland::sim
