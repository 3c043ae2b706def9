// The TTP command's resolve and what follows from it (see strategy.hpp).
#include "models/ttp/strategy.hpp"
#include "models/ttp/param_bindings.hpp"

#include <algorithm>
#include <cmath>

namespace borderland::ttp::strategy {

namespace {

using sim::ParamSpec;

using Binding = ParamBinding<Parameters>;

const std::vector<Binding>& bindings() {
  static const std::vector<Binding> all{
      {ParamSpec::real("strategy.strength_ref", 5000, 100, 100000, "persons",
                       "fighters at which strength adds nothing to resolve: about the TTP's "
                       "strength in 2020 (militants.sanctuary_fighters + pakistan_fighters) "
                       "[judgement]"),
       &Parameters::strength_ref},
      {ParamSpec::real("strategy.strength_weight", 1, 0, 10, "1",
                       "resolve per unit of ln(fighters / ref): a stronger command fights [seed: "
                       "'emboldened' after August 2021] [judgement]"),
       &Parameters::strength_weight},
      {ParamSpec::real("strategy.arms_ref", 0.35, 0, 1, "1",
                       "arms quality at which arms add nothing (militants.initial_arms, before "
                       "August 2021) [judgement]"),
       &Parameters::arms_ref},
      {ParamSpec::real("strategy.arms_weight", 1.5, 0, 10, "1",
                       "resolve per unit of arms quality above the reference: the windfall of "
                       "US-made arms left in Afghanistan [seed] [judgement]"),
       &Parameters::arms_weight},
      {ParamSpec::real("strategy.losses_half", 40, 1, 10000, "persons",
                       "recent losses at which the retaliation term is half its weight: about "
                       "three months of 2020's rate (PICSS: 165 militants killed in 2020) "
                       "[judgement on PICSS]"),
       &Parameters::losses_half},
      {ParamSpec::real("strategy.losses_weight", 1.4, 0, 10, "1",
                       "resolve at saturating losses to offensives: revenge for fighters killed, "
                       "one driver among several [seed: attacks 'in retaliation'] [fitted: "
                       "scripts/calibrate_ttp.py, 16 replicas]"),
       &Parameters::losses_weight},
      {ParamSpec::real("strategy.losses_days", 90, 1, 3650, "day",
                       "memory of losses (e-folding time) [judgement]"),
       &Parameters::losses_days},
      {ParamSpec::real("strategy.patience_days", 120, 1, 3650, "day",
                       "days of concessions owed and not delivered at which the stall term is "
                       "full: the 2022 talks stalled by August-September over returns to Swat "
                       "and the merger of the tribal districts, and the TTP called the ceasefire "
                       "off on 28 November [seed] [judgement]"),
       &Parameters::patience_days},
      {ParamSpec::real("strategy.stall_weight", 2, 0, 10, "1",
                       "resolve at full stall: talks that bring nothing discredit the truce "
                       "inside the movement [seed] [judgement]"),
       &Parameters::stall_weight},
      {ParamSpec::real("strategy.host_weight", 1, 0, 10, "1",
                       "resolve lost at full restraint by the host: the Afghan Taliban's "
                       "pressure on the TTP to keep a truce [seed] [judgement]"),
       &Parameters::host_weight},
      {ParamSpec::real("strategy.support_ref", 0.3, 0, 1, "1",
                       "local support at which support adds nothing [judgement]"),
       &Parameters::support_ref},
      {ParamSpec::real("strategy.support_weight", 1, 0, 10, "1",
                       "resolve per unit of support above the reference: protests against the "
                       "TTP's return (Swat, summer 2022) weaken it [seed] [judgement]"),
       &Parameters::support_weight},
      {ParamSpec::real("strategy.end_hazard", 0.0005, 0, 1, "1/day",
                       "daily chance that a ceasefire ends at zero resolve: with concessions "
                       "flowing and 2022's strength, arms and losses (resolve ~1) a truce lasts "
                       "about two years on average; with talks stalled for patience_days "
                       "(resolve ~3) about 100 days (the 2022 truce ended about three months "
                       "after the talks stalled) [judgement]"),
       &Parameters::end_hazard},
      {ParamSpec::real("strategy.offer_appeal", 1.5, -10, 10, "1",
                       "resolve at which an offered ceasefire is accepted with even odds "
                       "[judgement]"),
       &Parameters::offer_appeal},
      {ParamSpec::real("strategy.tempo_gain", 0.6, 0, 5, "1",
                       "ln tempo per unit of resolve: tempo ~1.1 at 2020's resolve (~0.2), ~1.3 "
                       "in early 2022, ~2.5-4 in winter 2022-23 after the truce ends (PICSS: 187 "
                       "attacks in 2020, 44 a month in January 2023); bounded by the inputs, no "
                       "clamp [fitted: scripts/calibrate_ttp.py, 16 replicas, T3-T5]"),
       &Parameters::tempo_gain},
      {ParamSpec::real("strategy.concession_appeal", 2, 0, 10, "1",
                       "resolve an offer outweighs when it comes with concessions being "
                       "delivered: the TTP took the November 2021 and June 2022 truces while "
                       "prisoners were being released and fighters let home [seed] [judgement]"),
       &Parameters::concession_appeal},
      {ParamSpec::real("strategy.reconsider_days", 30, 1, 3650, "day",
                       "a declined offer that still stands is reconsidered after this many days "
                       "[judgement]"),
       &Parameters::reconsider_days},
      {ParamSpec::real("strategy.stall_memory_days", 180, 1, 3650, "day",
                       "e-folding time with which the memory of a stalled negotiation fades once "
                       "nothing is owed any more (no talks, no truce) [judgement]"),
       &Parameters::stall_memory_days},
      {ParamSpec::real("strategy.talks_weight", 0.3, 0, 10, "1",
                       "resolve lost while talks deliver concessions: talks buy time and lower "
                       "the tempo while they pay (the TTP's relative restraint in early 2022) - "
                       "they cut both ways, the concessions also strengthen it [judgement]"),
       &Parameters::talks_weight},
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

double resolve(const Parameters& p, const Situation& s) {
  const double strength = std::log(std::max(1.0, s.fighters) / p.strength_ref);
  const double losses = std::max(0.0, s.recent_losses);
  const double stall = std::min(1.0, std::max(0.0, s.stalled_days) / p.patience_days);
  return p.strength_weight * strength + p.arms_weight * (s.arms - p.arms_ref) +
         p.losses_weight * losses / (losses + p.losses_half) + p.stall_weight * stall -
         p.host_weight * std::clamp(s.host_pressure, 0.0, 1.0) +
         p.support_weight * (s.support - p.support_ref) -
         p.talks_weight * std::clamp(s.concessions, 0.0, 1.0);
}

double ceasefire_end_probability(const Parameters& p, const Situation& s) {
  // 1 - exp(-hazard): a daily probability for any hazard.
  return -std::expm1(-p.end_hazard * std::exp(resolve(p, s)));
}

double accept_probability(const Parameters& p, const Situation& s) {
  return 1.0 / (1.0 + std::exp(resolve(p, s) - p.offer_appeal -
                               p.concession_appeal * std::clamp(s.concessions, 0.0, 1.0)));
}

double tempo(const Parameters& p, const Situation& s) {
  return std::exp(p.tempo_gain * resolve(p, s));
}

double decay_losses(const Parameters& p, double recent_losses, double killed_today) {
  return recent_losses * std::exp(-1.0 / p.losses_days) + killed_today;
}

}  // namespace borderland::ttp::strategy
