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
  explicit Diagnostics(std::string source, const std::vector<std::string>& override_keys = {});

  // Errors at `path` (or below) are placed at `place` ("--policy 'talks ...'").
  void place_at(const std::string& path, std::string place);
  // Errors at `path` (or below) came from the file `source` (a scenario that
  // `extends` another): placed there, at the node's line and column.
  void file_of(const std::string& path, std::string source);

  void error(const YAML::Node& node, const std::string& path, const std::string& message);
  void raw(std::string message) { messages_.push_back(std::move(message)); }
  // "file:line:col" of a node, or the file alone when the node has no place.
  std::string where(const YAML::Node& node, const std::string& path = "") const;
  bool empty() const { return messages_.empty(); }
  void throw_if_any() const;  // InputError listing every message

 private:
  std::string source_;
  std::vector<std::pair<std::string, std::string>> places_;  // key path, flag it came from
  std::vector<std::pair<std::string, std::string>> files_;   // key path, file it came from
  std::vector<std::string> messages_;
};

// True when `path` is `prefix` or lies below it ("a.b" and "a[2]" lie below "a").
bool path_within(const std::string& path, const std::string& prefix);
// A --set key path in the form messages use: "policies.0.end" -> "policies[0].end".
std::string message_path(const std::string& set_key);

// Parses YAML text whose top level must be a mapping (of `what` keys: "scenario",
// "sweep"); InputError with file:line:col on a syntax error or another top level.
YAML::Node load_yaml_mapping(const std::string& text, const std::string& source_name,
                             const std::string& what);

// Records an "unknown key" error, with a suggestion and the allowed keys, for
// every key of the top-level mapping `root` that is not in `allowed`.
void reject_unknown_top_level_keys(const YAML::Node& root, const std::vector<std::string>& allowed,
                                   Diagnostics& diag);

// Seeds are stored as int64 HDF5 attributes: 0 to 2^63 - 1.
inline constexpr std::uint64_t kMaxSeed = 9223372036854775807ULL;
inline constexpr const char* kSeedRange = "an integer in [0, 9223372036854775807]";
// A seed written in decimal digits only; nullopt when it is not one or too large.
std::optional<std::uint64_t> parse_seed(const std::string& text);

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
