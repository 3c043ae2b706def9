#pragma once
// Local opinion of the militants: whom the population blames for the violence it suffers. Each
// cell's support for the militants is its rest level plus an opinion shift (a deviation kept by
// World like grievance, with one global decay factor), less the short-run effect of fear:
//   support = rest + opinion - support_from_fear x fear               (clamped to 0..1)
// The shift moves with who does the harm:
//   the militants' violence against civilians lowers it where it happens:
//       blame    = -blame_per_victim x civilians killed in the attack (any armed group)
//   the state's harm raises it: collateral damage of operations and strikes, deportations -
//   whatever grievance the state's own action adds:
//       backlash = +backlash_per_grievance x grievance added
// and fades with memory_days. The grievance an attack adds (insecurity, extortion) still counts
// for protests and for the recruiters' pull, but no longer for support: the population does not
// turn to the militants because the militants kill. (Before this unit support was derived from
// grievance, so every death in an attack raised it.)
// Called from World::add_fields and World::add_attack_fields (world.cpp); the decay is applied by
// phases/population.cpp.
#include <vector>

#include "sim/params.hpp"

namespace borderland::ttp::opinion {

struct Parameters {
  double blame_per_victim = 0, backlash_per_grievance = 0, memory_days = 1;
  static Parameters from(const sim::ParamValues& values);
};

// Every parameter of this unit, with units, default, range and reason.
std::vector<sim::ParamSpec> parameter_specs();

// Shift of support around an attack that killed `civilian_victims` civilians (0 or less).
double blame(const Parameters& p, double civilian_victims);

// Shift of support where the state's action adds `grievance_added` grievance (0 or more).
double backlash(const Parameters& p, double grievance_added);

// Factor by which a shift fades in one day.
double daily_decay(const Parameters& p);

}  // namespace borderland::ttp::opinion
