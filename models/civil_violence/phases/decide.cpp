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
    // Wrapping only at the two ends of the row.
    const int first_inside = std::min(nx, r + 1), last_inside = std::max(first_inside, nx - r);
    auto slide = [&](int x, int enter, int leave) {
      sum += kPacked[k[enter]] - kPacked[k[leave]];
      out[x] = sum;
    };
    for (int x = 1; x < first_inside; ++x) slide(x, wrap(x + r, nx), wrap(x - r - 1, nx));
    for (int x = first_inside; x < last_inside; ++x) slide(x, x + r, x - r - 1);
    for (int x = last_inside; x < nx; ++x) slide(x, wrap(x + r, nx), wrap(x - r - 1, nx));
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

std::uint16_t World::quiet_at(double hardship, double risk_aversion) const {
  // Epstein's rule, active when H(1 - L) - R P(n) > T with P(n) = 1 - exp(-k n)
  // and n = floor(C / (A + 1)), holds for n below some bound and fails from it
  // on: P grows with n (exp_table_ never increases) and R >= 0. The bound is
  // found by bisection over the n a window can give, evaluating the rule
  // exactly as written, so a citizen decides as if the rule were evaluated
  // for its own n. exp_table_.size() means active whatever the count.
  const double grievance = hardship * (1.0 - legitimacy_);
  auto active = [&](std::size_t n) {
    const double arrest_probability = 1.0 - exp_table_[n];
    return grievance - risk_aversion * arrest_probability > p_.threshold;
  };
  std::size_t low = 0, high = exp_table_.size();  // the bound lies in [low, high]
  while (low < high) {
    const std::size_t mid = low + (high - low) / 2;
    if (active(mid))
      low = mid + 1;
    else
      high = mid;
  }
  return static_cast<std::uint16_t>(low);
}

void World::refresh_quiet_at() {
  if (legitimacy_ == quiet_at_legitimacy_) return;
  const auto hardship = citizens_[hardship_], risk = citizens_[risk_aversion_];
  sim::parallel_for(0, grid_.cells(), kGrain, [&](std::size_t c) {
    const std::int32_t who = occupant_[c];
    quiet_at_[c] = who >= 0 ? quiet_at(hardship[static_cast<std::size_t>(who)],
                                       risk[static_cast<std::size_t>(who)])
                            : std::uint16_t{0};
  });
  for (auto& due : release_queue_)  // the jailed too: they come back with theirs
    sim::parallel_for(0, due.size(), kGrain, [&](std::size_t k) {
      const auto i = static_cast<std::size_t>(due[k].citizen);
      due[k].quiet_at = quiet_at(hardship[i], risk[i]);
    });
  quiet_at_legitimacy_ = legitimacy_;
}

namespace {

// Decides the citizens of one row from the packed counts of their windows;
// returns how many are active. `centre` is 1 when a window counts its own
// centre cell (the square), 0 when not (the cross). Every cell is computed and
// only citizens' bytes change, without a branch (the kinds are random over the
// grid, a branch per cell would be mispredicted about one time in three), so
// that the compiler can vectorise the loop.
std::int64_t decide_row(const std::uint32_t* counts, const std::uint16_t* quiet_at,
                        std::uint8_t* cells, int n, std::uint32_t centre) {
  std::uint32_t actives = 0;  // at most one row
  for (int x = 0; x < n; ++x) {
    const std::uint32_t cell_byte = cells[x];
    const std::uint32_t kind = cell_byte & kKindBits;
    const std::uint32_t citizen = (kind == kQuietCell) | (kind == kActiveCell);
    const std::uint32_t cops = counts[x] >> 16;
    // Actives in vision, the citizen itself excluded (the +1 below counts it).
    const std::uint32_t others = (counts[x] & 0xFFFFu) - centre * (kind == kActiveCell);
    // floor(cops / (others + 1)) < quiet_at, without a division. Both factors
    // are at most 255 * 255 + 1, so the product fits 32 bits.
    const std::uint32_t active = citizen & (cops < std::uint32_t{quiet_at[x]} * (others + 1));
    const std::uint32_t decided = (citizen ? kQuietCell + active : kind) | (cell_byte & ~kKindBits);
    cells[x] = static_cast<std::uint8_t>(decided);
    actives += active;
  }
  return actives;
}

}  // namespace

void World::phase_decide() {
  // One pass over the cells in memory order, in bands of rows. Each band keeps
  // a running column sum of the row sums, so the packed counts of a cell's
  // square window cost two adds per cell; the citizen in the cell decides on
  // the spot. Counts come from row_sums_, taken before anyone in this phase
  // decides, so every citizen sees the activity at the start of the phase.
  refresh_quiet_at();
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
    std::vector<std::uint32_t> cross_sums(square ? 0 : unx);
    for (int y = y0; y < y1; ++y) {
      if (square && y > y0) {
        const std::uint32_t* add = row_sums(y + r);
        const std::uint32_t* drop = row_sums(y - r - 1);
        for (int x = 0; x < nx; ++x) column[x] += add[x] - drop[x];
      }
      const std::size_t base = static_cast<std::size_t>(y) * unx;
      if (square) {
        actives += decide_row(column, &quiet_at_[base], &kind_[base], nx, 1u);
      } else {
        for (int x = 0; x < nx; ++x)
          cross_sums[static_cast<std::size_t>(x)] = cross_counts(x, y, r);
        actives += decide_row(cross_sums.data(), &quiet_at_[base], &kind_[base], nx, 0u);
      }
    }
    band_actives_[b] = actives;
  });
  active_count_ = 0;
  for (const std::int64_t a : band_actives_) active_count_ += a;
}

}  // namespace borderland::civil_violence
