#include "sim/model.hpp"

#include "sim/error.hpp"

namespace borderland::sim {

const SummarySpec* OutputSchema::summary_spec(const std::string& name) const {
  for (const auto& s : summary)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace borderland::sim
