#pragma once
// The first Philox block of many subjects at once, vectorised.
//
// A phase that gives one RandomDraws to every cell of a row (subjects c, c + 1,
// ...) spends most of its random-number time in Philox's ten rounds, one block
// per subject. Computed here for a whole run of subjects with AVX-512 or AVX2
// when the CPU has them (checked once at run time), and plainly otherwise: the
// blocks are the same bits on every path, so results never depend on the CPU.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "sim/rng.hpp"

namespace borderland::sim {

// words[w][i] = word w of the first block of RandomDraws(seed, stream, step,
// first + i), for i < count; the four spans hold at least count words each.
// Hand the four words of subject i to RandomDraws's first-block constructor.
using BlockWords = std::array<std::span<std::uint32_t>, 4>;
void first_blocks(std::uint64_t seed, StreamId stream, std::uint64_t step, std::uint64_t first,
                  std::size_t count, const BlockWords& words);
// The same for a list of subjects below 2^32 (cells, agent rows): words[w][i] =
// word w of the first block of RandomDraws(seed, stream, step, subjects[i]).
void listed_blocks(std::uint64_t seed, StreamId stream, std::uint64_t step,
                   std::span<const std::uint32_t> subjects, const BlockWords& words);

namespace detail {
// Each implementation, for tests; the vectorised ones return false (and write
// nothing) when the CPU lacks the instructions.
void first_blocks_plain(std::uint64_t seed, StreamId stream, std::uint64_t step,
                        std::uint64_t first, std::size_t count, const BlockWords& words);
bool first_blocks_avx2(std::uint64_t seed, StreamId stream, std::uint64_t step, std::uint64_t first,
                       std::size_t count, const BlockWords& words);
bool first_blocks_avx512(std::uint64_t seed, StreamId stream, std::uint64_t step,
                         std::uint64_t first, std::size_t count, const BlockWords& words);
void listed_blocks_plain(std::uint64_t seed, StreamId stream, std::uint64_t step,
                         std::span<const std::uint32_t> subjects, const BlockWords& words);
bool listed_blocks_avx2(std::uint64_t seed, StreamId stream, std::uint64_t step,
                        std::span<const std::uint32_t> subjects, const BlockWords& words);
bool listed_blocks_avx512(std::uint64_t seed, StreamId stream, std::uint64_t step,
                          std::span<const std::uint32_t> subjects, const BlockWords& words);
}  // namespace detail

}  // namespace borderland::sim
