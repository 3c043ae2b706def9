#pragma once
// Protests with consequences: a protest pressure (0..1) in the protest region - the districts
// of Khyber Pakhtunkhwa where the TTP is present and returning (presence level min_presence
// or more: Swat and Dir, the tribal districts, southern KP), where the summer of 2022 brought
// mass protests against the TTP's return and the state's failure to stop it - fed by the
// civilians harmed there, whoever harms them:
//   input    = per_victim x civilians killed in attacks there
//            + per_harmed x civilians harmed by the state's operations there (their collateral)
//   pressure = pressure x exp(-1 / decay_days) + (1 - pressure) x (1 - exp(-input))   a day
// Consequences, pressure on the government through channels the model has:
//   talks      the concessions delivered (prisoners released, fighters let home) are cut by
//              concession_cut x pressure: no government can be seen releasing militants while
//              the valleys march against their return
//   policing   police detection in the protest region rises by detection_gain x pressure: the
//              state deploys and residents inform
// (and, as before the unit, leaders who speak out are targeted more where protests run:
// targets.leaders_speak_weight with the weekly protest share.) Series `protest_pressure`.
// The state (pressure and today's inputs) is State below, saved in its own checkpoint group;
// the inputs come from phases/attacks.cpp and phases/army.cpp, the day from
// phases/population.cpp, the consequences from phases/actors.cpp and phases/policing.cpp.
#include <vector>

#include "sim/h5.hpp"
#include "sim/params.hpp"

namespace borderland::ttp::protests {

struct Parameters {
  double min_presence = 0, per_victim = 0, per_harmed = 0, decay_days = 1;
  double concession_cut = 0, detection_gain = 0;
  static Parameters from(const sim::ParamValues& values);
};

// Every parameter of this unit, with units, default, range and reason.
std::vector<sim::ParamSpec> parameter_specs();

struct State {
  double pressure = 0;                      // 0..1
  double victims_today = 0;                 // civilians killed in attacks in the region today
  double harmed_today = 0;                  // civilians harmed by operations in the region today
  void save(sim::h5::Group& parent) const;  // group "protests"
  void load(const sim::h5::Group& parent);
};

// One day: today's inputs move the pressure, which then fades; the inputs are reset.
void step(const Parameters& p, State& s);

// Share of the talks' concessions delivered at this pressure (0..1).
double concession_factor(const Parameters& p, double pressure);

// Factor (1 or more) on police detection in the protest region.
double detection_factor(const Parameters& p, double pressure);

}  // namespace borderland::ttp::protests
