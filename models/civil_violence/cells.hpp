#pragma once
// The cell raster's byte encoding and the helpers every phase of the civil
// violence model shares (private to the model: world.hpp does not include it).
#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "models/civil_violence/world.hpp"
#include "sim/parallel.hpp"
#include "sim/philox_batch.hpp"

namespace borderland::civil_violence {

inline constexpr std::size_t kGrain = 4096;  // agents per parallel chunk
inline constexpr int kBandRows = 64;         // rows per parallel chunk of the decide phase

// What a cell holds (World::kind_): the low two bits of the cell's byte.
enum CellKind : std::uint8_t { kEmptyCell = 0, kQuietCell = 1, kActiveCell = 2, kCopCell = 3 };
inline constexpr std::uint8_t kKindBits = 3;
// Bit 2 of an occupied cell's byte is its agent's move mark: the agent has had
// its turn in a move sweep when its mark equals that sweep's (World::move_mark).
// An empty cell's byte is always 0.
inline constexpr std::uint8_t kMovedBit = 4;
// The byte of kind_'s first padding byte, which stands for the cells off a
// bounded grid: occupied (a probe finds no room there) by nobody active or a cop.
inline constexpr std::uint8_t kOffGridCell = kQuietCell;
inline CellKind kind_of(std::uint8_t cell) {
  return static_cast<CellKind>(cell & kKindBits);
}
// Eight cell bytes at a time (SWAR, "SIMD within a register"): byte i of a
// word is the cell at x0 + i, which needs a little-endian machine. kind_ has
// kCellPadding spare bytes at its end so that a word, or the 16 bytes of
// active_cells16, can always be loaded.
static_assert(std::endian::native == std::endian::little, "cell words assume little-endian");
inline constexpr std::size_t kCellPadding = 16;
inline constexpr std::uint64_t kEveryByte = 0x0101010101010101ull;
inline std::uint64_t load_cells(const std::uint8_t* first) {
  std::uint64_t word = 0;
  std::memcpy(&word, first, sizeof word);
  return word;
}
// The low `count` (0..8) bytes of a word.
inline std::uint64_t first_bytes(int count) {
  return count >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * count)) - 1;
}
// Bit 2 of byte i is set when cell i holds an agent that has not had its turn
// in the sweep with this mark (occupied: kind bits nonzero; mark bit differs).
inline std::uint64_t waiting_agents(std::uint64_t cells, std::uint8_t mark) {
  const std::uint64_t occupied = ((cells & (3 * kEveryByte)) + 3 * kEveryByte) & (4 * kEveryByte);
  const std::uint64_t unmarked = (cells ^ (mark * kEveryByte)) & (4 * kEveryByte);
  return occupied & unmarked;
}
// Bit 0 of byte i is set when cell i holds a cop (both kind bits set).
inline std::uint64_t cop_cells(std::uint64_t cells) {
  return cells & (cells >> 1) & kEveryByte;
}
// Bit 7 of byte i is set when cell i holds an active citizen: its kind bits
// XOR kActiveCell are zero, and x + 0x7F sets bit 7 for every x in 1..3.
inline std::uint64_t active_cells(std::uint64_t cells) {
  const std::uint64_t x = (cells & (3 * kEveryByte)) ^ (kActiveCell * kEveryByte);
  return ~(x + 0x7F * kEveryByte) & (0x80 * kEveryByte);
}
// Bit i is set when the cell at first + i holds an active citizen, i = 0..15
// (reads 16 bytes: kind_'s padding covers a read from its last row).
inline std::uint32_t active_cells16(const std::uint8_t* first) {
#if defined(__SSE2__)
  const __m128i cells = _mm_loadu_si128(reinterpret_cast<const __m128i*>(first));
  const __m128i kinds = _mm_and_si128(cells, _mm_set1_epi8(static_cast<char>(kKindBits)));
  return static_cast<std::uint32_t>(
      _mm_movemask_epi8(_mm_cmpeq_epi8(kinds, _mm_set1_epi8(static_cast<char>(kActiveCell)))));
#else
  std::uint32_t bits = 0;
  for (int i = 0; i < 16; ++i)
    bits |= static_cast<std::uint32_t>(kind_of(first[i]) == kActiveCell) << i;
  return bits;
#endif
}
// Probes of the move are tried in batches this long, without a branch per
// probe: an empty cell is found about one time in four, so a branch per probe
// is mispredicted about once per move.
inline constexpr int kProbeBatch = 8;

// sim::parallel_for, but run on the calling thread when the range is a
// single chunk: a tiny grid (the classic 40 x 40) then pays no task
// scheduling, whose wake-up of another thread costs more than the work of a
// phase. Chunks are the same either way, so the results are too.
template <class Body>
void parallel_chunked(std::size_t begin, std::size_t end, std::size_t grain, const Body& body) {
  if (end - begin <= grain) {
    for (std::size_t i = begin; i < end; ++i) body(i);
    return;
  }
  sim::parallel_for(begin, end, grain, body);
}
// The hot loops on the AVX2 path: vector_loops(body) runs body compiled for
// AVX2 and BMI2 (loops over cells then handle twice the cells an
// instruction, and shifts need no copies) when the vector path is avx2 or
// avx512 (sim::vector_path, forced with BORDERLAND_VECTOR_PATH), and as built
// (x86-64-v2) on the plain path. The body must be a lambda marked
// BORDERLAND_INLINE, so that it is compiled inside the AVX2 function, and
// what it calls in its loops must be inlined too (templates and lambdas
// marked so); a call it leaves out of line runs as built. The results are
// the same on every path (integer loops).
#if defined(__x86_64__) && defined(__GNUC__)
#define BORDERLAND_INLINE __attribute__((always_inline))
template <class Body>
__attribute__((target("avx2,bmi,bmi2,lzcnt,popcnt"))) void run_avx2(const Body& body) {
  body();
}
inline bool avx2_loops() {
  static const bool on = sim::vector_path() != sim::VectorPath::kPlain &&
                         __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2");
  return on;
}
template <class Body>
inline void vector_loops(const Body& body) {
  if (avx2_loops())
    run_avx2(body);
  else
    body();
}
#else
#define BORDERLAND_INLINE
template <class Body>
inline void vector_loops(const Body& body) {
  body();
}
#endif

// Rows per task for a row-by-row pass over a grid nx cells wide: at least
// 16, and enough for 16 384 cells, so that a small grid is one task.
inline std::size_t rows_per_task(int nx) {
  return std::max<std::size_t>(16, std::size_t{16384} / static_cast<std::size_t>(nx));
}

inline int wrap(int v, int n) {
  return v < 0 ? v + n : v >= n ? v - n : v;
}

}  // namespace borderland::civil_violence
