// Phase "border": crossings of the Durand Line proposed by the movement
// phase, resolved in id order. Open mountain terrain is porous (rugged
// ground hides a group); near an official crossing point detection is
// higher; fencing and crossing-point control raise both. A detected group
// loses a share (half killed, half captured) and turns back.
#include <algorithm>
#include <cmath>

#include "models/ttp/draws.hpp"
#include "models/ttp/streams.hpp"
#include "models/ttp/world.hpp"

namespace borderland::ttp {

void World::phase_border(std::int64_t step) {
  auto cell = cells_[cells_.cell];
  auto state = cells_[cells_.state];
  auto dest = cells_[cells_.dest];
  auto fighters = cells_[cells_.fighters];
  const auto ids = cells_.ids();
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    if (cells_.intent.cross_to[i] < 0) continue;
    const auto to = static_cast<std::size_t>(cells_.intent.cross_to[i]);
    sim::RandomDraws d(seed_, Stream::kBorder, static_cast<std::uint64_t>(step), ids[i]);
    double p;
    if (geo_.near_crossing[to] || geo_.near_crossing[static_cast<std::size_t>(cell[i])]) {
      p = p_.crossing_point_detection;
      p += pol_.border.crossing_control * (1.0 - p) * p_.control_effect;
      // A closed crossing point (crossing_closure) stops nearly everyone there.
      if (crossing_closed_near(to)) p = std::max(p, p_.kabul.closed_detection);
    } else {
      p = p_.porous_detection / (1.0 + geo_.rugged[to] / p_.ruggedness_ref_m);
      p += pol_.border.fencing * (1.0 - p) * p_.control_effect;
    }
    if (!d.bernoulli(p)) {
      cell[i] = static_cast<std::int32_t>(to);
      day_.crossings += fighters[i];
      continue;
    }
    const int lost = static_cast<int>(
        std::lround(spread_share(d, fighters[i] * p_.interdiction_losses, p_.share_spread)));
    const int killed = std::min(fighters[i], lost / 2);
    kill_fighters(i, killed);
    const int captured = std::min(fighters[i], lost - killed);
    fighters[i] -= captured;
    counts_.ledger.arrested += captured;
    custody_.detained += captured;
    day_.arrests += captured;
    if (killed > 0) {
      std::array<std::int64_t, kGroups> k{};
      k[kMilitants] = killed;
      add_event(step, to, "border_interdiction", cells_[cells_.faction][i], "militants", k, 0, 0,
                false);
    }
    // Turn back: an infiltrating group returns to its sanctuary.
    if (state[i] == kMoving && cells_[cells_.sanctuary][i] >= 0) {
      state[i] = kReturning;
      dest[i] = static_cast<std::int32_t>(sanctuary_cell(cells_[cells_.sanctuary][i]));
    }
  }
}

}  // namespace borderland::ttp
