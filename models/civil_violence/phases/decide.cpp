// The decide phase: every citizen turns active or quiet at once, from window
// counts taken at the start of the phase.
#include <algorithm>
#include <type_traits>

#include "models/civil_violence/cells.hpp"
#include "models/civil_violence/neighbourhood.hpp"
#include "models/civil_violence/world.hpp"
#include "sim/parallel.hpp"

namespace borderland::civil_violence {

namespace {

// Window counts are packed in one word, cops in the high half and actives in
// the low half, so that one sum counts both: 16-bit halves of a 32-bit word
// for any window (at most 255 x 255 cells, vision <= 127), or 8-bit halves of
// a 16-bit word for windows of at most 255 cells (vision <= 7 for the square),
// which halves the memory the counts take and doubles the cells a vector
// instruction handles. Each half's true count fits, so modular (unsigned) adds
// and subtracts of packed words are exact, prefix sums included.
template <class Count>
struct Packing {
  static constexpr int kShift = 4 * static_cast<int>(sizeof(Count));
  static constexpr Count kCop = static_cast<Count>(Count{1} << kShift);
  static constexpr Count kActives = static_cast<Count>(kCop - 1);  // mask of the low half
  // Indexed by the cell's byte (kind and move mark).
  static constexpr Count kOf[8] = {0, 0, 1, kCop, 0, 0, 1, kCop};
};

// out[y * nx + x]: packed counts over the cells (x - r .. x + r, y), wrapped;
// a running sum along the row, O(1) per cell. r = 0: each cell's own value.
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

// out[y * (nx + 2r + 1) + i]: packed prefix sums along row y extended by r
// cells round each end (wrapped): the sum of the cells x = -r .. i - r - 1.
// The cells (x - w .. x + w, y), w <= r, then sum to
// out[x + w + 1 + r] - out[x - w + r]: two reads per row of a window.
template <class Count>
void padded_row_prefixes(const std::uint8_t* kind, int nx, int ny, int r, Count* out_rows) {
  const auto width = static_cast<std::size_t>(nx + 2 * r + 1);
  sim::parallel_for(0, static_cast<std::size_t>(ny), 16, [&](std::size_t y) {
    const std::uint8_t* k = &kind[y * static_cast<std::size_t>(nx)];
    Count* out = &out_rows[y * width];
    const auto& of = Packing<Count>::kOf;
    out[0] = 0;
    for (int i = 0; i < nx + 2 * r; ++i)
      out[i + 1] = static_cast<Count>(out[i] + of[k[wrap(i - r, nx)]]);
  });
}

}  // namespace

std::uint16_t World::quiet_at(double hardship, double risk_aversion) const {
  // Epstein's rule, active when H(1 - L) - R P(n) > T with P(n) = 1 - exp(-k n)
  // and n = C / (A + 1) made an integer (floor or round), holds for n below
  // some bound and fails from it on: P grows with n (exp_table_ never
  // increases) and R >= 0. The bound is found by bisection over the n a window
  // can give, evaluating the rule exactly as written, so a citizen decides as
  // if the rule were evaluated for its own n. exp_table_.size() means active
  // whatever the count.
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

// Decides the citizens of one row from the packed counts of their windows
// (the centre included); returns how many are active. Every cell is computed
// and only citizens' bytes change, without a branch (the kinds are random over
// the grid, a branch per cell would be mispredicted about one time in three),
// so that the compiler can vectorise the loop.
template <bool kRound, class Count>
std::int64_t decide_row(const Count* counts, const std::uint16_t* quiet_at, std::uint8_t* cells,
                        int n) {
  using P = Packing<Count>;
  std::uint32_t actives = 0;  // at most one row
  for (int x = 0; x < n; ++x) {
    const std::uint8_t cell_byte = cells[x];
    const auto kind = static_cast<Count>(cell_byte & kKindBits);
    const auto citizen = static_cast<Count>((kind == kQuietCell) | (kind == kActiveCell));
    const auto cops = static_cast<Count>(counts[x] >> P::kShift);
    // Actives in vision, the citizen itself excluded (the +1 below counts it).
    const auto others = static_cast<Count>((counts[x] & P::kActives) - (kind == kActiveCell));
    Count active = 0;
    if constexpr (!kRound) {
      // floor(cops / (others + 1)) < quiet_at, without a division. quiet_at is
      // at most the window's cells + 1 and others + 1 at most its cells, so the
      // product fits a Count (256 * 255 < 2^16 for the 16-bit packing).
      const auto limit = static_cast<Count>(Count{quiet_at[x]} * static_cast<Count>(others + 1));
      active = static_cast<Count>(citizen & (cops < limit));
    } else {
      // round(cops / d) < q, ties to even, d = others + 1: cops / d lies below
      // q - 1/2, or on it with q - 1 even (then it rounds down to q - 1).
      // 32 bits hold (2q - 1) d for windows of at most 255 cells, 64 beyond.
      using Wide = std::conditional_t<sizeof(Count) == 2, std::int32_t, std::int64_t>;
      const auto d = static_cast<Wide>(others + 1);
      const auto q = static_cast<Wide>(quiet_at[x]);
      const Wide twice = 2 * static_cast<Wide>(cops), bound = (2 * q - 1) * d;
      active = static_cast<Count>(citizen & ((twice < bound) | ((twice == bound) & (q & 1))));
    }
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
  if (window_cells(citizen_half_) <= 255)
    decide_all<std::uint16_t>(decide16_);
  else
    decide_all<std::uint32_t>(decide32_);
}

template <class Count>
void World::decide_all(DecideScratch<Count>& scratch) {
  // One pass over the cells in memory order, in bands of rows; the citizen in
  // a cell decides on the spot. Counts come from sums taken before anyone in
  // this phase decides, so every citizen sees the activity at the start of
  // the phase. The packed counts of a cell's window, O(1) per cell:
  //   square  a running column sum (over 2r + 1 rows) of row-window sums;
  //   cross   the row-window sum plus a running column sum of cell values,
  //           less the centre (counted by both);
  //   von_neumann, disc  one difference of row prefix sums per row of the
  //           window (2r + 1 per cell: O(r), vectorised across the row).
  const int nx = grid_.nx(), ny = grid_.ny(), r = p_.citizen_vision;
  const auto unx = static_cast<std::size_t>(nx);
  const Neighbourhood shape = p_.neighbourhood;
  const bool square = shape == Neighbourhood::kSquare, cross = shape == Neighbourhood::kCross;
  const bool spans = !square && !cross;
  const std::size_t bands = band_actives_.size();
  scratch.band.resize(2 * bands * unx);
  const std::size_t padded = unx + 2 * static_cast<std::size_t>(r) + 1;
  if (spans) {
    scratch.rows.resize(static_cast<std::size_t>(ny) * padded);
    padded_row_prefixes(kind_.data(), nx, ny, r, scratch.rows.data());
  } else {
    scratch.rows.resize(grid_.cells());
    window_row_sums(kind_.data(), nx, ny, r, scratch.rows.data());
  }
  if (cross) {
    scratch.cells.resize(grid_.cells());
    window_row_sums(kind_.data(), nx, ny, 0, scratch.cells.data());
  }
  const bool round = p_.rounding == ArrestRounding::kRound;
  sim::parallel_for(0, bands, 1, [&](std::size_t b) {
    const int y0 = static_cast<int>(b) * kBandRows, y1 = std::min(ny, y0 + kBandRows);
    Count* column = &scratch.band[2 * b * unx];
    Count* window = column + unx;
    // Square: row-window sums; cross: cell values. Row y wrapped.
    const std::vector<Count>& summed = square ? scratch.rows : scratch.cells;
    auto column_input = [&](int y) { return &summed[static_cast<std::size_t>(wrap(y, ny)) * unx]; };
    if (!spans) {
      std::fill(column, column + nx, Count{0});
      for (int dy = -r; dy < r; ++dy) {  // row y0 + r joins in the loop below
        const Count* add = column_input(y0 + dy);
        for (int x = 0; x < nx; ++x) column[x] = static_cast<Count>(column[x] + add[x]);
      }
    }
    std::int64_t actives = 0;
    for (int y = y0; y < y1; ++y) {
      const std::size_t base = static_cast<std::size_t>(y) * unx;
      const Count* counts = column;
      if (!spans) {
        const Count* add = column_input(y + r);
        if (y == y0) {
          for (int x = 0; x < nx; ++x) column[x] = static_cast<Count>(column[x] + add[x]);
        } else {
          const Count* drop = column_input(y - r - 1);
          for (int x = 0; x < nx; ++x) column[x] = static_cast<Count>(column[x] + add[x] - drop[x]);
        }
      }
      if (cross) {
        const Count* row = &scratch.rows[base];
        const Count* centre = &scratch.cells[base];
        for (int x = 0; x < nx; ++x) window[x] = static_cast<Count>(column[x] + row[x] - centre[x]);
        counts = window;
      }
      if (spans) {
        std::fill(window, window + nx, Count{0});
        for (int dy = -r; dy <= r; ++dy) {
          const int w = citizen_half_[static_cast<std::size_t>(dy + r)];
          const Count* prefix = &scratch.rows[static_cast<std::size_t>(wrap(y + dy, ny)) * padded];
          const Count* high = prefix + (w + 1 + r);
          const Count* low = prefix + (r - w);
          for (int x = 0; x < nx; ++x) window[x] = static_cast<Count>(window[x] + high[x] - low[x]);
        }
        counts = window;
      }
      actives += round ? decide_row<true>(counts, &quiet_at_[base], &kind_[base], nx)
                       : decide_row<false>(counts, &quiet_at_[base], &kind_[base], nx);
    }
    band_actives_[b] = actives;
  });
  active_count_ = 0;
  for (const std::int64_t a : band_actives_) active_count_ += a;
}

}  // namespace borderland::civil_violence
