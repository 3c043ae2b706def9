// Runs 30 days of the civil violence model from an inline scenario and prints its summary:
// what a program built against the installed borderland can do.
#include <cstdio>

#include "borderland/version.hpp"
#include "models/civil_violence/model.hpp"
#include "sim/run.hpp"
#include "sim/scenario.hpp"

int main() {
  const borderland::civil_violence::Model model;
  const auto scenario = borderland::sim::parse_scenario(
      "model: civil_violence\nstart: 2000-01-01\nend: 2000-01-30\n"
      "parameters: {grid: {width: 20, height: 20}}\n",
      "consumer.yaml", {}, {&model.spec()});
  borderland::sim::RunOptions options;
  options.threads = 1;
  const auto result = borderland::sim::run_scenario(model, scenario, options);
  std::printf("model %s: %lld days\n", model.spec().name.c_str(),
              static_cast<long long>(result.steps));
  for (const auto& [name, value] : result.summary) std::printf("%s = %g\n", name.c_str(), value);
  return result.steps == 30 ? 0 : 1;
}
