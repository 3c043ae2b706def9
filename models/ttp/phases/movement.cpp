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
  if (faction == kBaloch) return pick_weighted(draws, geo_.dest_baloch, geo_.dest_baloch_w);
  if (local) return pick_weighted(draws, geo_.dest_home, geo_.dest_home_w);
  if (draws.bernoulli(std::min(1.0, p_.far_target_share * (1.0 + actors_.retaliation))))
    return pick_weighted(draws, geo_.dest_far, geo_.dest_far_w);
  return pick_weighted(draws, geo_.dest_ttp, geo_.dest_ttp_w);
}

// The cheapest neighbour of `here` that is closer to (tx, ty); `here` if none.
// Neighbours are tried row by row (dy, then dx, from -1 to 1), each drawing its
// noise in that order. A neighbour is closer (in steps, the larger of the two
// offsets) when both its offsets to the target are below today's distance, so
// the candidates are the product of one mask per axis (bit 1 + d: offset d is
// closer on that axis and inside the map); the cell itself is never in it.
std::size_t World::next_step(sim::RandomDraws& d, std::size_t here, int tx, int ty) const {
  const int x = static_cast<int>(here) % geo_.nx, y = static_cast<int>(here) / geo_.nx;
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
  const unsigned mx = axis_mask(x, tx, geo_.nx), my = axis_mask(y, ty, geo_.ny);
  double best = std::numeric_limits<double>::infinity();
  std::size_t next = here;
  for (int dy = -1; dy <= 1; ++dy) {
    if (!(my >> (dy + 1) & 1u)) continue;
    const std::size_t row = here + static_cast<std::size_t>(dy * geo_.nx);
    for (int dx = -1; dx <= 1; ++dx) {
      if (!(mx >> (dx + 1) & 1u)) continue;
      const std::size_t c = row + static_cast<std::size_t>(dx);
      if (!geo_.in_model_area(c)) continue;
      const double cost = geo_.step_cost[c] + p_.step_noise * d.uniform();
      if (cost < best) best = cost, next = c;
    }
  }
  return next;
}

// A day's walk of a moving or returning cell; a step across the border is
// only proposed (cells_.intent.cross_to) and resolved by the border phase.
void World::walk(sim::RandomDraws& d, std::size_t i) {
  auto state = cells_[cells_.state];
  auto cell = cells_[cells_.cell];
  auto dest = cells_[cells_.dest];
  auto stuck = cells_[cells_.stuck];
  const auto sanctuary = cells_[cells_.sanctuary];
  auto here = static_cast<std::size_t>(cell[i]);
  const int tx = dest[i] % geo_.nx, ty = dest[i] / geo_.nx;
  const int steps =
      integer_with_mean(d, p_.cells_per_day / (1.0 + geo_.rugged[here] / p_.ruggedness_ref_m));
  bool moved = false;
  for (int k = 0; k < steps; ++k) {
    const std::size_t next = next_step(d, here, tx, ty);
    if (next == here) break;
    moved = true;
    if (geo_.country[next] != geo_.country[here]) {  // crossing the border
      cells_.intent.cross_to[i] = static_cast<std::int32_t>(next);
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
      cells_[cells_.timer][i] = geometric_days(d, p_.mission_days);
    } else {
      state[i] = kLocal;
    }
  } else if (stuck[i] > static_cast<int>(p_.stuck_days)) {
    // Boxed in by sea or a third country: pick again, or slip home.
    stuck[i] = 0;
    if (state[i] == kReturning)
      cell[i] = dest[i], state[i] = kInSanctuary;
    else
      dest[i] = static_cast<std::int32_t>(
          pick_destination(d, cells_[cells_.faction][i], sanctuary[i] < 0));
  }
}

void World::phase_movement(std::int64_t step) {
  const std::size_t n = cells_.size();
  cells_.intent.cross_to.assign(n, -1);
  auto state = cells_[cells_.state];
  auto dest = cells_[cells_.dest];
  auto timer = cells_[cells_.timer];
  auto stuck = cells_[cells_.stuck];
  const auto sanctuary = cells_[cells_.sanctuary];
  const auto faction = cells_[cells_.faction];
  const auto morale = cells_[cells_.morale];
  const auto ids = cells_.ids();
  const double depart = p_.infiltrate_rate * actors_.host_tolerance * tempo() *
                        (actors_.ceasefire_holding ? 1.0 - pol_.ceasefire.observance : 1.0);
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
