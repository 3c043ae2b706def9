// Military operations with both effects (see operations.hpp).
#include "models/ttp/operations.hpp"
#include "models/ttp/param_bindings.hpp"

#include <algorithm>

namespace borderland::ttp::operations {

namespace {

using sim::ParamSpec;

using Binding = ParamBinding<Parameters>;

const std::vector<Binding>& bindings() {
  static const std::vector<Binding> all{
      {ParamSpec::real("operations.attrition_rate", 0.0015, 0, 0.1, "1/day",
                       "share of the area's fighters killed or captured per day at full "
                       "intensity: about 40 % a year, the order of Zarb-e-Azb's claimed toll "
                       "(thousands of militants of a force of some ten thousand, 2014-2016) "
                       "[judgement]"),
       &Parameters::attrition_rate},
      {ParamSpec::real("operations.arrest_share", 0.4, 0, 1, "1",
                       "share of those removed who are taken alive (PICSS 2020: 182 militants "
                       "arrested against 165 killed) [PICSS]"),
       &Parameters::arrest_share},
      {ParamSpec::real("operations.displacement_rate", 0.004, 0, 0.1, "1/day",
                       "share of the area's fighters pushed out per day at full intensity: "
                       "operations clear areas faster than they kill (the 2014-2016 offensives "
                       "'pushed many militants across the border' [seed]) [judgement]"),
       &Parameters::displacement_rate},
      {ParamSpec::real("operations.disruption_rate", 0.0015, 0, 0.1, "1/day",
                       "share of the local network (safe houses, facilitators) destroyed per "
                       "day at full intensity: two fifths of it in a year; with attrition, "
                       "sustained operations "
                       "take attacks down about tenfold in five years (PICSS: 134 a month in "
                       "2014, 13 in 2019) [judgement on PICSS]"),
       &Parameters::disruption_rate},
      {ParamSpec::real("operations.network_recovery_days", 730, 1, 10000, "day",
                       "time constant with which a broken network rebuilds once operations "
                       "stop: the TTP needed years to return to the tribal belt [seed] "
                       "[judgement]"),
       &Parameters::network_recovery_days},
      {ParamSpec::real("operations.collateral_per_kill", 0.3, 0, 10, "persons/person",
                       "civilians harmed per militant killed in operations: the grievance of "
                       "displacement and house demolitions in the tribal districts [seed] "
                       "[judgement]"),
       &Parameters::collateral_per_kill},
  };
  return all;
}

}  // namespace

std::vector<sim::ParamSpec> parameter_specs() {
  return specs_of(bindings());
}

Parameters Parameters::from(const sim::ParamValues& values) {
  return values_of(bindings(), values);
}

Effect apply(const Parameters& p, double intensity, const Area& area) {
  const double i = std::clamp(intensity, 0.0, 1.0);
  const double open = std::clamp(area.sanctuary_open, 0.0, 1.0);
  const double fighters = std::max(0.0, area.fighters);
  Effect e;
  const double removed = fighters * i * p.attrition_rate;
  // Displacement: only as far as the sanctuary is open; with it closed the
  // fighters stay and face the attrition.
  e.to_sanctuary = fighters * i * p.displacement_rate * open;
  e.killed = removed * (1.0 - p.arrest_share);
  e.arrested = removed * p.arrest_share;
  e.collateral = e.killed * p.collateral_per_kill;
  // Disruption and recovery of the network.
  const double network = std::clamp(area.network, 0.0, 1.0);
  e.network = network - network * i * p.disruption_rate +
              (1.0 - network) * (1.0 - i) / p.network_recovery_days;
  return e;
}

}  // namespace borderland::ttp::operations
