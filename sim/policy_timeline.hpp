#pragma once
// Which policies are switched on, day by day.
//
// Built once from the scenario; `active(name, date)` is a short scan over the
// few switches of one policy. A model reads the active set at the start of
// each step (never inside a parallel loop by name: copy strengths to locals).
#include <map>
#include <string>
#include <vector>

#include "sim/scenario.hpp"

namespace borderland::sim {

class PolicyTimeline {
 public:
  PolicyTimeline() = default;
  explicit PolicyTimeline(const std::vector<PolicySwitch>& switches);

  // The switch of this policy in force on `date`, or nullptr. Scenario
  // validation guarantees that switches of one policy never overlap.
  const PolicySwitch* active(const std::string& name, Date date) const;
  bool is_active(const std::string& name, Date date) const { return active(name, date) != nullptr; }
  // A strength of the active switch, or `otherwise` when the policy is off.
  double strength(const std::string& name, const std::string& field, Date date,
                  double otherwise = 0.0) const;
  // Days since the active switch started (0 on its first day), or -1 when off.
  int days_active(const std::string& name, Date date) const;

 private:
  std::map<std::string, std::vector<PolicySwitch>> by_name_;
};

}  // namespace borderland::sim
