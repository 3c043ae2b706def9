#include "sim/diagnostics.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/error.hpp"
#include "sim/params.hpp"
#include "sim/text.hpp"

namespace borderland::sim {

void Diagnostics::error(const YAML::Node& node, const std::string& path,
                        const std::string& message) {
  messages_.push_back(
      fmt::format("{}: error: {}{}", where(node, path), path.empty() ? "" : path + ": ", message));
}

std::string Diagnostics::where(const YAML::Node& node, const std::string& path) const {
  for (const auto& key : override_keys_)
    if (path == key || path.rfind(key + ".", 0) == 0) return "--set " + key;
  const YAML::Mark mark = node.IsDefined() ? node.Mark() : YAML::Mark::null_mark();
  if (mark.is_null()) return source_;
  return fmt::format("{}:{}:{}", source_, mark.line + 1, mark.column + 1);
}

void Diagnostics::throw_if_any() const {
  if (!messages_.empty()) throw InputError(messages_);
}

YAML::Node load_yaml_mapping(const std::string& text, const std::string& source_name,
                             const std::string& what) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw InputError(fmt::format("{}:{}:{}: error: YAML syntax: {}", source_name, e.mark.line + 1,
                                 e.mark.column + 1, e.msg));
  }
  if (!root.IsMap())
    throw InputError(fmt::format("{}: error: expected a mapping of {} keys at the top, got {}",
                                 source_name, what, describe(root)));
  return root;
}

std::optional<std::uint64_t> read_seed(const YAML::Node& root, Diagnostics& diag) {
  const YAML::Node seed = root["seed"];
  if (!seed.IsDefined() || seed.IsNull()) return std::nullopt;
  unsigned long long value = 0;
  if (!seed.IsScalar() || !YAML::convert<unsigned long long>::decode(seed, value) ||
      seed.Scalar().find('-') != std::string::npos) {
    diag.error(seed, "seed", "expected a non-negative integer, got " + describe(seed));
    return std::nullopt;
  }
  return value;
}

void reject_unknown_top_level_keys(const YAML::Node& root, const std::vector<std::string>& allowed,
                                   Diagnostics& diag) {
  for (const auto& item : root) {
    const std::string key = item.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      diag.error(item.first, key,
                 "unknown key" + did_you_mean(key, allowed) + "; allowed: " + known_list(allowed));
  }
}

std::string describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  return fmt::format("\"{}\"", node.Scalar());
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  const auto best = closest_match(word, candidates);
  return best ? fmt::format(" (did you mean '{}'?)", *best) : std::string{};
}

std::string known_list(const std::vector<std::string>& names) {
  return join(names, ", ");
}

}  // namespace borderland::sim
