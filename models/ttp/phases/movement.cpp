// Phase "movement": the infiltrate-strike-withdraw cycle. Cells in sanctuary
// set off for a destination in Pakistan (more often when the host tolerates
// it and the command's tempo is high); moving cells walk over the terrain
// (ruggedness slows them, populated cells - roads and towns - attract among
// equally direct steps); a step across the Durand Line is only proposed here
// and resolved by the border phase; operating cells withdraw when their
// mission ends. Parallel: each cell writes only its own row and intent slot.
#include <algorithm>
#include <cmath>

#include "models/ttp/streams.hpp"
#include "models/ttp/world.hpp"
#include "sim/parallel.hpp"

namespace borderland::ttp {

namespace {
int integer_with_mean(sim::RandomDraws& d, double x) {
  const auto n = static_cast<int>(x);
  return n + (d.bernoulli(x - n) ? 1 : 0);
}
// Days until an event of daily probability 1/mean: geometric with that mean.
int geometric_days(sim::RandomDraws& d, double mean) {
  const double u = std::max(1e-12, d.uniform());
  return 1 + static_cast<int>(-std::log(u) * mean);
}
}  // namespace

std::size_t World::pick_destination(sim::RandomDraws& draws, int faction, bool local) const {
  if (faction == kBaloch) return pick_weighted(draws, dest_baloch_, dest_baloch_w_);
  if (local) return pick_weighted(draws, dest_home_, dest_home_w_);
  if (draws.bernoulli(std::min(1.0, p_.far_target_share * (1.0 + retaliation_))))
    return pick_weighted(draws, dest_far_, dest_far_w_);
  return pick_weighted(draws, dest_ttp_, dest_ttp_w_);
}

void World::phase_movement(std::int64_t step) {
  const std::size_t n = cells_.size();
  i_cross_to_.assign(n, -1);
  auto state = cells_[c_state_];
  auto cell = cells_[c_cell_];
  auto dest = cells_[c_dest_];
  auto timer = cells_[c_timer_];
  auto stuck = cells_[c_stuck_];
  const auto sanctuary = cells_[c_sanctuary_];
  const auto faction = cells_[c_faction_];
  const auto morale = cells_[c_morale_];
  const auto ids = cells_.ids();
  const double depart = p_.infiltrate_rate * host_tolerance_ * tempo() *
                        (ceasefire_holding_ ? 1.0 - pol_.ceasefire.observance : 1.0);

  sim::parallel_for(0, n, 256, [&](std::size_t i) {
    sim::RandomDraws d(seed_, Stream::kMove, static_cast<std::uint64_t>(step), ids[i]);
    switch (state[i]) {
      case kInSanctuary:
        if (d.bernoulli(depart * morale[i])) {
          state[i] = kMoving;
          dest[i] = static_cast<std::int32_t>(pick_destination(d, faction[i], false));
          stuck[i] = 0;
        }
        return;
      case kLocal:
        if (d.bernoulli(p_.baloch_move_rate)) {
          state[i] = kMoving;
          dest[i] = static_cast<std::int32_t>(pick_destination(d, faction[i], true));
          stuck[i] = 0;
        }
        return;
      case kOperating:
        if (--timer[i] <= 0) {
          state[i] = kReturning;
          dest[i] = static_cast<std::int32_t>(sanctuary_cell(sanctuary[i]));
          stuck[i] = 0;
        }
        return;
      default:
        break;
    }
    // Walking (kMoving or kReturning).
    auto here = static_cast<std::size_t>(cell[i]);
    const int tx = dest[i] % nx_, ty = dest[i] / nx_;
    const int steps =
        integer_with_mean(d, p_.cells_per_day / (1.0 + rugged_[here] / p_.ruggedness_ref_m));
    bool moved = false;
    for (int k = 0; k < steps; ++k) {
      const int x = static_cast<int>(here) % nx_, y = static_cast<int>(here) / nx_;
      const int dist = std::max(std::abs(tx - x), std::abs(ty - y));
      if (dist == 0) break;
      double best = 1e300;
      std::size_t next = here;
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
          if (dx == 0 && dy == 0) continue;
          const int nxp = x + dx, nyp = y + dy;
          if (nxp < 0 || nyp < 0 || nxp >= nx_ || nyp >= ny_) continue;
          if (std::max(std::abs(tx - nxp), std::abs(ty - nyp)) >= dist) continue;
          const std::size_t c = static_cast<std::size_t>(nyp) * static_cast<std::size_t>(nx_) +
                                static_cast<std::size_t>(nxp);
          if (!in_model_area(c)) continue;
          const double cost = rugged_[c] / p_.ruggedness_ref_m -
                              p_.urban_pull * std::log10(1.0 + std::max(0.0f, pop_[c])) / 6.0 +
                              0.5 * d.uniform();
          if (cost < best) best = cost, next = c;
        }
      if (next == here) break;
      if (country_[next] != country_[here]) {  // crossing the border: resolved by the border phase
        i_cross_to_[i] = static_cast<std::int32_t>(next);
        moved = true;
        break;
      }
      here = next;
      moved = true;
    }
    cell[i] = static_cast<std::int32_t>(here);
    stuck[i] = moved ? 0 : stuck[i] + 1;
    if (static_cast<std::int32_t>(here) == dest[i]) {
      if (state[i] == kReturning) {
        state[i] = kInSanctuary;
      } else if (sanctuary[i] >= 0) {
        state[i] = kOperating;
        timer[i] = geometric_days(d, p_.mission_days);
      } else {
        state[i] = kLocal;
      }
    } else if (stuck[i] > 10) {  // boxed in by sea or a third country: pick again, or slip home
      stuck[i] = 0;
      if (state[i] == kReturning)
        cell[i] = dest[i], state[i] = kInSanctuary;
      else
        dest[i] = static_cast<std::int32_t>(pick_destination(d, faction[i], sanctuary[i] < 0));
    }
  });
}

}  // namespace borderland::ttp
