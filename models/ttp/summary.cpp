#include "models/ttp/summary.hpp"

#include <string>

#include "models/ttp/metrics.hpp"

namespace borderland::ttp {
namespace {

// targets.yaml gives units in words with a gloss ("1 (fraction of attacks, 0.75 = 75 %)",
// "persons", "attacks"); the file convention (docs/hdf5_layout.md) is UCUM-like text, "1" for
// dimensionless and "count" for counts, so the word goes into the units and the whole text into
// the description.
sim::SummarySpec target_spec(const std::string& metric, const std::string& id,
                             const std::string& description, const std::string& units) {
  const std::string word = units.substr(0, units.find(" ("));
  const bool count = word == "persons" || word == "attacks";
  return {metric, count ? "count" : word,
          description + " (calibration target " + id + ", in " + units +
              "; NaN when the run does not cover its dates)"};
}

}  // namespace

std::vector<sim::SummarySpec> summary_specs() {
  const std::string from = " from parameter metrics.from on (projections: 2023-03-01)";
  std::vector<sim::SummarySpec> specs = {
      {"total_attacks", "count", "militant attacks" + from},
      {"police_killed", "count", "police officers killed" + from},
      {"army_killed", "count", "soldiers killed" + from},
      {"civilians_killed", "count", "civilians killed" + from},
      {"militants_killed", "count", "militants killed" + from},
      {"mean_tension", "1",
       "mean daily tension between Pakistan and the Afghan Taliban (0..1)" + from},
      {"final_fighters", "count",
       "militant fighters on the last day, in Pakistan and in the sanctuaries"},
  };
  for (const CalibrationTarget& t : calibration_target_definitions()) {
    specs.push_back(target_spec(t.metric, t.id, t.description, t.units));
    if (!t.count_metric.empty())
      specs.push_back({t.count_metric, "count",
                       "attacks with at least " + std::to_string(t.victims_threshold) +
                           " victims in the window of " + t.id +
                           " (NaN when the run does not cover it)"});
  }
  return specs;
}

}  // namespace borderland::ttp
