// The arrest phase: banded sequential sweeps of the cops.
#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <type_traits>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "models/civil_violence/cells.hpp"
#include "models/civil_violence/streams.hpp"
#include "models/civil_violence/world.hpp"
#include "sim/parallel.hpp"
#include "sim/philox_batch.hpp"
#include "sim/rng.hpp"

namespace borderland::civil_violence {

namespace {

#if defined(__x86_64__) && defined(__GNUC__)
// arrest_near_inside's window on the AVX2 path: two rows a 32-byte read
// (rows k and k + 1, k even, land in one word as lanes k % 4 and k % 4 + 1),
// the last row alone; the same bits as the 16-cell reads a row.
// Rows: an int, or for the default vision 7 the constant 15 (fully unrolled).
template <class Rows>
__attribute__((target("avx2"))) std::array<std::uint64_t, 4> read_window_avx2(
    const std::uint8_t* column, const std::size_t* row_start, const std::uint16_t* masks,
    Rows rows) {
  const __m256i kinds = _mm256_set1_epi8(static_cast<char>(kKindBits));
  const __m256i active = _mm256_set1_epi8(static_cast<char>(kActiveCell));
  std::array<std::uint64_t, 4> bits{};
  int k = 0;
  for (; k + 1 < rows; k += 2) {
    const __m256i cells = _mm256_inserti128_si256(
        _mm256_castsi128_si256(
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(column + row_start[k]))),
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(column + row_start[k + 1])), 1);
    std::uint32_t pair_masks = 0;  // masks[k] low, masks[k + 1] high
    std::memcpy(&pair_masks, masks + k, sizeof pair_masks);
    const auto pair = static_cast<std::uint32_t>(_mm256_movemask_epi8(
                          _mm256_cmpeq_epi8(_mm256_and_si256(cells, kinds), active))) &
                      pair_masks;
    bits[static_cast<std::size_t>(k / 4)] |= std::uint64_t{pair} << (16 * (k % 4));
  }
  if (k < rows)
    bits[static_cast<std::size_t>(k / 4)] |=
        std::uint64_t{static_cast<std::uint16_t>(active_cells16(column + row_start[k]) & masks[k])}
        << (16 * (k % 4));
  return bits;
}

// The columns of the cops in a row of nx cells at `cells`, in order, to
// cop_at(x), 32 cells a compare; returns the first column left unread (the
// last nx % 32, for the caller's eight-cell reads).
template <class CopAt>
__attribute__((target("avx2"))) int list_cops_avx2(const std::uint8_t* cells, int nx,
                                                   const CopAt& cop_at) {
  const __m256i kinds = _mm256_set1_epi8(static_cast<char>(kKindBits));
  const __m256i cop = _mm256_set1_epi8(static_cast<char>(kCopCell));
  int x0 = 0;
  for (; x0 + 32 <= nx; x0 += 32) {
    const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(cells + x0));
    auto cops = static_cast<std::uint32_t>(
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(c, kinds), cop)));
    for (; cops != 0; cops &= cops - 1) cop_at(x0 + std::countr_zero(cops));
  }
  return x0;
}
#endif

}  // namespace

std::uint32_t World::active_row_bits(int x, int y, int w) const {
  // Bit i: the cell (x - w + i, y) holds an active citizen (see row_fits_sixteen).
  return active_cells16(&kind_[grid_.index(x - w, y)]) & ((std::uint32_t{1} << (2 * w + 1)) - 1);
}

std::uint32_t World::actives_in_window(int x, int y, const std::vector<int>& half,
                                       std::uint16_t* per_row) const {
  // Actives in the window around (x, y), wrapped on a torus, clipped on a
  // bounded grid; per_row gets the count of each of its 2r + 1 rows. A row of
  // at most 16 cells (half width <= 7) is read sixteen cells at once; wider
  // rows are read eight cells at a time, the last word masked.
  const int nx = grid_.nx(), ny = grid_.ny();
  const int r = static_cast<int>(half.size() / 2);
  const std::uint8_t* const cells = kind_.data();
  std::uint32_t total = 0;
  if (window_inside(x, y, r) && r <= 7) {
    // Away from the edges, rows of at most 16 cells (vision <= 7): one read
    // a row, nothing wrapped or clipped (most cops on a large grid).
    const std::uint8_t* row = cells + grid_.index(x, y - r);
    for (int k = 0; k < 2 * r + 1; ++k, row += nx) {
      const int w = half[static_cast<std::size_t>(k)];
      const auto n = static_cast<std::uint32_t>(
          std::popcount(active_cells16(row - w) & ((std::uint32_t{1} << (2 * w + 1)) - 1)));
      per_row[k] = static_cast<std::uint16_t>(n);
      total += n;
    }
    return total;
  }
  std::size_t row_start = grid_.index(0, wrap(y - r, ny));
  const std::size_t last = grid_.cells(), step = static_cast<std::size_t>(nx);
  for (int row = 0; row < 2 * r + 1; ++row, row_start += step) {
    row_start = row_start == last ? 0 : row_start;  // the torus closes
    const int w = half[static_cast<std::size_t>(row)];
    const int width = 2 * w + 1;
    const int cy = y - r + row;
    std::uint32_t n = 0;
    if (!torus_ && (cy < 0 || cy >= ny)) {
      per_row[row] = 0;  // off a bounded grid
      continue;
    }
    if (width <= 16) {
      // One run of cells, or on a torus two where the row wraps round the
      // side edges (the second from column 0); clipped on a bounded grid.
      int start = 0, first_run = 0, wrapped = 0;
      if (torus_) {
        start = wrap(x - w, nx);
        first_run = std::min(width, nx - start);
        wrapped = width - first_run;
      } else {
        start = std::max(0, x - w);
        first_run = std::min(nx - 1, x + w) - start + 1;
      }
      n = static_cast<std::uint32_t>(std::popcount(active_cells16(cells + row_start + start) &
                                                   ((std::uint32_t{1} << first_run) - 1)));
      if (wrapped > 0)
        n += static_cast<std::uint32_t>(
            std::popcount(active_cells16(cells + row_start) & ((std::uint32_t{1} << wrapped) - 1)));
    } else if (x - w >= 0 && x + w < nx) {
      const std::uint8_t* first = cells + row_start + (x - w);
      int k = 0;
      for (; k + 8 < width; k += 8)
        n += static_cast<std::uint32_t>(std::popcount(active_cells(load_cells(first + k))));
      n += static_cast<std::uint32_t>(std::popcount(active_cells(load_cells(first + k)) &
                                                    first_bytes(width - 8 * ((width - 1) / 8))));
    } else {
      for (int dx = -w; dx <= w; ++dx) {
        const int cx = torus_ ? wrap(x + dx, nx) : x + dx;
        if (cx < 0 || cx >= nx) continue;  // off a bounded grid
        n += kind_of(cells[row_start + static_cast<std::size_t>(cx)]) == kActiveCell ? 1u : 0u;
      }
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
    parallel_chunked(0, bands.size(), 1, [&](std::size_t b) { arrest_in_band(bands[b], step); });
  queue_arrests(step);
  active_count_ -= arrests_today_;  // cops arrest actives only
}

void World::queue_arrests(std::int64_t step) {
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
    auto cop_at = [&](int x) { cops.push_back({row + static_cast<std::size_t>(x), x, visit.y}); };
    int x0 = 0;
#if defined(__x86_64__) && defined(__GNUC__)
    if (avx2_loops()) x0 = list_cops_avx2(&kind_[row], nx, cop_at);
#endif
    for (; x0 < nx; x0 += 8) {
      std::uint64_t cops_here =
          cop_cells(load_cells(&kind_[row + static_cast<std::size_t>(x0)])) & first_bytes(nx - x0);
      for (; cops_here != 0; cops_here &= cops_here - 1)
        cop_at(x0 + std::countr_zero(cops_here) / 8);
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
  // Most cops (vision <= 7, clear of the side edges) go straight to
  // arrest_near_inside: arrest_near's set-up would cost more than the test.
  const int v = p_.cop_vision;
  const auto clear_width = static_cast<unsigned>(nx - 2 * v);
  const bool rows_clear = v <= 7 && torus_;  // rows wrap round a torus; else tested per cop
  for (std::size_t k = 0; k < cops.size(); ++k) {
    const CopAt& cop = cops[k];
    if (rows_clear && static_cast<unsigned>(cop.x - v) < clear_width)
      arrest_near_inside(cop, step, choices.block(k), seizures);
    else
      arrest_near(cop, step, choices.block(k), seizures);
  }
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
  const std::uint32_t days_choice = sentences();
  for (std::size_t k = 0; k < seizures.size(); ++k) {
    const Seizure& seized = seizures[k];
    const std::size_t found = grid_.index(seized.x, seized.y);
    sim::RandomDraws term(seed_, Stream::kJailTerm, static_cast<std::uint64_t>(step), found,
                          terms.block(k));
    const auto days = static_cast<std::int32_t>(term.below(days_choice));
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
  // raster: cops are few) row by row, keeping each row's count, picks the k-th
  // in row-major order over its window, jails it and takes its cell. The
  // centre holds the cop itself.
  const int x = cop.x, y = cop.y;
  const int v = p_.cop_vision;
  // Columns clear of the side edges, and rows clear of the top and bottom or
  // wrapping round them (a torus).
  if (v <= 7 && x >= v && x < grid_.nx() - v && (torus_ || window_inside(x, y, v)))
    return arrest_near_inside(cop, step, first_block, seizures);
  std::array<std::uint16_t, 255> per_row;  // 2 * vision + 1 <= 255 rows
  const std::uint32_t actives = actives_in_window(x, y, cop_half_, per_row.data());
  if (actives == 0) return;
  sim::RandomDraws draws(seed_, Stream::kArrestChoice, static_cast<std::uint64_t>(step), cop.cell,
                         first_block);
  std::uint32_t skip = draws.below(actives);
  // Skip whole rows, then walk the row holding it in memory order.
  int row = 0;
  while (skip >= per_row[static_cast<std::size_t>(row)])
    skip -= per_row[static_cast<std::size_t>(row++)];
  const int w = cop_half_[static_cast<std::size_t>(row)];
  const int found_y = torus_ ? wrap(y - v + row, grid_.ny()) : y - v + row;  // a row with actives
  int found_x = -1;                                                          // none yet
  if (row_fits_sixteen(x, w)) {  // one read finds it, the row not wrapping
    std::uint32_t actives_here = active_row_bits(x, found_y, w);
    for (; skip > 0; --skip) actives_here &= actives_here - 1;  // drop the lowest
    found_x = x - w + std::countr_zero(actives_here);
  } else {
    for (int dx = -w; dx <= w && found_x < 0; ++dx) {
      const int cx = torus_ ? wrap(x + dx, grid_.nx()) : x + dx;
      if (cx < 0 || cx >= grid_.nx()) continue;  // off a bounded grid
      if (kind_of(kind_[grid_.index(cx, found_y)]) == kActiveCell && skip-- == 0) found_x = cx;
    }
  }
  if (found_x < 0) return;  // cannot happen: the count said there is one
  seize(cop, found_x, found_y, seizures);
}

void World::seize(const CopAt& cop, int found_x, int found_y, std::vector<Seizure>& seizures) {
  const std::size_t found = grid_.index(found_x, found_y);
  const std::uint8_t cop_mark = kind_[cop.cell] & kMovedBit;
  kind_[cop.cell] = kEmptyCell;
  kind_[found] = static_cast<std::uint8_t>(kCopCell | cop_mark);
  seizures.push_back({cop.cell, found_x, found_y});
}

void World::arrest_near_inside(const CopAt& cop, std::int64_t step,
                               const std::array<std::uint32_t, 4>& first_block,
                               std::vector<Seizure>& seizures) {
  // The same pick as arrest_near: the skip-th active in row-major order over
  // the window. Row k of the window (at most 15 rows of at most 15 cells) is
  // bits 16 (k % 4) .. of window[k / 4], bit i the column x - v + i: one
  // 16-cell read a row, masked to the row's span (cop_row_masks_), and the
  // count is four popcounts. A read runs at most 14 cells past the row's end
  // (kind_'s padding covers the last row), its bits there masked off.
  const int v = p_.cop_vision, rows = 2 * v + 1;
  // Row k starts at wrapped_rows_ (rows wrapped round a torus; on a bounded
  // grid the window's rows all lie inside).
  const std::size_t* row_start = &wrapped_rows_[static_cast<std::size_t>(cop.y - v + wrap_reach_)];
  const std::uint8_t* column = &kind_[static_cast<std::size_t>(cop.x - v)];
  const std::uint16_t* masks = cop_row_masks_.data();
  // Four rows a word, kept in a register; `count` rows (a constant for the
  // default vision 7: then no test a row).
  auto read_window = [&](auto count) {
    std::array<std::uint64_t, 4> bits{};
    for (int word = 0; word < 4; ++word) {
      std::uint64_t in = 0;
#pragma GCC unroll 4
      for (int lane = 0; lane < 4; ++lane) {
        const int k = 4 * word + lane;
        if (k >= count) break;
        in |= std::uint64_t{static_cast<std::uint16_t>(active_cells16(column + row_start[k]) &
                                                       masks[k])}
              << (16 * lane);
      }
      bits[static_cast<std::size_t>(word)] = in;
    }
    return bits;
  };
#if defined(__x86_64__) && defined(__GNUC__)
  const std::array<std::uint64_t, 4> window =
      avx2_loops()
          ? (rows == 15
                 ? read_window_avx2(column, row_start, masks, std::integral_constant<int, 15>{})
                 : read_window_avx2(column, row_start, masks, rows))
      : rows == 15 ? read_window(std::integral_constant<int, 15>{})
                   : read_window(rows);
#else
  const std::array<std::uint64_t, 4> window =
      rows == 15 ? read_window(std::integral_constant<int, 15>{}) : read_window(rows);
#endif
  const int in_word[4] = {std::popcount(window[0]), std::popcount(window[1]),
                          std::popcount(window[2]), std::popcount(window[3])};
  const auto actives =
      static_cast<std::uint32_t>(in_word[0] + in_word[1] + in_word[2] + in_word[3]);
  if (actives == 0) return;
  sim::RandomDraws draws(seed_, Stream::kArrestChoice, static_cast<std::uint64_t>(step), cop.cell,
                         first_block);
  std::uint32_t skip = draws.below(actives);
  std::size_t word = 0;  // skip whole words, then whole rows, then the actives before it
  while (skip >= static_cast<std::uint32_t>(in_word[word]))
    skip -= static_cast<std::uint32_t>(in_word[word++]);
  int k = 4 * static_cast<int>(word);
  std::uint64_t rest = window[word];
  for (;; ++k, rest >>= 16) {
    const auto here = static_cast<std::uint32_t>(std::popcount(rest & 0xFFFFu));
    if (skip < here) break;
    skip -= here;
  }
  auto actives_here = static_cast<std::uint32_t>(rest & 0xFFFFu);
  for (; skip > 0; --skip) actives_here &= actives_here - 1;  // drop the lowest
  seize(cop, cop.x - v + std::countr_zero(actives_here), wrap(cop.y - v + k, grid_.ny()), seizures);
}

}  // namespace borderland::civil_violence
