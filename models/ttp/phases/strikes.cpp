// Phase "strikes": cross-border air or drone strikes on sanctuaries. A strike
// goes where intelligence places most fighters; it hits with the chance the
// policy's intelligence gives, killing a share of the fighters there and
// sometimes a leader; civilians die with it. Every strike raises tension with
// Kabul and grievance along that stretch of the border.
#include <algorithm>
#include <cmath>

#include "models/ttp/draws.hpp"
#include "models/ttp/streams.hpp"
#include "models/ttp/world.hpp"

namespace borderland::ttp {

void World::phase_strikes(std::int64_t step) {
  if (pol_.strikes.per_day <= 0) return;
  sim::RandomDraws d(seed_, Stream::kStrike, static_cast<std::uint64_t>(step), 0);
  auto strikes = static_cast<int>(pol_.strikes.per_day);
  if (d.bernoulli(pol_.strikes.per_day - strikes)) ++strikes;
  for (int s = 0; s < strikes; ++s) {
    // Fighters at each sanctuary (cells in sanctuary state there).
    std::vector<double> at(sanctuaries_.size(), 0.0);
    for (std::size_t i = 0; i < cells_.size(); ++i)
      if (cells_[cells_.state][i] == kInSanctuary && cells_[cells_.sanctuary][i] >= 0)
        at[static_cast<std::size_t>(cells_[cells_.sanctuary][i])] += cells_[cells_.fighters][i];
    double total = 0;
    for (double a : at) total += a;
    if (total <= 0) return;
    double u = d.uniform() * total;
    std::size_t target = 0;
    while (target + 1 < at.size() && u >= at[target]) u -= at[target++];
    const std::size_t where = sanctuary_cell(static_cast<int>(target));
    std::array<std::int64_t, kGroups> k{};
    if (d.bernoulli(pol_.strikes.intelligence)) {
      for (std::size_t i = 0; i < cells_.size(); ++i) {
        if (cells_[cells_.state][i] != kInSanctuary ||
            cells_[cells_.sanctuary][i] != static_cast<std::int32_t>(target))
          continue;
        const int dead = static_cast<int>(std::lround(
            spread_share(d, cells_[cells_.fighters][i] * p_.strike_kill_share, p_.share_spread)));
        const int before = cells_[cells_.fighters][i];
        kill_fighters(i, dead);
        k[kMilitants] += before - cells_[cells_.fighters][i];
      }
      if (d.bernoulli(p_.leader_hit_probability)) {
        const int f = static_cast<int>(d.below(kTtpFactions));
        actors_.faction_morale[static_cast<std::size_t>(f)] = std::max(
            0.0, actors_.faction_morale[static_cast<std::size_t>(f)] - p_.leader_morale_loss);
        actors_.retaliation =
            std::min(p_.retaliation_max, actors_.retaliation + p_.retaliation_per_leader);
      }
    }
    // Civilians killed: Poisson by inversion around the policy's mean.
    k[kCivilians] = poisson_small(d, pol_.strikes.collateral);
    add_event(step, where, "cross_border_strike", -1, "militants", k,
              std::llround(static_cast<double>(k[kCivilians]) * p_.injured_per_killed), 0, false);
    provoke(k[kMilitants]);
    actors_.command.killed_today += static_cast<double>(k[kMilitants]);
    actors_.tension = std::min(1.0, actors_.tension + p_.strike_tension);
    add_fields(where, p_.strike_grievance_radius_factor * p_.effect_radius_km,
               p_.strike_grievance + p_.grievance_collateral * static_cast<double>(k[kCivilians]),
               0.0);
  }
}

}  // namespace borderland::ttp
