#pragma once
// Parameters of the TTP insurgency model. Every number the model uses is
// declared in parameters.cpp with units, default, range and the reason for
// its value (the seed text, the Crisis Group commentary (2023), or a stated judgement call).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "models/ttp/baloch.hpp"
#include "models/ttp/destinations.hpp"
#include "models/ttp/kabul.hpp"
#include "models/ttp/operations.hpp"
#include "models/ttp/opinion.hpp"
#include "models/ttp/post_strength.hpp"
#include "models/ttp/protests.hpp"
#include "models/ttp/strategy.hpp"
#include "models/ttp/suicide_pipeline.hpp"
#include "models/ttp/tactics.hpp"
#include "sim/params.hpp"

namespace borderland::ttp {

// Police forces, distinguished because the Crisis Group commentary (2023) and the seed text treat
// them differently (KP and Balochistan lightly armed and thinly deployed).
enum Force : int {
  kForceKP = 0,
  kForceBalochistan,
  kForceSindh,
  kForcePunjab,
  kForceIslamabad,
  kForceOther,
  kForces
};
inline constexpr std::array<const char*, kForces> kForceNames{"kp",     "balochistan", "sindh",
                                                              "punjab", "islamabad",   "other"};

// Targets, police first (the Crisis Group commentary (2023) mechanism 5).
enum Target : int {
  kTargetPolice = 0,
  kTargetArmy,
  kTargetOfficials,
  kTargetLeaders,
  kTargetCivilians,
  kTargets
};
inline constexpr std::array<const char*, kTargets> kTargetNames{"police", "army", "officials",
                                                                "leaders", "civilians"};

// Militant factions: TTP factions and the Baloch nationalists (BLA, BLF: their own actor, not
// allied to the TTP; baloch.hpp).
enum Faction : int { kMehsud = 0, kMohmand, kOtherTtp, kBaloch, kFactions };
inline constexpr int kTtpFactions = kBaloch;  // the TTP factions come first
inline constexpr std::array<const char*, kFactions> kFactionNames{"ttp_mehsud", "ttp_mohmand",
                                                                  "ttp_other", "baloch_bla_blf"};

// Armed groups counted in `attacks_by_group`: the TTP, the Baloch nationalists, and others
// (IS-K and sectarian groups: not modelled, always 0; README, Limitations).
enum ArmedGroup : int { kGroupTtp = 0, kGroupBaloch, kGroupOther, kArmedGroups };
inline constexpr std::array<const char*, kArmedGroups> kArmedGroupNames{"ttp", "baloch", "other"};

// Groups counted in `killed` and `injured`.
enum Group : int { kPolice = 0, kArmy, kCivilians, kMilitants, kGroups };
inline constexpr std::array<const char*, kGroups> kGroupNames{"police", "army", "civilians",
                                                              "militants"};

struct Parameters {
  std::string map;         // path, relative to the scenario's folder
  sim::Date metrics_from;  // summary totals count from this date

  // Militants at the start.
  double sanctuary_fighters, pakistan_fighters, baloch_fighters;
  std::array<double, kTtpFactions> ttp_faction_share;  // Mehsud, Mohmand, other
  double cell_size, max_cell_size;
  double initial_arms, windfall_arms, rearm_days, recruit_arms;
  double morale_recovery_days;
  double home_zone_km;

  // Recruitment, training and desertion.
  double recruit_local_rate, recruit_sanctuary_rate, recruit_grievance_weight;
  double desertion_rate, desertion_low_morale;

  // Infiltrate - strike - withdraw.
  double infiltrate_rate, mission_days, withdraw_after_attack, reach_km, far_target_share;
  double cells_per_day, ruggedness_ref_m, urban_pull;
  double baloch_move_rate;

  // Border crossing.
  double porous_detection, crossing_point_detection, crossing_point_radius_km, interdiction_losses;

  // Attacks.
  double attack_rate, attack_size_ref;
  std::array<double, kTargets> target_weight;
  double capability_slope, lapse_probability;
  double max_present, post_present_share, post_present_max;
  double army_hardness, army_present;
  double injured_per_killed;  // in operations and strikes
  double leaders_speak_weight, hq_preference;

  // Police.
  std::array<double, kForces> officers;
  std::array<double, kForces> training;
  std::array<double, kForces> intelligence;
  double people_per_post, post_hardness, hq_hardness, hq_officers, district_hq_officers;
  double alert_jump, alert_radius_km, alert_decay_days, alert_major_radius_km;
  double detection_rate, arrest_share, custody_release_days, conviction_rate;

  // Army.
  double army_units, army_kp_share, routine_intensity;
  double engage_radius_km, unit_focus;
  double engage_collateral, engage_army_losses, army_speed_cells;

  // Cross-border strikes.
  double strike_kill_share, strike_tension, strike_grievance, leader_hit_probability;

  // Host politics (Afghan side).
  double tolerance_republic, tolerance_taliban, tolerance_adjust_days, pressure_effect;
  double tension_base, tension_decay_days, tension_per_major_attack, major_attack_deaths;
  double relocation_rate, disarm_rate_scale;
  double sanctuaries;

  // TTP command.
  double retaliation_per_death, retaliation_per_leader, retaliation_days, retaliation_max;
  double leader_morale_loss, retaliation_lethal;

  // Population response.
  double grievance_base, grievance_border, support_base, support_border, border_scale_km;
  double grievance_per_death, grievance_per_extortion, grievance_collateral, grievance_days;
  double fear_per_death, fear_days, effect_radius_km;
  double support_from_fear;  // support from grievance: opinion.* (the state's harm only)
  double protest_fear, protest_grievance;

  // Mechanism details (parameters.cpp, "details" sections): formerly numbers in the phase code.
  // Setup and movement.
  double new_cell_morale, new_cell_exposure, far_city_population;
  double sanctuary_min_km, sanctuary_max_km, urban_pull_scale, step_noise, stuck_days;
  // Recruitment and desertion.
  double sanctuary_arms_floor, pakistan_arms_share, pakistan_rearm_factor;
  double sanctuary_exposure_decay, amnesty_desertion;
  // Attacks: target, tactic, defence, casualties.
  double max_daily_attack_chance, army_off_frontier, posts_sampled;
  double appeal_floor, appeal_hardness_ref, lapse_hardness, training_defence;
  double officials_defence, officials_present, leaders_defence, leaders_present;
  double civilians_defence, civilians_present_base, civilians_present_scale, numbers_capability;
  double bystanders_police, bystanders_army;
  double exposure_per_attack, fear_per_attack;
  // Draws, border, police, army, strikes, host, command, population.
  double share_spread, control_effect, detection_base_exposure, exposure_after_arrest;
  double heat_decay, heat_threshold, engage_base_exposure, exposure_after_engagement;
  double base_within_km, base_pop_offset, unit_strength;
  double strike_grievance_radius_factor, relocation_candidates;
  double compliance_unpaid, compliance_per_payment, pressure_tension;
  double protest_every_days, post_tile_cells;

  // The mechanism units' own tables (strategy.cpp, operations.cpp).
  strategy::Parameters strategy;
  operations::Parameters operations;
  kabul::Parameters kabul;
  opinion::Parameters opinion;
  post_strength::Parameters post_strength;
  protests::Parameters protests;

  // The mechanism units, each with its own parameter table (tactics_parameters.cpp,
  // suicide_pipeline.cpp, destinations.cpp, baloch.cpp).
  tactics::Parameters tactics;
  suicide::Parameters suicide;
  destinations::Parameters destinations;
  baloch::Parameters baloch;

  static Parameters from(const sim::ParamValues& values);
};

// Every parameter of the model, as listed by `borderland models ttp`.
std::vector<sim::ParamSpec> parameter_specs();

}  // namespace borderland::ttp
