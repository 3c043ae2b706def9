#pragma once
// Military operations with both effects, one day in one
// operation area at intensity i in [0, 1]:
//   attrition     killed   = F x i x attrition_rate,  a share arrest_share of the
//                 removed are taken alive instead
//   displacement  moved    = F x i x displacement_rate x s: fighters pushed
//                 across the border as far as the sanctuary is open (openness
//                 s in [0, 1]); with it closed they stay and face attrition
//   disruption    network -= network x i x disruption_rate; recovers towards 1
//                 with network_recovery_days when i is low. The network
//                 (safe houses, facilitators, local recruitment) multiplies
//                 the area's recruitment and attack capacity in the caller
//   backlash      collateral = killed x collateral_per_kill civilians harmed:
//                 grievance where it happens, and every militant killed is a
//                 loss the command remembers (strategy::decay_losses:
//                 retaliation)
// Whether operations lower or raise violence is the net of these: with the
// sanctuary closed, attrition and disruption compound and the area's
// insurgency collapses over years; with it open, the displaced survive to come
// back and the losses drive retaliation in the short run.
#include <vector>

#include "sim/params.hpp"

namespace borderland::ttp::operations {

struct Parameters {
  double attrition_rate = 0, arrest_share = 0;
  double displacement_rate = 0;
  double disruption_rate = 0, network_recovery_days = 1;
  double collateral_per_kill = 0;
  static Parameters from(const sim::ParamValues& values);
};

// Every parameter of this unit, with units, default, range and reason.
std::vector<sim::ParamSpec> parameter_specs();

struct Area {
  double fighters = 0;        // militants in the area
  double network = 1;         // 0..1, the local support network
  double sanctuary_open = 0;  // 0..1, how open the sanctuary across the border is
};

struct Effect {
  double killed = 0, arrested = 0;  // by attrition
  double to_sanctuary = 0;          // displaced who reach the sanctuary
  double network = 1;               // the network after today
  double collateral = 0;            // civilians harmed
};

// One day of operations at `intensity` (0 = none: only the network recovers).
Effect apply(const Parameters& p, double intensity, const Area& area);

}  // namespace borderland::ttp::operations
