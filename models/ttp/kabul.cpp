// Parameters of the Kabul actor (see kabul.hpp).
#include "models/ttp/kabul.hpp"

#include "models/ttp/param_bindings.hpp"

namespace borderland::ttp::kabul {

namespace {

using sim::ParamSpec;
using Binding = ParamBinding<Parameters>;

const std::vector<Binding>& bindings() {
  static const std::vector<Binding> all{
      {ParamSpec::real("kabul.undocumented_afghans", 1.7e6, 0, 1e7, "persons",
                       "undocumented Afghans in Pakistan when the run starts: the Government of "
                       "Pakistan's estimate of 1.7 million quoted by UNHCR and IOM (flash "
                       "updates, November 2023) [UNHCR/IOM]"),
       &Parameters::undocumented_afghans},
      {ParamSpec::real("kabul.restraint_days", 60, 1, 3650, "day",
                       "time constant with which Kabul's restraint of the TTP follows "
                       "Pakistan's demand [judgement]"),
       &Parameters::restraint_days},
      {ParamSpec::real("kabul.cohesion_cost", 0.002, 0, 1, "1/day",
                       "cohesion Kabul loses per day of full restraint: restraining the TTP "
                       "strains ties inside the Taliban movement (Crisis Group 2023: restraint "
                       "'partial and costly') [judgement]"),
       &Parameters::cohesion_cost},
      {ParamSpec::real("kabul.cohesion_recovery_days", 365, 1, 36500, "day",
                       "time constant of Kabul's cohesion recovering [judgement]"),
       &Parameters::cohesion_recovery_days},
      {ParamSpec::real("kabul.deport_tension", 0.05, 0, 1, "1",
                       "tension added per hundred thousand Afghans deported (Kabul condemned the "
                       "expulsions of late 2023) [judgement]"),
       &Parameters::deport_tension},
      {ParamSpec::real("kabul.deport_grievance", 0.05, 0, 1, "1",
                       "grievance added near the crossings per hundred thousand deported, who "
                       "pass through them (Pashtun border communities) [judgement]"),
       &Parameters::deport_grievance},
      {ParamSpec::real("kabul.deport_recruit", 0.1, 0, 10, "1",
                       "relative rise of recruitment in the sanctuaries per hundred thousand "
                       "recent deportees (destitute returnees) [judgement]"),
       &Parameters::deport_recruit},
      {ParamSpec::real("kabul.deport_memory_days", 180, 1, 3650, "day",
                       "memory of recent deportees (e-folding) [judgement]"),
       &Parameters::deport_memory_days},
      {ParamSpec::real("kabul.closure_tension", 0.003, 0, 1, "1/day",
                       "tension a closed crossing adds per day, towards 1 (trade and transit "
                       "lost: the Torkham closures of 2023) [judgement]"),
       &Parameters::closure_tension},
      {ParamSpec::real("kabul.closed_detection", 0.95, 0, 1, "1",
                       "chance that a group is stopped crossing at a closed crossing point "
                       "[judgement]"),
       &Parameters::closed_detection},
      {ParamSpec::real("kabul.tension_tolerance", 0.2, 0, 1, "1",
                       "share of the gap to full tolerance that tension above its rest closes: "
                       "the TTP as Kabul's leverage when relations sour [judgement]"),
       &Parameters::tension_tolerance},
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

}  // namespace borderland::ttp::kabul
