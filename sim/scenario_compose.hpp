#pragma once
// Scenarios that build on others:  extends: baseline.yaml
//
// The file named by `extends` (relative to the file that names it) is read
// first, itself possibly extending another; then the extending file's keys
// are laid over it: a mapping (parameters, output, a parameter group) merges
// key by key, `policies` and `events` are appended after the parent's, and any
// other value replaces the parent's. Each key path remembers the file it came
// from, so that an error is placed in that file, at its line and column.
#include <yaml-cpp/yaml.h>

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
};

// Parses `text` (from file `source`) and everything it extends. InputError,
// located, for a syntax error in any file, a missing parent, a cycle.
ComposedYaml compose_scenario_yaml(const std::string& text, const std::string& source);

}  // namespace borderland::sim
