// Sweep loader: any text either loads or is an InputError; what loads gives a
// valid scenario for its first and its last run.
#include <cstdint>
#include <string>

#include "app/registry.hpp"
#include "sim/error.hpp"
#include "sim/experiments/sweep.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace borderland;
  static const auto specs = app::model_specs();
  // A file in scenarios/sweeps, so that `base: ../civil_violence.yaml` is found.
  static const std::string source =
      std::string(BORDERLAND_SOURCE_DIR) + "/scenarios/sweeps/fuzz.yaml";
  const std::string text(reinterpret_cast<const char*>(data), size);
  sim::experiments::Sweep sweep;
  try {
    sweep = sim::experiments::parse_sweep(text, source, specs);
  } catch (const sim::InputError&) {
    return 0;
  }
  // Rows are checked at load time; a run that then fails to parse is a finding
  // (the InputError escapes). Values inside a range may still be refused by a
  // model's cross-checks at create(), which this target does not call.
  (void)sweep.scenario(0, specs);
  (void)sweep.scenario(sweep.runs() - 1, specs);
  return 0;
}
