// The arrest phase: banded sequential sweeps of the cops.
#include <algorithm>
#include <array>
#include <bit>

#include "models/civil_violence/cells.hpp"
#include "models/civil_violence/streams.hpp"
#include "models/civil_violence/world.hpp"
#include "sim/parallel.hpp"
#include "sim/rng.hpp"

namespace borderland::civil_violence {

std::uint32_t World::actives_in_cross(int x, int y, int r) const {
  std::uint32_t n = 0;
  auto active = [&](int cx, int cy) {
    return kind_of(kind_[wrapped_cell(cx, cy)]) == kActiveCell ? 1u : 0u;
  };
  for (int d = 1; d <= r; ++d)
    n += active(x, y + d) + active(x, y - d) + active(x + d, y) + active(x - d, y);
  return n;
}

std::uint32_t World::actives_in_row(int x, int y, int r) const {
  // Actives in the cells (x - r .. x + r, y), wrapped.
  std::uint32_t n = 0;
  const int nx = grid_.nx();
  const std::uint8_t* row = &kind_[wrapped_cell(0, y)];
  if (x - r >= 0 && x + r < nx) {  // eight cells at a time
    for (int first = x - r; first <= x + r; first += 8)
      n += static_cast<std::uint32_t>(
          std::popcount(active_cells(load_cells(row + first)) & first_bytes(x + r + 1 - first)));
  } else {
    for (int dx = -r; dx <= r; ++dx) n += kind_of(row[wrap(x + dx, nx)]) == kActiveCell ? 1u : 0u;
  }
  return n;
}

void World::phase_arrest(std::int64_t step) {
  // Like the move: within a band the cops act one at a time in scan order, each
  // seeing the arrests made before it (so no citizen is claimed twice); bands of
  // one colour are too far apart to share a citizen and run in parallel.
  for (const auto& bands : bands_)
    sim::parallel_for(0, bands.size(), 1, [&](std::size_t b) { arrest_in_band(bands[b], step); });
  // The event table in band order, north to south: fixed by the grid alone.
  arrests_.clear();
  for (const auto& events : band_arrests_)
    arrests_.insert(arrests_.end(), events.begin(), events.end());
  const auto release_day = citizens_[release_day_];
  for (const auto& rows : band_jailed_)
    for (const std::int32_t i : rows) queue_release(i, release_day[static_cast<std::size_t>(i)]);
  arrests_total_ += static_cast<std::int64_t>(arrests_.size());
  active_count_ -= static_cast<std::int64_t>(arrests_.size());  // cops arrest actives only
  jailed_count_ += static_cast<std::int64_t>(arrests_.size());
}

void World::arrest_in_band(const Band& band, std::int64_t step) {
  // First the band's cops, eight cells at a time, rows in the day's random
  // order (see order_rows); a cop moves only on its own turn, so the list
  // stays right while they act.
  const int nx = grid_.nx();
  std::vector<RowVisit>& rows = band_rows_[band.order];
  order_rows(band, Stream::kArrestOrder, step, rows);
  std::vector<std::size_t>& cops = band_cops_[band.order];
  cops.clear();
  for (const RowVisit& visit : rows) {
    const std::size_t row = grid_.index(0, visit.y);
    const std::size_t first = cops.size();
    for (int x0 = 0; x0 < nx; x0 += 8) {
      std::uint64_t cops_here =
          cop_cells(load_cells(&kind_[row + static_cast<std::size_t>(x0)])) & first_bytes(nx - x0);
      for (; cops_here != 0; cops_here &= cops_here - 1)
        cops.push_back(row + static_cast<std::size_t>(x0 + std::countr_zero(cops_here) / 8));
    }
    if (visit.backward) std::reverse(cops.begin() + static_cast<std::ptrdiff_t>(first), cops.end());
  }
  std::vector<sim::EventRow>& events = band_arrests_[band.order];
  std::vector<std::int32_t>& jailed_rows = band_jailed_[band.order];
  events.clear();
  jailed_rows.clear();
  for (const std::size_t cell : cops) arrest_near(cell, step, events, jailed_rows);
}

void World::arrest_near(std::size_t cop_cell, std::int64_t step, std::vector<sim::EventRow>& events,
                        std::vector<std::int32_t>& jailed_rows) {
  // The cop counts the actives in its vision (a direct scan of the cell
  // raster: cops are few), picks the k-th in a fixed scan order (row-major
  // over the square; d = 1..v, north, south, east, west on the cross), jails
  // it and takes its cell.
  const int x = grid_.x_of(cop_cell), y = grid_.y_of(cop_cell);
  const auto j = static_cast<std::size_t>(-2 - occupant_[cop_cell]);
  const int v = p_.cop_vision;
  const bool cross = p_.neighbourhood == Neighbourhood::kCross;
  // Square: count row by row, keeping each row's count, so that finding the
  // k-th active below scans one row only. The centre holds the cop itself.
  std::array<std::uint16_t, 255> per_row;  // 2 * vision + 1 <= 255 rows
  std::uint32_t actives = 0;
  if (cross) {
    actives = actives_in_cross(x, y, v);
  } else {
    for (int row = 0; row <= 2 * v; ++row) {
      per_row[static_cast<std::size_t>(row)] =
          static_cast<std::uint16_t>(actives_in_row(x, y - v + row, v));
      actives += per_row[static_cast<std::size_t>(row)];
    }
  }
  if (actives == 0) return;
  const auto cop_id = cops_.ids()[j];
  sim::RandomDraws draws(seed_, Stream::kArrestChoice, static_cast<std::uint64_t>(step), cop_id);
  std::uint32_t skip = draws.below(actives);
  std::size_t found = grid_.cells();  // none
  if (cross) {
    auto visit = [&](int dx, int dy) {
      const std::size_t cell = wrapped_cell(x + dx, y + dy);
      if (kind_of(kind_[cell]) == kActiveCell && skip-- == 0) found = cell;
      return found < grid_.cells();
    };
    for (int d = 1; d <= v; ++d)
      if (visit(0, d) || visit(0, -d) || visit(d, 0) || visit(-d, 0)) break;
  } else {
    // The k-th in row-major order over the window: skip whole rows, then
    // walk the row holding it in memory order.
    std::size_t row = 0;
    while (skip >= per_row[row]) skip -= per_row[row++];
    const std::size_t row_start = wrapped_cell(0, y - v + static_cast<int>(row));
    for (int dx = -v; dx <= v; ++dx) {
      const std::size_t cell = row_start + static_cast<std::size_t>(wrap(x + dx, grid_.nx()));
      if (kind_of(kind_[cell]) == kActiveCell && skip-- == 0) {
        found = cell;
        break;
      }
    }
  }
  if (found == grid_.cells()) return;  // cannot happen: the count said there is one

  const auto i = static_cast<std::size_t>(occupant_[found]);
  const auto citizen_id = citizens_.ids()[i];
  sim::RandomDraws term(seed_, Stream::kJailTerm, static_cast<std::uint64_t>(step), citizen_id);
  const auto days =
      static_cast<std::int32_t>(term.below(static_cast<std::uint32_t>(p_.max_jail_term + 1)));
  citizens_[jailed_][i] = 1;
  // Due for release on day step + days; queued once the bands are done.
  citizens_[release_day_][i] = static_cast<std::int32_t>(step + days);
  jailed_rows.push_back(static_cast<std::int32_t>(i));
  // The cop takes the citizen's cell; the citizen keeps where it was taken.
  const std::uint8_t cop_mark = kind_[cop_cell] & kMovedBit;
  kind_[cop_cell] = kEmptyCell;
  occupant_[cop_cell] = -1;
  occupant_[found] = -2 - static_cast<std::int32_t>(j);
  kind_[found] = static_cast<std::uint8_t>(kCopCell | cop_mark);
  const int ax = grid_.x_of(found), ay = grid_.y_of(found);
  citizens_[arrest_x_][i] = ax;
  citizens_[arrest_y_][i] = ay;
  events.push_back({static_cast<std::int64_t>(cop_id), static_cast<std::int64_t>(citizen_id),
                    std::int64_t{ax}, std::int64_t{ay}, std::int64_t{days}});
}

}  // namespace borderland::civil_violence
