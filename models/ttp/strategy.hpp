#pragma once
// The TTP command's own strategy: whether to accept a
// ceasefire offered, when to call one off, and how hard to press (tempo), all
// from one quantity, the command's resolve to fight:
//   resolve = strength_weight x ln(fighters / strength_ref)
//           + arms_weight x (arms - arms_ref)
//           + losses_weight x L / (L + losses_half)     L: recent militants killed by the state
//           + stall_weight x min(1, stalled_days / patience_days)
//           - host_weight x host_pressure
//           + support_weight x (support - support_ref)
//           - talks_weight x concessions          talks that deliver buy time
// Each term saturates or grows only logarithmically, so resolve stays within a
// band that the inputs set: nothing clamps it afterwards.
//   ceasefire ends:   daily hazard = end_hazard x exp(resolve)
//   offer accepted:   probability  = 1 / (1 + exp(resolve - offer_appeal
//                                          - concession_appeal x concessions))
//   tempo:            exp(tempo_gain x resolve)   (multiplies the attack rate)
// Retaliation (the losses term) is one driver among capability (strength,
// arms), opportunity (the host's constraints, support) and the state's
// concessions (stall), not the only one; a ceasefire ends when the command's
// resolve makes it end, not on a scenario date.
#include <vector>

#include "sim/params.hpp"

namespace borderland::ttp::strategy {

struct Parameters {
  double strength_ref = 1, strength_weight = 0;
  double arms_ref = 0, arms_weight = 0;
  double losses_half = 1, losses_weight = 0, losses_days = 1;
  double patience_days = 1, stall_weight = 0;
  double host_weight = 0;
  double support_ref = 0, support_weight = 0;
  double end_hazard = 0, offer_appeal = 0, tempo_gain = 0;
  double concession_appeal = 0, reconsider_days = 1, stall_memory_days = 1, talks_weight = 0;
  static Parameters from(const sim::ParamValues& values);
};

// Every parameter of this unit, with units, default, range and reason.
std::vector<sim::ParamSpec> parameter_specs();

// The command's view of its situation on one day.
struct Situation {
  double fighters = 0;       // TTP fighters, Pakistan and sanctuary
  double arms = 0;           // mean arms quality, 0..1
  double recent_losses = 0;  // militants killed by the state, decayed (see decay_losses)
  double stalled_days = 0;   // days the state has owed concessions without delivering
  double host_pressure = 0;  // the host's restraint, 0..1
  double support = 0;        // mean local support, 0..1
  double concessions = 0;    // 0..1: the state is delivering concessions now (talks)
};

double resolve(const Parameters& p, const Situation& s);
// Probability that a holding ceasefire ends today.
double ceasefire_end_probability(const Parameters& p, const Situation& s);
// Probability that the command accepts a ceasefire offered today.
double accept_probability(const Parameters& p, const Situation& s);
// Multiplier of the attack rate.
double tempo(const Parameters& p, const Situation& s);
// One day of the losses memory: decays with losses_days, adds today's dead.
double decay_losses(const Parameters& p, double recent_losses, double killed_today);

}  // namespace borderland::ttp::strategy
