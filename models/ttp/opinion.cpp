// Local opinion of the militants (see opinion.hpp).
#include "models/ttp/opinion.hpp"

#include <algorithm>
#include <cmath>

#include "models/ttp/param_bindings.hpp"

namespace borderland::ttp::opinion {

namespace {

using sim::ParamSpec;
using Binding = ParamBinding<Parameters>;

const std::vector<Binding>& bindings() {
  static const std::vector<Binding> all{
      {ParamSpec::real("opinion.blame_per_victim", 0.005, 0, 1, "1/person",
                       "support for the militants lost around an attack per civilian it kills "
                       "(within population.effect_radius_km): ten civilians killed in a district "
                       "take a twentieth off its support for about a year, against a rest of "
                       "0.05 inland and up to 0.35 at the border; the order of the fear term's "
                       "short-run effect per death (population.fear_per_death x "
                       "support_from_fear), but lasting: the killings of 2022 in Swat (the "
                       "school-van shooting of October) turned opinion against the TTP's "
                       "return [judgement]"),
       &Parameters::blame_per_victim},
      {ParamSpec::real("opinion.backlash_per_grievance", 0.5, 0, 10, "1",
                       "support for the militants gained per unit of grievance the state's own "
                       "action adds (operations' collateral, strikes, deportations): the value "
                       "population.support_from_grievance had for every grievance before the "
                       "opinion unit, kept for the state's harm alone (collateral damage feeds "
                       "the militants' support [seed]) [judgement]"),
       &Parameters::backlash_per_grievance},
      {ParamSpec::real("opinion.memory_days", 365, 1, 36500, "day",
                       "time constant with which an opinion shift fades: as grievance "
                       "(population.grievance_days), so that the state's part behaves as the "
                       "grievance term did [judgement]"),
       &Parameters::memory_days},
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

double blame(const Parameters& p, double civilian_victims) {
  return -p.blame_per_victim * std::max(0.0, civilian_victims);
}

double backlash(const Parameters& p, double grievance_added) {
  return p.backlash_per_grievance * std::max(0.0, grievance_added);
}

double daily_decay(const Parameters& p) {
  return std::exp(-1.0 / p.memory_days);
}

}  // namespace borderland::ttp::opinion
