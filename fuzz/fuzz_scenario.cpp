// Scenario loader: any text either loads or is an InputError; what loads has a
// resolved form that loads again to the same resolved form. An input may end
// with "\n%%\n" followed by --set / --policy lines.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "app/registry.hpp"
#include "sim/error.hpp"
#include "sim/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace borderland;
  static const auto specs = app::model_specs();
  // A file in scenarios/ttp, so that `extends: baseline.yaml` finds a parent.
  static const std::string source = std::string(BORDERLAND_SOURCE_DIR) + "/scenarios/ttp/fuzz.yaml";
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> overrides;
  if (const auto cut = text.find("\n%%\n"); cut != std::string::npos) {
    std::string rest = text.substr(cut + 4);
    text.resize(cut + 1);
    for (std::size_t start = 0; start < rest.size();) {
      const auto nl = rest.find('\n', start);
      const std::string line = rest.substr(start, nl == std::string::npos ? nl : nl - start);
      if (!line.empty()) overrides.push_back(line);
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }
  sim::Scenario scenario;
  try {
    scenario = sim::parse_scenario(text, source, overrides, specs);
  } catch (const sim::InputError&) {
    return 0;
  }
  // The resolved form must be valid (an InputError here escapes: a finding).
  const sim::Scenario again = sim::parse_scenario(scenario.resolved_yaml, source, {}, specs);
  if (again.resolved_yaml != scenario.resolved_yaml) std::abort();
  return 0;
}
