#include <fmt/format.h>

#include <yaml-cpp/yaml.h>
#include <cstdio>

#include "app/commands.hpp"
#include "app/registry.hpp"
#include "sim/diagnostics.hpp"
#include "sim/experiments/sweep.hpp"
#include "sim/run.hpp"
#include "sim/scenario.hpp"

namespace borderland::app {

namespace {
// A sweep file names a design (and a base); a scenario never does. Text that
// is not YAML goes to the scenario loader, which reports the problem.
bool looks_like_sweep_text(const std::string& text) {
  try {
    const YAML::Node root = YAML::Load(text);
    return root.IsMap() && (root["design"].IsDefined() || root["base"].IsDefined());
  } catch (const YAML::Exception&) {
    return false;
  }
}

// Builds the model's state from the scenario, as `run` does before its first
// step: the checks that need the whole scenario (a grid that fits, a map that
// reads) fail here rather than in the run.
void build_like_run(const sim::Scenario& scenario) {
  const auto sim = find_model(scenario.model)->create(scenario);
  (void)sim::select_output(sim->schema(), scenario.output);  // output.series names the schema's
}

int validate_sweep(const std::string& file, const std::vector<std::string>& overrides) {
  if (!overrides.empty())
    throw sim::InputError("--set: error: not for sweep files (use the sweep's `set:`)");
  const auto sweep = sim::experiments::load_sweep(file, model_specs());
  for (const auto& w : sweep.base.warnings) fmt::print(stderr, "{}\n", w);
  build_like_run(sweep.base);
  const auto& d = sweep.design;
  fmt::print(
      "# {}: valid sweep of {} ({} model): {} design, {} point(s) x {} replica(s) = {} "
      "runs of {} days\n",
      file, sweep.base_source, sweep.base.model, sim::experiments::design_name(d.kind), d.points,
      d.replicas, d.runs(), sweep.base.steps());
  for (const auto& p : d.parameters) {
    std::string what;
    if (!p.labels.empty())
      what = ": one of " + sim::known_list(p.labels);
    else if (p.values.empty())
      what = fmt::format(" in [{}, {}]", p.min, p.max);
    fmt::print("#   {}{}\n", p.key, what);
  }
  for (const auto& o : sweep.overrides(0)) fmt::print("# run 0: --set {}\n", o);
  fmt::print("{}", sweep.base.resolved_yaml);
  return 0;
}
}  // namespace

bool looks_like_sweep(const std::string& file) {
  return looks_like_sweep_text(sim::read_text_file(file, "scenario or sweep file"));
}

int command_validate(const std::string& file, const std::vector<std::string>& overrides) {
  const std::string text = sim::read_text_file(file, "scenario or sweep file");
  if (looks_like_sweep_text(text)) return validate_sweep(file, overrides);
  const sim::Scenario scenario = sim::parse_scenario(text, file, overrides, model_specs());
  for (const auto& w : scenario.warnings) fmt::print(stderr, "{}\n", w);
  build_like_run(scenario);
  fmt::print("# {}: valid {} scenario, {} days from {} to {}\n", file, scenario.model,
             scenario.steps(), scenario.start.iso(), scenario.end.iso());
  fmt::print("{}", scenario.resolved_yaml);
  return 0;
}

}  // namespace borderland::app
