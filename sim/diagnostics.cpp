#include "sim/diagnostics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "sim/error.hpp"
#include "sim/input_text.hpp"
#include "sim/params.hpp"
#include "sim/text.hpp"

namespace borderland::sim {

void Diagnostics::error(const YAML::Node& node, const std::string& path,
                        const std::string& message) {
  messages_.push_back(
      fmt::format("{}: error: {}{}", where(node, path), path.empty() ? "" : path + ": ", message));
}

Diagnostics::Diagnostics(std::string source, const std::vector<std::string>& override_keys)
    : source_(std::move(source)) {
  for (const auto& key : override_keys) place_at(message_path(key), "--set " + key);
}

void Diagnostics::place_at(const std::string& path, std::string place) {
  places_.emplace_back(path, std::move(place));
}

void Diagnostics::file_of(const std::string& path, std::string source) {
  files_.emplace_back(path, std::move(source));
}

bool path_within(const std::string& path, const std::string& prefix) {
  if (path.size() < prefix.size() || path.compare(0, prefix.size(), prefix) != 0) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '.' || path[prefix.size()] == '[';
}

std::string message_path(const std::string& set_key) {
  std::string path;
  std::size_t start = 0;
  while (start <= set_key.size()) {
    const auto dot = set_key.find('.', start);
    const std::string part =
        set_key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    const bool index = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
    path += index && !path.empty() ? "[" + part + "]" : (path.empty() ? "" : ".") + part;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return path;
}

std::string Diagnostics::where(const YAML::Node& node, const std::string& path) const {
  // The last flag that set this path wins, as its value is the one in force.
  for (auto it = places_.rbegin(); it != places_.rend(); ++it)
    if (!path.empty() && path_within(path, it->first)) return it->second;
  // The most specific file: a child's key inside a mapping its parent began.
  const std::string* source = &source_;
  std::size_t best = 0;
  for (const auto& [prefix, file] : files_)
    if (!path.empty() && path_within(path, prefix) && prefix.size() >= best)
      source = &file, best = prefix.size();
  const YAML::Mark mark = node.IsDefined() ? node.Mark() : YAML::Mark::null_mark();
  if (mark.is_null()) return *source;
  return fmt::format("{}:{}:{}", *source, mark.line + 1, mark.column + 1);
}

void Diagnostics::throw_if_any() const {
  if (!messages_.empty()) throw InputError(messages_);
}

YAML::Node load_yaml_mapping(const std::string& text, const std::string& source_name,
                             const std::string& what) {
  if (auto problems = strict_yaml_problems(text, source_name); !problems.empty())
    throw InputError(std::move(problems));
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
  const auto value = seed.IsScalar() ? parse_seed(seed.Scalar()) : std::nullopt;
  if (!value)
    diag.error(seed, "seed", "expected " + std::string(kSeedRange) + ", got " + describe(seed));
  return value;
}

std::optional<std::uint64_t> parse_seed(const std::string& text) {
  std::uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || value > kMaxSeed)
    return std::nullopt;
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
