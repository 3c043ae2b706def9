// The decide phase: every citizen turns active or quiet at once, from window
// counts taken at the start of the phase.
#include <algorithm>

#include "models/civil_violence/cells.hpp"
#include "models/civil_violence/world.hpp"
#include "sim/parallel.hpp"

namespace borderland::civil_violence {

namespace {

// Window counts are packed in one word, cops in the high half and actives in
// the low half, so that one sum counts both: 16-bit halves of a 32-bit word
// for any window (at most 255 x 255 cells, vision <= 127), or 8-bit halves of
// a 16-bit word for squares of at most 255 cells (vision <= 7, the classic
// setting), which halves the memory the counts take and doubles the cells a
// vector instruction handles. Each half's true count fits, so modular
// (unsigned) adds and subtracts of packed words are exact.
template <class Count>
struct Packing {
  static constexpr int kShift = 4 * static_cast<int>(sizeof(Count));
  static constexpr Count kCop = static_cast<Count>(Count{1} << kShift);
  static constexpr Count kActives = static_cast<Count>(kCop - 1);  // mask of the low half
  // Indexed by the cell's byte (kind and move mark).
  static constexpr Count kOf[8] = {0, 0, 1, kCop, 0, 0, 1, kCop};
};

// out[y * nx + x]: packed counts over the cells (x - r .. x + r, y), wrapped;
// a running sum along the row, O(1) per cell.
template <class Count>
void window_row_sums(const std::uint8_t* kind, int nx, int ny, int r, Count* out_rows) {
  sim::parallel_for(0, static_cast<std::size_t>(ny), 16, [&](std::size_t y) {
    const std::uint8_t* k = &kind[y * static_cast<std::size_t>(nx)];
    Count* out = &out_rows[y * static_cast<std::size_t>(nx)];
    const auto& of = Packing<Count>::kOf;
    Count sum = 0;
    for (int d = -r; d <= r; ++d) sum = static_cast<Count>(sum + of[k[wrap(d, nx)]]);
    out[0] = sum;
    // Wrapping only at the two ends of the row.
    const int first_inside = std::min(nx, r + 1), last_inside = std::max(first_inside, nx - r);
    auto slide = [&](int x, int enter, int leave) {
      sum = static_cast<Count>(sum + of[k[enter]] - of[k[leave]]);
      out[x] = sum;
    };
    for (int x = 1; x < first_inside; ++x) slide(x, wrap(x + r, nx), wrap(x - r - 1, nx));
    for (int x = first_inside; x < last_inside; ++x) slide(x, x + r, x - r - 1);
    for (int x = last_inside; x < nx; ++x) slide(x, wrap(x + r, nx), wrap(x - r - 1, nx));
  });
}

}  // namespace

template <class Count>
std::uint32_t World::cross_counts(const std::vector<Count>& cell_values, int x, int y,
                                  int r) const {
  // Packed counts over the 4r cells north, south, east and west of (x, y),
  // read from row sums built with r = 0 (one packed value per cell).
  auto at = [&](int cx, int cy) { return std::uint32_t{cell_values[wrapped_cell(cx, cy)]}; };
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
template <class Count>
std::int64_t decide_row(const Count* counts, const std::uint16_t* quiet_at, std::uint8_t* cells,
                        int n, Count centre) {
  using P = Packing<Count>;
  std::uint32_t actives = 0;  // at most one row
  for (int x = 0; x < n; ++x) {
    const std::uint8_t cell_byte = cells[x];
    const auto kind = static_cast<Count>(cell_byte & kKindBits);
    const auto citizen = static_cast<Count>((kind == kQuietCell) | (kind == kActiveCell));
    const auto cops = static_cast<Count>(counts[x] >> P::kShift);
    // Actives in vision, the citizen itself excluded (the +1 below counts it).
    const auto others =
        static_cast<Count>((counts[x] & P::kActives) - centre * (kind == kActiveCell));
    // floor(cops / (others + 1)) < quiet_at, without a division. quiet_at is
    // at most the window's cells + 1 and others + 1 at most its cells, so the
    // product fits a Count (226 * 225 < 2^16 for the 16-bit packing).
    const auto limit = static_cast<Count>(Count{quiet_at[x]} * static_cast<Count>(others + 1));
    const auto active = static_cast<Count>(citizen & (cops < limit));
    const auto decided = static_cast<std::uint8_t>((citizen ? kQuietCell + active : kind) |
                                                   (cell_byte & ~kKindBits));
    cells[x] = decided;
    actives += active;
  }
  return actives;
}

}  // namespace

void World::phase_decide() {
  refresh_quiet_at();
  const int r = p_.citizen_vision;
  if (p_.neighbourhood == Neighbourhood::kSquare && (2 * r + 1) * (2 * r + 1) <= 255)
    decide_all<std::uint16_t>(row_sums16_, column_sums16_);
  else
    decide_all<std::uint32_t>(row_sums_, column_sums_);
}

template <class Count>
void World::decide_all(std::vector<Count>& row_sums_all, std::vector<Count>& column_sums) {
  // One pass over the cells in memory order, in bands of rows. Each band keeps
  // a running column sum of the row sums, so the packed counts of a cell's
  // square window cost two adds per cell; the citizen in the cell decides on
  // the spot. Counts come from the row sums, taken before anyone in this phase
  // decides, so every citizen sees the activity at the start of the phase.
  const int nx = grid_.nx(), ny = grid_.ny(), r = p_.citizen_vision;
  const auto unx = static_cast<std::size_t>(nx);
  const bool square = p_.neighbourhood == Neighbourhood::kSquare;
  row_sums_all.resize(grid_.cells());
  column_sums.resize(band_actives_.size() * unx);
  // Square: packed row-window sums. Cross: r = 0, the packed value of each
  // cell, so that the counts never see a decision taken earlier in this pass.
  window_row_sums(kind_.data(), nx, ny, square ? r : 0, row_sums_all.data());
  const std::size_t bands = band_actives_.size();
  sim::parallel_for(0, bands, 1, [&](std::size_t b) {
    const int y0 = static_cast<int>(b) * kBandRows, y1 = std::min(ny, y0 + kBandRows);
    Count* column = &column_sums[b * unx];
    auto row_sums = [&](int y) {
      return &row_sums_all[static_cast<std::size_t>(wrap(y, ny)) * unx];
    };
    if (square) {
      std::fill(column, column + nx, Count{0});
      for (int dy = -r; dy <= r; ++dy) {
        const Count* add = row_sums(y0 + dy);
        for (int x = 0; x < nx; ++x) column[x] = static_cast<Count>(column[x] + add[x]);
      }
    }
    std::int64_t actives = 0;
    std::vector<Count> cross_sums(square ? 0 : unx);
    for (int y = y0; y < y1; ++y) {
      if (square && y > y0) {
        const Count* add = row_sums(y + r);
        const Count* drop = row_sums(y - r - 1);
        for (int x = 0; x < nx; ++x) column[x] = static_cast<Count>(column[x] + add[x] - drop[x]);
      }
      const std::size_t base = static_cast<std::size_t>(y) * unx;
      if (square) {
        actives += decide_row(column, &quiet_at_[base], &kind_[base], nx, Count{1});
      } else {
        for (int x = 0; x < nx; ++x)
          cross_sums[static_cast<std::size_t>(x)] =
              static_cast<Count>(cross_counts(row_sums_all, x, y, r));
        actives += decide_row(cross_sums.data(), &quiet_at_[base], &kind_[base], nx, Count{0});
      }
    }
    band_actives_[b] = actives;
  });
  active_count_ = 0;
  for (const std::int64_t a : band_actives_) active_count_ += a;
}

}  // namespace borderland::civil_violence
