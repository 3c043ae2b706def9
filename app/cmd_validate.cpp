#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "app/commands.hpp"
#include "app/registry.hpp"
#include "sim/experiments/sweep.hpp"
#include "sim/scenario.hpp"

namespace borderland::app {

// A sweep file names a design (and a base); a scenario never does.
bool looks_like_sweep(const std::string& file) {
  try {
    const YAML::Node root = YAML::LoadFile(file);
    return root.IsMap() && (root["design"].IsDefined() || root["base"].IsDefined());
  } catch (const YAML::Exception&) {
    return false;  // the scenario loader reports the syntax error
  }
}

namespace {
int validate_sweep(const std::string& file, const std::vector<std::string>& overrides) {
  if (!overrides.empty())
    throw sim::InputError("--set: error: not for sweep files (use the sweep's `set:`)");
  const auto sweep = sim::experiments::load_sweep(file, model_specs());
  const auto& d = sweep.design;
  fmt::print(
      "# {}: valid sweep of {} ({} model): {} design, {} point(s) x {} replica(s) = {} "
      "runs of {} days\n",
      file, sweep.base_source, sweep.base.model, sim::experiments::design_name(d.kind), d.points,
      d.replicas, d.runs(), sweep.base.steps());
  for (const auto& p : d.parameters)
    fmt::print("#   {}{}\n", p.key,
               p.values.empty() ? fmt::format(" in [{}, {}]", p.min, p.max) : "");
  for (const auto& o : sweep.overrides(0)) fmt::print("# run 0: --set {}\n", o);
  fmt::print("{}", sweep.base.resolved_yaml);
  return 0;
}
}  // namespace

int command_validate(const std::string& file, const std::vector<std::string>& overrides) {
  if (looks_like_sweep(file)) return validate_sweep(file, overrides);
  const sim::Scenario scenario = sim::load_scenario(file, overrides, model_specs());
  fmt::print("# {}: valid {} scenario, {} days from {} to {}\n", file, scenario.model,
             scenario.steps(), scenario.start.iso(), scenario.end.iso());
  fmt::print("{}", scenario.resolved_yaml);
  return 0;
}

}  // namespace borderland::app
