#pragma once
// A unit's parameters as one table: each row a ParamSpec (key, default, range,
// units, reason) and where its value lands in the unit's Parameters struct.
// The spec listing and the read of a scenario's values both come from the table.
#include <functional>
#include <vector>

#include "sim/params.hpp"

namespace borderland::ttp {

template <class Params>
struct ParamBinding {
  sim::ParamSpec spec;
  std::function<double&(Params&)> field;  // a data member pointer or a lambda returning a reference
};

template <class Params>
std::vector<sim::ParamSpec> specs_of(const std::vector<ParamBinding<Params>>& table) {
  std::vector<sim::ParamSpec> specs;
  for (const auto& b : table) specs.push_back(b.spec);
  return specs;
}

template <class Params>
Params values_of(const std::vector<ParamBinding<Params>>& table, const sim::ParamValues& values) {
  Params p{};
  // Integer parameters are whole numbers held as doubles.
  for (const auto& b : table)
    b.field(p) = b.spec.type == sim::ParamType::kInteger
                     ? static_cast<double>(values.integer(b.spec.key))
                     : values.real(b.spec.key);
  return p;
}

}  // namespace borderland::ttp
