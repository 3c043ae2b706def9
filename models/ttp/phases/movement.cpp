// Phase "movement": the infiltrate-strike-withdraw cycle. Cells in sanctuary
// set off for a destination in Pakistan (more often when the host tolerates
// it and the command's tempo is high); moving cells walk over the terrain
// (ruggedness slows them, populated cells - roads and towns - attract among
// equally direct steps); a step across the Durand Line is only proposed here
// and resolved by the border phase; operating cells withdraw when their
// mission ends. Parallel: each cell writes only its own row and intent slot.
#include <algorithm>
#include <cmath>
#include <limits>

#include "models/ttp/draws.hpp"
#include "models/ttp/streams.hpp"
#include "models/ttp/world.hpp"
#include "sim/parallel.hpp"
#include "sim/row_draws.hpp"

namespace borderland::ttp {

namespace {
// Philox blocks (four words) computed ahead for a walking cell: a day's few steps draw one
// uniform (two words) per candidate; a longer walk computes the rest as it goes.
constexpr int kWalkBlocks = 4;
}  // namespace

std::size_t World::pick_destination(sim::RandomDraws& draws, int faction, bool local) const {
  if (faction == kBaloch) return pick_weighted(draws, dest_baloch_, dest_baloch_w_);
  if (local) return pick_weighted(draws, dest_home_, dest_home_w_);
  if (draws.bernoulli(std::min(1.0, p_.far_target_share * (1.0 + retaliation_))))
    return pick_weighted(draws, dest_far_, dest_far_w_);
  return pick_weighted(draws, dest_ttp_, dest_ttp_w_);
}

// The cheapest neighbour of `here` that is closer to (tx, ty); `here` if none.
// Neighbours are tried row by row (dy, then dx, from -1 to 1), each drawing its
// noise in that order. A neighbour is closer (in steps, the larger of the two
// offsets) when both its offsets to the target are below today's distance, so
// the candidates are the product of one mask per axis (bit 1 + d: offset d is
// closer on that axis and inside the map); the cell itself is never in it.
std::size_t World::next_step(sim::RandomDraws& d, std::size_t here, int tx, int ty) const {
  const int x = static_cast<int>(here) % nx_, y = static_cast<int>(here) / nx_;
  const int dist = std::max(std::abs(tx - x), std::abs(ty - y));
  if (dist == 0) return here;
  const auto axis_mask = [dist](int at, int target, int size) {
    const int a = target - at;                                    // |a| <= dist
    const unsigned ahead = a > 0 ? 0b100u : a < 0 ? 0b001u : 0u;  // the offset towards it
    unsigned closer = 0b111u;                                     // |a| <= dist - 2: any offset
    if (std::abs(a) == dist)
      closer = ahead;  // only a step towards it
    else if (std::abs(a) == dist - 1)
      closer = 0b010u | ahead;  // not a step away
    const unsigned inside = (at > 0 ? 0b001u : 0u) | 0b010u | (at < size - 1 ? 0b100u : 0u);
    return closer & inside;
  };
  const unsigned mx = axis_mask(x, tx, nx_), my = axis_mask(y, ty, ny_);
  double best = std::numeric_limits<double>::infinity();
  std::size_t next = here;
  for (int dy = -1; dy <= 1; ++dy) {
    if (!(my >> (dy + 1) & 1u)) continue;
    const std::size_t row = here + static_cast<std::size_t>(dy * nx_);
    for (int dx = -1; dx <= 1; ++dx) {
      if (!(mx >> (dx + 1) & 1u)) continue;
      const std::size_t c = row + static_cast<std::size_t>(dx);
      if (!in_model_area(c)) continue;
      const double cost = step_cost_[c] + p_.step_noise * d.uniform();
      if (cost < best) best = cost, next = c;
    }
  }
  return next;
}

// A day's walk of a moving or returning cell; a step across the border is
// only proposed (i_cross_to_) and resolved by the border phase.
void World::walk(sim::RandomDraws& d, std::size_t i) {
  auto state = cells_[c_state_];
  auto cell = cells_[c_cell_];
  auto dest = cells_[c_dest_];
  auto stuck = cells_[c_stuck_];
  const auto sanctuary = cells_[c_sanctuary_];
  auto here = static_cast<std::size_t>(cell[i]);
  const int tx = dest[i] % nx_, ty = dest[i] / nx_;
  const int steps =
      integer_with_mean(d, p_.cells_per_day / (1.0 + rugged_[here] / p_.ruggedness_ref_m));
  bool moved = false;
  for (int k = 0; k < steps; ++k) {
    const std::size_t next = next_step(d, here, tx, ty);
    if (next == here) break;
    moved = true;
    if (country_[next] != country_[here]) {  // crossing the border
      i_cross_to_[i] = static_cast<std::int32_t>(next);
      break;
    }
    here = next;
  }
  cell[i] = static_cast<std::int32_t>(here);
  stuck[i] = moved ? 0 : stuck[i] + 1;
  if (static_cast<std::int32_t>(here) == dest[i]) {
    if (state[i] == kReturning) {
      state[i] = kInSanctuary;
    } else if (sanctuary[i] >= 0) {
      state[i] = kOperating;
      cells_[c_timer_][i] = geometric_days(d, p_.mission_days);
    } else {
      state[i] = kLocal;
    }
  } else if (stuck[i] > static_cast<int>(p_.stuck_days)) {
    // Boxed in by sea or a third country: pick again, or slip home.
    stuck[i] = 0;
    if (state[i] == kReturning)
      cell[i] = dest[i], state[i] = kInSanctuary;
    else
      dest[i] =
          static_cast<std::int32_t>(pick_destination(d, cells_[c_faction_][i], sanctuary[i] < 0));
  }
}

void World::phase_movement(std::int64_t step) {
  const std::size_t n = cells_.size();
  i_cross_to_.assign(n, -1);
  auto state = cells_[c_state_];
  auto dest = cells_[c_dest_];
  auto timer = cells_[c_timer_];
  auto stuck = cells_[c_stuck_];
  const auto sanctuary = cells_[c_sanctuary_];
  const auto faction = cells_[c_faction_];
  const auto morale = cells_[c_morale_];
  const auto ids = cells_.ids();
  const double depart = p_.infiltrate_rate * host_tolerance_ * tempo() *
                        (ceasefire_holding_ ? 1.0 - pol_.ceasefire.observance : 1.0);
  auto set_off = [&](std::size_t i, CellState to, std::size_t destination) {
    state[i] = to;
    dest[i] = static_cast<std::int32_t>(destination);
    stuck[i] = 0;
  };
  const auto move = [&](std::size_t i, sim::RandomDraws& d) {
    switch (state[i]) {
      case kInSanctuary:
        if (d.bernoulli(depart * morale[i]))
          set_off(i, kMoving, pick_destination(d, faction[i], false));
        return;
      case kLocal:
        if (d.bernoulli(p_.baloch_move_rate))
          set_off(i, kMoving, pick_destination(d, faction[i], true));
        return;
      default:
        walk(d, i);
    }
  };
  // Operating cells draw nothing (their mission's timer runs down); cells in sanctuary or at
  // home a word or two; walkers a few blocks (a uniform for each candidate step).
  const auto draws_today = [&](std::size_t i) {
    return state[i] == kOperating                           ? 0
           : state[i] == kInSanctuary || state[i] == kLocal ? 1
                                                            : kWalkBlocks;
  };
  sim::parallel_chunks(0, n, kChunk, [&](std::size_t lo, std::size_t hi) {
    const sim::RowDraws draws(seed_, Stream::kMove, static_cast<std::uint64_t>(step), ids, lo, hi,
                              draws_today);
    for (std::size_t i = lo; i < hi; ++i) {
      if (!draws_today(i)) {
        if (--timer[i] <= 0) set_off(i, kReturning, sanctuary_cell(sanctuary[i]));
        continue;
      }
      sim::RandomDraws d = draws.at(i);
      move(i, d);
    }
  });
}

}  // namespace borderland::ttp
