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
    if (cells_[cells_.fighters][i] <= static_cast<std::int32_t>(p_.max_cell_size)) continue;
    const int half = cells_[cells_.fighters][i] / 2;
    cells_[cells_.fighters][i] -= half;
    const std::size_t r =
        spawn_cell(cells_[cells_.faction][i], static_cast<std::size_t>(cells_[cells_.cell][i]),
                   half, cells_[cells_.arms][i], static_cast<CellState>(cells_[cells_.state][i]),
                   cells_[cells_.sanctuary][i]);
    cells_[cells_.morale][r] = cells_[cells_.morale][i];
    cells_[cells_.exposure][r] = cells_[cells_.exposure][i];
    cells_[cells_.dest][r] = cells_[cells_.dest][i];
    cells_[cells_.timer][r] = cells_[cells_.timer][i];
  }
  for (std::size_t i = 0; i < cells_.size(); ++i)
    if (cells_[cells_.fighters][i] <= 0) cells_.mark_removed(i);
  counts_.cells_removed += static_cast<std::int64_t>(cells_.commit_removals());
  if (step >= score_from_)
    for (int g = 0; g < kGroups; ++g)
      counts_.cumulative_killed[static_cast<std::size_t>(g)] +=
          day_.killed[static_cast<std::size_t>(g)];
}

}  // namespace borderland::ttp
