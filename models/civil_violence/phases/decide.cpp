// The decide phase: every citizen turns active or quiet at once, from window
// counts taken at the start of the phase.
#include <algorithm>
#include <cmath>
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
  parallel_chunked(0, static_cast<std::size_t>(ny), rows_per_task(nx), [&](std::size_t y) {
    vector_loops([&]() BORDERLAND_INLINE {
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
  });
}

// out[y * (nx + 2r + 1) + i]: packed prefix sums along row y extended by r
// cells round each end (wrapped): the sum of the cells x = -r .. i - r - 1.
// The cells (x - w .. x + w, y), w <= r, then sum to
// out[x + w + 1 + r] - out[x - w + r]: two reads per row of a window.
template <class Count>
void padded_row_prefixes(const std::uint8_t* kind, int nx, int ny, int r, Count* out_rows) {
  const auto width = static_cast<std::size_t>(nx + 2 * r + 1);
  parallel_chunked(0, static_cast<std::size_t>(ny), rows_per_task(nx), [&](std::size_t y) {
    vector_loops([&]() BORDERLAND_INLINE {
      const std::uint8_t* k = &kind[y * static_cast<std::size_t>(nx)];
      Count* out = &out_rows[y * width];
      const auto& of = Packing<Count>::kOf;
      out[0] = 0;
      for (int i = 0; i < nx + 2 * r; ++i)
        out[i + 1] = static_cast<Count>(out[i] + of[k[wrap(i - r, nx)]]);
    });
  });
}

// The packed value of a cell's byte (kind and move mark), without a table
// lookup, so that loops over cells vectorise: kind 2 (active) gives 1, kind 3
// (cop) gives kCop, kinds 0 and 1 nothing.
template <class Count>
BORDERLAND_INLINE inline Count packed_value(std::uint8_t cell) {
  const auto kind = static_cast<Count>(cell & kKindBits);
  const auto high = static_cast<Count>(kind >> 1);  // 1 for kinds 2 and 3
  return static_cast<Count>((high & ~kind & 1) | ((high & kind & 1) << Packing<Count>::kShift));
}

// out[y * (nx + 2p) + i]: packed cell values of row y extended by p cells
// round each end (wrapped): the cell x = i - p. The row's own cells in one
// loop (vectorised), the p wrapped ones at each end apart.
template <class Count>
void padded_cell_values(const std::uint8_t* kind, int nx, int ny, int p, Count* out_rows) {
  const auto width = static_cast<std::size_t>(nx + 2 * p);
  parallel_chunked(0, static_cast<std::size_t>(ny), rows_per_task(nx), [&](std::size_t y) {
    vector_loops([&]() BORDERLAND_INLINE {
      const std::uint8_t* __restrict k = &kind[y * static_cast<std::size_t>(nx)];
      Count* __restrict out = &out_rows[y * width];
      for (int i = 0; i < p; ++i) out[i] = packed_value<Count>(k[wrap(i - p, nx)]);
      for (int x = 0; x < nx; ++x) out[x + p] = packed_value<Count>(k[x]);
      for (int i = nx + p; i < nx + 2 * p; ++i) out[i] = packed_value<Count>(k[wrap(i - p, nx)]);
    });
  });
}

// The diagonal runs of r + 1 cells that the diamond's edges are made of,
// up-left and up-right from each cell: left(x, y) = sum over t = 0..r of the
// cell (x - t, y - t), right(x, y) of (x + t, y - t), wrapped; rows extended
// by r cells round each end like padded_cell_values (entry x + r). Each row
// follows from the one above in O(1) per cell: left(x, y) = v(x, y) +
// left(x - 1, y - 1) - v(x - 1 - r, y - 1 - r); the first row of each chunk
// of rows is summed directly. `values`: padded_cell_values with p = r + 1.
template <class Count>
void diagonal_runs(const Count* values, int nx, int ny, int r, Count* left, Count* right) {
  const auto vw = static_cast<std::size_t>(nx + 2 * r + 2),
             dw = static_cast<std::size_t>(nx + 2 * r);
  const std::size_t chunks = (static_cast<std::size_t>(ny) + kBandRows - 1) / kBandRows;
  parallel_chunked(0, chunks, 1, [&](std::size_t chunk) {
    vector_loops([&]() BORDERLAND_INLINE {
      const int y0 = static_cast<int>(chunk) * kBandRows, y1 = std::min(ny, y0 + kBandRows);
      for (int y = y0; y < y1; ++y) {
        Count* l = &left[static_cast<std::size_t>(y) * dw + static_cast<std::size_t>(r)];
        Count* rt = &right[static_cast<std::size_t>(y) * dw + static_cast<std::size_t>(r)];
        if (y == y0) {
          // Summed directly, a row of the run's cells at a time: the cells x - t
          // and x + t (|t| <= r) lie in the padded row y - t, so only rows wrap.
          std::fill(l, l + nx, Count{0});
          std::fill(rt, rt + nx, Count{0});
          for (int t = 0; t <= r; ++t) {
            const Count* __restrict row = &values[static_cast<std::size_t>(wrap(y - t, ny)) * vw +
                                                  static_cast<std::size_t>(r + 1)];
            Count* __restrict l_here = l;
            Count* __restrict r_here = rt;
            for (int x = 0; x < nx; ++x) l_here[x] = static_cast<Count>(l_here[x] + row[x - t]);
            for (int x = 0; x < nx; ++x) r_here[x] = static_cast<Count>(r_here[x] + row[x + t]);
          }
        } else {
          // Row y from row y - 1 of the same arrays: distinct rows, so no
          // store here changes a load (__restrict lets the loops vectorise).
          const Count* __restrict l_above = l - dw;
          const Count* __restrict r_above = rt - dw;
          const Count* __restrict here =
              &values[static_cast<std::size_t>(y) * vw + static_cast<std::size_t>(r + 1)];
          const Count* __restrict leaving =
              &values[static_cast<std::size_t>(wrap(y - 1 - r, ny)) * vw +
                      static_cast<std::size_t>(r + 1)];
          Count* __restrict l_here = l;
          Count* __restrict r_here = rt;
          for (int x = 0; x < nx; ++x)
            l_here[x] = static_cast<Count>(here[x] + l_above[x - 1] - leaving[x - 1 - r]);
          for (int x = 0; x < nx; ++x)
            r_here[x] = static_cast<Count>(here[x] + r_above[x + 1] - leaving[x + 1 + r]);
        }
        for (int i = 1; i <= r; ++i) {  // the wrapped ends, for the next row and the diamond
          l[-i] = l[nx - i], l[nx - 1 + i] = l[i - 1];
          rt[-i] = rt[nx - i], rt[nx - 1 + i] = rt[i - 1];
        }
      }
    });
  });
}

}  // namespace

std::uint16_t World::quiet_at(double hardship, double risk_aversion) const {
  // Epstein's rule, active when H(1 - L) - R P(n) > T with P(n) = 1 - exp(-k n)
  // and n = C / (A + 1) made an integer (floor or round), holds for n below
  // some bound and fails from it on: P grows with n (exp_table_ never
  // increases) and R >= 0. The bound is the first n, over those a window can
  // give, where the rule evaluated exactly as written fails, so a citizen
  // decides as if the rule were evaluated for its own n. exp_table_.size()
  // means active whatever the count.
  const double grievance = hardship * (1.0 - legitimacy_);
  auto active = [&](std::size_t n) {
    const double arrest_probability = 1.0 - exp_table_[n];
    return grievance - risk_aversion * arrest_probability > p_.threshold;
  };
  // In exact arithmetic the rule holds while exp(-k n) > 1 - (G - T) / R,
  // i.e. for n < -ln(1 - (G - T) / R) / k: a first guess, then walked to the
  // exact bound (a step or none), so rounding in the guess changes nothing.
  const std::size_t size = exp_table_.size();
  const double level = 1.0 - (grievance - p_.threshold) / risk_aversion;
  std::size_t bound = 0;  // never active (level >= 1, or no guess)
  if (level <= 0.0) {
    bound = size;  // active at any count
  } else if (level < 1.0) {
    const double guess = std::ceil(-std::log(level) / p_.arrest_constant);
    bound = guess >= static_cast<double>(size) ? size : static_cast<std::size_t>(guess);
  }
  while (bound > 0 && !active(bound - 1)) --bound;
  while (bound < size && active(bound)) ++bound;
  return static_cast<std::uint16_t>(bound);
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
BORDERLAND_INLINE inline std::int64_t decide_row(const Count* counts, const std::uint16_t* quiet_at,
                                                 std::uint8_t* cells, int n) {
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
  const bool round = p_.rounding == ArrestRounding::kRound;
  const int nx = grid_.nx();
  auto decide = [&](int y, const auto* counts) BORDERLAND_INLINE {
    const std::size_t base = static_cast<std::size_t>(y) * static_cast<std::size_t>(nx);
    return round ? decide_row<true>(counts, &quiet_at_[base], &kind_[base], nx)
                 : decide_row<false>(counts, &quiet_at_[base], &kind_[base], nx);
  };
  if (window_cells(citizen_half_) <= 255)
    count_windows<std::uint16_t>(decide16_, decide);
  else
    count_windows<std::uint32_t>(decide32_, decide);
  active_count_ = 0;
  for (const std::int64_t a : band_actives_) active_count_ += a;
}

std::vector<World::WindowCount> World::window_counts() {
  // The decide phase's counts, unpacked, instead of its decisions.
  std::vector<WindowCount> out(grid_.cells());
  const auto nx = static_cast<std::size_t>(grid_.nx());
  auto keep = [&](int y, const auto* counts) {
    using Count = std::remove_cv_t<std::remove_pointer_t<decltype(counts)>>;
    for (std::size_t x = 0; x < nx; ++x)
      out[static_cast<std::size_t>(y) * nx + x] = {counts[x] >> Packing<Count>::kShift,
                                                   counts[x] & Packing<Count>::kActives};
    return std::int64_t{0};
  };
  if (window_cells(citizen_half_) <= 255)
    count_windows<std::uint16_t>(decide16_, keep);
  else
    count_windows<std::uint32_t>(decide32_, keep);
  return out;
}

namespace {

// The grid the window counts are taken over (see World::count_windows): the
// torus itself, or a bounded grid as the torus of r more columns and rows, all
// empty. The widths of the scratch's rows follow from it.
struct CountedTorus {
  const std::uint8_t* kind;
  int nx, ny;    // the grid's own: the rows and columns counted for
  int cnx, cny;  // the counted torus
  int r;         // the citizens' vision
  std::size_t width() const { return static_cast<std::size_t>(cnx); }
  std::size_t height() const { return static_cast<std::size_t>(cny); }
  std::size_t prefix_width() const { return width() + 2 * static_cast<std::size_t>(r) + 1; }
  std::size_t value_width() const { return width() + 2 * static_cast<std::size_t>(r) + 2; }
  std::size_t run_width() const { return width() + 2 * static_cast<std::size_t>(r); }
};

// A bounded grid's cells copied into `padded`, cnx = nx + r columns by ny + r
// rows, the rest empty: a window that wraps round it then reads empty cells,
// which is the window clipped at the edges. A torus is counted as it is.
CountedTorus counted_torus(const std::vector<std::uint8_t>& kind, int nx, int ny, int r, bool torus,
                           std::vector<std::uint8_t>& padded) {
  if (torus) return {kind.data(), nx, ny, nx, ny, r};
  const int cnx = nx + r, cny = ny + r;
  const auto width = static_cast<std::size_t>(cnx);
  padded.assign(width * static_cast<std::size_t>(cny), kEmptyCell);
  for (int y = 0; y < ny; ++y)
    std::copy_n(&kind[static_cast<std::size_t>(y) * static_cast<std::size_t>(nx)], nx,
                &padded[static_cast<std::size_t>(y) * width]);
  return {padded.data(), nx, ny, cnx, cny, r};
}

// The whole-grid sums a shape's window counts are built from, before any
// citizen decides: square, the row-window sums (rows); cross, those and the
// cell values (cells); von_neumann, the padded cell values and their
// diagonal runs (cells, left, right); disc, the padded row prefix sums (rows).
template <class Scratch>
void sum_rows(const CountedTorus& t, Neighbourhood shape, Scratch& scratch) {
  if (shape == Neighbourhood::kVonNeumann) {
    scratch.cells.resize(t.height() * t.value_width());
    padded_cell_values(t.kind, t.cnx, t.cny, t.r + 1, scratch.cells.data());
    scratch.left.resize(t.height() * t.run_width());
    scratch.right.resize(t.height() * t.run_width());
    diagonal_runs(scratch.cells.data(), t.cnx, t.cny, t.r, scratch.left.data(),
                  scratch.right.data());
  } else if (shape == Neighbourhood::kDisc) {
    scratch.rows.resize(t.height() * t.prefix_width());
    padded_row_prefixes(t.kind, t.cnx, t.cny, t.r, scratch.rows.data());
  } else {
    scratch.rows.resize(t.width() * t.height());
    window_row_sums(t.kind, t.cnx, t.cny, t.r, scratch.rows.data());
  }
  if (shape == Neighbourhood::kCross) {
    scratch.cells.resize(t.width() * t.height());
    window_row_sums(t.kind, t.cnx, t.cny, 0, scratch.cells.data());
  }
}

// One band of rows' window counts, row by row (World::count_windows), from
// the whole-grid sums (sum_rows) and two rows of its own: `column`, a running
// sum down the columns (square: of row-window sums; cross: of cell values),
// and `window`, the counts of the row (the other shapes). Every stage is
// force-inlined, so the band compiles as one loop nest inside vector_loops.
template <class Count>
struct BandCounts {
  const CountedTorus t;  // a copy: a store of a count never aliases its fields
  const Neighbourhood shape;
  const std::vector<int>& half;  // the citizens' row half widths
  const Count* const rows;       // sum_rows' arrays
  const Count* const cells;
  const Count* const left;
  const Count* const right;
  Count* const column;
  Count* const window;

  // Row y (wrapped) of one of sum_rows' arrays, rows `width` entries apart.
  BORDERLAND_INLINE const Count* row_of(const Count* sums, std::size_t width, int y) const {
    return sums + static_cast<std::size_t>(wrap(y, t.cny)) * width;
  }
  BORDERLAND_INLINE bool running() const {
    return shape == Neighbourhood::kSquare || shape == Neighbourhood::kCross;
  }
  // What the running column sum adds up: row y of the row-window sums
  // (square) or of the cell values (cross).
  BORDERLAND_INLINE const Count* column_input(int y) const {
    return row_of(shape == Neighbourhood::kSquare ? rows : cells, t.width(), y);
  }

  // The column sum over the rows y0 - r .. y0 + r - 1; row y0 + r joins in
  // advance_column.
  BORDERLAND_INLINE void start_column(int y0) {
    std::fill(column, column + t.nx, Count{0});
    for (int dy = -t.r; dy < t.r; ++dy) {
      const Count* add = column_input(y0 + dy);
      for (int x = 0; x < t.nx; ++x) column[x] = static_cast<Count>(column[x] + add[x]);
    }
  }
  // The column sum moved down to centre on row y: row y + r joins, row
  // y - r - 1 leaves (none for the band's first row).
  BORDERLAND_INLINE void advance_column(int y, bool first) {
    const Count* add = column_input(y + t.r);
    if (first) {
      for (int x = 0; x < t.nx; ++x) column[x] = static_cast<Count>(column[x] + add[x]);
      return;
    }
    const Count* drop = column_input(y - t.r - 1);
    for (int x = 0; x < t.nx; ++x) column[x] = static_cast<Count>(column[x] + add[x] - drop[x]);
  }
  // Cross: the row-window sum plus the column sum, less the centre (counted by both).
  BORDERLAND_INLINE void cross_row(int y) {
    const std::size_t base = static_cast<std::size_t>(y) * t.width();
    const Count* row = rows + base;
    const Count* centre = cells + base;
    for (int x = 0; x < t.nx; ++x) window[x] = static_cast<Count>(column[x] + row[x] - centre[x]);
  }
  // Disc: one difference of row prefix sums per row of the window.
  BORDERLAND_INLINE void disc_row(int y) {
    std::fill(window, window + t.nx, Count{0});
    for (int dy = -t.r; dy <= t.r; ++dy) {
      const int w = half[static_cast<std::size_t>(dy + t.r)];
      const Count* prefix = row_of(rows, t.prefix_width(), y + dy);
      const Count* high = prefix + (w + 1 + t.r);
      const Count* low = prefix + (t.r - w);
      for (int x = 0; x < t.nx; ++x) window[x] = static_cast<Count>(window[x] + high[x] - low[x]);
    }
  }
  // Von Neumann, the band's first row: summed cell by cell. Entry x + r + 1
  // of a padded row of cell values is the cell x.
  BORDERLAND_INLINE void diamond_first_row(int y) {
    std::fill(window, window + t.nx, Count{0});
    for (int dy = -t.r; dy <= t.r; ++dy) {
      const Count* row = row_of(cells, t.value_width(), y + dy) + (t.r + 1);
      for (int dx = -(t.r - std::abs(dy)); dx <= t.r - std::abs(dy); ++dx)
        for (int x = 0; x < t.nx; ++x) window[x] = static_cast<Count>(window[x] + row[x + dx]);
    }
  }
  // Von Neumann, the next rows: the window of (x, y - 1) moved down a row. Its
  // lowest cell row y - 1 + r is joined by the V with apex (x, y + r); its top
  // row, the inverted V with apex (x, y - 1 - r), leaves.
  BORDERLAND_INLINE void diamond_next_row(int y) {
    const int r = t.r;
    auto runs = [&](const Count* diagonal, int row)
                    BORDERLAND_INLINE { return row_of(diagonal, t.run_width(), row) + r; };
    const Count* left_below = runs(left, y + r);
    const Count* right_below = runs(right, y + r);
    const Count* apex_below = row_of(cells, t.value_width(), y + r) + (r + 1);
    const Count* left_above = runs(left, y - 1) + r;    // left(x + r, y - 1)
    const Count* right_above = runs(right, y - 1) - r;  // right(x - r, y - 1)
    const Count* apex_above = row_of(cells, t.value_width(), y - 1 - r) + (r + 1);
    for (int x = 0; x < t.nx; ++x)
      window[x] = static_cast<Count>(window[x] + left_below[x] + right_below[x] - apex_below[x] -
                                     right_above[x] - left_above[x] + apex_above[x]);
  }

  // Row y's packed counts, y0 the band's first row; rows in order.
  BORDERLAND_INLINE const Count* row_counts(int y, int y0) {
    if (running()) advance_column(y, y == y0);
    switch (shape) {
      case Neighbourhood::kSquare:
        return column;
      case Neighbourhood::kCross:
        cross_row(y);
        break;
      case Neighbourhood::kDisc:
        disc_row(y);
        break;
      case Neighbourhood::kVonNeumann:
        if (y == y0)
          diamond_first_row(y);
        else
          diamond_next_row(y);
        break;
    }
    return window;
  }
};

}  // namespace

template <class Count, class Row>
void World::count_windows(DecideScratch<Count>& scratch, const Row& row_done) {
  // One pass over the cells in memory order, in bands of rows; row_done(y,
  // counts) gets row y's packed counts (the centre included) and decides its
  // citizens on the spot. Counts come from sums taken before anyone in this
  // phase decides (sum_rows), so every citizen sees the activity at the start
  // of the phase. The packed counts of a cell's window, O(1) per cell:
  //   square  a running column sum (over 2r + 1 rows) of row-window sums;
  //   cross   the row-window sum plus a running column sum of cell values,
  //           less the centre (counted by both);
  //   von_neumann  the window of the row above, plus the V-shaped edge
  //           it gains below and less the inverted V it loses above: two
  //           diagonal runs each (diagonal_runs), O(1); the band's first row
  //           is summed cell by cell;
  //   disc    one difference of row prefix sums per row of the window
  //           (2r + 1 per cell: O(r), vectorised across the row).
  // The sums wrap round a torus; a bounded grid is counted as a larger torus
  // (counted_torus).
  const CountedTorus t =
      counted_torus(kind_, grid_.nx(), grid_.ny(), p_.citizen_vision, torus_, bounded_kinds_);
  const Neighbourhood shape = p_.neighbourhood;
  sum_rows(t, shape, scratch);
  const std::size_t bands = band_actives_.size();
  scratch.band.resize(2 * bands * t.width());
  parallel_chunked(0, bands, 1, [&](std::size_t b) {
    vector_loops([&]() BORDERLAND_INLINE {
      Count* column = &scratch.band[2 * b * t.width()];
      BandCounts<Count> counts{t,
                               shape,
                               citizen_half_,
                               scratch.rows.data(),
                               scratch.cells.data(),
                               scratch.left.data(),
                               scratch.right.data(),
                               column,
                               column + t.width()};
      const int y0 = static_cast<int>(b) * kBandRows, y1 = std::min(t.ny, y0 + kBandRows);
      if (counts.running()) counts.start_column(y0);
      std::int64_t actives = 0;
      for (int y = y0; y < y1; ++y) actives += row_done(y, counts.row_counts(y, y0));
      band_actives_[b] = actives;
    });
  });
}

}  // namespace borderland::civil_violence
