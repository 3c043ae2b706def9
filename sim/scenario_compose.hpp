#pragma once
// Scenarios that build on others:  extends: baseline.yaml
//
// The file named by `extends` (relative to the file that names it) is read
// first, itself possibly extending another; then the extending file's keys
// are laid over it: a mapping (parameters, output, a parameter group) merges
// key by key, `policies` and `events` are appended after the parent's, and any
// other value replaces the parent's. Each key path remembers the file it came
// from, so that an error is placed in that file, at its line and column.
//
// Two periods of one policy may not overlap, so appending alone cannot take a
// parent's policy away. A child's policies entry may therefore be a rule about
// the periods it inherits (docs/experiments.md, "Scenarios that build on others"):
//   {policy: NAME, inherited: end, at: DATE}   periods of NAME active on DATE
//       end that day, those starting after DATE are dropped; adds no period
//   {policy: NAME, inherited: replace, start: ..., end: ..., strengths...}
//       drops every inherited period of NAME and adds this one
// `--policy 'NAME inherited=end at=DATE'` applies the same rule to the
// scenario as composed (scenario_overrides.hpp).
#include <yaml-cpp/yaml.h>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace borderland::sim {

// A chain deeper than this is a mistake, not a design.
inline constexpr int kMaxExtendsDepth = 8;

struct ComposedYaml {
  YAML::Node root;  // the merged tree, `extends` removed
  // (key path, file) for every node once a parent is involved; the longest
  // matching path tells where a node came from (empty: all from `source`).
  std::vector<std::pair<std::string, std::string>> files;
  std::vector<std::string> chain;  // the files read, the extending one first
  // "file:line:col: warning: ..." (valid input that probably does not do what was meant)
  std::vector<std::string> warnings;
};

// Parses `text` (from file `source`) and everything it extends. InputError,
// located, for a syntax error in any file, a missing parent, a cycle.
ComposedYaml compose_scenario_yaml(const std::string& text, const std::string& source);

// True when a policies entry carries `inherited:` (a rule, not a plain period).
bool is_inherited_rule(const YAML::Node& entry);

// What applying one rule did to a policies list.
struct InheritedRuleResult {
  YAML::Node list;                   // the list after the rule (a new sequence)
  std::vector<long> new_index;       // per entry of the list before: its index now, -1 if dropped
  std::vector<std::size_t> ended;    // indices (now) whose `end` the rule set
  std::optional<std::size_t> added;  // index of the period a `replace` added
  // A `replace` that drops inherited periods starting before its own start changes what
  // happened before it (the history of a projection): "START..END" of each, for a warning.
  std::vector<std::string> dropped_before;
  bool ok = false;  // false: an error was reported, the list is unchanged
};

// Reports an error at a node of the rule: (node, key path, message).
using RuleError = std::function<void(const YAML::Node&, const std::string&, const std::string&)>;

// Applies `rule` (the entry at key path `rule_path`) to `list`, whose first
// `inherited` entries are the inherited periods. Every problem with the rule
// goes to `error`, located at the rule's node or key.
InheritedRuleResult apply_inherited_rule(const YAML::Node& list, std::size_t inherited,
                                         YAML::Node rule, const std::string& rule_path,
                                         const RuleError& error);

// `path` ("policies[3].end") after the rule renumbered the policies: the same
// path with the new index, unchanged when not below `policies`, nullopt when
// the entry was dropped.
std::optional<std::string> renumbered_policy_path(const std::string& path,
                                                  const std::vector<long>& new_index);

}  // namespace borderland::sim
