// Phase "attacks": target choice, tactic, success and casualties.
//
// Plan (parallel, each cell its own intent slot): an operating or resident
// TTP cell in Pakistan attacks with a daily chance set by the command's tempo,
// its size and morale, and the ceasefire; a Baloch cell (BLA, BLF: its own
// actor, baloch.hpp) at its own rate per fighter, whatever the TTP's tempo or
// ceasefire. A TTP cell picks a target type (police first, then soldiers,
// officials, leaders who speak out, civilians), a Baloch cell one of its own
// (FC and army, settlers from Punjab, Chinese nationals and CPEC, highways and
// railways, police). The tactic comes from the tactics unit (tactics.hpp: nine
// tactics in the trackers' categories, weights by target and by the post-2021
// kit the cell holds); a suicide attack needs a trained bomber from the
// pipeline's stock (suicide_pipeline.hpp), which only the TTP's sanctuary
// camps train. Against police: a post nearby, preferring weak posts (bombers
// prefer crowds, and are sometimes sent to a headquarters).
// Resolve (id order): a suicide attack spends one bomber (none left: the
// cell picks another tactic); success = logistic(slope * (capability -
// defence)), with defence from hardness, training and alertness (which may
// lapse); casualties from the tactic's law (tactics::casualties: lognormal
// deaths, heavy-tailed only for suicide attacks and raids); alertness rises
// around the attack; fear and grievance rise, and the civilians killed lower
// local support (opinion.hpp); a major TTP attack strains relations with Kabul.
//
// Every number is a parameter (parameters.cpp: attacks.*, targets.*, deaths.*;
// tactics_parameters.cpp: tactic.*; suicide_pipeline.cpp: suicide.*;
// baloch.cpp: baloch.*). Each cell's draws come from one stream per stage, in
// a fixed order.
#include <algorithm>
#include <cmath>

#include "models/ttp/baloch.hpp"
#include "models/ttp/draws.hpp"
#include "models/ttp/streams.hpp"
#include "models/ttp/tactics.hpp"
#include "models/ttp/world.hpp"
#include "sim/parallel.hpp"
#include "sim/row_draws.hpp"

namespace borderland::ttp {

namespace {
// An index drawn with the given weights (their sum is `total` > 0).
template <std::size_t N>
int pick_by_weight(sim::RandomDraws& d, const std::array<double, N>& w, double total) {
  double u = d.uniform() * total;
  int k = 0;
  while (k < static_cast<int>(N) - 1 &&
         (u >= w[static_cast<std::size_t>(k)] || w[static_cast<std::size_t>(k)] <= 0))
    u -= w[static_cast<std::size_t>(k++)];
  return w[static_cast<std::size_t>(k)] > 0 ? k : -1;
}

// The target type (tactics::kTargetTypeNames, the model's kTargetNames) that
// stands for each Baloch target in tactic choice, defence and casualties:
// FC posts and army camps are soldiers; settlers taken off buses are
// civilians; Chinese nationals and CPEC sites travel guarded, like officials;
// highways, railways and pipelines are guarded by the FC (roadside bombs
// against its patrols); the police are the police.
constexpr std::array<int, baloch::kTargets> kBalochTargetType{
    kTargetArmy, kTargetCivilians, kTargetOfficials, kTargetArmy, kTargetPolice};

// The group of the victims of an attack on a target type: police, soldiers or
// civilians (officials and leaders count as civilians).
int victims_of(int target_type) {
  return target_type == kTargetPolice ? kPolice : target_type == kTargetArmy ? kArmy : kCivilians;
}
}  // namespace

std::size_t World::posts_near(std::size_t cell) const {
  const int cx = static_cast<int>(cell) % geo_.nx / geo_.tile,
            cy = static_cast<int>(cell) / geo_.nx / geo_.tile;
  std::size_t candidates = 0;
  for (int ty = std::max(0, cy - 1); ty <= std::min(geo_.tiles_y - 1, cy + 1); ++ty)
    for (int tx = std::max(0, cx - 1); tx <= std::min(geo_.tiles_x - 1, cx + 1); ++tx)
      candidates += posts_.by_tile[static_cast<std::size_t>(ty * geo_.tiles_x + tx)].size();
  return candidates;
}

// The pick-th post of the 3x3 tiles around the cell, or -1.
std::int32_t World::nth_post_near(std::size_t cell, std::size_t pick) const {
  const int cx = static_cast<int>(cell) % geo_.nx / geo_.tile,
            cy = static_cast<int>(cell) / geo_.nx / geo_.tile;
  for (int ty = std::max(0, cy - 1); ty <= std::min(geo_.tiles_y - 1, cy + 1); ++ty)
    for (int tx = std::max(0, cx - 1); tx <= std::min(geo_.tiles_x - 1, cx + 1); ++tx) {
      const auto& bucket = posts_.by_tile[static_cast<std::size_t>(ty * geo_.tiles_x + tx)];
      if (pick < bucket.size()) return bucket[pick];
      pick -= bucket.size();
    }
  return -1;
}

// Target type of a TTP cell at `cell`; -1 when nothing weighs.
int World::choose_target(sim::RandomDraws& d, std::size_t cell, bool posts_nearby,
                         double leaders_weight) const {
  const int force = geo_.force_of(cell);
  const bool frontier = force == kForceKP || force == kForceBalochistan;
  std::array<double, kTargets> w = p_.target_weight;
  w[kTargetLeaders] = leaders_weight;
  if (!posts_nearby) w[kTargetPolice] = 0;
  if (!frontier) w[kTargetArmy] *= p_.army_off_frontier;
  double total = 0;
  for (double x : w) total += x;
  return total <= 0 ? -1 : pick_by_weight(d, w, total);
}

int World::target_type(std::size_t i) const {
  const int target = cells_.intent.attack_target[i];
  return cells_[cells_.faction][i] == kBaloch ? kBalochTargetType[static_cast<std::size_t>(target)]
                                              : target;
}

// A tactic from the tactics unit: weights by target type and the post-2021 kit
// the cell holds (its arms between the initial level and the windfall); the
// suicide weight scales with the pipeline's stock. Revenge seeks mass
// casualties: suicide attacks weigh (1 + retaliation_lethal x retaliation)
// more (the bombers in stock are spent sooner). Raids are not weighted by
// revenge: with it they rose to a third of all attacks (PICSS 2020: a fifth
// armed assaults) and KP police deaths of 2022 above T3.
int World::choose_tactic(sim::RandomDraws& d, std::size_t i, int type, double suicide_stock,
                         double revenge) const {
  const double kit = (cells_[cells_.arms][i] - p_.initial_arms) /
                     std::max(kTinyRate, p_.windfall_arms - p_.initial_arms);
  auto w = tactics::weights(p_.tactics, {type, std::clamp(kit, 0.0, 1.0), suicide_stock});
  w[tactics::kSuicideAttack] *= revenge;
  double total = 0;
  for (double x : w) total += x;
  return total <= 0 ? -1 : pick_by_weight(d, w, total);
}

// A police post near the cell: the most attractive of a few, or - for a
// bomber sent after high-value targets - the nearest headquarters in reach.
std::int32_t World::choose_post(sim::RandomDraws& d, std::size_t cell, int tactic,
                                std::size_t candidates, double revenge) const {
  std::int32_t post = -1;
  double best = -1;
  for (int k = 0; k < static_cast<int>(p_.posts_sampled); ++k) {
    const std::int32_t q = nth_post_near(cell, d.below(static_cast<std::uint32_t>(candidates)));
    if (q < 0) continue;
    const auto qi = static_cast<std::size_t>(q);
    double appeal = std::max(p_.appeal_floor, p_.appeal_hardness_ref - posts_[posts_.hardness][qi]);
    // Bombers seek crowds (the front rows of worshippers, seed); assault teams weigh them less.
    if (tactic == tactics::kSuicideAttack)
      appeal *= static_cast<double>(posts_[posts_.present][qi]);
    else if (tactic == tactics::kArmedRaid)
      appeal *= std::sqrt(static_cast<double>(posts_[posts_.present][qi]));
    if (appeal > best) best = appeal, post = q;
  }
  if (tactic == tactics::kSuicideAttack && !posts_.hq_rows.empty() &&
      d.bernoulli(std::min(1.0, p_.hq_preference * revenge))) {
    double nearest = p_.reach_km * p_.reach_km;
    const int x0 = static_cast<int>(cell) % geo_.nx, y0 = static_cast<int>(cell) / geo_.nx;
    for (std::int32_t q : posts_.hq_rows) {
      const int qc = posts_[posts_.cell][static_cast<std::size_t>(q)];
      const double dx = (qc % geo_.nx - x0) * geo_.km_x, dy = (qc / geo_.nx - y0) * geo_.km_y;
      if (dx * dx + dy * dy < nearest) nearest = dx * dx + dy * dy, post = q;
    }
  }
  return post;
}

void World::plan_attack(std::size_t i, sim::RandomDraws& d, const AttackDay& day) {
  const auto fighters = cells_[cells_.fighters][i];
  const auto c = static_cast<std::size_t>(cells_[cells_.cell][i]);
  const bool baloch = cells_[cells_.faction][i] == kBaloch;
  // The Baloch groups keep their own tempo: attacks per fighter (baloch.attack_rate).
  const double chance =
      baloch ? baloch::expected_attacks(p_.baloch, fighters)
             : day.base_rate * std::sqrt(fighters / p_.attack_size_ref) * cells_[cells_.morale][i];
  if (!d.bernoulli(std::min(p_.max_daily_attack_chance, chance))) return;
  const std::size_t candidates = posts_near(c);
  const int target = baloch ? baloch::choose_target(p_.baloch, d)
                            : choose_target(d, c, candidates > 0, day.leaders_weight);
  if (target < 0) return;
  const int type = baloch ? kBalochTargetType[static_cast<std::size_t>(target)] : target;
  if (type == kTargetPolice && candidates == 0) return;
  // Only the TTP's camps train suicide attackers (suicide_pipeline.hpp).
  const int tactic =
      choose_tactic(d, i, type, baloch ? 0.0 : day.suicide_stock, baloch ? 1.0 : day.revenge);
  if (tactic < 0) return;
  std::int32_t post = -1;
  if (type == kTargetPolice) {
    post = choose_post(d, c, tactic, candidates, baloch ? 1.0 : day.revenge);
    if (post < 0) return;
  }
  cells_.intent.attack_tactic[i] = static_cast<std::int8_t>(tactic);
  cells_.intent.attack_target[i] = static_cast<std::int8_t>(target);
  cells_.intent.attack_post[i] = post;
}

// Where the attack lands, how well the target is defended and how many people are there.
World::Defence World::defence_of(sim::RandomDraws& d, std::size_t i, int target,
                                 std::int64_t step) const {
  const auto where = static_cast<std::size_t>(cells_[cells_.cell][i]);
  switch (target) {
    case kTargetPolice: {
      const auto q = static_cast<std::size_t>(cells_.intent.attack_post[i]);
      const auto f = static_cast<std::size_t>(posts_[posts_.force][q]);
      double alert = post_alert(q, step);
      if (pol_.alert.floor > 0 && (posts_[posts_.hq][q] || !pol_.alert.hq_only))
        alert = std::max(alert, pol_.alert.floor);
      double hardness = posts_[posts_.hardness][q] + pol_.reform.hardness[f];
      // A lapse: alertness fails and part of the barriers with it (the bomber in police
      // uniform, seed).
      if (d.bernoulli(p_.lapse_probability)) alert = 0, hardness *= p_.lapse_hardness;
      // A post short of officers (post_strength.hpp) has fewer men at the walls.
      const double shortage = post_strength::defence_penalty(
          p_.post_strength,
          post_strength::strength(posts_[posts_.officers][q], posts_.establishment[q]));
      return {static_cast<std::size_t>(posts_[posts_.cell][q]),
              hardness + p_.training_defence * (p_.training[f] + pol_.reform.training[f]) + alert -
                  shortage,
              static_cast<double>(posts_[posts_.present][q])};
    }
    case kTargetArmy:
      return {where, p_.army_hardness, p_.army_present};
    case kTargetOfficials:
      return {where, p_.officials_defence, p_.officials_present};
    case kTargetLeaders:
      return {where, p_.leaders_defence, p_.leaders_present};
    default:
      return {where, p_.civilians_defence,
              std::min(p_.max_present,
                       p_.civilians_present_base + std::sqrt(std::max(0.0f, geo_.pop[where])) /
                                                       p_.civilians_present_scale)};
  }
}

void World::resolve_attack(std::size_t i, std::int64_t step) {
  auto fighters = cells_[cells_.fighters];
  const bool baloch = cells_[cells_.faction][i] == kBaloch;
  const int target = cells_.intent.attack_target[i], type = target_type(i);
  sim::RandomDraws d(seed_, Stream::kAttackResolve, static_cast<std::uint64_t>(step),
                     cells_.ids()[i]);
  int tactic = cells_.intent.attack_tactic[i];
  // Cells planned in parallel on the same stock: a bomber already spent today
  // leaves this cell another tactic.
  if (tactic == tactics::kSuicideAttack && !suicide_.spend())
    tactic = choose_tactic(d, i, type, 0.0, 1.0 + p_.retaliation_lethal * actors_.retaliation);
  if (tactic < 0) return;
  const auto& profile = p_.tactics.profile[static_cast<std::size_t>(tactic)];
  const Defence at = defence_of(d, i, type, step);
  const double capability =
      cells_[cells_.arms][i] * profile.power + p_.numbers_capability * std::log1p(fighters[i]);
  const bool success =
      d.bernoulli(1.0 / (1.0 + std::exp(-p_.capability_slope * (capability - at.defence))));
  const tactics::Casualties cas =
      tactics::casualties(p_.tactics, tactic, at.present, fighters[i], success, d);
  std::array<std::int64_t, kGroups> k{};
  const double bystanders = type == kTargetPolice ? p_.bystanders_police
                            : type == kTargetArmy ? p_.bystanders_army
                                                  : 1.0;
  for (std::int64_t j = 0; j < cas.killed; ++j) {
    if (d.bernoulli(bystanders))
      ++k[kCivilians];
    else
      ++k[static_cast<std::size_t>(victims_of(type))];
  }
  // The officers killed leave the post (post_strength.hpp): fewer present at the next attack.
  if (type == kTargetPolice)
    post_loses(static_cast<std::size_t>(cells_.intent.attack_post[i]), k[kPolice]);
  const int losses = static_cast<int>(std::min<std::int64_t>(cas.attacker_deaths, fighters[i]));
  kill_fighters(i, losses);
  k[kMilitants] = losses;
  day_.by_tactic[static_cast<std::size_t>(tactic)] += 1;
  add_event(step, at.where, tactics::kKindNames[static_cast<std::size_t>(tactic)],
            cells_[cells_.faction][i],
            baloch ? baloch::kTargetNames[static_cast<std::size_t>(target)]
                   : kTargetNames[static_cast<std::size_t>(target)],
            k, cas.injured, losses, true);
  attack_consequences(d, i, step, at.where, tactic, cas.killed, k[kCivilians]);
}

// Exposure, alertness, fields, relations, withdrawal.
void World::attack_consequences(sim::RandomDraws& d, std::size_t i, std::int64_t step,
                                std::size_t where, int tactic, std::int64_t deaths,
                                std::int64_t civilians) {
  auto exposure = cells_[cells_.exposure];
  exposure[i] = std::min(1.0, exposure[i] + p_.exposure_per_attack);
  raise_alert(where, p_.alert_radius_km, step);
  if (deaths >= static_cast<std::int64_t>(p_.major_attack_deaths)) {
    raise_alert(where, p_.alert_major_radius_km, step);
    if (cells_[cells_.faction][i] != kBaloch)
      actors_.tension = std::min(1.0, actors_.tension + p_.tension_per_major_attack);
  }
  // Insecurity adds grievance and fear; the civilians killed turn opinion against the
  // militants (opinion.hpp) and, in the protest region, feed the protests (protests.hpp).
  if (geo_.protest_region[where]) protests_.victims_today += static_cast<double>(civilians);
  add_attack_fields(where, p_.effect_radius_km,
                    p_.grievance_per_death * static_cast<double>(deaths) +
                        (tactic == tactics::kExtortion ? p_.grievance_per_extortion : 0.0),
                    p_.fear_per_death * static_cast<double>(deaths) + p_.fear_per_attack,
                    static_cast<double>(civilians));
  const int tx = static_cast<int>(where) % geo_.nx / geo_.tile,
            ty = static_cast<int>(where) / geo_.nx / geo_.tile;
  fields_.heat[static_cast<std::size_t>(ty * geo_.tiles_x + tx)] += 1.0f;
  if (cells_[cells_.state][i] == kOperating && d.bernoulli(p_.withdraw_after_attack)) {
    cells_[cells_.state][i] = kReturning;
    cells_[cells_.dest][i] = static_cast<std::int32_t>(sanctuary_cell(cells_[cells_.sanctuary][i]));
  }
}

void World::phase_attacks(std::int64_t step) {
  // The camps recruit and train bombers as freely as the host tolerates them.
  suicide_.step(static_cast<double>(fighters_in(false)), actors_.host_tolerance);
  const std::size_t n = cells_.size();
  cells_.intent.attack_tactic.assign(n, -1);
  cells_.intent.attack_target.assign(n, -1);
  cells_.intent.attack_post.assign(n, -1);
  const AttackDay day{
      p_.attack_rate * tempo() *
          (actors_.ceasefire_holding ? 1.0 - pol_.ceasefire.observance : 1.0),
      1.0 + p_.retaliation_lethal * actors_.retaliation,
      p_.target_weight[kTargetLeaders] * (1.0 + p_.leaders_speak_weight * fields_.protest_share),
      suicide_.stock()};
  const auto ids = cells_.ids();
  // Cells on a mission or at home in Pakistan may attack: only they draw.
  const auto state = cells_[cells_.state];
  const auto fighters = cells_[cells_.fighters];
  const auto cell = cells_[cells_.cell];
  const auto may = [&](std::size_t i) {
    return fighters[i] > 0 && (state[i] == kOperating || state[i] == kLocal) &&
           geo_.in_pakistan(static_cast<std::size_t>(cell[i]));
  };
  sim::parallel_chunks(0, n, kChunk, [&](std::size_t lo, std::size_t hi) {
    const sim::RowDraws draws(seed_, Stream::kAttackPlan, static_cast<std::uint64_t>(step), ids, lo,
                              hi, may);
    for (std::size_t i = lo; i < hi; ++i) {
      if (!may(i)) continue;
      sim::RandomDraws d = draws.at(i);
      plan_attack(i, d, day);
    }
  });
  for (std::size_t i = 0; i < n; ++i)  // resolve in id order
    if (cells_.intent.attack_tactic[i] >= 0 && cells_[cells_.fighters][i] > 0)
      resolve_attack(i, step);
}

}  // namespace borderland::ttp
