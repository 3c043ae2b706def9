#pragma once
// The Baloch insurgency as its own actor: the BLA, BLF and
// BRA are nationalist groups, not allies of the TTP. Their fighters recruit
// from Baloch grievance, attack at their own tempo (PIPS: 38 BLA attacks in
// 2021, 46 in 2022) and choose their own targets: the FC and the army,
// workers from Punjab, Chinese nationals and CPEC projects, highways and
// railways, the police. Where they attack comes from destinations::cell_weights
// with /map/presence_baloch.
#include <array>
#include <vector>

#include "sim/params.hpp"
#include "sim/rng.hpp"

namespace borderland::ttp::baloch {

enum Target : int {
  kSecurityForces = 0,  // FC posts and army camps
  kSettlers,            // workers and travellers from Punjab
  kChineseCpec,         // Chinese nationals, CPEC projects and Gwadar
  kInfrastructure,      // highways, railways, gas pipelines, power pylons
  kPolice,
  kTargets
};
inline constexpr std::array<const char*, kTargets> kTargetNames{
    "security_forces", "settlers", "chinese_cpec", "infrastructure", "police"};

struct Parameters {
  double attack_rate = 0;   // attacks per fighter per day
  double recruit_rate = 0;  // recruits per fighter per day at full grievance
  double leave_rate = 0;    // losses and desertion per fighter per day
  std::array<double, kTargets> target_weight{};
  static Parameters from(const sim::ParamValues& values);
};

// Every parameter of this unit, with units, default, range and reason.
std::vector<sim::ParamSpec> parameter_specs();

// Expected attacks today by `fighters`.
double expected_attacks(const Parameters& p, double fighters);
// Fighters tomorrow: recruitment from grievance (0..1) less losses, before
// the state's own action (arrests, operations), which the caller applies.
double next_fighters(const Parameters& p, double fighters, double grievance);
// One target drawn from the weights.
int choose_target(const Parameters& p, sim::RandomDraws& draws);

}  // namespace borderland::ttp::baloch
