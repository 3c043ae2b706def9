// The arrest phase: banded sequential sweeps of the cops.
#include <algorithm>
#include <array>
#include <bit>
#include <type_traits>

#include "models/civil_violence/cells.hpp"
#include "models/civil_violence/streams.hpp"
#include "models/civil_violence/world.hpp"
#include "sim/parallel.hpp"
#include "sim/philox_batch.hpp"
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

std::uint32_t World::active_row_bits(int x, int y, int r) const {
  // Bit i: the cell (x - r + i, y) holds an active citizen (see row_fits_sixteen).
  return active_cells16(&kind_[grid_.index(x - r, y)]) & ((std::uint32_t{1} << (2 * r + 1)) - 1);
}

std::uint32_t World::actives_in_square(int x, int y, int r, std::uint16_t* per_row) const {
  // Actives in the square (x - r .. x + r) x (y - r .. y + r), wrapped; per_row
  // gets the count of each of its 2r + 1 rows. A row of at most 16 cells
  // (vision <= 7) is one run of cells, or two where it wraps round the side
  // edges (the second from column 0), each read sixteen cells at once; wider
  // rows are read eight cells at a time, the last word masked.
  const int nx = grid_.nx(), ny = grid_.ny();
  const int width = 2 * r + 1;
  std::uint32_t total = 0;
  if (width <= 16) {
    const int start = wrap(x - r, nx);
    const int first_run = std::min(width, nx - start);  // the rest wraps to column 0
    const std::uint32_t first_columns = (std::uint32_t{1} << first_run) - 1;
    const std::uint32_t wrapped_columns = (std::uint32_t{1} << (width - first_run)) - 1;
    const std::uint8_t* const cells = kind_.data();
    const std::size_t last = grid_.cells(), step = static_cast<std::size_t>(nx);
    auto count_rows = [&](auto wraps) {
      std::size_t row_start = grid_.index(0, wrap(y - r, ny));
      for (int row = 0; row < width; ++row) {
        auto n = static_cast<std::uint32_t>(
            std::popcount(active_cells16(cells + row_start + start) & first_columns));
        if constexpr (decltype(wraps)::value)
          n += static_cast<std::uint32_t>(
              std::popcount(active_cells16(cells + row_start) & wrapped_columns));
        per_row[row] = static_cast<std::uint16_t>(n);
        total += n;
        row_start += step;
        row_start = row_start == last ? 0 : row_start;  // the torus closes
      }
    };
    if (wrapped_columns == 0)  // the common case: one read a row, nothing else
      count_rows(std::false_type{});
    else
      count_rows(std::true_type{});
    return total;
  }
  const std::uint64_t last_word = first_bytes(width - 8 * ((width - 1) / 8));
  const bool interior = x - r >= 0 && x + r < nx;
  for (int row = 0; row < width; ++row) {
    const std::uint8_t* cells =
        &kind_[static_cast<std::size_t>(wrap(y - r + row, ny)) * static_cast<std::size_t>(nx)];
    std::uint32_t n = 0;
    if (interior) {
      const std::uint8_t* first = cells + (x - r);
      int k = 0;
      for (; k + 8 < width; k += 8)
        n += static_cast<std::uint32_t>(std::popcount(active_cells(load_cells(first + k))));
      n += static_cast<std::uint32_t>(
          std::popcount(active_cells(load_cells(first + k)) & last_word));
    } else {
      for (int dx = -r; dx <= r; ++dx)
        n += kind_of(cells[wrap(x + dx, nx)]) == kActiveCell ? 1u : 0u;
    }
    per_row[row] = static_cast<std::uint16_t>(n);
    total += n;
  }
  return total;
}

void World::phase_arrest(std::int64_t step) {
  // Like the move: within a band the cops act one at a time in scan order, each
  // seeing the arrests made before it (so no citizen is claimed twice); bands of
  // one colour are too far apart to share a citizen and run in parallel.
  for (const auto& bands : bands_)
    sim::parallel_for(0, bands.size(), 1, [&](std::size_t b) { arrest_in_band(bands[b], step); });
  // The arrested join the release queue in band order, north to south (fixed
  // by the grid alone), as the event table lists them (see record).
  const std::size_t slots = release_queue_.size();
  const std::size_t today = static_cast<std::size_t>(step) % slots;
  arrests_today_ = 0;
  for (const auto& arrests : band_arrests_) {
    for (const Arrest& a : arrests) {
      std::size_t slot = today + static_cast<std::size_t>(a.jail_term);  // jail_term < slots
      slot -= slot >= slots ? slots : 0;
      release_queue_[slot].push_back({a.citizen, a.x, a.y, a.quiet_at});
    }
    arrests_today_ += static_cast<std::int64_t>(arrests.size());
  }
  arrests_total_ += arrests_today_;
  active_count_ -= arrests_today_;  // cops arrest actives only
  jailed_count_ += arrests_today_;
}

void World::arrest_in_band(const Band& band, std::int64_t step) {
  // First the band's cops, eight cells at a time, rows in the day's random
  // order (see order_rows); a cop moves only on its own turn, so the list
  // stays right while they act.
  const int nx = grid_.nx();
  std::vector<RowVisit>& rows = band_rows_[band.order];
  order_rows(band, Stream::kArrestOrder, step, rows);
  std::vector<CopAt>& cops = band_cops_[band.order];
  cops.clear();
  for (const RowVisit& visit : rows) {
    const std::size_t row = grid_.index(0, visit.y);
    const std::size_t first = cops.size();
    for (int x0 = 0; x0 < nx; x0 += 8) {
      std::uint64_t cops_here =
          cop_cells(load_cells(&kind_[row + static_cast<std::size_t>(x0)])) & first_bytes(nx - x0);
      for (; cops_here != 0; cops_here &= cops_here - 1) {
        const int x = x0 + std::countr_zero(cops_here) / 8;
        cops.push_back({row + static_cast<std::size_t>(x), x, visit.y});
      }
    }
    if (visit.backward) std::reverse(cops.begin() + static_cast<std::ptrdiff_t>(first), cops.end());
  }
  // Each cop's first random block, all at once (vectorised); a cop with no
  // active in vision leaves its block unused.
  thread_local sim::BlockBatch choices, terms;
  choices.clear();
  for (const CopAt& cop : cops) choices.add(static_cast<std::uint32_t>(cop.cell));
  choices.compute(seed_, static_cast<sim::StreamId>(Stream::kArrestChoice),
                  static_cast<std::uint64_t>(step));
  std::vector<Seizure>& seizures = band_seizures_[band.order];
  seizures.clear();
  for (std::size_t k = 0; k < cops.size(); ++k)
    arrest_near(cops[k], step, choices.block(k), seizures);
  // The sentences, keyed by the cell of the arrest (at most one a day: the
  // cop then holds it), also at once.
  terms.clear();
  for (const Seizure& seized : seizures)
    terms.add(static_cast<std::uint32_t>(grid_.index(seized.x, seized.y)));
  terms.compute(seed_, static_cast<sim::StreamId>(Stream::kJailTerm),
                static_cast<std::uint64_t>(step));
  // Then who took whom, from the occupancy raster, which the sweep leaves
  // alone: no arrest here reads a cell another one writes (a cop's old cell is
  // empty, its new one a cop's, so neither is a later arrest's), so the
  // scattered loads of one arrest need not wait for the last one's.
  std::vector<Arrest>& arrests = band_arrests_[band.order];
  arrests.clear();
  const auto sentences = static_cast<std::uint32_t>(p_.max_jail_term + 1);  // 0 .. Jmax days
  for (std::size_t k = 0; k < seizures.size(); ++k) {
    const Seizure& seized = seizures[k];
    const std::size_t found = grid_.index(seized.x, seized.y);
    sim::RandomDraws term(seed_, Stream::kJailTerm, static_cast<std::uint64_t>(step), found,
                          terms.block(k));
    const auto days = static_cast<std::int32_t>(term.below(sentences));
    const std::int32_t cop_code = occupant_[seized.cop_cell];
    arrests.push_back(
        {-2 - cop_code, occupant_[found], seized.x, seized.y, days, quiet_at_[found]});
    occupant_[seized.cop_cell] = -1;
    occupant_[found] = cop_code;
  }
}

void World::arrest_near(const CopAt& cop, std::int64_t step,
                        const std::array<std::uint32_t, 4>& first_block,
                        std::vector<Seizure>& seizures) {
  // The cop counts the actives in its vision (a direct scan of the cell
  // raster: cops are few), picks the k-th in a fixed scan order (row-major
  // over the square; d = 1..v, north, south, east, west on the cross), jails
  // it and takes its cell.
  const int x = cop.x, y = cop.y;
  const int v = p_.cop_vision;
  const bool cross = p_.neighbourhood == Neighbourhood::kCross;
  // Square: count row by row, keeping each row's count, so that finding the
  // k-th active below scans one row only. The centre holds the cop itself.
  std::array<std::uint16_t, 255> per_row;  // 2 * vision + 1 <= 255 rows
  const std::uint32_t actives =
      cross ? actives_in_cross(x, y, v) : actives_in_square(x, y, v, per_row.data());
  if (actives == 0) return;
  sim::RandomDraws draws(seed_, Stream::kArrestChoice, static_cast<std::uint64_t>(step), cop.cell,
                         first_block);
  std::uint32_t skip = draws.below(actives);
  int found_x = -1, found_y = -1;  // none yet
  auto visit = [&](int cx, int cy) {
    cx = wrap(cx, grid_.nx()), cy = wrap(cy, grid_.ny());
    if (kind_of(kind_[grid_.index(cx, cy)]) == kActiveCell && skip-- == 0)
      found_x = cx, found_y = cy;
    return found_x >= 0;
  };
  if (cross) {
    for (int d = 1; d <= v; ++d)
      if (visit(x, y + d) || visit(x, y - d) || visit(x + d, y) || visit(x - d, y)) break;
  } else {
    // The k-th in row-major order over the window: skip whole rows, then
    // walk the row holding it in memory order.
    int row = 0;
    while (skip >= per_row[static_cast<std::size_t>(row)])
      skip -= per_row[static_cast<std::size_t>(row++)];
    if (row_fits_sixteen(x, v)) {  // one read finds it, the row not wrapping
      const int found_row = wrap(y - v + row, grid_.ny());
      std::uint32_t actives_here = active_row_bits(x, found_row, v);
      for (; skip > 0; --skip) actives_here &= actives_here - 1;  // drop the lowest
      found_x = x - v + std::countr_zero(actives_here);
      found_y = found_row;
    } else {
      for (int dx = -v; dx <= v; ++dx)
        if (visit(x + dx, y - v + row)) break;
    }
  }
  if (found_x < 0) return;  // cannot happen: the count said there is one

  const std::size_t found = grid_.index(found_x, found_y);
  // The cop takes the citizen's cell: in the cell raster now, for the cops
  // after it; in the occupancy raster once the band's sweep is done.
  const std::uint8_t cop_mark = kind_[cop.cell] & kMovedBit;
  kind_[cop.cell] = kEmptyCell;
  kind_[found] = static_cast<std::uint8_t>(kCopCell | cop_mark);
  seizures.push_back({cop.cell, found_x, found_y});
}

}  // namespace borderland::civil_violence
