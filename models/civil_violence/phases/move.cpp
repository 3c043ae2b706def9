// The move phase: banded sequential sweeps (see the model's README).
#include <algorithm>
#include <array>
#include <bit>
#include <span>
#include <type_traits>

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

}  // namespace

bool World::propose_empty_cell(sim::RandomDraws& draws, int x, int y, const MoveWindow& window,
                               std::size_t& cell) const {
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
      const std::size_t to = probe_batch(window, x, y, random, window.slots);
      if (to != kNoCell) {
        cell = to;
        return true;
      }
      for (int k = 0; k < kProbeBatch; ++k) {  // the valid probes count as attempts
        const auto slot = static_cast<std::uint32_t>((random >> (window.bits * k)) & chunk_mask);
        if (slot < window.slots && cell_at(x + window.dx[slot], y + window.dy[slot]))
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

void World::sweep_band(const Band& band, std::int64_t step, std::uint8_t mark) {
  // Each free agent in the band, in turn, moves at once to a random empty cell
  // in vision; the cell it leaves is free for those after it. An agent that
  // moves ahead in the scan carries its mark, so it is not listed for a row it
  // moves into: a row's agents to move are listed (cells read eight at a
  // time) when its sweep starts, and only they are visited.
  const int nx = grid_.nx();
  std::vector<RowVisit>& rows = band_rows_[band.order];
  order_rows(band, Stream::kMoveOrder, step, rows);
  // The first random block of every agent still to move in a row (keyed by
  // its cell), computed for the whole row at once (vectorised) before its
  // sweep: each agent's move then needs no Philox call of its own unless it
  // needs a second block. Only the agents waiting when the row's sweep starts
  // move in it (one that moves into the row later carries the mark already),
  // so a block for each of them, about three cells in four, and none for
  // empty cells; the sweep then visits the list, in the row's direction,
  // instead of scanning the cells again. block[w][k] is word w of the block
  // of the k-th listed agent. Scratch of this thread, reused.
  thread_local std::array<std::vector<std::uint32_t>, 4> block;
  thread_local std::vector<std::uint32_t> subjects;
  for (auto& row_words : block) row_words.resize(static_cast<std::size_t>(nx));
  subjects.resize(static_cast<std::size_t>(nx));
  std::uint32_t* const listed = subjects.data();
  std::size_t waiting_here = 0;  // agents listed for the row being swept
  // The loop below works on plain pointers held in registers: a byte store
  // through a vector's element could, for all the compiler knows, change the
  // vector itself, and every access would reload its data pointer.
  const Rasters rasters{kind_.data(), occupant_.data(), quiet_at_.data()};
  const std::uint8_t* const kind = rasters.kind;
  const std::uint32_t* const words0 = block[0].data();
  const std::uint32_t* const words1 = block[1].data();
  const std::uint32_t* const words2 = block[2].data();
  const std::uint32_t* const words3 = block[3].data();
  // What the fast path needs of each window (citizens', cops').
  struct FastWindow {
    const std::int32_t* offset;
    int bits, reach;
    bool fast;
    const MoveWindow* full;
  };
  const FastWindow citizen{citizen_window_.padded_offset.data(), citizen_window_.bits,
                           citizen_window_.reach, citizen_window_.fast, &citizen_window_};
  const FastWindow cop{cop_window_.padded_offset.data(), cop_window_.bits, cop_window_.reach,
                       cop_window_.fast, &cop_window_};
  // The classic setting: cops and citizens see as far, and a window of 65 to
  // 128 slots (the von Neumann diamond of vision 7) cuts its draws into 7-bit
  // chunks, one of 129 to 256 (the disc of 7, the square of 6 or 7) into
  // bytes. Then one window serves every agent and its constants are known to
  // the compiler.
  const bool one_window = p_.citizen_vision == p_.cop_vision && citizen.fast;
  // The torus's tables of wrapped offsets, by class of column and of row
  // (MoveWindow::column_offsets).
  const bool torus = torus_;
  const std::ptrdiff_t* const column_offsets = citizen_window_.column_offsets.data();
  const std::size_t table_size = citizen_window_.padded_offset.size();
  const int reach = citizen.reach, classes = 2 * reach + 1;
  auto class_of = [reach, classes](int v, int n) {
    return v < reach ? v : v >= n - reach ? v - n + classes : reach;
  };
  auto column_class = [&](int x) { return static_cast<std::size_t>(class_of(x, nx)); };
  const int one_window_bits =
      one_window && (citizen.bits == 7 || citizen.bits == 8) ? citizen.bits : 0;
  // One row, in the day's direction; window_bits is 7 or 8 for one window of
  // those bits, 0 otherwise. The visit is a copy, which stays in registers.
  auto sweep_row = [&](RowVisit visit, std::size_t row, auto window_bits) {
    constexpr int kWindowBits = decltype(window_bits)::value;
    const bool row_inside = visit.y >= citizen.reach && visit.y < grid_.ny() - citizen.reach;
    // x lies in reach .. nx - reach - 1 when x - reach, unsigned, is below this.
    const auto inside_width = static_cast<unsigned>(nx - 2 * citizen.reach);
    // On a torus, the row's wraps round the top and bottom (none inside).
    const std::ptrdiff_t* row_wraps =
        row_inside ? nullptr
                   : citizen.full->row_wraps.data() +
                         static_cast<std::size_t>(class_of(visit.y, grid_.ny())) * table_size;
    // The row's waiting agents as listed at its start, in the day's direction.
    for (std::size_t j = 0; j < waiting_here; ++j) {
      const std::size_t slot = visit.backward ? waiting_here - 1 - j : j;
      const std::size_t from = listed[slot];
      const auto ux = from - row;
      const int x = static_cast<int>(ux);
      // The first two batches, from the words of the first block in the
      // order RandomDraws::next_u64 gives them; window.fast means the
      // attempts cover both in full. An agent left without a cell (about
      // one in seventy) takes the general path, which goes on from there.
      // Every chunk is tested (2^bits slots): past the window the padded
      // offsets point at the agent's own cell, never empty while it is there.
      auto batch = [&](std::size_t k) {
        const std::uint32_t* high = k == 0 ? words0 : words2;
        const std::uint32_t* low = k == 0 ? words1 : words3;
        return (std::uint64_t{high[slot]} << 32) | low[slot];
      };
      std::size_t to = kNoCell;
      if constexpr (kWindowBits == 7 || kWindowBits == 8) {
        auto both_batches = [&](const auto& probe) {
          if constexpr (kWindowBits == 7) {
            using Seven = std::integral_constant<int, 7>;
            using EveryChunk = std::integral_constant<std::uint32_t, 128>;
            const std::size_t first =
                first_empty_probe(kind, probe, batch(0), Seven{}, EveryChunk{});
            return first != kNoCell
                       ? first
                       : first_empty_probe(kind, probe, batch(1), Seven{}, EveryChunk{});
          } else {
            auto chunks = [&](const std::uint32_t* high, const std::uint32_t* low) {
              return ChunkBytes{reinterpret_cast<const std::uint8_t*>(low + slot),
                                reinterpret_cast<const std::uint8_t*>(high + slot)};
            };
            const std::size_t first = first_empty_probe(kind, probe, chunks(words0, words1));
            return first != kNoCell ? first
                                    : first_empty_probe(kind, probe, chunks(words2, words3));
          }
        };
        if (row_inside && static_cast<unsigned>(x - citizen.reach) < inside_width) {
          to = both_batches(InteriorProbe{citizen.offset, from});
        } else if (torus) {  // the column's table, and near the top or bottom the row's wraps
          const std::ptrdiff_t* offsets = column_offsets + column_class(x) * table_size;
          to = row_wraps == nullptr ? both_batches(TableProbe{offsets, from})
                                    : both_batches(WrappedRowProbe{offsets, row_wraps, from});
        } else {  // near an edge of a bounded grid
          constexpr std::uint32_t kEveryChunk = std::uint32_t{1} << kWindowBits;
          to = probe_batch(*citizen.full, x, visit.y, batch(0), kEveryChunk);
          if (to == kNoCell) to = probe_batch(*citizen.full, x, visit.y, batch(1), kEveryChunk);
        }
      } else {
        const FastWindow& window = kind_of(kind[from]) == kCopCell ? cop : citizen;
        if (window.fast) {
          const std::uint32_t every_chunk = std::uint32_t{1} << window.bits;
          to = probe_batch(*window.full, x, visit.y, batch(0), every_chunk);
          if (to == kNoCell) to = probe_batch(*window.full, x, visit.y, batch(1), every_chunk);
        }
      }
      if (to != kNoCell) {
        relocate(rasters, from, to, mark);
        continue;
      }
      move_agent(x, visit.y, step, mark, {words0[slot], words1[slot], words2[slot], words3[slot]});
    }
  };
  for (const RowVisit& visit : rows) {
    const std::size_t row = grid_.index(0, visit.y);
    waiting_here = 0;
    for (int x0 = 0; x0 < nx; x0 += 8) {
      std::uint64_t waiting =
          waiting_agents(load_cells(&kind[row + static_cast<std::size_t>(x0)]), mark) &
          first_bytes(nx - x0);
      for (; waiting != 0; waiting &= waiting - 1) {  // one bit a waiting cell
        const int x = x0 + std::countr_zero(waiting) / 8;
        listed[waiting_here++] = static_cast<std::uint32_t>(row) + static_cast<std::uint32_t>(x);
      }
    }
    sim::listed_blocks(
        seed_, static_cast<sim::StreamId>(Stream::kMoveTarget), static_cast<std::uint64_t>(step),
        {listed, waiting_here},
        {std::span{block[0]}.first(waiting_here), std::span{block[1]}.first(waiting_here),
         std::span{block[2]}.first(waiting_here), std::span{block[3]}.first(waiting_here)});
    if (one_window_bits == 7)
      sweep_row(visit, row, std::integral_constant<int, 7>{});
    else if (one_window_bits == 8)
      sweep_row(visit, row, std::integral_constant<int, 8>{});
    else
      sweep_row(visit, row, std::integral_constant<int, 0>{});
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
  if (!propose_empty_cell(draws, x, y, is_cop ? cop_window_ : citizen_window_, to)) {
    kind_[from] = moved;  // no empty cell found: it stays, but has had its turn
    return;
  }
  relocate({kind_.data(), occupant_.data(), quiet_at_.data()}, from, to, mark);
}

}  // namespace borderland::civil_violence
