// The Baloch insurgents' tempo, recruitment and targets (see baloch.hpp).
#include "models/ttp/baloch.hpp"
#include "models/ttp/param_bindings.hpp"

#include <algorithm>
#include <string>

namespace borderland::ttp::baloch {

namespace {

using sim::ParamSpec;

using Binding = ParamBinding<Parameters>;

#define TTP_BALOCH(key, expr, def, lo, hi, units, doc)                                           \
  Binding {                                                                                      \
    ParamSpec::real(key, def, lo, hi, units, doc), [](Parameters& p) -> double& { return expr; } \
  }

const std::vector<Binding>& bindings() {
  static const std::vector<Binding> all{
      TTP_BALOCH("baloch.attack_rate", p.attack_rate, 0.0004, 0, 0.05, "1/day",
                 "attacks per fighter per day while resident in an operating area: 500 fighters "
                 "(militants.baloch_fighters) would make ~70 a year, but the cells spend part of "
                 "their time moving between areas (movement.baloch_move_rate) and lose fighters "
                 "to the police and the army, so the model gives about 40 a year (PIPS: 38 BLA "
                 "attacks in 2021, 46 in 2022) [judgement on PIPS]"),
      TTP_BALOCH("baloch.recruit_rate", p.recruit_rate, 0.0006, 0, 0.05, "1/day",
                 "recruits per fighter per day at full grievance: enforced disappearances and "
                 "the resource grievance (Gwadar, Reko Diq) feed the groups [judgement]"),
      TTP_BALOCH("baloch.leave_rate", p.leave_rate, 0.0002, 0, 0.05, "1/day",
                 "losses and desertion per fighter per day outside the state's action, so that "
                 "at a grievance of 1/3 the force holds [judgement]"),
      TTP_BALOCH("baloch.target_security_forces", p.target_weight[kSecurityForces], 0.5, 0, 100,
                 "1",
                 "weight of FC posts and army camps: most BLA attacks (PIPS 2022: the "
                 "security forces the main target in Balochistan) [judgement on PIPS]"),
      TTP_BALOCH("baloch.target_settlers", p.target_weight[kSettlers], 0.1, 0, 100, "1",
                 "weight of workers and travellers from Punjab taken off buses [judgement]"),
      TTP_BALOCH("baloch.target_chinese_cpec", p.target_weight[kChineseCpec], 0.08, 0, 100, "1",
                 "weight of Chinese nationals and CPEC projects (the Karachi University suicide "
                 "attack, April 2022) [judgement]"),
      TTP_BALOCH("baloch.target_infrastructure", p.target_weight[kInfrastructure], 0.17, 0, 100,
                 "1", "weight of highways, railways, gas pipelines and pylons [judgement]"),
      TTP_BALOCH("baloch.target_police", p.target_weight[kPolice], 0.15, 0, 100, "1",
                 "weight of the police and Levies [judgement]"),
  };
  return all;
}

#undef TTP_BALOCH

}  // namespace

std::vector<sim::ParamSpec> parameter_specs() {
  return specs_of(bindings());
}

Parameters Parameters::from(const sim::ParamValues& values) {
  return values_of(bindings(), values);
}

double expected_attacks(const Parameters& p, double fighters) {
  return p.attack_rate * std::max(0.0, fighters);
}

double next_fighters(const Parameters& p, double fighters, double grievance) {
  const double f = std::max(0.0, fighters);
  return f + f * (p.recruit_rate * std::clamp(grievance, 0.0, 1.0) - p.leave_rate);
}

int choose_target(const Parameters& p, sim::RandomDraws& draws) {
  double total = 0;
  for (double w : p.target_weight) total += w;
  double u = draws.uniform() * total;
  int t = 0;
  while (t < kTargets - 1 && u >= p.target_weight[static_cast<std::size_t>(t)])
    u -= p.target_weight[static_cast<std::size_t>(t++)];
  return t;
}

}  // namespace borderland::ttp::baloch
