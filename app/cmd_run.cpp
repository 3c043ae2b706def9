#include <fmt/format.h>

#include <filesystem>

#include "app/commands.hpp"
#include "app/registry.hpp"
#include "sim/error.hpp"
#include "sim/progress.hpp"
#include "sim/run.hpp"

namespace borderland::app {

int command_run(const RunArgs& args) {
  std::vector<std::string> overrides = args.overrides;
  if (args.seed) overrides.push_back(fmt::format("seed={}", *args.seed));
  const sim::Scenario scenario = sim::load_scenario(args.scenario, overrides, model_specs());

  sim::RunOptions options;
  options.output_path = args.output.empty()
                            ? std::filesystem::path(args.scenario).stem().string() + ".h5"
                            : args.output;
  options.threads = args.threads;
  options.progress = !args.quiet && sim::Progress::stderr_is_terminal();
  if (!args.until.empty()) {
    options.until = sim::Date::parse(args.until);
    if (!options.until)
      throw sim::InputError(
          fmt::format("--until: error: expected a date (YYYY-MM-DD), got \"{}\"", args.until));
  }
  const sim::RunResult result = sim::run_scenario(*find_model(scenario.model), scenario, options);
  if (!args.quiet)
    fmt::print(stderr, "wrote {} ({} days in {:.2f} s)\n", options.output_path, result.steps,
               result.seconds);
  return 0;
}

}  // namespace borderland::app
