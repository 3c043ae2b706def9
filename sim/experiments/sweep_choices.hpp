#pragma once
// The parts of a sweep file that choose between alternatives instead of
// setting numbers (internal to the sweep loader):
//   scenario: [a.yaml, b.yaml]            which scenario runs
//   policy_set: {none: [], reform: [...]} which policies are added to the base
// Each alternative is checked as a whole scenario; errors are placed at the
// alternative in the sweep file.
#include <yaml-cpp/yaml.h>

#include <map>
#include <string>
#include <vector>

#include "sim/diagnostics.hpp"
#include "sim/error.hpp"
#include "sim/experiments/sweep.hpp"

namespace borderland::sim::experiments {

// Re-places messages of a trial scenario parse: "--set KEY: error: ..." becomes
// "PLACE: error: ..." for the KEY -> PLACE pairs given.
void relocate(const InputError& e, const std::map<std::string, std::string>& places,
              Diagnostics& diag);

// Fill `p` (labels, values 0..k-1) and the sweep's alternatives; false on an error.
bool read_scenario_choice(const YAML::Node& node, const std::string& dir, Sweep& sweep,
                          const std::vector<const ModelSpec*>& models, Diagnostics& diag,
                          VariedParameter& p);
bool read_policy_set_choice(const YAML::Node& node, Sweep& sweep,
                            const std::vector<const ModelSpec*>& models, Diagnostics& diag,
                            VariedParameter& p);

}  // namespace borderland::sim::experiments
