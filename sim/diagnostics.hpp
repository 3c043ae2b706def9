#pragma once
// Collects input errors with their places and reports them like a compiler:
//   file:line:col: error: key.path: expected ..., got "..."
// Shared by the scenario loader and the sweep loader.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace borderland::sim {

class Diagnostics {
 public:
  // Errors at a key path in `override_keys` (or below one) are placed at
  // "--set KEY" instead of the file: that is where the value came from.
  explicit Diagnostics(std::string source, std::vector<std::string> override_keys = {})
      : source_(std::move(source)), override_keys_(std::move(override_keys)) {}

  void error(const YAML::Node& node, const std::string& path, const std::string& message);
  void raw(std::string message) { messages_.push_back(std::move(message)); }
  // "file:line:col" of a node, or the file alone when the node has no place.
  std::string where(const YAML::Node& node, const std::string& path = "") const;
  bool empty() const { return messages_.empty(); }
  void throw_if_any() const;  // InputError listing every message

 private:
  std::string source_;
  std::vector<std::string> override_keys_;
  std::vector<std::string> messages_;
};

// Parses YAML text whose top level must be a mapping (of `what` keys: "scenario",
// "sweep"); InputError with file:line:col on a syntax error or another top level.
YAML::Node load_yaml_mapping(const std::string& text, const std::string& source_name,
                             const std::string& what);

// Records an "unknown key" error, with a suggestion and the allowed keys, for
// every key of the top-level mapping `root` that is not in `allowed`.
void reject_unknown_top_level_keys(const YAML::Node& root, const std::vector<std::string>& allowed,
                                   Diagnostics& diag);

// The top-level `seed` key: its value when given and valid; nullopt when absent,
// or when invalid (then an error is recorded).
std::optional<std::uint64_t> read_seed(const YAML::Node& root, Diagnostics& diag);

// What a node holds, for "got ..." ("nothing", "a list", "\"text\"").
std::string describe(const YAML::Node& node);
// " (did you mean 'x'?)" or "" when nothing is close.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);
// "a, b, c"
std::string known_list(const std::vector<std::string>& names);

}  // namespace borderland::sim
