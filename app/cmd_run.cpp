#include <fmt/format.h>

#include <filesystem>

#include "app/commands.hpp"
#include "app/registry.hpp"
#include "sim/error.hpp"
#include "sim/posterior.hpp"
#include "sim/progress.hpp"
#include "sim/run.hpp"

namespace borderland::app {

int command_run(const RunArgs& args) {
  // A posterior draw's parameters come first, so that --set can still override one of them.
  std::vector<std::string> overrides;
  if (!args.posterior.empty()) overrides = sim::posterior_overrides(args.posterior, args.draw);
  overrides.insert(overrides.end(), args.overrides.begin(), args.overrides.end());
  if (args.seed) overrides.push_back(fmt::format("seed={}", *args.seed));
  sim::RunOptions options;
  sim::Scenario scenario;
  if (!args.restart.empty()) {
    // The scenario, overrides and seed are those saved in the file.
    if (!args.overrides.empty() || args.seed || !args.posterior.empty())
      throw sim::InputError(
          "--restart: error: the scenario comes from the checkpoint file; "
          "drop --set, --seed and --posterior");
    scenario = sim::load_checkpoint_scenario(args.restart, model_specs());
    options.restart_from = args.restart;
    const std::string suffix = ".partial";
    std::string out = args.restart;
    if (out.size() > suffix.size() &&
        out.compare(out.size() - suffix.size(), suffix.size(), suffix) == 0)
      out.resize(out.size() - suffix.size());
    options.output_path = args.output.empty() ? out : args.output;
  } else {
    scenario = sim::load_scenario(args.scenario, overrides, model_specs());
    if (!args.quiet)
      for (const auto& w : scenario.warnings) fmt::print(stderr, "{}\n", w);
    options.output_path = args.output.empty()
                              ? std::filesystem::path(args.scenario).stem().string() + ".h5"
                              : args.output;
  }
  options.checkpoint_every = args.checkpoint_every;
  options.threads = args.threads;
  options.progress = !args.quiet && sim::Progress::stderr_is_terminal();
  if (!args.until.empty()) {
    options.until = sim::Date::parse(args.until);
    if (!options.until)
      throw sim::InputError(
          fmt::format("--until: error: expected a date (YYYY-MM-DD), got \"{}\"", args.until));
  }
  std::error_code ec;
  const bool replacing = std::filesystem::exists(options.output_path, ec);
  const sim::RunResult result = sim::run_scenario(*find_model(scenario.model), scenario, options);
  if (!args.quiet)
    fmt::print(stderr, "wrote {} ({} days in {:.2f} s){}\n", options.output_path, result.steps,
               result.seconds, replacing ? "; replaced the previous file" : "");
  return 0;
}

}  // namespace borderland::app
