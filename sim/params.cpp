#include "sim/params.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/error.hpp"

namespace borderland::sim {

const char* type_name(ParamType type) {
  switch (type) {
    case ParamType::kReal:
      return "a number";
    case ParamType::kInteger:
      return "an integer";
    case ParamType::kBool:
      return "true or false";
    case ParamType::kText:
      return "a string";
    case ParamType::kDate:
      return "a date (YYYY-MM-DD)";
    case ParamType::kChoice:
      return "one of the listed choices";
  }
  return "?";
}

std::string to_text(const ParamValue& value) {
  struct Visitor {
    std::string operator()(double v) const { return fmt::format("{}", v); }
    std::string operator()(std::int64_t v) const { return fmt::format("{}", v); }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(const std::string& v) const { return v; }
    std::string operator()(const Date& v) const { return v.iso(); }
  };
  return std::visit(Visitor{}, value);
}

ParamSpec ParamSpec::real(std::string key, double def, double lo, double hi, std::string units,
                          std::string doc) {
  return {std::move(key), ParamType::kReal, def, lo, hi, std::move(units), std::move(doc), {}};
}
ParamSpec ParamSpec::integer(std::string key, std::int64_t def, std::int64_t lo, std::int64_t hi,
                             std::string units, std::string doc) {
  return {
      std::move(key),   ParamType::kInteger, def, static_cast<double>(lo), static_cast<double>(hi),
      std::move(units), std::move(doc),      {}};
}
ParamSpec ParamSpec::boolean(std::string key, bool def, std::string doc) {
  ParamSpec spec{std::move(key), ParamType::kBool, def, 0, 1, "", std::move(doc), {}};
  return spec;
}
ParamSpec ParamSpec::text(std::string key, std::string def, std::string doc) {
  return {std::move(key), ParamType::kText, std::move(def), 0, 0, "", std::move(doc), {}};
}
ParamSpec ParamSpec::date(std::string key, std::string def, std::string doc) {
  const auto parsed = Date::parse(def);
  if (!parsed) throw RunError("bad default date for " + key);
  return {std::move(key), ParamType::kDate, *parsed, 0, 0, "", std::move(doc), {}};
}
ParamSpec ParamSpec::choice(std::string key, std::string def, std::vector<std::string> choices,
                            std::string doc) {
  return {std::move(key), ParamType::kChoice, std::move(def), 0, 0, "",
          std::move(doc), std::move(choices)};
}

const ParamValue& ParamValues::at(const std::string& key) const {
  const auto it = values_.find(key);
  // A model asking for a key it never declared is a programming error, not input.
  if (it == values_.end()) throw RunError("internal: parameter '" + key + "' was never declared");
  return it->second;
}
double ParamValues::real(const std::string& key) const {
  return std::get<double>(at(key));
}
std::int64_t ParamValues::integer(const std::string& key) const {
  return std::get<std::int64_t>(at(key));
}
bool ParamValues::boolean(const std::string& key) const {
  return std::get<bool>(at(key));
}
const std::string& ParamValues::text(const std::string& key) const {
  return std::get<std::string>(at(key));
}
Date ParamValues::date(const std::string& key) const {
  return std::get<Date>(at(key));
}

namespace {
template <class T>
const T* find_named(const std::vector<T>& items, const std::string& name) {
  for (const auto& item : items)
    if (item.name == name) return &item;
  return nullptr;
}
}  // namespace

const ParamSpec* ModelSpec::find_parameter(const std::string& key) const {
  for (const auto& spec : parameters)
    if (spec.key == key) return &spec;
  return nullptr;
}
const SwitchSpec* ModelSpec::find_policy(const std::string& n) const {
  return find_named(policies, n);
}
const SwitchSpec* ModelSpec::find_event(const std::string& n) const {
  return find_named(events, n);
}

namespace {
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}
}  // namespace

std::optional<std::string> closest_match(const std::string& word,
                                         const std::vector<std::string>& candidates) {
  // Accept up to a third of the word's length in edits (at least 2): close
  // enough to be a typo, far enough not to suggest nonsense.
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  // A word that begins a candidate ("legitimacy" for "legitimacy_shift") is a
  // likely shorthand, however many letters are missing.
  constexpr std::size_t kMinPrefix = 4;
  if (word.size() >= kMinPrefix)
    for (const auto& candidate : candidates)
      if (candidate.size() > word.size() && candidate.compare(0, word.size(), word) == 0)
        return candidate;
  for (const auto& candidate : candidates) {
    const std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) best_distance = d, best = candidate;
  }
  return best;
}

}  // namespace borderland::sim
