#include <fmt/format.h>

#include "app/commands.hpp"
#include "app/registry.hpp"
#include "sim/scenario.hpp"

namespace borderland::app {

int command_validate(const std::string& file, const std::vector<std::string>& overrides) {
  const sim::Scenario scenario = sim::load_scenario(file, overrides, model_specs());
  fmt::print("# {}: valid {} scenario, {} days from {} to {}\n", file, scenario.model,
             scenario.steps(), scenario.start.iso(), scenario.end.iso());
  fmt::print("{}", scenario.resolved_yaml);
  return 0;
}

}  // namespace borderland::app
