// Protests with consequences (see protests.hpp).
#include "models/ttp/protests.hpp"

#include <algorithm>
#include <cmath>

#include "models/ttp/param_bindings.hpp"

namespace borderland::ttp::protests {

namespace {

using sim::ParamSpec;
using Binding = ParamBinding<Parameters>;

const std::vector<Binding>& bindings() {
  static const std::vector<Binding> all{
      {ParamSpec::integer("protests.min_presence", 2, 1, 3, "1",
                          "TTP presence level (/map/presence_ttp: 2 sustained, 3 base area) from "
                          "which a district of Khyber Pakhtunkhwa belongs to the protest region: "
                          "the 2022 protests ran from Malakand (Swat, Dir) to North and South "
                          "Waziristan, where the TTP had come back [Crisis Group, March 2023]"),
       [](Parameters& p) -> double& { return p.min_presence; }},
      {ParamSpec::real("protests.per_victim", 0.05, 0, 10, "1/person",
                       "protest pressure input per civilian killed by militants in the region: "
                       "a month with a dozen such killings (the region's worst of 2022 in the "
                       "model) brings the pressure to about a half; a quiet month lets it fade "
                       "[judgement]"),
       &Parameters::per_victim},
      {ParamSpec::real("protests.per_harmed", 0.02, 0, 10, "1/person",
                       "input per civilian harmed by the state's operations in the region "
                       "(collateral: the dead, demolitions, displacement): less than a killing "
                       "by the militants, the 2022 marches were against the TTP's return first, "
                       "but they also demanded no new operation and no displacement [judgement]"),
       &Parameters::per_harmed},
      {ParamSpec::real("protests.decay_days", 60, 1, 3650, "day",
                       "time constant with which protest pressure fades without new harm: the "
                       "2022 wave ran from August to October [judgement]"),
       &Parameters::decay_days},
      {ParamSpec::real("protests.concession_cut", 0.5, 0, 1, "1",
                       "share of the talks' concessions (prisoners released, fighters let home) "
                       "withheld at full pressure: the government could not be seen releasing "
                       "militants while the valleys marched against their return [judgement]"),
       &Parameters::concession_cut},
      {ParamSpec::real("protests.detection_gain", 0.5, 0, 10, "1",
                       "relative rise of police detection in the protest region at full "
                       "pressure: the state deploys police to the protesting districts and "
                       "residents inform on the militants [judgement]"),
       &Parameters::detection_gain},
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

void State::save(sim::h5::Group& parent) const {
  sim::h5::Group g = parent.create_group("protests");
  g.set_attr("pressure", pressure);
  g.set_attr("victims_today", victims_today);
  g.set_attr("harmed_today", harmed_today);
}

void State::load(const sim::h5::Group& parent) {
  const sim::h5::Group g = parent.open_group("protests");
  pressure = g.attr_double("pressure");
  victims_today = g.attr_double("victims_today");
  harmed_today = g.attr_double("harmed_today");
}

void step(const Parameters& p, State& s) {
  const double input =
      p.per_victim * std::max(0.0, s.victims_today) + p.per_harmed * std::max(0.0, s.harmed_today);
  const double pressure = std::clamp(s.pressure, 0.0, 1.0) * std::exp(-1.0 / p.decay_days);
  s.pressure = pressure + (1.0 - pressure) * (1.0 - std::exp(-input));
  s.victims_today = s.harmed_today = 0;
}

double concession_factor(const Parameters& p, double pressure) {
  return std::clamp(1.0 - p.concession_cut * std::clamp(pressure, 0.0, 1.0), 0.0, 1.0);
}

double detection_factor(const Parameters& p, double pressure) {
  return 1.0 + p.detection_gain * std::clamp(pressure, 0.0, 1.0);
}

}  // namespace borderland::ttp::protests
