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
#include <algorithm>
#include <cmath>

#include "models/ttp/streams.hpp"
#include "models/ttp/world.hpp"
#include "sim/parallel.hpp"

namespace borderland::ttp {

namespace {
// Which tactics suit which target (1 = possible), before capability.
constexpr double kSuits[kTargets][kTactics] = {
    // suicide complex ied  tk   kidnap extort siege
    {1.0, 1.0, 1.0, 1.0, 0.5, 0.6, 1.0},  // police
    {1.0, 1.0, 1.2, 0.5, 0.2, 0.0, 0.0},  // army
    {0.6, 0.2, 0.8, 1.5, 1.0, 0.0, 0.0},  // officials
    {0.4, 0.0, 0.6, 2.0, 0.5, 0.0, 0.0},  // leaders
    {0.5, 0.1, 0.6, 0.2, 1.5, 3.0, 0.0},  // civilians
};
}  // namespace

void World::phase_attacks(std::int64_t step) {
  const std::size_t n = cells_.size();
  i_attack_tactic_.assign(n, -1);
  i_attack_target_.assign(n, -1);
  i_attack_post_.assign(n, -1);
  const auto state = cells_[c_state_];
  const auto cell = cells_[c_cell_];
  const auto fighters = cells_[c_fighters_];
  const auto faction = cells_[c_faction_];
  const auto arms = cells_[c_arms_];
  const auto morale = cells_[c_morale_];
  const auto ids = cells_.ids();
  const double base =
      p_.attack_rate * tempo() * (ceasefire_holding_ ? 1.0 - pol_.ceasefire.observance : 1.0);
  const double revenge = 1.0 + p_.retaliation_lethal * retaliation_;
  const double leaders_weight =
      p_.target_weight[kTargetLeaders] * (1.0 + p_.leaders_speak_weight * protest_share_);

  sim::parallel_for(0, n, 256, [&](std::size_t i) {
    if (fighters[i] <= 0 || (state[i] != kOperating && state[i] != kLocal)) return;
    const auto c = static_cast<std::size_t>(cell[i]);
    if (!in_pakistan(c)) return;
    sim::RandomDraws d(seed_, Stream::kAttackPlan, static_cast<std::uint64_t>(step), ids[i]);
    const double chance = base * std::sqrt(fighters[i] / p_.attack_size_ref) * morale[i];
    if (!d.bernoulli(std::min(0.9, chance))) return;
    // Posts within the 3x3 tiles around the cell.
    const int cx = static_cast<int>(c) % nx_ / tile_, cy = static_cast<int>(c) / nx_ / tile_;
    std::size_t candidates = 0;
    for (int ty = std::max(0, cy - 1); ty <= std::min(tiles_y_ - 1, cy + 1); ++ty)
      for (int tx = std::max(0, cx - 1); tx <= std::min(tiles_x_ - 1, cx + 1); ++tx)
        candidates += posts_by_tile_[static_cast<std::size_t>(ty * tiles_x_ + tx)].size();
    const int force = force_of(c);
    const bool frontier = force == kForceKP || force == kForceBalochistan;
    std::array<double, kTargets> w = p_.target_weight;
    w[kTargetLeaders] = leaders_weight;
    if (candidates == 0) w[kTargetPolice] = 0;
    if (faction[i] == kBaloch) w[kTargetArmy] *= p_.baloch_army_bias;
    if (!frontier) w[kTargetArmy] *= 0.2;
    double total = 0;
    for (double x : w) total += x;
    if (total <= 0) return;
    double u = d.uniform() * total;
    int target = 0;
    while (target < kTargets - 1 && u >= w[static_cast<std::size_t>(target)])
      u -= w[static_cast<std::size_t>(target++)];
    // Tactic: suited to the target; suicide and complex attacks need arms.
    std::array<double, kTactics> tw{};
    double ttotal = 0;
    for (int t = 0; t < kTactics; ++t) {
      double x = p_.tactic_weight[static_cast<std::size_t>(t)] * kSuits[target][t];
      if (t == kSuicideBombing || t == kComplexAssault) x *= arms[i] / 0.5 * revenge;
      if (t == kComplexAssault || t == kPrisonBreakSiege || t == kExtortionCheckpoint)
        x *= std::min(2.0, fighters[i] / p_.attack_size_ref);
      tw[static_cast<std::size_t>(t)] = x;
      ttotal += x;
    }
    if (ttotal <= 0) return;
    double v = d.uniform() * ttotal;
    int tactic = 0;
    while (tactic < kTactics - 1 && v >= tw[static_cast<std::size_t>(tactic)])
      v -= tw[static_cast<std::size_t>(tactic++)];
    std::int32_t post = -1;
    if (target == kTargetPolice) {
      // Look at a few posts nearby, keep the most attractive.
      auto nth_post = [&](std::size_t pick) -> std::int32_t {
        for (int ty = std::max(0, cy - 1); ty <= std::min(tiles_y_ - 1, cy + 1); ++ty)
          for (int tx = std::max(0, cx - 1); tx <= std::min(tiles_x_ - 1, cx + 1); ++tx) {
            const auto& bucket = posts_by_tile_[static_cast<std::size_t>(ty * tiles_x_ + tx)];
            if (pick < bucket.size()) return bucket[pick];
            pick -= bucket.size();
          }
        return -1;
      };
      double best = -1;
      for (int k = 0; k < 6; ++k) {
        const std::int32_t q = nth_post(d.below(static_cast<std::uint32_t>(candidates)));
        if (q < 0) continue;
        const auto qi = static_cast<std::size_t>(q);
        double appeal = std::max(0.05, 1.3 - posts_[q_hardness_][qi]);
        // Bombers seek crowds (the front rows of worshippers, seed); assault teams weigh them less.
        if (tactic == kSuicideBombing)
          appeal *= static_cast<double>(posts_[q_present_][qi]);
        else if (tactic == kComplexAssault)
          appeal *= std::sqrt(static_cast<double>(posts_[q_present_][qi]));
        if (appeal > best) best = appeal, post = q;
      }
      // High-value targets: a bomber may be sent to the nearest headquarters within reach.
      if (tactic == kSuicideBombing && !hq_posts_.empty() &&
          d.bernoulli(std::min(1.0, p_.hq_preference * revenge))) {
        double nearest = p_.reach_km * p_.reach_km;
        const int x0 = static_cast<int>(c) % nx_, y0 = static_cast<int>(c) / nx_;
        for (std::int32_t q : hq_posts_) {
          const int qc = posts_[q_cell_][static_cast<std::size_t>(q)];
          const double dx = (qc % nx_ - x0) * km_x_, dy = (qc / nx_ - y0) * km_y_;
          if (dx * dx + dy * dy < nearest) nearest = dx * dx + dy * dy, post = q;
        }
      }
      if (post < 0) return;
    }
    i_attack_tactic_[i] = static_cast<std::int8_t>(tactic);
    i_attack_target_[i] = static_cast<std::int8_t>(target);
    i_attack_post_[i] = post;
  });

  // Resolve in id order.
  auto fighters_w = cells_[c_fighters_];
  auto exposure = cells_[c_exposure_];
  auto state_w = cells_[c_state_];
  auto dest = cells_[c_dest_];
  for (std::size_t i = 0; i < n; ++i) {
    if (i_attack_tactic_[i] < 0 || fighters_w[i] <= 0) continue;
    const int tactic = i_attack_tactic_[i], target = i_attack_target_[i];
    sim::RandomDraws d(seed_, Stream::kAttackResolve, static_cast<std::uint64_t>(step), ids[i]);
    std::size_t where = static_cast<std::size_t>(cell[i]);
    double defence = 0, present = 0;
    switch (target) {
      case kTargetPolice: {
        const auto q = static_cast<std::size_t>(i_attack_post_[i]);
        where = static_cast<std::size_t>(posts_[q_cell_][q]);
        const auto f = static_cast<std::size_t>(posts_[q_force_][q]);
        double alert = post_alert(q, step);
        if (pol_.alert.floor > 0 && (posts_[q_hq_][q] || !pol_.alert.hq_only))
          alert = std::max(alert, pol_.alert.floor);
        double hardness = posts_[q_hardness_][q] + pol_.reform.hardness[f];
        // A lapse: alertness fails and half the barriers with it (the bomber in police uniform,
        // seed).
        if (d.bernoulli(p_.lapse_probability)) alert = 0, hardness *= 0.5;
        defence = hardness + 0.5 * (p_.training[f] + pol_.reform.training[f]) + alert;
        present = posts_[q_present_][q];
        break;
      }
      case kTargetArmy:
        defence = p_.army_hardness;
        present = p_.army_present;
        break;
      case kTargetOfficials:
        defence = 0.35;
        present = 6;
        break;
      case kTargetLeaders:
        defence = 0.25;
        present = 4;
        break;
      default:
        defence = 0.1;
        present = std::min(p_.max_present, 10.0 + std::sqrt(std::max(0.0f, pop_[where])) / 5.0);
        break;
    }
    const double capability = arms[i] * p_.tactic_power[static_cast<std::size_t>(tactic)] +
                              0.1 * std::log1p(fighters_w[i]);
    const bool success =
        d.bernoulli(1.0 / (1.0 + std::exp(-p_.capability_slope * (capability - defence))));
    // Attackers committed.
    int attackers = 2;
    switch (tactic) {
      case kSuicideBombing:
        attackers = 1 + (d.bernoulli(0.3) ? 1 : 0);
        break;
      case kComplexAssault:
        attackers = 3 + static_cast<int>(d.below(5));
        break;
      case kKidnapping:
        attackers = 4;
        break;
      case kExtortionCheckpoint:
        attackers = 5;
        break;
      case kPrisonBreakSiege:
        attackers = 10 + static_cast<int>(d.below(25));
        break;
      default:
        break;
    }
    attackers = std::min(attackers, fighters_w[i]);
    // Deaths among those present.
    const auto crowd_share = [&] {
      return std::min(1.0, p_.crowd_fraction_scale *
                               std::pow(std::max(1e-12, d.uniform()), -1.0 / p_.crowd_tail));
    };
    std::int64_t killed = 0;
    if (success) {
      switch (tactic) {
        case kSuicideBombing:
          killed = std::max<std::int64_t>(1, std::llround(present * crowd_share()));
          break;
        case kComplexAssault:
          killed = std::max<std::int64_t>(1, std::llround(present * crowd_share()));
          break;
        case kIed:
          killed = d.bernoulli(0.7)
                       ? 1 + static_cast<std::int64_t>(-std::log(std::max(1e-12, d.uniform())))
                       : 0;
          break;
        case kTargetedKilling:
          killed = 1 + (d.bernoulli(0.25) ? 1 : 0);
          break;
        case kKidnapping:
          killed = d.bernoulli(0.15) ? 1 : 0;
          break;
        case kExtortionCheckpoint:
          killed = d.bernoulli(0.05) ? 1 : 0;
          break;
        default:
          killed = 1 + d.below(4);
          break;
      }
    } else {
      killed = (tactic == kSuicideBombing ? d.bernoulli(0.3) : d.bernoulli(0.08)) ? 1 : 0;
    }
    killed = std::min<std::int64_t>(killed, static_cast<std::int64_t>(std::max(1.0, present)));
    std::array<std::int64_t, kGroups> k{};
    const double bystanders = target == kTargetPolice ? 0.05 : target == kTargetArmy ? 0.1 : 1.0;
    for (std::int64_t j = 0; j < killed; ++j) {
      if (d.bernoulli(bystanders))
        ++k[kCivilians];
      else
        ++k[target == kTargetPolice ? kPolice : kArmy];
    }
    // Attacker losses.
    int losses = 0;
    switch (tactic) {
      case kSuicideBombing:
        losses = attackers;
        break;
      case kComplexAssault:
        for (int a = 0; a < attackers; ++a) losses += d.bernoulli(success ? 0.7 : 0.8) ? 1 : 0;
        break;
      case kPrisonBreakSiege:
        losses = d.bernoulli(0.7) ? attackers : attackers / 2;
        break;
      default:
        losses = d.bernoulli(success ? 0.1 : 0.3) ? 1 : 0;
        break;
    }
    losses = std::min(losses, fighters_w[i]);
    kill_fighters(i, losses);
    k[kMilitants] = losses;
    std::int64_t injured =
        std::llround(static_cast<double>(killed) * p_.injured_per_killed * d.uniform(0.5, 1.5));
    if (success && killed == 0 && (tactic == kIed || tactic == kSuicideBombing))
      injured += d.below(4);
    // What success brings.
    if (success && tactic == kPrisonBreakSiege && detained_ > 0) {
      const std::int64_t freed = std::min<std::int64_t>(detained_, 5 + d.below(30));
      detained_ -= freed;
      fighters_w[i] += static_cast<std::int32_t>(freed);
      ledger_.released += freed;
    }
    const std::int64_t deaths = killed;
    day_.by_tactic[static_cast<std::size_t>(tactic)] += 1;
    add_event(step, where, kTacticNames[static_cast<std::size_t>(tactic)], cells_[c_faction_][i],
              kTargetNames[static_cast<std::size_t>(target)], k, injured, losses, true);
    // Consequences: exposure, alertness, fields, relations, withdrawal.
    exposure[i] = std::min(1.0, exposure[i] + 0.15);
    raise_alert(where, p_.alert_radius_km, step);
    if (deaths >= static_cast<std::int64_t>(p_.major_attack_deaths)) {
      raise_alert(where, p_.alert_major_radius_km, step);
      if (cells_[c_faction_][i] != kBaloch)
        tension_ = std::min(1.0, tension_ + p_.tension_per_major_attack);
    }
    add_fields(where, p_.effect_radius_km,
               p_.grievance_per_death * static_cast<double>(deaths) +
                   (tactic == kExtortionCheckpoint ? p_.grievance_per_extortion : 0.0),
               p_.fear_per_death * static_cast<double>(deaths) + 0.005);
    const int tx = static_cast<int>(where) % nx_ / tile_,
              ty = static_cast<int>(where) / nx_ / tile_;
    heat_[static_cast<std::size_t>(ty * tiles_x_ + tx)] += 1.0f;
    if (state_w[i] == kOperating && d.bernoulli(p_.withdraw_after_attack)) {
      state_w[i] = kReturning;
      dest[i] = static_cast<std::int32_t>(sanctuary_cell(cells_[c_sanctuary_][i]));
    }
  }
}

}  // namespace borderland::ttp
