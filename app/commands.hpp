#pragma once
// One function per subcommand; each returns the process exit code and throws
// sim::InputError for bad input (mapped to exit code 2 by main).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace borderland::app {

struct RunArgs {
  std::string scenario;
  std::string output;  // empty: <scenario stem>.h5 in the current folder
  std::optional<unsigned long long> seed;
  int threads = 0;
  std::vector<std::string> overrides;
  std::string until;
  bool quiet = false;
  std::int64_t checkpoint_every = 0;  // days between checkpoints (0: none)
  std::string restart;                // continue the run saved in this file
  std::string posterior;              // a posterior file: its draw `draw` sets the parameters
  std::int64_t draw = -1;
};
int command_run(const RunArgs& args);

struct SweepArgs {
  std::string sweep;
  std::string output;  // empty: <sweep stem>.h5 in the current folder
  int threads = 0;
  int run_threads = 0;
  bool resume = false;
  std::string shard;     // "i/N"
  std::string runs_dir;  // keep every run's full output here
  bool quiet = false;
};
int command_sweep(const SweepArgs& args);
int command_merge(const std::vector<std::string>& shards, const std::string& output, bool quiet);

// Whether a YAML file is a sweep (names a design or a base) rather than a scenario.
bool looks_like_sweep(const std::string& file);
int command_validate(const std::string& file, const std::vector<std::string>& overrides);
int command_models(const std::string& name);
int command_inspect(const std::string& file);

}  // namespace borderland::app
