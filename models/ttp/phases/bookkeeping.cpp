// Phase "bookkeeping": cells that grew past max_cell_size split in two (the
// new cell takes half, same state and place); empty cells are removed. Both
// between phases, in id order; then the day's counters are closed.
#include <algorithm>

#include "models/ttp/streams.hpp"
#include "models/ttp/world.hpp"

namespace borderland::ttp {

void World::phase_bookkeeping(std::int64_t step) {
  const std::size_t n = cells_.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (cells_[c_fighters_][i] <= static_cast<std::int32_t>(p_.max_cell_size)) continue;
    const int half = cells_[c_fighters_][i] / 2;
    cells_[c_fighters_][i] -= half;
    const std::size_t r = spawn_cell(
        cells_[c_faction_][i], static_cast<std::size_t>(cells_[c_cell_][i]), half,
        cells_[c_arms_][i], static_cast<CellState>(cells_[c_state_][i]), cells_[c_sanctuary_][i]);
    cells_[c_morale_][r] = cells_[c_morale_][i];
    cells_[c_exposure_][r] = cells_[c_exposure_][i];
    cells_[c_dest_][r] = cells_[c_dest_][i];
    cells_[c_timer_][r] = cells_[c_timer_][i];
  }
  for (std::size_t i = 0; i < cells_.size(); ++i)
    if (cells_[c_fighters_][i] <= 0) cells_.mark_removed(i);
  cells_removed_ += static_cast<std::int64_t>(cells_.commit_removals());
  if (step >= score_from_)
    for (int g = 0; g < kGroups; ++g)
      cumulative_killed_[static_cast<std::size_t>(g)] += day_.killed[static_cast<std::size_t>(g)];
}

}  // namespace borderland::ttp
