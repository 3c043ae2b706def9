#include "sim/policy_timeline.hpp"

namespace borderland::sim {

PolicyTimeline::PolicyTimeline(const std::vector<PolicySwitch>& switches) {
  for (const auto& s : switches) by_name_[s.name].push_back(s);
}

const PolicySwitch* PolicyTimeline::active(const std::string& name, Date date) const {
  const auto it = by_name_.find(name);
  if (it == by_name_.end()) return nullptr;
  for (const auto& s : it->second)
    if (s.start <= date && date <= s.end) return &s;
  return nullptr;
}

double PolicyTimeline::strength(const std::string& name, const std::string& field, Date date,
                                double otherwise) const {
  const PolicySwitch* s = active(name, date);
  if (s == nullptr) return otherwise;
  const auto& value = s->strengths.all().at(field);
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return static_cast<double>(*integer);
  if (const auto* flag = std::get_if<bool>(&value)) return *flag ? 1.0 : 0.0;
  return std::get<double>(value);
}

int PolicyTimeline::days_active(const std::string& name, Date date) const {
  const PolicySwitch* s = active(name, date);
  return s == nullptr ? -1 : s->start.days_until(date);
}

}  // namespace borderland::sim
