// The move phase: banded sequential sweeps (see the model's README).
#include <algorithm>
#include <array>
#include <bit>
#include <span>
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

inline constexpr std::size_t kNoCell = ~std::size_t{0};

// The rasters a move writes.
struct Rasters {
  std::uint8_t* kind;
  std::int32_t* occupant;
  std::uint16_t* quiet_at;
};

// Moves the agent in `from` to the empty cell `to`, marked as moved.
inline void relocate(const Rasters& r, std::size_t from, std::size_t to, std::uint8_t mark) {
  r.kind[to] = static_cast<std::uint8_t>((r.kind[from] & kKindBits) | mark);
  r.occupant[to] = r.occupant[from];
  r.quiet_at[to] = r.quiet_at[from];
  r.kind[from] = kEmptyCell;
  r.occupant[from] = -1;
}

// Where the probe drawn as `chunk` lands, for an agent away from the edges
// of the torus: one add.
struct InteriorProbe {
  const std::int32_t* padded_offset;
  std::size_t centre;
  std::size_t operator()(std::uint32_t chunk) const {
    return centre + static_cast<std::size_t>(padded_offset[chunk]);
  }
};

// ... and for an agent in a column of a torus (World::MoveWindow::column_offsets):
// the offsets of the agent's class of column, with their wrap round the side
// edges; WrappedRowProbe adds the wrap round the top and bottom for a row near them.
struct TableProbe {
  const std::ptrdiff_t* offset;
  std::size_t centre;
  std::size_t operator()(std::uint32_t chunk) const {
    return centre + static_cast<std::size_t>(offset[chunk]);
  }
};
struct WrappedRowProbe {
  const std::ptrdiff_t* offset;
  const std::ptrdiff_t* row_wrap;
  std::size_t centre;
  std::size_t operator()(std::uint32_t chunk) const {
    return centre + static_cast<std::size_t>(offset[chunk] + row_wrap[chunk]);
  }
};

// ... and for an agent near the edges of a torus: the offsets wrapped round
// by two table look-ups (World::wrapped_rows_ and wrapped_columns_, entries
// for the agent's row and column), no compare.
struct TorusEdgeProbe {
  const std::int32_t* padded_dx;
  const std::int32_t* padded_dy;
  const std::size_t* row_start;  // of the row y + dy, at dy
  const std::int32_t* column;    // the column x + dx, at dx
  std::size_t operator()(std::uint32_t chunk) const {
    return row_start[padded_dy[chunk]] + static_cast<std::size_t>(column[padded_dx[chunk]]);
  }
};

// ... and near the edges of a bounded grid, branch-free: off the grid, the
// cell past the raster's end (never empty: kOffGridCell), so such a probe
// finds no room.
struct BoundedEdgeProbe {
  const std::int32_t* padded_dx;
  const std::int32_t* padded_dy;
  int x, y, nx, ny;
  std::size_t operator()(std::uint32_t chunk) const {
    const int cx = x + padded_dx[chunk], cy = y + padded_dy[chunk];
    const auto unx = static_cast<std::size_t>(nx);
    const bool off = static_cast<unsigned>(cx) >= static_cast<unsigned>(nx) ||
                     static_cast<unsigned>(cy) >= static_cast<unsigned>(ny);
    return off ? unx * static_cast<std::size_t>(ny)
               : static_cast<std::size_t>(cy) * unx + static_cast<std::size_t>(cx);
  }
};

// One batch of an agent's probes, for a window whose batches each come from
// one 64-bit draw (window.fast): the first probe, in order, that hits an empty
// cell in the window, or kNoCell. It picks what reference_empty_cell would (same
// draw, same order). The batch is tried in two halves of kProbeHalf probes,
// each without a branch per probe: with about one cell in four empty, the
// first half finds a cell for about two agents in three, who then skip the
// second.
inline constexpr int kProbeHalf = kProbeBatch / 2;
template <class Probe, class Bits, class Slots>
inline std::size_t first_empty_probe(const std::uint8_t* cells, const Probe& probe,
                                     std::uint64_t random, Bits bits, Slots slots) {
  const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
  auto chunk = [&](int k) { return static_cast<std::uint32_t>((random >> (bits * k)) & mask); };
  auto half = [&](int first) {
    std::uint32_t hits = 0;  // bit k: probe first + k found an empty cell in the window
#pragma GCC unroll 4
    for (int k = first + kProbeHalf - 1; k >= first; --k)
      hits = hits + hits +
             (static_cast<std::uint32_t>(chunk(k) < slots) &
              static_cast<std::uint32_t>(cells[probe(chunk(k))] == kEmptyCell));
    return hits;
  };
  // The cell of the first hit is worked out again rather than kept for every probe.
  if (const std::uint32_t hits = half(0); hits != 0) return probe(chunk(std::countr_zero(hits)));
  if (const std::uint32_t hits = half(kProbeHalf); hits != 0)
    return probe(chunk(kProbeHalf + std::countr_zero(hits)));
  return kNoCell;
}

// A batch's eight byte chunks read where they lie: chunk k is byte k of the
// 64-bit draw (high << 32) | low, i.e. byte k of `low` for k < 4 and byte
// k - 4 of `high` after (little-endian). Reading them from memory saves a
// shift and a mask a probe. The two halves of a batch are then `low` and `high`.
struct ChunkBytes {
  const std::uint8_t* low;
  const std::uint8_t* high;
};

// The same for a window that cuts its draws into bytes and tests every chunk
// (see sweep_band), in halves as above: a half's four cells' bytes are
// gathered into one word, where an empty cell is a zero byte.
template <class Probe>
inline std::size_t first_empty_probe(const std::uint8_t* cells, const Probe& probe,
                                     const ChunkBytes& chunk) {
  auto first_hit = [&](const std::uint8_t* chunks) {
    std::uint32_t probed = 0;  // byte k: the cell probe k hits
#pragma GCC unroll 4
    for (int k = 0; k < kProbeHalf; ++k)
      probed |= std::uint32_t{cells[probe(chunks[k])]} << (8 * k);
    const std::uint32_t low7 = 0x7F7F7F7Fu;
    const std::uint32_t empty = ~(((probed & low7) + low7) | probed) & 0x80808080u;
    return empty != 0 ? probe(chunks[std::countr_zero(empty) / 8]) : kNoCell;
  };
  const std::size_t to = first_hit(chunk.low);
  return to != kNoCell ? to : first_hit(chunk.high);
}

// Windows of 129..256 slots (the square of vision 6 and 7, the disc of 7)
// cut their draws into bytes: then with constant shifts, and, when every
// chunk counts (slots == 256), without a window test; the same for 7 bits.
template <class Probe>
inline std::size_t first_empty_probe(const std::uint8_t* cells, const Probe& probe,
                                     std::uint64_t random, int bits, std::uint32_t slots) {
  using Bytes = std::integral_constant<int, 8>;
  if (bits == 8 && slots == 256)
    return first_empty_probe(cells, probe, random, Bytes{},
                             std::integral_constant<std::uint32_t, 256>{});
  if (bits == 8) return first_empty_probe(cells, probe, random, Bytes{}, slots);
  // 65..128 slots: the von Neumann diamond of vision 7, the default, tested
  // every chunk (the padding past the window never hits).
  if (bits == 7 && slots == 128)
    return first_empty_probe(cells, probe, random, std::integral_constant<int, 7>{},
                             std::integral_constant<std::uint32_t, 128>{});
  return first_empty_probe<Probe, int, std::uint32_t>(cells, probe, random, bits, slots);
}

// The cells of batch 0's probes (kProbeBatch of 7 bits, from the draw
// (high << 32) | low) of each listed agent `from`, for an agent away from the
// side edges (InteriorProbe; from - first_column, unsigned, below
// inside_width): out[8 j + k] is probe k of agent j. An agent near the side
// edges gets its own cell for every probe, which never hits (it is there), so
// the sweep's fast loop needs no test of where an agent stands. What a probe
// hits changes as the sweep goes, where it lands does not, so this is worked
// out for a whole row before its sweep. AVX2: eight agents at once.
static_assert(kProbeHalf == 4, "four probes a half");
inline constexpr std::size_t kListSlack = 7;  // see list_waiting_avx2
inline constexpr std::uint32_t kSevenBits = 0x7F;
#if defined(__x86_64__) && defined(__GNUC__)
// Eight agents' probes of the 7-bit chunks in the low bits of `chunks`: from +
// offset, or `from` itself where `inside` is clear.
__attribute__((target("avx2"), always_inline)) inline __m256i probe_lanes(__m256i chunks,
                                                                          __m256i from,
                                                                          __m256i inside,
                                                                          const int* table) {
  const __m256i chunk = _mm256_and_si256(chunks, _mm256_set1_epi32(static_cast<int>(kSevenBits)));
  const __m256i offset = _mm256_and_si256(_mm256_i32gather_epi32(table, chunk, 4), inside);
  return _mm256_add_epi32(from, offset);
}
// Four probes of eight agents each, lanes to rows of four (a 4 x 8 transpose):
// rows[0] holds agents 0 and 4 (low and high 128 bits), rows[1] 1 and 5, ...
struct FourRows {
  __m256i rows[4];
};
__attribute__((target("avx2"), always_inline)) inline FourRows transpose(__m256i p0, __m256i p1,
                                                                         __m256i p2, __m256i p3) {
  const __m256i t0 = _mm256_unpacklo_epi32(p0, p1), t1 = _mm256_unpackhi_epi32(p0, p1);
  const __m256i t2 = _mm256_unpacklo_epi32(p2, p3), t3 = _mm256_unpackhi_epi32(p2, p3);
  return {{_mm256_unpacklo_epi64(t0, t2), _mm256_unpackhi_epi64(t0, t2),
           _mm256_unpacklo_epi64(t1, t3), _mm256_unpackhi_epi64(t1, t3)}};
}
__attribute__((target("avx2"))) void batch_probes_avx2(
    const std::uint32_t* high, const std::uint32_t* low, const std::uint32_t* from, std::size_t n,
    const std::int32_t* offset, std::uint32_t first_column, std::uint32_t inside_width,
    std::uint32_t* out) {
  const auto* table = reinterpret_cast<const int*>(offset);
  const __m256i column = _mm256_set1_epi32(static_cast<int>(first_column));
  const __m256i width = _mm256_set1_epi32(static_cast<int>(inside_width));
  std::size_t j = 0;
  for (; j + 8 <= n; j += 8) {
    const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(low + j));
    const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(high + j));
    const __m256i f = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(from + j));
    // 0 <= from - first_column < inside_width (cells fit 31 bits: signed compares).
    const __m256i x = _mm256_sub_epi32(f, column);
    const __m256i inside = _mm256_andnot_si256(_mm256_cmpgt_epi32(_mm256_setzero_si256(), x),
                                               _mm256_cmpgt_epi32(width, x));
    const FourRows first = transpose(probe_lanes(lo, f, inside, table),
                                     probe_lanes(_mm256_srli_epi32(lo, 7), f, inside, table),
                                     probe_lanes(_mm256_srli_epi32(lo, 14), f, inside, table),
                                     probe_lanes(_mm256_srli_epi32(lo, 21), f, inside, table));
    // Probe 4 takes bits 28..34: four from the low word, three from the high.
    const __m256i straddling = _mm256_or_si256(_mm256_srli_epi32(lo, 28), _mm256_slli_epi32(hi, 4));
    const FourRows second = transpose(probe_lanes(straddling, f, inside, table),
                                      probe_lanes(_mm256_srli_epi32(hi, 3), f, inside, table),
                                      probe_lanes(_mm256_srli_epi32(hi, 10), f, inside, table),
                                      probe_lanes(_mm256_srli_epi32(hi, 17), f, inside, table));
    auto* o = reinterpret_cast<__m256i*>(out + 8 * j);
    for (int a = 0; a < 4; ++a) {  // agents a and a + 4: both halves of their probes
      _mm256_storeu_si256(o + a, _mm256_permute2x128_si256(first.rows[a], second.rows[a], 0x20));
      _mm256_storeu_si256(o + a + 4,
                          _mm256_permute2x128_si256(first.rows[a], second.rows[a], 0x31));
    }
  }
  for (; j < n; ++j) {
    const std::uint64_t random = (std::uint64_t{high[j]} << 32) | low[j];
    const bool inside = from[j] - first_column < inside_width;
    for (std::size_t k = 0; k < kProbeBatch; ++k)
      out[8 * j + k] =
          from[j] +
          (inside ? static_cast<std::uint32_t>(offset[(random >> (7 * k)) & kSevenBits]) : 0u);
  }
}

// The cells of the row starting at cell `row` (nx cells at `cells`) that
// hold an agent still to move in the sweep with this mark (waiting_agents),
// in order, into `listed`, 32 cells at a time; returns how many, and leaves
// the last nx % 32 cells (from *done) to the caller. The waiting cells of
// each eight are packed by one permute (kPackLanes), so a waiting agent costs
// no instruction of its own; a store writes eight entries, so `listed` needs
// room for seven past the row's cells (kListSlack).
// kPackLanes.lanes[m]: the set bits of m, in order, then zeros.
struct PackLanes {
  std::uint8_t lanes[256][8];
};
constexpr PackLanes make_pack_lanes() {
  PackLanes t{};
  for (int m = 0; m < 256; ++m) {
    int n = 0;
    for (int bit = 0; bit < 8; ++bit)
      if (((m >> bit) & 1) != 0) t.lanes[m][n++] = static_cast<std::uint8_t>(bit);
  }
  return t;
}
inline constexpr PackLanes kPackLanes = make_pack_lanes();
__attribute__((target("avx2"))) std::size_t list_waiting_avx2(const std::uint8_t* cells, int nx,
                                                              std::uint8_t mark, std::uint32_t row,
                                                              std::uint32_t* listed, int* done) {
  const __m256i kind_bits = _mm256_set1_epi8(static_cast<char>(kKindBits));
  const __m256i moved_bit = _mm256_set1_epi8(static_cast<char>(kMovedBit));
  const __m256i marked = _mm256_set1_epi8(static_cast<char>(mark));
  const __m256i zero = _mm256_setzero_si256();
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  std::size_t n = 0;
  int x0 = 0;
  for (; x0 + 32 <= nx; x0 += 32) {
    const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(cells + x0));
    // Empty, or marked as this sweep's: not waiting.
    const __m256i empty = _mm256_cmpeq_epi8(_mm256_and_si256(c, kind_bits), zero);
    const __m256i moved = _mm256_cmpeq_epi8(_mm256_and_si256(c, moved_bit), marked);
    auto waiting = ~static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_or_si256(empty, moved)));
    for (int eight = 0; eight < 32; eight += 8) {
      const std::uint32_t m = (waiting >> eight) & 0xFFu;
      const __m256i cells_here =
          _mm256_add_epi32(lane, _mm256_set1_epi32(static_cast<int>(row) + x0 + eight));
      const __m256i picks = _mm256_cvtepu8_epi32(
          _mm_loadl_epi64(reinterpret_cast<const __m128i*>(kPackLanes.lanes[m])));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(listed + n),
                          _mm256_permutevar8x32_epi32(cells_here, picks));
      n += static_cast<std::size_t>(std::popcount(m));
    }
  }
  *done = x0;
  return n;
}
#endif

// Bit 8 k + 7 set when the cell cells[k] (k < kProbeHalf) is empty: the four
// cells' bytes gathered into a word, where an empty cell is a zero byte (a
// cell's byte is at most 7, so adding 0x7F sets bit 7 of every other byte
// and never carries). (One 4-lane gather of the cells on the AVX2 path took
// fewer instructions and, measured, half again the wall time of the move.)
inline std::uint32_t empty_of_four(const std::uint8_t* kind, const std::uint32_t* cells) {
  static_assert((kKindBits | kMovedBit) <= 0x7F, "cell bytes below 0x80");
  std::uint32_t bytes = 0;
#pragma GCC unroll 4
  for (int k = 0; k < kProbeHalf; ++k) bytes |= std::uint32_t{kind[cells[k]]} << (8 * k);
  return ~(bytes + 0x7F7F7F7Fu) & 0x80808080u;
}

}  // namespace

bool World::propose_empty_cell(sim::RandomDraws& draws, int x, int y, const MoveWindow& window,
                               std::size_t& cell, bool batches_missed) const {
  // Rejection sampling, uniform over the empty cells in vision: the first empty
  // cell among the first move_attempts valid probes. Most agents find a cell in
  // their first two batches: those are tried branch-free (window.fast: one
  // 64-bit draw a batch, and the attempts cover both); the plain search of
  // the reference step goes on from there.
  int attempts_left = p_.move_attempts;
  const std::uint64_t chunk_mask = (std::uint64_t{1} << window.bits) - 1;
  if (window.fast)
    for (int batch = 0; batch < 2; ++batch) {
      const std::uint64_t random = draws.next_u64();
      const std::size_t to =
          batches_missed ? kNoCell : probe_batch(window, x, y, random, window.slots);
      if (to != kNoCell) {
        cell = to;
        return true;
      }
      // The valid probes count as attempts (on a torus every cell of the window is one).
      for (int k = 0; k < kProbeBatch; ++k) {
        const auto slot = static_cast<std::uint32_t>((random >> (window.bits * k)) & chunk_mask);
        if (slot < window.slots && (torus_ || cell_at(x + window.dx[slot], y + window.dy[slot])))
          --attempts_left;
      }
    }
  // The rest one probe at a time, as the reference step does (a batch starts
  // from a fresh draw, so the draws pick up where the batches above stopped).
  return reference_empty_cell(draws, x, y, window, cell, attempts_left);
}

std::size_t World::probe_batch(const MoveWindow& window, int x, int y, std::uint64_t random,
                               std::uint32_t slots) const {
  const std::uint8_t* cells = kind_.data();
  if (window_inside(x, y, window.reach))
    return first_empty_probe(cells, InteriorProbe{window.padded_offset.data(), grid_.index(x, y)},
                             random, window.bits, slots);
  if (torus_) {
    const auto reach = static_cast<std::size_t>(wrap_reach_);
    return first_empty_probe(cells,
                             TorusEdgeProbe{window.padded_dx.data(), window.padded_dy.data(),
                                            &wrapped_rows_[static_cast<std::size_t>(y) + reach],
                                            &wrapped_columns_[static_cast<std::size_t>(x) + reach]},
                             random, window.bits, slots);
  }
  return first_empty_probe(cells,
                           BoundedEdgeProbe{window.padded_dx.data(), window.padded_dy.data(), x, y,
                                            grid_.nx(), grid_.ny()},
                           random, window.bits, slots);
}

void World::phase_move(std::int64_t step) {
  const std::uint8_t mark = move_mark(steps_done_);
  for (const auto& bands : bands_)
    parallel_chunked(0, bands.size(), 1, [&](std::size_t b) { sweep_band(bands[b], step, mark); });
}

void World::order_rows(const Band& band, Stream stream, std::int64_t step,
                       std::vector<RowVisit>& rows) const {
  // A fixed scan order would push agents one way: they move towards the rows
  // already swept, where the agents before them left empty cells (1.2 cells a
  // day for a row-by-row sweep). So every day each band visits its rows in a
  // random order, each row in a random direction: no direction is favoured,
  // while a row is still read in memory order.
  sim::RandomDraws draws(seed_, stream, static_cast<std::uint64_t>(step), band.order);
  rows.clear();
  for (int y = band.first_row; y < band.last_row; ++y) rows.push_back({y, false});
  for (std::size_t i = rows.size(); i > 1; --i)  // Fisher-Yates
    std::swap(rows[i - 1], rows[draws.below(static_cast<std::uint32_t>(i))]);
  std::uint32_t directions = 0;  // one bit per row, 32 rows to a word
  for (std::size_t k = 0; k < rows.size(); ++k) {
    if (k % 32 == 0) directions = draws.next_u32();
    rows[k].backward = ((directions >> (k % 32)) & 1u) != 0;
  }
}

// One band's move sweep (World::sweep_band): the state its rows share and one
// helper a stage of a row. The state is plain pointers, held in registers: a
// byte store through a vector's element could, for all the compiler knows,
// change the vector itself, and every access would reload its data pointer.
// Every helper is force-inlined (BORDERLAND_INLINE), so the sweep compiles as
// one loop nest, as it did when it was one function.
struct World::BandSweep {
  // What the fast path needs of each window (citizens', cops').
  struct FastWindow {
    const std::int32_t* offset;
    int bits, reach;
    bool fast;
    const MoveWindow* full;
  };
  World& world;
  const std::int64_t step;
  const std::uint8_t mark;
  const int nx;
  const Rasters rasters;
  // The first random block of every agent still to move in a row (keyed by
  // its cell), computed for the whole row at once (vectorised) before its
  // sweep: each agent's move then needs no Philox call of its own unless it
  // needs a second block. Only the agents waiting when the row's sweep starts
  // move in it (one that moves into the row later carries the mark already),
  // so a block for each of them, about three cells in four, and none for
  // empty cells; the sweep then visits the list, in the row's direction,
  // instead of scanning the cells again. block[w][k] is word w of the block
  // of the k-th listed agent. Scratch of this thread, reused.
  std::array<std::vector<std::uint32_t>, 4>& block;
  std::uint32_t* const listed;
  const std::uint32_t* const words0 = block[0].data();
  const std::uint32_t* const words1 = block[1].data();
  const std::uint32_t* const words2 = block[2].data();
  const std::uint32_t* const words3 = block[3].data();
  std::size_t waiting_here = 0;  // agents listed for the row being swept
  // On the AVX2 path, for one window of 7 bits: the cells of batch 0's
  // probes of each listed agent, worked out at once (batch_probes_avx2): its
  // eight a listed agent, edge agents' never hitting.
  bool probed = false;
  bool avx2 = false;  // the AVX2 path (list_waiting_avx2)
  std::uint32_t* const probes;
  const FastWindow citizen, cop;
  // The torus's tables of wrapped offsets, by class of column and of row
  // (MoveWindow::column_offsets).
  const bool torus;
  const std::ptrdiff_t* const column_offsets;
  const std::size_t table_size;
  const int reach, classes;

  BandSweep(World& w, std::int64_t day, std::uint8_t moved_mark)
      : world(w),
        step(day),
        mark(moved_mark),
        nx(w.grid_.nx()),
        rasters{w.kind_.data(), w.occupant_.data(), w.quiet_at_.data()},
        block(thread_blocks(nx)),
        listed(thread_subjects(nx)),
        probes(thread_probes(nx)),
        citizen{w.citizen_window_.padded_offset.data(), w.citizen_window_.bits,
                w.citizen_window_.reach, w.citizen_window_.fast, &w.citizen_window_},
        cop{w.cop_window_.padded_offset.data(), w.cop_window_.bits, w.cop_window_.reach,
            w.cop_window_.fast, &w.cop_window_},
        torus(w.torus_),
        column_offsets(w.citizen_window_.column_offsets.data()),
        table_size(w.citizen_window_.padded_offset.size()),
        reach(citizen.reach),
        classes(2 * reach + 1) {}

  // This thread's blocks and list of agents, sized for a row of nx cells:
  // reused from band to band, so a sweep allocates nothing once warm.
  static std::array<std::vector<std::uint32_t>, 4>& thread_blocks(int nx) {
    thread_local std::array<std::vector<std::uint32_t>, 4> blocks;
    for (auto& row_words : blocks) row_words.resize(static_cast<std::size_t>(nx));
    return blocks;
  }
  static std::uint32_t* thread_subjects(int nx) {
    thread_local std::vector<std::uint32_t> subjects;
    subjects.resize(static_cast<std::size_t>(nx) + kListSlack);
    return subjects.data();
  }
  static std::uint32_t* thread_probes(int nx) {
    thread_local std::vector<std::uint32_t> cells;
    cells.resize(static_cast<std::size_t>(kProbeBatch) * static_cast<std::size_t>(nx));
    return cells.data();
  }

  // The class of coordinate v on an axis of n cells, for the torus's tables:
  // v itself near the low edge, reach in the interior, past it near the high
  // edge (MoveWindow::column_offsets).
  BORDERLAND_INLINE int class_of(int v, int n) const {
    return v < reach ? v : v >= n - reach ? v - n + classes : reach;
  }

  // Lists the row's agents still to move (cells read eight at a time) and
  // computes the first random block of each, for the whole row at once.
  BORDERLAND_INLINE void list_row(std::size_t row, int y) {
    const std::uint8_t* const kind = rasters.kind;
    waiting_here = 0;
    int x0 = 0;
#if defined(__x86_64__) && defined(__GNUC__)
    if (avx2)
      waiting_here =
          list_waiting_avx2(kind + row, nx, mark, static_cast<std::uint32_t>(row), listed, &x0);
#endif
    for (; x0 < nx; x0 += 8) {
      std::uint64_t waiting =
          waiting_agents(load_cells(&kind[row + static_cast<std::size_t>(x0)]), mark) &
          first_bytes(nx - x0);
      for (; waiting != 0; waiting &= waiting - 1) {  // one bit a waiting cell
        const int x = x0 + std::countr_zero(waiting) / 8;
        listed[waiting_here++] = static_cast<std::uint32_t>(row) + static_cast<std::uint32_t>(x);
      }
    }
    sim::listed_blocks(
        world.seed_, static_cast<sim::StreamId>(Stream::kMoveTarget),
        static_cast<std::uint64_t>(step), {listed, waiting_here},
        {std::span{block[0]}.first(waiting_here), std::span{block[1]}.first(waiting_here),
         std::span{block[2]}.first(waiting_here), std::span{block[3]}.first(waiting_here)});
#if defined(__x86_64__) && defined(__GNUC__)
    if (const std::int32_t* table = probe_table(y); table != nullptr)
      batch_probes_avx2(words0, words1, listed, waiting_here, table,
                        static_cast<std::uint32_t>(row) + static_cast<std::uint32_t>(reach),
                        static_cast<std::uint32_t>(nx - 2 * reach), probes);
#endif
  }

  // Whether row y's sweep uses precomputed probes (probed, and the row clear
  // of the top and bottom or on a torus) ...
  BORDERLAND_INLINE bool probed_row(int y) const {
    return probed && (torus || row_clear(y));
  }
  BORDERLAND_INLINE bool row_clear(int y) const {
    return y >= citizen.reach && y < world.grid_.ny() - citizen.reach;
  }
  // ... and then where an agent in its middle columns probes: padded_offset,
  // or near the top or bottom of a torus that with the row's wrap added
  // (MoveWindow::row_class_offsets); nullptr when the row is not probed.
  BORDERLAND_INLINE const std::int32_t* probe_table(int y) const {
    if (!probed_row(y)) return nullptr;
    if (row_clear(y)) return citizen.offset;
    return citizen.full->row_class_offsets.data() +
           static_cast<std::size_t>(class_of(y, world.grid_.ny())) * table_size;
  }

  // For an interior agent whose precomputed probes (batch 0) missed: the
  // cell as both_batches<7> would give it from batch 1 on.
  // row_wraps: those of a torus's row near the top or bottom, else nullptr.
  BORDERLAND_INLINE std::size_t probed_rest(std::size_t from, std::size_t slot,
                                            const std::ptrdiff_t* row_wraps) const {
    using Seven = std::integral_constant<int, 7>;
    using EveryChunk = std::integral_constant<std::uint32_t, 128>;
    if (row_wraps == nullptr)
      return first_empty_probe(rasters.kind, InteriorProbe{citizen.offset, from}, batch(1, slot),
                               Seven{}, EveryChunk{});
    // The middle columns' class of the torus's tables (class_of: reach).
    const std::ptrdiff_t* offsets = column_offsets + static_cast<std::size_t>(reach) * table_size;
    return first_empty_probe(rasters.kind, WrappedRowProbe{offsets, row_wraps, from},
                             batch(1, slot), Seven{}, EveryChunk{});
  }

  // Batch k (0 or 1) of the listed agent `slot`, from the words of its first
  // block in the order RandomDraws::next_u64 gives them.
  BORDERLAND_INLINE std::uint64_t batch(std::size_t k, std::size_t slot) const {
    const std::uint32_t* high = k == 0 ? words0 : words2;
    const std::uint32_t* low = k == 0 ? words1 : words3;
    return (std::uint64_t{high[slot]} << 32) | low[slot];
  }

  // Both batches of one window of kWindowBits (7 or 8) with every chunk
  // tested (2^bits slots): past the window the padded offsets point at the
  // agent's own cell, never empty while it is there. 7-bit chunks are cut by
  // shifts, bytes read where they lie (ChunkBytes).
  template <int kWindowBits, class Probe>
  BORDERLAND_INLINE std::size_t both_batches(const Probe& probe, std::size_t slot) const {
    const std::uint8_t* const kind = rasters.kind;
    if constexpr (kWindowBits == 7) {
      using Seven = std::integral_constant<int, 7>;
      using EveryChunk = std::integral_constant<std::uint32_t, 128>;
      const std::size_t first =
          first_empty_probe(kind, probe, batch(0, slot), Seven{}, EveryChunk{});
      return first != kNoCell
                 ? first
                 : first_empty_probe(kind, probe, batch(1, slot), Seven{}, EveryChunk{});
    } else {
      auto chunks = [&](const std::uint32_t* high, const std::uint32_t* low) {
        return ChunkBytes{reinterpret_cast<const std::uint8_t*>(low + slot),
                          reinterpret_cast<const std::uint8_t*>(high + slot)};
      };
      const std::size_t first = first_empty_probe(kind, probe, chunks(words0, words1));
      return first != kNoCell ? first : first_empty_probe(kind, probe, chunks(words2, words3));
    }
  }

  // The fast path's cell for the agent at (x, y), cell `from`, when one
  // window of kWindowBits serves every agent: the probe suited to where it
  // stands (interior: one add; torus: the column's table, and near the top
  // or bottom the row's wraps; bounded edge: probe_batch). kNoCell if none.
  template <int kWindowBits>
  BORDERLAND_INLINE std::size_t one_window_cell(int x, int y, std::size_t from, std::size_t slot,
                                                bool row_inside,
                                                const std::ptrdiff_t* row_wraps) const {
    // x lies in reach .. nx - reach - 1 when x - reach, unsigned, is below this.
    const auto inside_width = static_cast<unsigned>(nx - 2 * citizen.reach);
    if (row_inside && static_cast<unsigned>(x - citizen.reach) < inside_width)
      return both_batches<kWindowBits>(InteriorProbe{citizen.offset, from}, slot);
    if (torus) {
      const std::ptrdiff_t* offsets =
          column_offsets + static_cast<std::size_t>(class_of(x, nx)) * table_size;
      return row_wraps == nullptr
                 ? both_batches<kWindowBits>(TableProbe{offsets, from}, slot)
                 : both_batches<kWindowBits>(WrappedRowProbe{offsets, row_wraps, from}, slot);
    }
    constexpr std::uint32_t kEveryChunk = std::uint32_t{1} << kWindowBits;
    const std::size_t to = world.probe_batch(*citizen.full, x, y, batch(0, slot), kEveryChunk);
    return to != kNoCell ? to : world.probe_batch(*citizen.full, x, y, batch(1, slot), kEveryChunk);
  }

  // The same when cops and citizens have windows of their own (or a window
  // that is not 7 or 8 bits): the agent's window, through probe_batch; kNoCell
  // also when that window has no fast path.
  BORDERLAND_INLINE std::size_t own_window_cell(int x, int y, std::size_t from,
                                                std::size_t slot) const {
    const FastWindow& window = kind_of(rasters.kind[from]) == kCopCell ? cop : citizen;
    if (!window.fast) return kNoCell;
    const std::uint32_t every_chunk = std::uint32_t{1} << window.bits;
    const std::size_t to = world.probe_batch(*window.full, x, y, batch(0, slot), every_chunk);
    return to != kNoCell ? to : world.probe_batch(*window.full, x, y, batch(1, slot), every_chunk);
  }

  // One row, in the day's direction, over the agents listed at its start;
  // kWindowBits is 7 or 8 for one window of those bits, 0 otherwise. The
  // visit is a copy, which stays in registers. An agent the fast path leaves
  // without a cell (about one in seventy) takes the general path, move_agent,
  // which goes on from there.
  template <int kWindowBits>
  BORDERLAND_INLINE void sweep_row(RowVisit visit, std::size_t row) {
    const bool row_inside = visit.y >= citizen.reach && visit.y < world.grid_.ny() - citizen.reach;
    // On a torus, the row's wraps round the top and bottom (none inside).
    const std::ptrdiff_t* row_wraps =
        row_inside ? nullptr
                   : citizen.full->row_wraps.data() +
                         static_cast<std::size_t>(class_of(visit.y, world.grid_.ny())) * table_size;
    if constexpr (kWindowBits == 7)
      if (probed_row(visit.y)) return sweep_probed_row(visit, row, row_inside, row_wraps);
    for (std::size_t j = 0; j < waiting_here; ++j) {
      const std::size_t slot = visit.backward ? waiting_here - 1 - j : j;
      move_listed<kWindowBits>(visit.y, row, slot, row_inside, row_wraps);
    }
  }

  // The listed agent `slot` of the row at `row`, y, moves.
  template <int kWindowBits>
  BORDERLAND_INLINE void move_listed(int y, std::size_t row, std::size_t slot, bool row_inside,
                                     const std::ptrdiff_t* row_wraps) {
    const std::size_t from = listed[slot];
    const int x = static_cast<int>(from - row);
    std::size_t to = kNoCell;
    if constexpr (kWindowBits == 7 || kWindowBits == 8)
      to = one_window_cell<kWindowBits>(x, y, from, slot, row_inside, row_wraps);
    else
      to = own_window_cell(x, y, from, slot);
    if (to != kNoCell) {
      relocate(rasters, from, to, mark);
      return;
    }
    world.move_agent(x, y, step, mark, {words0[slot], words1[slot], words2[slot], words3[slot]});
  }

  // sweep_row<7> for a row clear of the top and bottom, or any row of a torus,
  // on the AVX2 path (probed): most agents find a cell among their precomputed probes, and
  // the loop does only that; the others (one in twelve, and those near the
  // side edges) go on out of line. Its own function, so that the loop keeps
  // its state in registers (the sweep's other paths, inlined around it,
  // spilled it).
  [[gnu::noinline]] void sweep_probed_row(RowVisit visit, std::size_t row, bool row_inside,
                                          const std::ptrdiff_t* row_wraps) {
    const Rasters cells = rasters;
    const std::uint8_t moved = mark;
    const std::uint32_t* const list = listed;
    const std::uint32_t* const batch0 = probes;
    // The slots in the row's direction: k from `begin` by `delta` (wrapping
    // unsigned) until `end`.
    const std::size_t n = waiting_here, delta = visit.backward ? ~std::size_t{0} : 1;
    const std::size_t begin = visit.backward ? n - 1 : 0,
                      end = visit.backward ? ~std::size_t{0} : n;
    for (std::size_t k = begin; k != end; k += delta) {
      const std::uint32_t* probe = batch0 + kProbeBatch * k;
      std::uint32_t hits = empty_of_four(cells.kind, probe);
      if (hits == 0) {
        probe += kProbeHalf;
        hits = empty_of_four(cells.kind, probe);
      }
      if (hits != 0) {
        relocate(cells, list[k], probe[std::countr_zero(hits) / 8], moved);
        continue;
      }
      move_probed_rest(visit.y, row, k, row_inside, row_wraps);
    }
  }
  // Out of line (rare): an agent whose precomputed probes missed: an interior
  // one goes on from batch 1, one near the side edges starts afresh.
  [[gnu::noinline]] void move_probed_rest(int y, std::size_t row, std::size_t slot, bool row_inside,
                                          const std::ptrdiff_t* row_wraps) {
    const std::size_t from = listed[slot];
    const int x = static_cast<int>(from - row);
    if (static_cast<unsigned>(x - reach) >= static_cast<unsigned>(nx - 2 * reach))
      return move_listed<7>(y, row, slot, row_inside, row_wraps);
    if (const std::size_t to = probed_rest(from, slot, row_wraps); to != kNoCell) {
      relocate(rasters, from, to, mark);
      return;
    }
    world.move_agent(x, y, step, mark, {words0[slot], words1[slot], words2[slot], words3[slot]});
  }
};

void World::sweep_band(const Band& band, std::int64_t step, std::uint8_t mark) {
  // Each free agent in the band, in turn, moves at once to a random empty cell
  // in vision; the cell it leaves is free for those after it. An agent that
  // moves ahead in the scan carries its mark, so it is not listed for a row it
  // moves into: a row's agents to move are listed when its sweep starts, and
  // only they are visited (BandSweep).
  std::vector<RowVisit>& rows = band_rows_[band.order];
  order_rows(band, Stream::kMoveOrder, step, rows);
  BandSweep sweep(*this, step, mark);
  // The classic setting: cops and citizens see as far, and a window of 65 to
  // 128 slots (the von Neumann diamond of vision 7) cuts its draws into 7-bit
  // chunks, one of 129 to 256 (the disc of 7, the square of 6 or 7) into
  // bytes. Then one window serves every agent and its constants are known to
  // the compiler.
  const bool one_window = p_.citizen_vision == p_.cop_vision && sweep.citizen.fast;
  const int one_window_bits =
      one_window && (sweep.citizen.bits == 7 || sweep.citizen.bits == 8) ? sweep.citizen.bits : 0;
#if defined(__x86_64__) && defined(__GNUC__)
  sweep.avx2 = avx2_loops();
  sweep.probed = one_window_bits == 7 && sweep.avx2;
#endif
  for (const RowVisit& visit : rows) {
    const std::size_t row = grid_.index(0, visit.y);
    sweep.list_row(row, visit.y);
    if (one_window_bits == 7)
      sweep.sweep_row<7>(visit, row);
    else if (one_window_bits == 8)
      sweep.sweep_row<8>(visit, row);
    else
      sweep.sweep_row<0>(visit, row);
  }
}

void World::move_agent(int x, int y, std::int64_t step, std::uint8_t mark,
                       const std::array<std::uint32_t, 4>& first_block) {
  const std::size_t from = grid_.index(x, y);
  const std::uint8_t moved = static_cast<std::uint8_t>((kind_[from] & kKindBits) | mark);
  const bool is_cop = kind_of(kind_[from]) == kCopCell;
  // Keyed by the cell the move starts from: each cell starts at most one move
  // a day, and reading the agent's id here would cost a scattered load.
  sim::RandomDraws draws(seed_, Stream::kMoveTarget, static_cast<std::uint64_t>(step), from,
                         first_block);
  std::size_t to = 0;
  if (!propose_empty_cell(draws, x, y, is_cop ? cop_window_ : citizen_window_, to, true)) {
    kind_[from] = moved;  // no empty cell found: it stays, but has had its turn
    return;
  }
  relocate({kind_.data(), occupant_.data(), quiet_at_.data()}, from, to, mark);
}

}  // namespace borderland::civil_violence
