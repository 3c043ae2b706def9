#include <fmt/format.h>

#include <filesystem>

#include "app/commands.hpp"
#include "sim/experiments/sweep_file.hpp"

namespace borderland::app {

int command_merge(const std::vector<std::string>& shards, const std::string& output, bool quiet) {
  std::error_code ec;  // a name the system refuses is reported by the output checks
  const bool replacing = std::filesystem::exists(output, ec);
  const std::int64_t missing = sim::experiments::merge_sweep_files(shards, output);
  if (missing > 0) {
    fmt::print(stderr,
               "borderland: {} run(s) are in no shard: nothing written to {}{}; the runs found "
               "are in {}.partial (merge again with every shard, or finish them with `borderland "
               "sweep SWEEP --resume -o {}`)\n",
               missing, output, replacing ? " (the existing file is untouched)" : "", output,
               output);
    return 1;
  }
  if (!quiet)
    fmt::print(stderr, "wrote {} from {} shard(s){}\n", output, shards.size(),
               replacing ? " (replaced the previous file)" : "");
  return 0;
}

}  // namespace borderland::app
