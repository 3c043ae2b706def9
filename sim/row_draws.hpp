#pragma once
// The RandomDraws of a chunk of agent rows, their first blocks computed at once.
//
// A phase that gives every row of an agent store its own RandomDraws(seed,
// stream, step, id) spends most of its random-number time on the first
// Philox block of each row. RowDraws computes those blocks for the rows
// [lo, lo + kMaxRows) that a phase will draw for, in one vectorised call
// (sim/philox_batch.hpp), and hands each row a RandomDraws that starts from its
// block: the same draws, bit for bit, as RandomDraws(seed, stream, step, id).
// A row may ask for more than its first block (a phase whose rows draw more
// than four words). A row not selected (or an id
// of 2^32 or more) gets a plain RandomDraws, and a row that draws past its
// blocks calls Philox for the rest, so a wrong guess costs time, never a
// different result.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "sim/agents.hpp"
#include "sim/philox_batch.hpp"
#include "sim/rng.hpp"

namespace borderland::sim {

class RowDraws {
 public:
  static constexpr std::size_t kMaxRows = 256;  // a parallel_chunks chunk of grain 256
  static constexpr int kMaxBlocks = 4;          // blocks computed per row, at most

  // Blocks for the rows i in [lo, hi) (the first kMaxRows of them; the others get plain
  // draws): need(i) says how many (false or 0: none, true or 1: the first, up to kMaxBlocks).
  template <class StreamEnum, class Need>
  RowDraws(std::uint64_t seed, StreamEnum stream, std::uint64_t step, std::span<const AgentId> ids,
           std::size_t lo, std::size_t hi, const Need& need)
      : seed_(seed), stream_(static_cast<StreamId>(stream)), step_(step), ids_(ids), lo_(lo) {
    hi_ = std::min(hi, lo + kMaxRows);
    std::size_t count = 0;
    int most = 1;
    for (std::size_t i = lo; i < hi_; ++i) {
      slot_[i - lo] = kNone;
      const int blocks = std::min(kMaxBlocks, static_cast<int>(need(i)));
      if (blocks <= 0 || ids[i] >> 32 != 0) continue;
      slot_[i - lo] = static_cast<std::uint16_t>(count);
      blocks_[count] = static_cast<std::uint8_t>(blocks);
      most = std::max(most, blocks);
      subjects_[count++] = static_cast<std::uint32_t>(ids[i]);
    }
    listed_blocks(seed, stream_, step, std::span<const std::uint32_t>(subjects_.data(), count),
                  words_of(words_, count));
    if (most == 1) return;
    std::array<std::uint16_t, kMaxRows> rows;  // the places that want more than one block
    std::array<std::uint32_t, kMaxRows> subjects;
    std::size_t m = 0;
    for (std::size_t k = 0; k < count; ++k)
      if (blocks_[k] > 1) rows[m] = static_cast<std::uint16_t>(k), subjects[m++] = subjects_[k];
    for (int b = 1; b < most; ++b) {  // the next blocks of the rows that want them
      std::size_t kept = 0;           // drop the places done with
      for (std::size_t j = 0; j < m; ++j)
        if (blocks_[rows[j]] > b) rows[kept] = rows[j], subjects[kept++] = subjects[j];
      m = kept;
      Words words;
      listed_blocks(seed, stream_, step, std::span<const std::uint32_t>(subjects.data(), m),
                    words_of(words, m), static_cast<std::uint32_t>(b));
      for (std::size_t j = 0; j < m; ++j)
        next_[rows[j]][static_cast<std::size_t>(b - 1)] = {words[0][j], words[1][j], words[2][j],
                                                           words[3][j]};
    }
  }

  // The draws of row i (lo <= i < hi).
  RandomDraws at(std::size_t i) const {
    const std::uint16_t k = i < hi_ ? slot_[i - lo_] : kNone;
    if (k == kNone) return RandomDraws(seed_, stream_, step_, ids_[i]);
    return RandomDraws(
        seed_, stream_, step_, ids_[i],
        std::array<std::uint32_t, 4>{words_[0][k], words_[1][k], words_[2][k], words_[3][k]},
        next_[k].data(), blocks_[k] - 1);
  }

 private:
  using Words = std::array<std::array<std::uint32_t, kMaxRows>, 4>;
  static BlockWords words_of(Words& w, std::size_t count) {
    return {
        std::span<std::uint32_t>(w[0].data(), count), std::span<std::uint32_t>(w[1].data(), count),
        std::span<std::uint32_t>(w[2].data(), count), std::span<std::uint32_t>(w[3].data(), count)};
  }
  static constexpr std::uint16_t kNone = 0xFFFF;
  std::uint64_t seed_;
  StreamId stream_;
  std::uint64_t step_;
  std::span<const AgentId> ids_;
  std::size_t lo_, hi_ = 0;
  std::array<std::uint16_t, kMaxRows> slot_;      // per row: its place below, or kNone
  std::array<std::uint32_t, kMaxRows> subjects_;  // per place: the row's id
  std::array<std::uint8_t, kMaxRows> blocks_;     // per place: blocks computed
  Words words_;                                   // per place: the first block, word by word
  std::array<std::array<std::array<std::uint32_t, 4>, kMaxBlocks - 1>, kMaxRows> next_;
};

// body(lo, hi) over [begin, end) in consecutive chunks of at most RowDraws::kMaxRows rows, in
// order: for serial loops that want RowDraws.
template <class Body>
void for_row_chunks(std::size_t begin, std::size_t end, const Body& body) {
  for (std::size_t lo = begin; lo < end; lo += RowDraws::kMaxRows)
    body(lo, std::min(end, lo + RowDraws::kMaxRows));
}

}  // namespace borderland::sim
