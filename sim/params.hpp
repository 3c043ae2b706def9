#pragma once
// Typed, self-describing parameters.
//
// A model describes every parameter it reads (type, default, range, units and
// a one-line reason) before any run starts; the scenario loader checks YAML
// against these descriptions and fills defaults, and `borderland models`
// prints them. Models read values once, into their own typed structs, never
// by string inside a hot loop.
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sim/date.hpp"

namespace borderland::sim {

enum class ParamType { kReal, kInteger, kBool, kText, kDate, kChoice };
const char* type_name(ParamType type);

using ParamValue = std::variant<double, std::int64_t, bool, std::string, Date>;
std::string to_text(const ParamValue& value);

struct ParamSpec {
  std::string key;  // dotted path inside its section, e.g. "cops.density"
  ParamType type = ParamType::kReal;
  ParamValue default_value = 0.0;
  double min = -std::numeric_limits<double>::infinity();  // inclusive, numbers only
  double max = std::numeric_limits<double>::infinity();   // inclusive, numbers only
  std::string units;                 // "1" for dimensionless, "day", "persons", ...
  std::string doc;                   // what it is and where the default comes from
  std::vector<std::string> choices;  // kChoice only

  // Shorthands for model descriptions.
  static ParamSpec real(std::string key, double def, double lo, double hi, std::string units,
                        std::string doc);
  static ParamSpec integer(std::string key, std::int64_t def, std::int64_t lo, std::int64_t hi,
                           std::string units, std::string doc);
  static ParamSpec boolean(std::string key, bool def, std::string doc);
  static ParamSpec text(std::string key, std::string def, std::string doc);
  static ParamSpec date(std::string key, std::string def, std::string doc);
  static ParamSpec choice(std::string key, std::string def, std::vector<std::string> choices,
                          std::string doc);
};

// Values by key, every declared key present once resolved.
class ParamValues {
 public:
  void set(const std::string& key, ParamValue value) { values_[key] = std::move(value); }
  bool has(const std::string& key) const { return values_.count(key) > 0; }
  double real(const std::string& key) const;
  std::int64_t integer(const std::string& key) const;
  bool boolean(const std::string& key) const;
  const std::string& text(const std::string& key) const;
  Date date(const std::string& key) const;
  const std::map<std::string, ParamValue>& all() const { return values_; }

 private:
  const ParamValue& at(const std::string& key) const;
  std::map<std::string, ParamValue> values_;
};

// A policy lever (active between two dates) or a scripted event (one date).
struct SwitchSpec {
  std::string name;
  std::string doc;
  std::vector<ParamSpec> fields;  // strengths or event details
};

struct ModelSpec {
  std::string name;
  std::string summary;
  std::vector<ParamSpec> parameters;
  std::vector<SwitchSpec> policies;
  std::vector<SwitchSpec> events;
  std::vector<std::string> snapshot_fields;  // what output.snapshot_fields may name

  const ParamSpec* find_parameter(const std::string& key) const;
  const SwitchSpec* find_policy(const std::string& name) const;
  const SwitchSpec* find_event(const std::string& name) const;
};

// The closest candidate within a small edit distance, for "did you mean" hints.
std::optional<std::string> closest_match(const std::string& word,
                                         const std::vector<std::string>& candidates);

}  // namespace borderland::sim
