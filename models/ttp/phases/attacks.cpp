// Phase "attacks": target choice, tactic, success and casualties.
//
// Plan (parallel, each cell its own intent slot): an operating or resident
// cell in Pakistan attacks with a daily chance set by the command's tempo,
// its size and morale, and the ceasefire; it picks a target type (police
// first, then soldiers, officials, leaders who speak out, civilians), a
// tactic suited to target and arms, and - against police - a post nearby,
// preferring weak posts (suicide bombers prefer crowds).
// Resolve (id order): success = logistic(slope * (capability - defence)),
// with defence from hardness, training and alertness (which may lapse);
// casualties from heavy-tailed draws where the tactic warrants it (a share of
// the people present); alertness rises around the attack; fear and grievance
// rise; a major attack strains relations with Kabul.
//
// Every number is a parameter (parameters.cpp: attacks.*, targets.*, suits.*,
// attackers.*, deaths.*, losses.*, injured.*, siege.*). Each cell's draws
// come from one stream per stage, in a fixed order.
#include <algorithm>
#include <cmath>

#include "models/ttp/draws.hpp"
#include "models/ttp/streams.hpp"
#include "models/ttp/world.hpp"
#include "sim/parallel.hpp"

namespace borderland::ttp {

namespace {
// An index drawn with the given weights (their sum is `total` > 0).
template <std::size_t N>
int pick_by_weight(sim::RandomDraws& d, const std::array<double, N>& w, double total) {
  double u = d.uniform() * total;
  int k = 0;
  while (k < static_cast<int>(N) - 1 && u >= w[static_cast<std::size_t>(k)])
    u -= w[static_cast<std::size_t>(k++)];
  return k;
}

// Tactic suited to the target; suicide and complex attacks need arms (and revenge seeks them).
int choose_tactic(sim::RandomDraws& d, const Parameters& p, int target, double arms, int fighters,
                  double revenge) {
  std::array<double, kTactics> w{};
  double total = 0;
  for (int t = 0; t < kTactics; ++t) {
    const auto ti = static_cast<std::size_t>(t);
    double x = p.tactic_weight[ti] * p.suits[static_cast<std::size_t>(target)][ti];
    if (t == kSuicideBombing || t == kComplexAssault) x *= arms / p.heavy_arms_ref * revenge;
    if (t == kComplexAssault || t == kPrisonBreakSiege || t == kExtortionCheckpoint)
      x *= std::min(2.0, fighters / p.attack_size_ref);  // big cells favour big operations
    w[ti] = x;
    total += x;
  }
  return total <= 0 ? -1 : pick_by_weight(d, w, total);
}

// Attackers committed (before the cell's size caps them).
int attackers_committed(sim::RandomDraws& d, const Parameters& p, int tactic) {
  int n = static_cast<int>(p.attackers[static_cast<std::size_t>(tactic)]);
  if (tactic == kSuicideBombing) n += d.bernoulli(p.second_bomber) ? 1 : 0;
  if (tactic == kComplexAssault)
    n += static_cast<int>(d.below(static_cast<std::uint32_t>(p.complex_assault_spread)));
  if (tactic == kPrisonBreakSiege)
    n += static_cast<int>(d.below(static_cast<std::uint32_t>(p.siege_spread)));
  return n;
}

// Deaths among the `present` (victims, not attackers).
std::int64_t deaths_among(sim::RandomDraws& d, const Parameters& p, int tactic, bool success,
                          double present) {
  if (!success)
    return d.bernoulli(tactic == kSuicideBombing ? p.failed_suicide_kill_chance
                                                 : p.failed_attack_kill_chance)
               ? 1
               : 0;
  // A heavy-tailed share of the crowd (Pareto with the given scale and tail).
  const auto crowd_share = [&] {
    return std::min(1.0, p.crowd_fraction_scale *
                             std::pow(std::max(kTinyUniform, d.uniform()), -1.0 / p.crowd_tail));
  };
  switch (tactic) {
    case kSuicideBombing:
    case kComplexAssault:
      return std::max<std::int64_t>(1, std::llround(present * crowd_share()));
    case kIed:
      return d.bernoulli(p.ied_kill_chance)
                 ? 1 + static_cast<std::int64_t>(-std::log(std::max(kTinyUniform, d.uniform())))
                 : 0;
    case kTargetedKilling:
      return 1 + (d.bernoulli(p.targeted_second_victim) ? 1 : 0);
    case kKidnapping:
      return d.bernoulli(p.kidnap_kill_chance) ? 1 : 0;
    case kExtortionCheckpoint:
      return d.bernoulli(p.extortion_kill_chance) ? 1 : 0;
    default:  // prison break or siege
      return 1 + d.below(static_cast<std::uint32_t>(p.siege_extra_deaths));
  }
}

int attacker_losses(sim::RandomDraws& d, const Parameters& p, int tactic, bool success,
                    int attackers) {
  switch (tactic) {
    case kSuicideBombing:
      return attackers;
    case kComplexAssault: {
      int losses = 0;
      for (int a = 0; a < attackers; ++a)
        losses += d.bernoulli(success ? p.complex_loss_success : p.complex_loss_failure) ? 1 : 0;
      return losses;
    }
    case kPrisonBreakSiege:
      return d.bernoulli(p.siege_all_lost) ? attackers : attackers / 2;
    default:
      return d.bernoulli(success ? p.other_loss_success : p.other_loss_failure) ? 1 : 0;
  }
}
}  // namespace

std::size_t World::posts_near(std::size_t cell) const {
  const int cx = static_cast<int>(cell) % nx_ / tile_, cy = static_cast<int>(cell) / nx_ / tile_;
  std::size_t candidates = 0;
  for (int ty = std::max(0, cy - 1); ty <= std::min(tiles_y_ - 1, cy + 1); ++ty)
    for (int tx = std::max(0, cx - 1); tx <= std::min(tiles_x_ - 1, cx + 1); ++tx)
      candidates += posts_by_tile_[static_cast<std::size_t>(ty * tiles_x_ + tx)].size();
  return candidates;
}

// The pick-th post of the 3x3 tiles around the cell, or -1.
std::int32_t World::nth_post_near(std::size_t cell, std::size_t pick) const {
  const int cx = static_cast<int>(cell) % nx_ / tile_, cy = static_cast<int>(cell) / nx_ / tile_;
  for (int ty = std::max(0, cy - 1); ty <= std::min(tiles_y_ - 1, cy + 1); ++ty)
    for (int tx = std::max(0, cx - 1); tx <= std::min(tiles_x_ - 1, cx + 1); ++tx) {
      const auto& bucket = posts_by_tile_[static_cast<std::size_t>(ty * tiles_x_ + tx)];
      if (pick < bucket.size()) return bucket[pick];
      pick -= bucket.size();
    }
  return -1;
}

// Target type for a cell at `cell`; -1 when nothing weighs.
int World::choose_target(sim::RandomDraws& d, std::size_t row, std::size_t cell, bool posts_nearby,
                         double leaders_weight) const {
  const int force = force_of(cell);
  const bool frontier = force == kForceKP || force == kForceBalochistan;
  std::array<double, kTargets> w = p_.target_weight;
  w[kTargetLeaders] = leaders_weight;
  if (!posts_nearby) w[kTargetPolice] = 0;
  if (cells_[c_faction_][row] == kBaloch) w[kTargetArmy] *= p_.baloch_army_bias;
  if (!frontier) w[kTargetArmy] *= p_.army_off_frontier;
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
    double appeal = std::max(p_.appeal_floor, p_.appeal_hardness_ref - posts_[q_hardness_][qi]);
    // Bombers seek crowds (the front rows of worshippers, seed); assault teams weigh them less.
    if (tactic == kSuicideBombing)
      appeal *= static_cast<double>(posts_[q_present_][qi]);
    else if (tactic == kComplexAssault)
      appeal *= std::sqrt(static_cast<double>(posts_[q_present_][qi]));
    if (appeal > best) best = appeal, post = q;
  }
  if (tactic == kSuicideBombing && !hq_posts_.empty() &&
      d.bernoulli(std::min(1.0, p_.hq_preference * revenge))) {
    double nearest = p_.reach_km * p_.reach_km;
    const int x0 = static_cast<int>(cell) % nx_, y0 = static_cast<int>(cell) / nx_;
    for (std::int32_t q : hq_posts_) {
      const int qc = posts_[q_cell_][static_cast<std::size_t>(q)];
      const double dx = (qc % nx_ - x0) * km_x_, dy = (qc / nx_ - y0) * km_y_;
      if (dx * dx + dy * dy < nearest) nearest = dx * dx + dy * dy, post = q;
    }
  }
  return post;
}

void World::plan_attack(std::size_t i, std::int64_t step, const AttackDay& day) {
  const auto fighters = cells_[c_fighters_][i];
  const auto state = cells_[c_state_][i];
  if (fighters <= 0 || (state != kOperating && state != kLocal)) return;
  const auto c = static_cast<std::size_t>(cells_[c_cell_][i]);
  if (!in_pakistan(c)) return;
  sim::RandomDraws d(seed_, Stream::kAttackPlan, static_cast<std::uint64_t>(step), cells_.ids()[i]);
  const double chance =
      day.base_rate * std::sqrt(fighters / p_.attack_size_ref) * cells_[c_morale_][i];
  if (!d.bernoulli(std::min(p_.max_daily_attack_chance, chance))) return;
  const std::size_t candidates = posts_near(c);
  const int target = choose_target(d, i, c, candidates > 0, day.leaders_weight);
  if (target < 0) return;
  const int tactic = choose_tactic(d, p_, target, cells_[c_arms_][i], fighters, day.revenge);
  if (tactic < 0) return;
  std::int32_t post = -1;
  if (target == kTargetPolice) {
    post = choose_post(d, c, tactic, candidates, day.revenge);
    if (post < 0) return;
  }
  i_attack_tactic_[i] = static_cast<std::int8_t>(tactic);
  i_attack_target_[i] = static_cast<std::int8_t>(target);
  i_attack_post_[i] = post;
}

// Where the attack lands, how well the target is defended and how many people are there.
World::Defence World::defence_of(sim::RandomDraws& d, std::size_t i, int target,
                                 std::int64_t step) const {
  const auto where = static_cast<std::size_t>(cells_[c_cell_][i]);
  switch (target) {
    case kTargetPolice: {
      const auto q = static_cast<std::size_t>(i_attack_post_[i]);
      const auto f = static_cast<std::size_t>(posts_[q_force_][q]);
      double alert = post_alert(q, step);
      if (pol_.alert.floor > 0 && (posts_[q_hq_][q] || !pol_.alert.hq_only))
        alert = std::max(alert, pol_.alert.floor);
      double hardness = posts_[q_hardness_][q] + pol_.reform.hardness[f];
      // A lapse: alertness fails and part of the barriers with it (the bomber in police
      // uniform, seed).
      if (d.bernoulli(p_.lapse_probability)) alert = 0, hardness *= p_.lapse_hardness;
      return {static_cast<std::size_t>(posts_[q_cell_][q]),
              hardness + p_.training_defence * (p_.training[f] + pol_.reform.training[f]) + alert,
              static_cast<double>(posts_[q_present_][q])};
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
                       p_.civilians_present_base +
                           std::sqrt(std::max(0.0f, pop_[where])) / p_.civilians_present_scale)};
  }
}

void World::resolve_attack(std::size_t i, std::int64_t step) {
  auto fighters = cells_[c_fighters_];
  const int tactic = i_attack_tactic_[i], target = i_attack_target_[i];
  sim::RandomDraws d(seed_, Stream::kAttackResolve, static_cast<std::uint64_t>(step),
                     cells_.ids()[i]);
  const Defence at = defence_of(d, i, target, step);
  const double capability = cells_[c_arms_][i] * p_.tactic_power[static_cast<std::size_t>(tactic)] +
                            p_.numbers_capability * std::log1p(fighters[i]);
  const bool success =
      d.bernoulli(1.0 / (1.0 + std::exp(-p_.capability_slope * (capability - at.defence))));
  const int attackers = std::min(attackers_committed(d, p_, tactic), fighters[i]);
  const std::int64_t killed =
      std::min<std::int64_t>(deaths_among(d, p_, tactic, success, at.present),
                             static_cast<std::int64_t>(std::max(1.0, at.present)));
  std::array<std::int64_t, kGroups> k{};
  const double bystanders = target == kTargetPolice ? p_.bystanders_police
                            : target == kTargetArmy ? p_.bystanders_army
                                                    : 1.0;
  for (std::int64_t j = 0; j < killed; ++j) {
    if (d.bernoulli(bystanders))
      ++k[kCivilians];
    else
      ++k[target == kTargetPolice ? kPolice : kArmy];
  }
  const int losses = std::min(attacker_losses(d, p_, tactic, success, attackers), fighters[i]);
  kill_fighters(i, losses);
  k[kMilitants] = losses;
  std::int64_t injured = std::llround(
      spread_share(d, static_cast<double>(killed) * p_.injured_per_killed, p_.share_spread));
  if (success && killed == 0 && (tactic == kIed || tactic == kSuicideBombing))
    injured += d.below(static_cast<std::uint32_t>(p_.injured_without_deaths));
  if (success && tactic == kPrisonBreakSiege && detained_ > 0) {  // detainees freed
    const std::int64_t freed = std::min<std::int64_t>(
        detained_, static_cast<std::int64_t>(p_.siege_freed_base) +
                       d.below(static_cast<std::uint32_t>(p_.siege_freed_spread)));
    detained_ -= freed;
    fighters[i] += static_cast<std::int32_t>(freed);
    ledger_.released += freed;
  }
  day_.by_tactic[static_cast<std::size_t>(tactic)] += 1;
  add_event(step, at.where, kTacticNames[static_cast<std::size_t>(tactic)], cells_[c_faction_][i],
            kTargetNames[static_cast<std::size_t>(target)], k, injured, losses, true);
  attack_consequences(d, i, step, at.where, tactic, killed);
}

// Exposure, alertness, fields, relations, withdrawal.
void World::attack_consequences(sim::RandomDraws& d, std::size_t i, std::int64_t step,
                                std::size_t where, int tactic, std::int64_t deaths) {
  auto exposure = cells_[c_exposure_];
  exposure[i] = std::min(1.0, exposure[i] + p_.exposure_per_attack);
  raise_alert(where, p_.alert_radius_km, step);
  if (deaths >= static_cast<std::int64_t>(p_.major_attack_deaths)) {
    raise_alert(where, p_.alert_major_radius_km, step);
    if (cells_[c_faction_][i] != kBaloch)
      tension_ = std::min(1.0, tension_ + p_.tension_per_major_attack);
  }
  add_fields(where, p_.effect_radius_km,
             p_.grievance_per_death * static_cast<double>(deaths) +
                 (tactic == kExtortionCheckpoint ? p_.grievance_per_extortion : 0.0),
             p_.fear_per_death * static_cast<double>(deaths) + p_.fear_per_attack);
  const int tx = static_cast<int>(where) % nx_ / tile_, ty = static_cast<int>(where) / nx_ / tile_;
  heat_[static_cast<std::size_t>(ty * tiles_x_ + tx)] += 1.0f;
  if (cells_[c_state_][i] == kOperating && d.bernoulli(p_.withdraw_after_attack)) {
    cells_[c_state_][i] = kReturning;
    cells_[c_dest_][i] = static_cast<std::int32_t>(sanctuary_cell(cells_[c_sanctuary_][i]));
  }
}

void World::phase_attacks(std::int64_t step) {
  const std::size_t n = cells_.size();
  i_attack_tactic_.assign(n, -1);
  i_attack_target_.assign(n, -1);
  i_attack_post_.assign(n, -1);
  const AttackDay day{
      p_.attack_rate * tempo() * (ceasefire_holding_ ? 1.0 - pol_.ceasefire.observance : 1.0),
      1.0 + p_.retaliation_lethal * retaliation_,
      p_.target_weight[kTargetLeaders] * (1.0 + p_.leaders_speak_weight * protest_share_)};
  sim::parallel_for(0, n, kChunk, [&](std::size_t i) { plan_attack(i, step, day); });
  for (std::size_t i = 0; i < n; ++i)  // resolve in id order
    if (i_attack_tactic_[i] >= 0 && cells_[c_fighters_][i] > 0) resolve_attack(i, step);
}

}  // namespace borderland::ttp
