// Phase "host": what Kabul does under Pakistani pressure, as far as it
// complies (more when paid, less when relations are tense). Sanctuaries near
// the border are moved away from it, cells in them with them; disarmament
// strips arms from cells in sanctuary. Partial and costly (the Crisis Group commentary (2023)).
#include <algorithm>
#include <cmath>
#include <limits>

#include "models/ttp/streams.hpp"
#include "models/ttp/world.hpp"

namespace borderland::ttp {

void World::phase_host(std::int64_t step) {
  if (pol_.host.intensity <= 0) return;
  const double comply = pol_.host.intensity * compliance();
  // Disarmament.
  auto arms = cells_[c_arms_];
  const double strip = p_.disarm_rate_scale * pol_.host.disarmament * comply;
  for (std::size_t i = 0; i < cells_.size(); ++i)
    if (cells_[c_state_][i] == kInSanctuary) arms[i] *= 1.0 - strip;
  // Relocation, sanctuary by sanctuary in id order.
  for (std::size_t s = 0; s < sanctuaries_.size(); ++s) {
    const auto here = static_cast<std::size_t>(sanctuaries_[s_cell_][s]);
    if (-border_km_[here] >= pol_.host.relocation_km) continue;
    sim::RandomDraws d(seed_, Stream::kHost, static_cast<std::uint64_t>(step),
                       sanctuaries_.ids()[s]);
    if (!d.bernoulli(p_.relocation_rate * comply)) continue;
    // af_deep_ is sorted deepest first: candidates are its prefix beyond the distance.
    const auto end = std::partition_point(af_deep_.begin(), af_deep_.end(), [&](std::int32_t c) {
      return -border_km_[c] >= pol_.host.relocation_km;
    });
    const auto count = static_cast<std::size_t>(end - af_deep_.begin());
    if (count == 0) continue;
    // The nearest of a few random candidates.
    const int hx = static_cast<int>(here) % nx_, hy = static_cast<int>(here) / nx_;
    std::int32_t best = -1;
    double best_d = std::numeric_limits<double>::infinity();
    for (int k = 0; k < static_cast<int>(p_.relocation_candidates); ++k) {
      const std::int32_t c = af_deep_[d.below(static_cast<std::uint32_t>(count))];
      const double dx = (c % nx_ - hx) * km_x_, dy = (c / nx_ - hy) * km_y_;
      if (dx * dx + dy * dy < best_d) best_d = dx * dx + dy * dy, best = c;
    }
    sanctuaries_[s_cell_][s] = best;
    for (std::size_t i = 0; i < cells_.size(); ++i)
      if (cells_[c_state_][i] == kInSanctuary &&
          cells_[c_sanctuary_][i] == static_cast<std::int32_t>(s))
        cells_[c_cell_][i] = best;
  }
}

}  // namespace borderland::ttp
