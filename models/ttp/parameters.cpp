#include "models/ttp/parameters.hpp"

#include <fmt/format.h>

#include <functional>
#include <vector>

namespace borderland::ttp {

using sim::ParamSpec;

namespace {

// One parameter: its description and where it lands in Parameters (a number;
// integer parameters are whole numbers held as doubles).
struct Binding {
  ParamSpec spec;
  std::function<double&(Parameters&)> field;
};

#define TTP_REAL(key, member, def, lo, hi, units, doc)    \
  Binding {                                               \
    ParamSpec::real(key, def, lo, hi, units, doc),        \
        [](Parameters& p) -> double& { return p.member; } \
  }
#define TTP_INT(key, member, def, lo, hi, units, doc)     \
  Binding {                                               \
    ParamSpec::integer(key, def, lo, hi, units, doc),     \
        [](Parameters& p) -> double& { return p.member; } \
  }

// Sources: [seed] the Crisis Group commentary of March 2023 (quoted), [Crisis Group, March
// 2023] the same commentary (paraphrased), [judgement] our call where the text gives no number (the
// range is what the sweep may vary), [fitted] set by scripts/calibrate_ttp.py. militants at the
// start
void add_militants_at_the_start(std::vector<Binding>& all) {
  all.insert(
      all.end(),
      {
          TTP_REAL(
              "militants.sanctuary_fighters", sanctuary_fighters, 4000, 0, 50000, "persons",
              "TTP fighters in Afghan sanctuaries on 1 Jan 2020. [judgement] the seed says the "
              "2016 offensives pushed "
              "'many militants across the border'; a few thousand is the order of the public UN "
              "Monitoring Team range"),
          TTP_REAL(
              "militants.pakistan_fighters", pakistan_fighters, 1000, 0, 50000, "persons",
              "TTP fighters inside Pakistan on 1 Jan 2020. [judgement] smaller than the sanctuary "
              "force: the 2016 "
              "operations 'largely dislodged the TTP from the Pakistani tribal belt' [seed]"),
          TTP_REAL("militants.baloch_fighters", baloch_fighters, 500, 0, 50000, "persons",
                   "fighters of the Baloch nationalist groups (BLA, BLF) in Balochistan on 1 Jan "
                   "2020: their own actor, not allied to the TTP (baloch.hpp) [judgement] number"),
          TTP_REAL("militants.share_mehsud", ttp_faction_share[0], 0.45, 0, 1, "1",
                   "share of TTP cells in the Mehsud faction (the chief's own) [judgement]"),
          TTP_REAL(
              "militants.share_mohmand", ttp_faction_share[1], 0.2, 0, 1, "1",
              "share of TTP cells in the Mohmand faction (rejoined 2020, shadow governor for Zhob "
              "[seed]) [judgement]"),
          TTP_REAL("militants.share_other", ttp_faction_share[2], 0.35, 0, 1, "1",
                   "share of other TTP factions [judgement]"),
          TTP_REAL("militants.cell_size", cell_size, 12, 2, 200, "persons",
                   "fighters per cell at the start; a small band that can infiltrate together "
                   "[judgement]"),
          TTP_REAL("militants.max_cell_size", max_cell_size, 30, 4, 1000, "persons",
                   "a cell that grows beyond this splits in two [judgement]"),
          TTP_REAL("militants.initial_arms", initial_arms, 0.35, 0, 1, "1",
                   "arms quality (0 none, 1 modern military kit) before August 2021 [judgement]"),
          TTP_REAL(
              "militants.windfall_arms", windfall_arms, 0.9, 0, 1, "1",
              "arms quality reachable in sanctuary after Kabul falls: 'rocket-propelled grenades "
              "and thermal imaging devices left behind' [seed]; [judgement] level: near full "
              "modern kit (0.75 left the rise after August 2021, T1, at the bottom of its band "
              "once the tactics and strategy units were wired)"),
          TTP_REAL(
              "militants.rearm_days", rearm_days, 120, 1, 3650, "day",
              "time constant with which cells in sanctuary approach the available arms quality "
              "[judgement]"),
          TTP_REAL("militants.recruit_arms", recruit_arms, 0.2, 0, 1, "1",
                   "arms quality a new recruit brings [judgement]"),
          TTP_REAL("militants.morale_recovery_days", morale_recovery_days, 60, 1, 3650, "day",
                   "time constant of morale recovering towards 1 [judgement]"),
          TTP_REAL("militants.home_zone_km", home_zone_km, 120, 10, 600, "km",
                   "TTP cells inside Pakistan start within this distance of the border (tribal "
                   "districts) [seed, judgement]"),
      });
}

// recruitment and desertion
void add_recruitment_and_desertion(std::vector<Binding>& all) {
  all.insert(
      all.end(),
      {
          TTP_REAL("recruitment.local_rate", recruit_local_rate, 0.0008, 0, 0.05, "1/day",
                   "recruits per fighter per day inside Pakistan at full local support [judgement; "
                   "fitted scale]"),
          TTP_REAL(
              "recruitment.sanctuary_rate", recruit_sanctuary_rate, 0.0006, 0, 0.05, "1/day",
              "recruits per fighter per day in sanctuary at full host tolerance (training camps) "
              "[judgement]"),
          TTP_REAL("recruitment.grievance_weight", recruit_grievance_weight, 1.0, 0, 10, "1",
                   "how much local grievance adds to support in recruitment [judgement]"),
          TTP_REAL("desertion.rate", desertion_rate, 0.0002, 0, 0.05, "1/day",
                   "fighters leaving per fighter per day [judgement]"),
          TTP_REAL("desertion.low_morale", desertion_low_morale, 0.002, 0, 0.1, "1/day",
                   "extra desertion per fighter per day at zero morale [judgement]"),
      });
}

// infiltrate, strike, withdraw
void add_infiltrate_strike_withdraw(std::vector<Binding>& all) {
  all.insert(
      all.end(),
      {
          TTP_REAL("cycle.infiltrate_rate", infiltrate_rate, 0.0083, 0, 1, "1/day",
                   "daily chance that a cell in sanctuary sets off into Pakistan at full host "
                   "tolerance: 'safe in "
                   "Afghanistan ... militants can then slip into Pakistan and strike ... before "
                   "fleeing back' [seed]; [fitted] [fitted: scripts/calibrate_ttp.py]"),
          TTP_REAL("cycle.mission_days", mission_days, 60, 1, 3650, "day",
                   "mean stay of an infiltrated cell in Pakistan before it withdraws [judgement]"),
          TTP_REAL("cycle.withdraw_after_attack", withdraw_after_attack, 0.2, 0, 1, "1",
                   "chance that an infiltrated cell heads back to sanctuary right after striking "
                   "[seed: 'strike ... before "
                   "fleeing back'; judgement]"),
          TTP_REAL("cycle.reach_km", reach_km, 160, 10, 2000, "km",
                   "a suicide bomber sent after a headquarters goes to the nearest within this "
                   "distance (the ordinary missions' destinations come from presence, targets and "
                   "access: destinations.*) [judgement: most attacks in KP and Balochistan, seed]"),
          TTP_REAL(
              "cycle.far_target_share", far_target_share, 0.02, 0, 1, "1",
              "share of missions aimed at a big city beyond that reach (the Karachi attack shows "
              "the reach, seed) "
              "[judgement]; grows with the command's retaliation"),
          TTP_REAL(
              "movement.cells_per_day", cells_per_day, 5, 1, 50, "cell/day",
              "steps per day on flat ground (one 0.05 deg cell ~5 km: ~25 km/day) [judgement]"),
          TTP_REAL(
              "movement.ruggedness_ref", ruggedness_ref_m, 300, 1, 5000, "m",
              "ruggedness at which daily progress halves: speed = cells_per_day / (1 + ruggedness "
              "/ ref) [judgement]"),
          TTP_REAL(
              "movement.urban_pull", urban_pull, 0.5, 0, 10, "1",
              "preference of a moving cell for populated cells (roads and towns) among equally "
              "direct steps [judgement]"),
          TTP_REAL(
              "movement.baloch_move_rate", baloch_move_rate, 0.03, 0, 1, "1/day",
              "daily chance that a Baloch cell shifts to a new operating area inside Balochistan "
              "[judgement]"),
      });
}

// border
void add_border(std::vector<Binding>& all) {
  all.insert(
      all.end(),
      {
          TTP_REAL(
              "border.porous_detection", porous_detection, 0.03, 0, 1, "1",
              "chance that a crossing through open mountain terrain is detected ('porous mountain "
              "frontier', seed) "
              "[judgement]"),
          TTP_REAL(
              "border.crossing_point_detection", crossing_point_detection, 0.2, 0, 1, "1",
              "chance that a crossing near an official crossing point is detected [judgement]"),
          TTP_REAL("border.crossing_point_radius_km", crossing_point_radius_km, 15, 0, 200, "km",
                   "a crossing this close to a crossing point counts as a crossing-point crossing "
                   "[judgement]"),
          TTP_REAL("border.interdiction_losses", interdiction_losses, 0.25, 0, 1, "1",
                   "share of a detected group killed or captured; the rest turn back [judgement]"),
      });
}

// attacks
void add_attacks(std::vector<Binding>& all) {
  all.insert(
      all.end(),
      {
          TTP_REAL("attacks.rate", attack_rate, 0.0017, 0, 1, "1/day",
                   "daily attack chance of an operating cell of reference size at tempo 1 "
                   "[fitted: scripts/calibrate_ttp.py at 0.0022; 0.0017 by hand with the "
                   "destinations unit, whose destinations lie nearer the border, so that cells "
                   "spend more of a mission operating (T5)]"),
          TTP_REAL("attacks.size_ref", attack_size_ref, 12, 1, 1000, "persons",
                   "reference cell size: chance scales with sqrt(fighters / size_ref) [judgement]"),
          TTP_REAL(
              "targets.police", target_weight[kTargetPolice], 0.42, 0, 100, "1",
              "weight of police as a target: 'the police force ... has become the TTP's primary "
              "target' [seed]; 0.42 (was 0.55) with the tactics unit's per-tactic deaths, so that "
              "KP police deaths stay near T3 [judgement]"),
          TTP_REAL("targets.army", target_weight[kTargetArmy], 0.2, 0, 100, "1",
                   "weight of soldiers ('scores of soldiers have been killed', seed) [judgement]"),
          TTP_REAL(
              "targets.officials", target_weight[kTargetOfficials], 0.08, 0, 100, "1",
              "weight of government officials (seed: 'killing government officials') [judgement]"),
          TTP_REAL(
              "targets.leaders", target_weight[kTargetLeaders], 0.05, 0, 100, "1",
              "weight of political and tribal leaders 'who spoke out' [seed]; grows with protests "
              "[judgement]"),
          TTP_REAL("targets.civilians", target_weight[kTargetCivilians], 0.12, 0, 100, "1",
                   "weight of civilians (extortion, kidnapping of travellers, seed) [judgement]"),
      });
}

// attacks: success and casualties
void add_attack_outcomes(std::vector<Binding>& all) {
  all.insert(
      all.end(),
      {
          TTP_REAL("attacks.capability_slope", capability_slope, 4.0, 0, 50, "1",
                   "success = logistic(slope * (capability - defence)) [judgement]"),
          TTP_REAL(
              "attacks.lapse_probability", lapse_probability, 0.15, 0, 1, "1",
              "chance that a target's alertness lapses at the moment of attack ('intelligence and "
              "security failures', "
              "seed) [judgement]"),
          TTP_REAL("casualties.max_present", max_present, 280, 1, 5000, "persons",
                   "most people present at one target at one moment (hundreds at prayer in the "
                   "police-lines mosque, seed)"),
          TTP_REAL("casualties.post_present_share", post_present_share, 0.25, 0, 1, "1",
                   "share of a post's officers present at a given moment [judgement]"),
          TTP_REAL(
              "casualties.post_present_max", post_present_max, 75, 1, 5000, "persons",
              "most officers present at an ordinary post (a station, a checkpoint) [judgement] "
              "[fitted: scripts/calibrate_ttp.py]"),
          TTP_REAL("casualties.army_present", army_present, 40, 1, 5000, "persons",
                   "soldiers exposed in one attack on the army (a convoy, a picket) [judgement]"),
          TTP_REAL("army.hardness", army_hardness, 0.75, 0, 2, "1",
                   "defence of army positions: the military is 'much [stronger]' than the police "
                   "[seed] [judgement]"),
          TTP_REAL("casualties.injured_per_killed", injured_per_killed, 2.5, 0, 20, "1",
                   "injured per killed in army operations and strikes (attacks: each tactic's "
                   "tactic.*.injured_per_death) (Peshawar: 200+ injured for 80+ killed, seed)"),
          TTP_REAL("targets.hq_preference", hq_preference, 0.08, 0, 1, "1",
                   "chance that a suicide bomber sent against the police goes for the nearest "
                   "headquarters within reach "
                   "(police lines, CTD: Peshawar, Karachi, seed) rather than a post nearby; x (1 + "
                   "retaliation_lethal x "
                   "retaliation) [judgement] [fitted: scripts/calibrate_ttp.py]"),
          TTP_REAL(
              "targets.leaders_speak_weight", leaders_speak_weight, 3.0, 0, 50, "1",
              "leaders who speak out are targeted more where protests run: weight x (1 + this x "
              "protest level) [seed]"),
      });
}

// police
void add_police(std::vector<Binding>& all) {
  all.insert(
      all.end(),
      {
          TTP_REAL("police.officers_kp", officers[kForceKP], 120000, 0, 1e7, "persons",
                   "KP police strength [judgement: public order of magnitude]"),
          TTP_REAL("police.officers_balochistan", officers[kForceBalochistan], 40000, 0, 1e7,
                   "persons", "[judgement]"),
          TTP_REAL("police.officers_sindh", officers[kForceSindh], 150000, 0, 1e7, "persons",
                   "[judgement]"),
          TTP_REAL("police.officers_punjab", officers[kForcePunjab], 200000, 0, 1e7, "persons",
                   "[judgement]"),
          TTP_REAL("police.officers_islamabad", officers[kForceIslamabad], 12000, 0, 1e7, "persons",
                   "[judgement]"),
          TTP_REAL("police.officers_other", officers[kForceOther], 20000, 0, 1e7, "persons",
                   "Gilgit-Baltistan and Azad Kashmir police [judgement]"),
          TTP_REAL("police.training_kp", training[kForceKP], 0.3, 0, 1, "1",
                   "'lightly armed, poorly trained and too thinly deployed' [seed]"),
          TTP_REAL("police.training_balochistan", training[kForceBalochistan], 0.3, 0, 1, "1",
                   "as KP [seed: operations surge in both]"),
          TTP_REAL("police.training_sindh", training[kForceSindh], 0.45, 0, 1, "1", "[judgement]"),
          TTP_REAL("police.training_punjab", training[kForcePunjab], 0.5, 0, 1, "1", "[judgement]"),
          TTP_REAL("police.training_islamabad", training[kForceIslamabad], 0.55, 0, 1, "1",
                   "[judgement]"),
          TTP_REAL("police.training_other", training[kForceOther], 0.4, 0, 1, "1", "[judgement]"),
          TTP_REAL("police.intelligence_kp", intelligence[kForceKP], 0.35, 0, 1, "1",
                   "CTD capacity; 'intelligence ... failures' [seed]"),
          TTP_REAL("police.intelligence_balochistan", intelligence[kForceBalochistan], 0.3, 0, 1,
                   "1", "[judgement]"),
          TTP_REAL("police.intelligence_sindh", intelligence[kForceSindh], 0.45, 0, 1, "1",
                   "[judgement]"),
          TTP_REAL("police.intelligence_punjab", intelligence[kForcePunjab], 0.5, 0, 1, "1",
                   "[judgement]"),
          TTP_REAL("police.intelligence_islamabad", intelligence[kForceIslamabad], 0.55, 0, 1, "1",
                   "[judgement]"),
          TTP_REAL("police.intelligence_other", intelligence[kForceOther], 0.4, 0, 1, "1",
                   "[judgement]"),
          TTP_REAL(
              "police.people_per_post", people_per_post, 150000, 1000, 1e8, "persons",
              "one post (a station with its lines) per this many residents: posts are placed by "
              "population [judgement]"),
          TTP_REAL("police.post_hardness", post_hardness, 0.26, 0, 2, "1",
                   "defence of an ordinary post before training [judgement] [fitted: "
                   "scripts/calibrate_ttp.py]"),
          TTP_REAL(
              "police.hq_hardness", hq_hardness, 0.9, 0, 2, "1",
              "defence of a headquarters compound ('heavily fortified police compounds', seed) "
              "[judgement]"),
          TTP_REAL("police.hq_officers", hq_officers, 1500, 0, 1e6, "persons",
                   "officers based at a provincial headquarters (/map/place_info police_hq = 2: "
                   "Peshawar, Quetta, Karachi, Lahore, Islamabad, Gilgit, Muzaffarabad) "
                   "[judgement]"),
          TTP_REAL("police.district_hq_officers", district_hq_officers, 300, 0, 1e6, "persons",
                   "officers based at a district headquarters and its police lines (police_hq = "
                   "1, every district seat): the district's reserve, a few hundred [judgement]"),
          TTP_REAL(
              "police.alert_jump", alert_jump, 0.2, 0, 1, "1",
              "alertness added to posts near an attack ('should have been on guard ... after the "
              "breach', seed)"),
          TTP_REAL("police.alert_radius_km", alert_radius_km, 30, 0, 2000, "km",
                   "posts this close to an attack raise alertness [judgement]"),
          TTP_REAL(
              "police.alert_major_radius_km", alert_major_radius_km, 400, 0, 3000, "km",
              "after an attack with 20+ deaths, posts this close raise alertness (province-wide) "
              "[judgement]"),
          TTP_REAL(
              "police.alert_decay_days", alert_decay_days, 20, 1, 3650, "day",
              "time constant of alertness decaying: lapses return (seed: Bannu, then Peshawar six "
              "weeks later)"),
          TTP_REAL(
              "police.detection_rate", detection_rate, 0.01, 0, 1, "1/day",
              "daily chance that police intelligence locates a fully exposed cell in Pakistan at "
              "intelligence 1 [judgement]"),
          TTP_REAL("police.arrest_share", arrest_share, 0.3, 0, 1, "1",
                   "share of a located cell's fighters arrested [judgement]"),
          TTP_REAL("justice.release_days", custody_release_days, 180, 1, 36500, "day",
                   "mean time until an unconvicted detainee walks free [judgement]"),
          TTP_REAL(
              "justice.conviction_rate", conviction_rate, 0.3, 0, 1, "1",
              "share of detainees convicted and held ('prosecution of militants in court', seed) "
              "[judgement]"),
      });
}

// army
void add_army(std::vector<Binding>& all) {
  all.insert(
      all.end(),
      {
          TTP_REAL("army.units", army_units, 24, 0, 10000, "1",
                   "mobile army and paramilitary units (brigade-sized) in KP and Balochistan "
                   "[judgement]"),
          TTP_REAL("army.kp_share", army_kp_share, 0.6, 0, 1, "1",
                   "share of units based in KP (the rest in Balochistan) [judgement]"),
          TTP_REAL("army.routine_intensity", routine_intensity, 0.15, 0, 1, "1",
                   "share of units on clearance operations with no military_operations policy "
                   "[judgement]"),
          TTP_REAL("army.engage_radius_km", engage_radius_km, 40, 0, 1000, "km",
                   "a unit on clearance engages cells this close [judgement]"),
          TTP_REAL("army.unit_focus", unit_focus, 4, 0, 100, "1",
                   "operations fall this much more (x (1 + this)) on cells within reach of a "
                   "unit on clearance than on the rest of the region (intelligence-led raids "
                   "elsewhere) [judgement]"),
          TTP_REAL("army.collateral", engage_collateral, 0.3, 0, 100, "persons",
                   "mean civilians killed per engagement [judgement]"),
          TTP_REAL("army.losses", engage_army_losses, 0.4, 0, 100, "persons",
                   "mean soldiers killed per engagement [judgement]"),
          TTP_REAL("army.speed_cells", army_speed_cells, 8, 0, 100, "cell/day",
                   "unit movement towards its operation area [judgement]"),
      });
}

// cross-border strikes
void add_cross_border_strikes(std::vector<Binding>& all) {
  all.insert(
      all.end(),
      {
          TTP_REAL("strikes.kill_share", strike_kill_share, 0.05, 0, 1, "1",
                   "share of the fighters at a sanctuary killed by a hit [judgement] [fitted: "
                   "scripts/calibrate_ttp.py]"),
          TTP_REAL("strikes.tension", strike_tension, 0.06, 0, 1, "1",
                   "tension added per strike ('such operations could inflame tensions', seed) "
                   "[judgement]"),
          TTP_REAL("strikes.grievance", strike_grievance, 0.08, 0, 1, "1",
                   "grievance added around a strike and along the nearby border [judgement]"),
          TTP_REAL("strikes.leader_hit_probability", leader_hit_probability, 0.1, 0, 1, "1",
                   "chance that a hit kills a leader ('strikes on TTP leaders and bases', seed) "
                   "[judgement]"),
      });
}

// host politics
void add_host_politics(std::vector<Binding>& all) {
  all.insert(
      all.end(),
      {
          TTP_REAL("host.tolerance_republic", tolerance_republic, 0.45, 0, 1, "1",
                   "Kabul's tolerance of the TTP before August 2021 (Islamabad accused Ghani's "
                   "government of tolerating "
                   "them, seed) [judgement]"),
          TTP_REAL(
              "host.tolerance_taliban", tolerance_taliban, 0.9, 0, 1, "1",
              "tolerance under the Afghan Taliban: 'the ideological bond', denial, refusal to act "
              "[seed]"),
          TTP_REAL("host.adjust_days", tolerance_adjust_days, 60, 1, 3650, "day",
                   "time constant of tolerance moving to its target [judgement]"),
          TTP_REAL(
              "host.pressure_effect", pressure_effect, 0.5, 0, 1, "1",
              "how far full host pressure (paid for, low tension) lowers tolerance: relocation is "
              "'partial and costly' "
              "[Crisis Group, March 2023]; 'unlikely ... on a scale that satisfies Pakistan' "
              "[seed]"),
          TTP_REAL("host.tension_base", tension_base, 0.15, 0, 1, "1",
                   "resting tension between Islamabad and the Afghan Taliban [judgement]"),
          TTP_REAL("host.tension_decay_days", tension_decay_days, 120, 1, 3650, "day",
                   "time constant of tension relaxing [judgement]"),
          TTP_REAL("host.tension_per_major_attack", tension_per_major_attack, 0.05, 0, 1, "1",
                   "tension added by a TTP attack with many deaths ('ties ... strained after the "
                   "Peshawar and Karachi "
                   "attacks', seed)"),
          TTP_REAL("host.major_attack_deaths", major_attack_deaths, 20, 1, 1000, "persons",
                   "deaths that make an attack 'major' [judgement]"),
          TTP_REAL("host.relocation_rate", relocation_rate, 0.01, 0, 1, "1/day",
                   "daily chance that a sanctuary is moved away from the border at full compliance "
                   "[judgement]"),
          TTP_REAL("host.disarm_rate", disarm_rate_scale, 0.01, 0, 1, "1/day",
                   "daily share of sanctuary arms removed at full disarmament and compliance "
                   "[judgement]"),
          TTP_REAL("host.sanctuaries", sanctuaries, 12, 1, 500, "1",
                   "number of sanctuary areas in Afghanistan [judgement]"),
      });
}

// TTP command
void add_ttp_command(std::vector<Binding>& all) {
  all.insert(
      all.end(),
      {
          TTP_REAL(
              "command.retaliation_per_death", retaliation_per_death, 0.12, 0, 1, "1/person",
              "retaliation motive added per militant killed by the state ('retaliatory attacks', "
              "seed) [fitted: scripts/calibrate_ttp.py]"),
          TTP_REAL("command.retaliation_per_leader", retaliation_per_leader, 0.5, 0, 10, "1",
                   "retaliation added when a leader is killed (the Peshawar bomber 'sent to take "
                   "revenge', seed)"),
          TTP_REAL("command.retaliation_days", retaliation_days, 90, 1, 3650, "day",
                   "time constant of the retaliation motive fading [judgement] [fitted: "
                   "scripts/calibrate_ttp.py]"),
          TTP_REAL("command.retaliation_max", retaliation_max, 6, 0, 100, "1",
                   "cap of the retaliation motive [judgement] [fitted: scripts/calibrate_ttp.py]"),
          TTP_REAL("command.retaliation_lethal", retaliation_lethal, 5.0, 0, 20, "1",
                   "revenge seeks mass casualties: suicide and complex attacks weigh (1 + this x "
                   "retaliation) more (the "
                   "Peshawar bomber was sent 'to take revenge', seed) [judgement] [fitted: "
                   "scripts/calibrate_ttp.py]"),
          TTP_REAL("command.leader_morale_loss", leader_morale_loss, 0.2, 0, 1, "1",
                   "morale lost by a faction when its leader is killed [judgement]"),
      });
}

// population
void add_population(std::vector<Binding>& all) {
  all.insert(
      all.end(),
      {
          TTP_REAL("population.grievance_base", grievance_base, 0.2, 0, 1, "1",
                   "resting grievance away from the frontier [judgement]"),
          TTP_REAL("population.grievance_border", grievance_border, 0.25, 0, 1, "1",
                   "extra resting grievance at the border, fading with distance (the merged tribal "
                   "districts, seed) [judgement]"),
          TTP_REAL("population.support_base", support_base, 0.05, 0, 1, "1",
                   "resting support for militants away from the frontier [judgement]"),
          TTP_REAL("population.support_border", support_border, 0.3, 0, 1, "1",
                   "extra resting support at the border (Pashtun belt, Deobandi networks, seed) "
                   "[judgement]"),
          TTP_REAL("population.border_scale_km", border_scale_km, 100, 1, 5000, "km",
                   "e-folding distance of those border terms [judgement]"),
          TTP_REAL(
              "population.grievance_per_death", grievance_per_death, 0.01, 0, 1, "1/person",
              "grievance added around an attack per person killed (insecurity: 'mass protests', "
              "seed) [judgement]"),
          TTP_REAL("population.grievance_per_extortion", grievance_per_extortion, 0.02, 0, 1, "1",
                   "grievance added by a checkpoint or extortion [judgement]"),
          TTP_REAL("population.grievance_collateral", grievance_collateral, 0.04, 0, 1, "1/person",
                   "grievance added per civilian killed by the state (collateral damage feeds "
                   "grievance, domain) [judgement]"),
          TTP_REAL("population.grievance_days", grievance_days, 365, 1, 36500, "day",
                   "time constant of grievance relaxing [judgement]"),
          TTP_REAL("population.fear_per_death", fear_per_death, 0.02, 0, 1, "1/person",
                   "fear added around an attack per death [judgement]"),
          TTP_REAL("population.fear_days", fear_days, 60, 1, 3650, "day",
                   "time constant of fear fading [judgement]"),
          TTP_REAL("population.effect_radius_km", effect_radius_km, 25, 0, 500, "km",
                   "radius of those effects [judgement]"),
          TTP_REAL("population.support_from_fear", support_from_fear, 0.3, 0, 10, "1",
                   "support falls with fear (militants seen as the cause) [judgement]"),
          TTP_REAL("population.protest_fear", protest_fear, 0.15, 0, 10, "1",
                   "fear above which a populated cell protests [judgement]"),
          TTP_REAL("population.protest_grievance", protest_grievance, 0.3, 0, 10, "1",
                   "and grievance above which [judgement]"),
      });
}

void add_setup_and_movement_details(std::vector<Binding>& all) {
  all.insert(
      all.end(),
      {
          TTP_REAL("militants.new_cell_morale", new_cell_morale, 0.8, 0, 1, "1",
                   "morale of a cell when it forms (recruits, releases, splits take the parent's) "
                   "[judgement]"),
          TTP_REAL("militants.new_cell_exposure", new_cell_exposure, 0.1, 0, 1, "1",
                   "exposure to police intelligence of a new cell inside Pakistan (0 in sanctuary) "
                   "[judgement]"),
          TTP_REAL("cycle.far_city_population", far_city_population, 1e6, 0, 1e9, "persons",
                   "cities at least this big are the far targets (the Karachi attack, seed) "
                   "[judgement]"),
          TTP_REAL("host.sanctuary_min_km", sanctuary_min_km, 5, 0, 1000, "km",
                   "sanctuaries start at least this far inside Afghanistan [judgement]"),
          TTP_REAL("host.sanctuary_max_km", sanctuary_max_km, 80, 0, 1000, "km",
                   "and at most this far: close enough to 'slip into Pakistan' (seed) [judgement]"),
          TTP_REAL(
              "movement.urban_pull_scale", urban_pull_scale, 6, 0.1, 20, "1",
              "decades of population (log10) at which a cell's urban pull is full [judgement]"),
          TTP_REAL("movement.step_noise", step_noise, 0.5, 0, 10, "1",
                   "random part of a step's cost (uniform in [0, this)): paths vary [judgement]"),
          TTP_INT("movement.stuck_days", stuck_days, 10, 1, 3650, "day",
                  "days without progress after which a moving cell picks a new destination "
                  "(returning cells slip home) [judgement]"),
      });
}

void add_recruitment_details(std::vector<Binding>& all) {
  all.insert(
      all.end(),
      {
          TTP_REAL("militants.sanctuary_arms_floor", sanctuary_arms_floor, 0.5, 0, 1, "1",
                   "share of the available arms quality reachable in sanctuary at zero host "
                   "tolerance; the rest comes with tolerance [judgement]"),
          TTP_REAL("militants.pakistan_arms_share", pakistan_arms_share, 0.5, 0, 1, "1",
                   "arms reachable inside Pakistan = this x (initial + available arms quality): "
                   "bought or smuggled in [judgement]"),
          TTP_REAL(
              "militants.pakistan_rearm_factor", pakistan_rearm_factor, 3, 1, 100, "1",
              "rearming inside Pakistan is this many times slower than in sanctuary [judgement]"),
          TTP_REAL("militants.sanctuary_exposure_decay", sanctuary_exposure_decay, 0.98, 0, 1,
                   "1/day",
                   "daily factor on a cell's exposure while in sanctuary: out of sight of "
                   "Pakistani intelligence [judgement]"),
          TTP_REAL("desertion.amnesty_rate", amnesty_desertion, 0.002, 0, 0.1, "1/day",
                   "extra desertion per fighter per day inside Pakistan at full amnesty (talks."
                   "amnesty = 1) [judgement]"),
      });
}

void add_attack_details(std::vector<Binding>& all) {
  all.insert(
      all.end(),
      {
          TTP_REAL("attacks.max_daily_chance", max_daily_attack_chance, 0.9, 0, 1, "1",
                   "cap of a cell's daily attack chance [judgement]"),
          TTP_REAL(
              "targets.army_off_frontier", army_off_frontier, 0.2, 0, 10, "1",
              "soldiers weigh this much less as targets outside KP and Balochistan [judgement]"),
          TTP_INT("attacks.posts_sampled", posts_sampled, 6, 1, 1000, "1",
                  "posts a cell looks at before choosing the most attractive [judgement]"),
          TTP_REAL("attacks.appeal_floor", appeal_floor, 0.05, 0, 10, "1",
                   "least appeal of a post, however hard [judgement]"),
          TTP_REAL(
              "attacks.appeal_hardness_ref", appeal_hardness_ref, 1.3, 0, 10, "1",
              "a post's appeal is this minus its hardness (weak posts first, seed) [judgement]"),
          TTP_REAL("police.lapse_hardness", lapse_hardness, 0.5, 0, 1, "1",
                   "share of a post's hardness that holds in a lapse (the bomber in police uniform "
                   "passed barricades, seed) [judgement]"),
          TTP_REAL("police.training_defence", training_defence, 0.5, 0, 10, "1",
                   "defence added per unit of training [judgement]"),
          TTP_REAL("targets.officials_defence", officials_defence, 0.35, 0, 10, "1",
                   "defence of government officials (guards, vehicles) [judgement]"),
          TTP_REAL("targets.officials_present", officials_present, 6, 1, 1000, "persons",
                   "people present at an attack on officials [judgement]"),
          TTP_REAL("targets.leaders_defence", leaders_defence, 0.25, 0, 10, "1",
                   "defence of political and tribal leaders [judgement]"),
          TTP_REAL("targets.leaders_present", leaders_present, 4, 1, 1000, "persons",
                   "people present at an attack on a leader [judgement]"),
          TTP_REAL("targets.civilians_defence", civilians_defence, 0.1, 0, 10, "1",
                   "defence of civilians (none to speak of) [judgement]"),
          TTP_REAL("targets.civilians_present_base", civilians_present_base, 10, 1, 10000,
                   "persons",
                   "people present at an attack on civilians, before the crowd of the cell "
                   "[judgement]"),
          TTP_REAL("targets.civilians_present_scale", civilians_present_scale, 5, 0.01, 1000, "1",
                   "the crowd adds sqrt(cell population) / this (capped by attacks.max_present) "
                   "[judgement]"),
          TTP_REAL("attacks.numbers_capability", numbers_capability, 0.1, 0, 10, "1",
                   "capability added per unit of log(1 + fighters in the cell) [judgement]"),
      });
}

void add_casualty_details(std::vector<Binding>& all) {
  all.insert(
      all.end(),
      {
          TTP_REAL("deaths.bystanders_police", bystanders_police, 0.05, 0, 1, "1",
                   "share of the dead of an attack on police who are civilians (Peshawar: 'all but "
                   "three were police officers', seed)"),
          TTP_REAL("deaths.bystanders_army", bystanders_army, 0.1, 0, 1, "1",
                   "share of the dead of an attack on soldiers who are civilians [judgement]"),
          TTP_REAL("attacks.exposure_gain", exposure_per_attack, 0.15, 0, 1, "1",
                   "exposure to police intelligence a cell gains by attacking [judgement]"),
          TTP_REAL("population.fear_per_attack", fear_per_attack, 0.005, 0, 1, "1",
                   "fear an attack adds around it even when no one dies [judgement]"),
      });
}

void add_other_details(std::vector<Binding>& all) {
  all.insert(
      all.end(),
      {
          TTP_REAL(
              "draws.share_spread", share_spread, 0.5, 0, 1, "1",
              "shares of a group lost (killed, arrested, interdicted) and injured counts are the "
              "mean times a uniform draw in [1 - this, 1 + this] [judgement]"),
          TTP_REAL("border.control_effect", control_effect, 0.5, 0, 1, "1",
                   "how far full fencing or crossing-point control closes the gap to certain "
                   "detection: p -> p + control (1 - p) x this [judgement]"),
          TTP_REAL("police.detection_base_exposure", detection_base_exposure, 0.2, 0, 10, "1",
                   "detection chance scales with (this + exposure): unexposed cells can be found "
                   "[judgement]"),
          TTP_REAL("police.exposure_after_arrest", exposure_after_arrest, 0.5, 0, 1, "1",
                   "factor on a cell's exposure after arrests: the survivors go to ground "
                   "[judgement]"),
          TTP_REAL(
              "army.heat_decay", heat_decay, 0.967, 0, 1, "1/day",
              "daily factor on the heat of recent attacks (~30-day time constant) [judgement]"),
          TTP_REAL("army.heat_threshold", heat_threshold, 0.05, 0, 1000, "count",
                   "heat below which a tile is not a clearance target [judgement]"),
          TTP_REAL("army.engage_base_exposure", engage_base_exposure, 0.2, 0, 10, "1",
                   "engagement chance scales with (this + exposure) [judgement]"),
          TTP_REAL("army.exposure_after_engagement", exposure_after_engagement, 0.5, 0, 1, "1",
                   "factor on a cell's exposure after an engagement [judgement]"),
          TTP_REAL("army.base_within_km", base_within_km, 250, 0, 5000, "km",
                   "army bases lie within this distance of the Afghan border [judgement]"),
          TTP_REAL("army.base_population_offset", base_pop_offset, 100, 0, 1e6, "persons",
                   "base weight is sqrt(population + this) [judgement]"),
          TTP_INT("army.unit_strength", unit_strength, 3000, 1, 100000, "persons",
                  "soldiers per unit (brigade-sized; recorded with the unit) [judgement]"),
          TTP_REAL("strikes.grievance_radius_factor", strike_grievance_radius_factor, 3, 0, 100,
                   "1",
                   "a strike's grievance reaches this many times population.effect_radius_km: "
                   "along that stretch of the border [judgement]"),
          TTP_INT("host.relocation_candidates", relocation_candidates, 16, 1, 10000, "1",
                  "deep cells a relocated sanctuary chooses the nearest of [judgement]"),
          TTP_REAL("host.compliance_unpaid", compliance_unpaid, 0.5, 0, 1, "1",
                   "Kabul's compliance when Pakistan pays nothing, before tension ('only if "
                   "Islamabad bears the cost', seed) [judgement]"),
          TTP_REAL("host.compliance_per_payment", compliance_per_payment, 0.5, 0, 1, "1",
                   "compliance added at full payment [judgement]"),
          TTP_REAL("host.pressure_tension", pressure_tension, 0.002, 0, 1, "1/day",
                   "tension diplomatic pressure adds per day at full intensity, towards 1 "
                   "[judgement]"),
          TTP_INT("population.protest_every_days", protest_every_days, 7, 1, 365, "day",
                  "protests are counted every this many days [judgement]"),
          TTP_INT("attacks.post_tile_cells", post_tile_cells, 8, 1, 1000, "cell",
                  "side of the tiles that bucket police posts (a cell looks for posts in the 3x3 "
                  "tiles around it: about 40-120 km at 0.05 deg) and collect the heat of attacks "
                  "for the army [judgement]"),
      });
}
const std::vector<Binding>& bindings() {
  static const std::vector<Binding> all = [] {
    std::vector<Binding> v;
    add_militants_at_the_start(v);
    add_recruitment_and_desertion(v);
    add_infiltrate_strike_withdraw(v);
    add_border(v);
    add_attacks(v);
    add_attack_outcomes(v);
    add_police(v);
    add_army(v);
    add_cross_border_strikes(v);
    add_host_politics(v);
    add_ttp_command(v);
    add_population(v);
    add_setup_and_movement_details(v);
    add_recruitment_details(v);
    add_attack_details(v);
    add_casualty_details(v);
    add_other_details(v);
    return v;
  }();
  return all;
}
#undef TTP_REAL
#undef TTP_INT

}  // namespace

std::vector<sim::ParamSpec> parameter_specs() {
  std::vector<sim::ParamSpec> specs;
  specs.push_back(ParamSpec::text(
      "map", "../maps/afpak_0p05.h5",
      "map asset (docs/hdf5_layout.md 'Map asset'), relative to the scenario's folder"));
  specs.push_back(
      ParamSpec::date("metrics.from", "1900-01-01",
                      "summary totals (total_attacks, *_killed, mean_tension) count from this date "
                      "(projections: 2023-03-01); "
                      "the calibration targets t1-t7 always use their own windows"));
  for (const auto& b : bindings()) specs.push_back(b.spec);
  // The mechanism units declare their own parameters (each a table of ParamSpecs).
  for (auto unit :
       {tactics::parameter_specs(), suicide::parameter_specs(), destinations::parameter_specs(),
        baloch::parameter_specs(), strategy::parameter_specs(), operations::parameter_specs(),
        kabul::parameter_specs(), opinion::parameter_specs(), post_strength::parameter_specs(),
        protests::parameter_specs()})
    specs.insert(specs.end(), unit.begin(), unit.end());
  return specs;
}

Parameters Parameters::from(const sim::ParamValues& values) {
  Parameters p{};
  p.map = values.text("map");
  p.metrics_from = values.date("metrics.from");
  for (const auto& b : bindings())
    b.field(p) = b.spec.type == sim::ParamType::kInteger
                     ? static_cast<double>(values.integer(b.spec.key))
                     : values.real(b.spec.key);
  p.tactics = tactics::Parameters::from(values);
  p.suicide = suicide::Parameters::from(values);
  p.destinations = destinations::Parameters::from(values);
  p.baloch = baloch::Parameters::from(values);
  p.strategy = strategy::Parameters::from(values);
  p.operations = operations::Parameters::from(values);
  p.kabul = kabul::Parameters::from(values);
  p.opinion = opinion::Parameters::from(values);
  p.post_strength = post_strength::Parameters::from(values);
  p.protests = protests::Parameters::from(values);
  return p;
}

}  // namespace borderland::ttp
