#pragma once
// One function per subcommand; each returns the process exit code and throws
// sim::InputError for bad input (mapped to exit code 2 by main).
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
};
int command_run(const RunArgs& args);

int command_validate(const std::string& file, const std::vector<std::string>& overrides);
int command_models(const std::string& name);
int command_inspect(const std::string& file);

}  // namespace borderland::app
