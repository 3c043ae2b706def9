#include <fmt/format.h>

#include "app/commands.hpp"
#include "sim/experiments/sweep_file.hpp"

namespace borderland::app {

int command_merge(const std::vector<std::string>& shards, const std::string& output, bool quiet) {
  const std::int64_t missing = sim::experiments::merge_sweep_files(shards, output);
  if (!quiet) fmt::print(stderr, "wrote {} from {} shard(s)\n", output, shards.size());
  if (missing > 0) {
    fmt::print(stderr, "borderland: {} run(s) are in no shard (status 0 in {})\n", missing, output);
    return 1;
  }
  return 0;
}

}  // namespace borderland::app
