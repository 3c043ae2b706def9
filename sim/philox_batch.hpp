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
#include <vector>

#include "sim/rng.hpp"

namespace borderland::sim {

// The path the functions below take: the widest the CPU has, or the one
// BORDERLAND_VECTOR_PATH names (plain, avx2, avx512; for measuring each, see
// bench/civil_violence_step.sh). Throws InputError when the variable names no
// path or one the CPU lacks. Read once, at the first call.
enum class VectorPath { kPlain, kAvx2, kAvx512 };
VectorPath vector_path();
const char* vector_path_name(VectorPath path);

// words[w][i] = word w of the first block of RandomDraws(seed, stream, step,
// first + i), for i < count; the four spans hold at least count words each.
// Hand the four words of subject i to RandomDraws's first-block constructor.
using BlockWords = std::array<std::span<std::uint32_t>, 4>;
void first_blocks(std::uint64_t seed, StreamId stream, std::uint64_t step, std::uint64_t first,
                  std::size_t count, const BlockWords& words);
// The same for a list of subjects below 2^32 (cells, agent rows): words[w][i] =
// word w of the first block of RandomDraws(seed, stream, step, subjects[i]); with
// `block` > 0 (below 2^16), of the block that many after the first (the words
// 4 block .. 4 block + 3 those draws give).
void listed_blocks(std::uint64_t seed, StreamId stream, std::uint64_t step,
                   std::span<const std::uint32_t> subjects, const BlockWords& words,
                   std::uint32_t block = 0);

// listed_blocks with its storage: subjects are added one by one (a phase's
// cops, say), their blocks computed at once, then handed to RandomDraws's
// first-block constructor. Reused from one call to the next without
// reallocating.
class BlockBatch {
 public:
  void clear() { subjects_.clear(); }
  void add(std::uint32_t subject) { subjects_.push_back(subject); }
  void compute(std::uint64_t seed, StreamId stream, std::uint64_t step) {
    for (auto& w : words_) w.resize(subjects_.size());
    listed_blocks(seed, stream, step, subjects_, {words_[0], words_[1], words_[2], words_[3]});
  }
  // The first block of the i-th subject added (after compute).
  std::array<std::uint32_t, 4> block(std::size_t i) const {
    return {words_[0][i], words_[1][i], words_[2][i], words_[3][i]};
  }

 private:
  std::vector<std::uint32_t> subjects_;
  std::array<std::vector<std::uint32_t>, 4> words_;
};

namespace detail {
// The path for a value of BORDERLAND_VECTOR_PATH (null: unset) on a CPU with
// or without AVX2 and AVX-512F; throws InputError for a bad value.
VectorPath parse_vector_path(const char* value, bool has_avx2, bool has_avx512);
// Each implementation, for tests; the vectorised ones return false (and write
// nothing) when the CPU lacks the instructions.
void first_blocks_plain(std::uint64_t seed, StreamId stream, std::uint64_t step,
                        std::uint64_t first, std::size_t count, const BlockWords& words);
bool first_blocks_avx2(std::uint64_t seed, StreamId stream, std::uint64_t step, std::uint64_t first,
                       std::size_t count, const BlockWords& words);
bool first_blocks_avx512(std::uint64_t seed, StreamId stream, std::uint64_t step,
                         std::uint64_t first, std::size_t count, const BlockWords& words);
void listed_blocks_plain(std::uint64_t seed, StreamId stream, std::uint64_t step,
                         std::span<const std::uint32_t> subjects, const BlockWords& words,
                         std::uint32_t block = 0);
bool listed_blocks_avx2(std::uint64_t seed, StreamId stream, std::uint64_t step,
                        std::span<const std::uint32_t> subjects, const BlockWords& words,
                        std::uint32_t block = 0);
bool listed_blocks_avx512(std::uint64_t seed, StreamId stream, std::uint64_t step,
                          std::span<const std::uint32_t> subjects, const BlockWords& words,
                          std::uint32_t block = 0);
}  // namespace detail

}  // namespace borderland::sim
