// The decide phase: every citizen turns active or quiet at once, from window
// counts taken at the start of the phase.
#include <algorithm>

#include "models/civil_violence/cells.hpp"
#include "models/civil_violence/world.hpp"
#include "sim/parallel.hpp"

namespace borderland::civil_violence {

void World::window_row_sums(int r) {
  // row_sums_[y * nx + x]: packed counts over the cells (x - r .. x + r, y),
  // wrapped; a running sum along the row, O(1) per cell.
  const int nx = grid_.nx();
  sim::parallel_for(0, static_cast<std::size_t>(grid_.ny()), 16, [&](std::size_t y) {
    const std::uint8_t* k = &kind_[y * static_cast<std::size_t>(nx)];
    std::uint32_t* out = &row_sums_[y * static_cast<std::size_t>(nx)];
    std::uint32_t sum = 0;
    for (int d = -r; d <= r; ++d) sum += kPacked[k[wrap(d, nx)]];
    out[0] = sum;
    for (int x = 1; x < nx; ++x) {
      sum += kPacked[k[wrap(x + r, nx)]] - kPacked[k[wrap(x - r - 1, nx)]];
      out[x] = sum;
    }
  });
}

std::uint32_t World::cross_counts(int x, int y, int r) const {
  // Packed counts over the 4r cells north, south, east and west of (x, y),
  // read from row_sums_ built with r = 0 (one packed value per cell).
  auto at = [&](int cx, int cy) { return row_sums_[wrapped_cell(cx, cy)]; };
  std::uint32_t sum = 0;
  for (int d = 1; d <= r; ++d) sum += at(x, y + d) + at(x, y - d) + at(x + d, y) + at(x - d, y);
  return sum;
}

void World::phase_decide() {
  // One pass over the cells in memory order, in bands of rows. Each band keeps
  // a running column sum of the row sums, so the packed counts of a cell's
  // square window cost two adds per cell; the citizen in the cell decides on
  // the spot. Counts come from row_sums_, taken before anyone in this phase
  // decides, so every citizen sees the activity at the start of the phase.
  auto state = citizens_[state_];
  const double one_minus_l = 1.0 - legitimacy_;
  const int nx = grid_.nx(), ny = grid_.ny(), r = p_.citizen_vision;
  const auto unx = static_cast<std::size_t>(nx);
  const bool square = p_.neighbourhood == Neighbourhood::kSquare;
  // Square: packed row-window sums. Cross: r = 0, the packed value of each
  // cell, so that the counts never see a decision taken earlier in this pass.
  window_row_sums(square ? r : 0);
  const std::size_t bands = band_actives_.size();
  sim::parallel_for(0, bands, 1, [&](std::size_t b) {
    const int y0 = static_cast<int>(b) * kBandRows, y1 = std::min(ny, y0 + kBandRows);
    std::uint32_t* column = &column_sums_[b * unx];
    auto row_sums = [&](int y) { return &row_sums_[static_cast<std::size_t>(wrap(y, ny)) * unx]; };
    if (square) {
      std::fill(column, column + nx, 0u);
      for (int dy = -r; dy <= r; ++dy) {
        const std::uint32_t* add = row_sums(y0 + dy);
        for (int x = 0; x < nx; ++x) column[x] += add[x];
      }
    }
    std::int64_t actives = 0;
    for (int y = y0; y < y1; ++y) {
      if (square && y > y0) {
        const std::uint32_t* add = row_sums(y + r);
        const std::uint32_t* drop = row_sums(y - r - 1);
        for (int x = 0; x < nx; ++x) column[x] += add[x] - drop[x];
      }
      const std::size_t base = static_cast<std::size_t>(y) * unx;
      for (int x = 0; x < nx; ++x) {
        const std::uint8_t cell_byte = kind_[base + static_cast<std::size_t>(x)];
        const CellKind kind = kind_of(cell_byte);
        if (kind != kQuietCell && kind != kActiveCell) continue;
        const std::uint32_t counts = square ? column[x] : cross_counts(x, y, r);
        const std::uint32_t cops = counts >> 16;
        // Actives in vision, the citizen itself excluded (the +1 below counts
        // it); the square window includes the centre, the cross does not.
        const std::uint32_t self = square && kind == kActiveCell ? 1u : 0u;
        const std::uint32_t others = (counts & 0xFFFFu) - self;
        const std::uint32_t ratio = cops / (others + 1);
        const double arrest_probability = 1.0 - exp_table_[ratio];
        const auto i = static_cast<std::size_t>(occupant_[base + static_cast<std::size_t>(x)]);
        const Traits& traits = cell_traits_[base + static_cast<std::size_t>(x)];
        const double grievance = traits.hardship * one_minus_l;
        const bool active = grievance - traits.risk_aversion * arrest_probability > p_.threshold;
        state[i] = active ? kActive : kQuiet;
        kind_[base + static_cast<std::size_t>(x)] = static_cast<std::uint8_t>(
            (active ? kActiveCell : kQuietCell) | (cell_byte & kMovedBit));
        actives += active ? 1 : 0;
      }
    }
    band_actives_[b] = actives;
  });
  active_count_ = 0;
  for (const std::int64_t a : band_actives_) active_count_ += a;
}

}  // namespace borderland::civil_violence
