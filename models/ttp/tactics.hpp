#pragma once
// Tactics and their lethality, from the trackers.
//
// The tactic set follows the categories the trackers publish (PICSS annual
// reports: suicide attacks, IED attacks, armed assaults - raids on posts and
// ambushes -, targeted killings; the rest: grenade and rocket attacks,
// kidnappings, extortion, and the night attacks and sniping that the post-2021
// kit - thermal sights, night-vision devices - made possible). Each tactic has
//   - a base weight (its share of attacks with the pre-2021 kit, PICSS 2020),
//   - a suitability against each target type,
//   - a gain from the post-2021 kit (night attacks and raids gain most),
//   - a casualty law: with probability `lethal_share` the attack kills; the
//     deaths of a lethal attack are max(1, round(median * exp(sigma * Z))), Z
//     standard normal - a lognormal whose tail `sigma` is wide only for the
//     mass-casualty tactics (suicide attacks, raids on posts) -, capped by the
//     people present; injuries are `injured_per_death` per death plus
//     `injured_if_no_death` on average when nobody dies,
//   - the attackers it commits and the chance that each of them dies (a
//     suicide attacker always does),
//   - its power: the capability it adds to the cell's arms when the model
//     draws success against the target's defence (a bomber passes barricades).
// Suicide attacks also need a trained attacker from the pipeline
// (suicide_pipeline.hpp); the caller passes how many are in stock.
//
// This unit is pure: it holds no state and draws only from the RandomDraws the
// caller hands it, so a phase keeps its determinism by keying those draws as
// usual (seed, stream, step, subject).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/params.hpp"
#include "sim/rng.hpp"

namespace borderland::ttp::tactics {

// The tactics, in the order of their labels.
enum Kind : int {
  kArmedRaid = 0,    // armed assault or raid on a post or camp
  kAmbush,           // ambush of a patrol or convoy
  kIed,              // roadside or planted bomb
  kTargetedKilling,  // shooting of a named person
  kSuicideAttack,    // suicide bombing or suicide assault
  kGrenadeRocket,    // hand grenade, rocket or mortar fired at a post or building
  kKidnapping,       // abduction for ransom or exchange
  kExtortion,        // bhatta demand enforced by threat or a blast at the door
  kNightSniping,     // night attack or sniping with thermal sights (post-2021 kit)
  kKinds
};
inline constexpr std::array<const char*, kKinds> kKindNames{
    "armed_raid",     "ambush",     "ied",       "targeted_killing", "suicide_attack",
    "grenade_rocket", "kidnapping", "extortion", "night_sniping"};

// Target types the suitability table is written against (the model's
// kTargetNames order: police, army, officials, leaders, civilians).
inline constexpr int kTargetTypes = 5;
inline constexpr std::array<const char*, kTargetTypes> kTargetTypeNames{
    "police", "army", "officials", "leaders", "civilians"};

struct Profile {
  double weight = 0;                         // relative share with the pre-2021 kit
  std::array<double, kTargetTypes> suits{};  // suitability against each target type
  double kit_gain = 0;                       // weight gain at full post-2021 kit
  double lethal_share = 0;                   // probability that the attack kills anyone
  double deaths_median = 1;                  // median deaths of a lethal attack
  double deaths_sigma = 0;                   // lognormal tail of deaths
  double injured_per_death = 0;              // injuries per death
  double injured_if_no_death = 0;            // mean injuries when nobody dies
  double attackers = 1;                      // mean attackers committed
  double attacker_death = 0;                 // probability each attacker dies
  double power = 0;                          // capability it adds to the attackers' arms
};

struct Parameters {
  std::array<Profile, kKinds> profile{};
  double suicide_reserve = 1;   // stock at which a commander spends bombers at half the full rate
  double foiled_lethality = 0;  // share of the lethal chance left when an attack fails
  double count_spread = 0;      // attackers and injuries: mean x U[1 - spread, 1 + spread]
  static Parameters from(const sim::ParamValues& values);
};

// Every parameter of this unit, with units, default, range and reason.
std::vector<sim::ParamSpec> parameter_specs();

// What a cell about to attack brings to the choice of tactic.
struct Situation {
  int target = 0;            // target type, 0 .. kTargetTypes-1
  double kit = 0;            // share of the post-2021 kit the cell holds, 0..1
  double suicide_stock = 0;  // trained suicide attackers available to the command
};

// The weight of each tactic in this situation (0 where it cannot be used).
std::array<double, kKinds> weights(const Parameters& p, const Situation& s);

// One tactic drawn from weights(); -1 when none can be used.
int choose(const Parameters& p, const Situation& s, sim::RandomDraws& draws);

// What one attack costs.
struct Casualties {
  std::int64_t killed = 0;  // victims (not attackers)
  std::int64_t injured = 0;
  std::int64_t attackers = 0;        // committed
  std::int64_t attacker_deaths = 0;  // of those committed
};

// Casualties of one attack with `tactic` where `present` people are exposed
// (the deaths cannot exceed them) and `fighters` are in the cell (the
// attackers cannot exceed them). When `success` is false the lethal share is
// multiplied by `foiled_lethality` (a foiled or partly foiled attack); the
// attackers' own losses do not depend on success (a suicide attacker dies).
Casualties casualties(const Parameters& p, int tactic, double present, std::int64_t fighters,
                      bool success, sim::RandomDraws& draws);

// Expected deaths of one successful attack with `tactic` and nobody capped by
// `present` (the analytic lognormal mean, before rounding): for documentation
// and the order-of-magnitude tests.
double expected_deaths(const Parameters& p, int tactic);

// A standard normal draw (Box-Muller on two uniforms).
double standard_normal(sim::RandomDraws& draws);

}  // namespace borderland::ttp::tactics
