#pragma once
// The Afghan Taliban government (Kabul) as an actor with consequences: its
// restraint of the TTP, partial and costly to its own cohesion, and its
// responses to Pakistan's coercive levers (strikes, deportations of Afghans,
// closures of crossings), which raise tension; tension in turn raises its
// tolerance of the TTP (the TTP as leverage) and lowers its compliance.
//   restraint   relaxes over restraint_days towards min(demand x compliance, cohesion)
//   cohesion    falls by cohesion_cost x restraint a day, recovers over cohesion_recovery_days
//   deportation undocumented Afghans leave at the policy's rate while any remain: tension,
//               grievance where they cross, recruitment in the sanctuaries
//   closure     a closed crossing stops passage there (detection) and costs trade: tension
// The state lives in Kabul (actors_state.hpp); the day is World::kabul_responds (phases/host.cpp).
#include <vector>

#include "sim/params.hpp"

namespace borderland::ttp::kabul {

struct Parameters {
  double undocumented_afghans = 0;
  double restraint_days = 1, cohesion_cost = 0, cohesion_recovery_days = 1;
  double deport_tension = 0, deport_grievance = 0, deport_recruit = 0, deport_memory_days = 1;
  double closure_tension = 0, closed_detection = 0, tension_tolerance = 0;
  static Parameters from(const sim::ParamValues& values);
};

// Every parameter of this unit, with units, default, range and reason.
std::vector<sim::ParamSpec> parameter_specs();

// Persons in which deportation effects are counted (a hundred thousand).
inline constexpr double kDeportUnit = 100000.0;

}  // namespace borderland::ttp::kabul
