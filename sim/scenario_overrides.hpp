#pragma once
// Command-line changes to a scenario's YAML tree, applied before validation so
// that they are checked exactly like the file:
//   --set key.path=value        a value (YAML), at a dotted key path; a list
//                               index may be the list's size or '+' to append
//   --policy 'NAME k=v ...'     one more policy switch (start=, end=, strengths)
//   --policy 'NAME inherited=end at=DATE'  ends the scenario's periods of NAME on
//                               DATE; inherited=replace drops them and adds this
//                               one (the rule of scenario_compose.hpp); so does
//                               --set 'policies.+={policy: NAME, inherited: end, at: DATE}'
// Both are kept, in order, in Scenario::overrides; a --policy is kept as
// "--policy NAME k=v ..." so that a restart re-applies it.
#include <yaml-cpp/yaml.h>

#include <string>
#include <utility>
#include <vector>

namespace borderland::sim {

// The key path (as messages write it: "policies[7].start") a flag set, and the
// flag as the user wrote it ("--set policies.7.start", "--policy 'talks ...'").
struct OverridePlace {
  std::string path;
  std::string flag;
};

// (key path, file) of each node of a composed scenario (ComposedYaml::files).
using OverrideFiles = std::vector<std::pair<std::string, std::string>>;

// Applies every override to `root`. Returns the places for messages; problems
// with an override itself (no '=', a bad index) are appended to `errors`. A
// --policy rule that drops periods renumbers `files` (when given) to match.
// Warnings (valid overrides that probably do not do what was meant: a replace rule
// dropping periods that began earlier) go to `warnings` when given.
std::vector<OverridePlace> apply_overrides(YAML::Node& root,
                                           const std::vector<std::string>& overrides,
                                           std::vector<std::string>& errors,
                                           OverrideFiles* files = nullptr,
                                           std::vector<std::string>* warnings = nullptr);

// The entry of Scenario::overrides for `--policy SPEC`.
std::string policy_override(const std::string& spec);

}  // namespace borderland::sim
