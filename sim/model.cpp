#include "sim/model.hpp"

#include "sim/error.hpp"

namespace borderland::sim {

std::size_t OutputSchema::series_index(const std::string& name) const {
  for (std::size_t i = 0; i < series.size(); ++i)
    if (series[i].name == name) return i;
  throw RunError("internal: no output series '" + name + "'");
}

const SummarySpec* OutputSchema::summary_spec(const std::string& name) const {
  for (const auto& s : summary)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace borderland::sim
