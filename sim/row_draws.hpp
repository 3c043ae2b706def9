#pragma once
// The RandomDraws of a chunk of agent rows, their first blocks computed at once.
//
// A phase that gives every row of an agent store its own RandomDraws(seed,
// stream, step, id) spends most of its random-number time on the first
// Philox block of each row. RowDraws computes those blocks for the rows
// [lo, lo + kMaxRows) that a phase will draw for, in one vectorised call
// (sim/philox_batch.hpp), and hands each row a RandomDraws that starts from its
// block: the same draws, bit for bit, as RandomDraws(seed, stream, step, id).
// A row not selected (or an id of 2^32 or more) gets a plain RandomDraws, so a
// wrong guess costs time, never a different result.
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

  // Blocks for the rows i in [lo, hi) with need(i) true (the first kMaxRows of them; the
  // others get plain draws).
  template <class StreamEnum, class Need>
  RowDraws(std::uint64_t seed, StreamEnum stream, std::uint64_t step, std::span<const AgentId> ids,
           std::size_t lo, std::size_t hi, const Need& need)
      : seed_(seed), stream_(static_cast<StreamId>(stream)), step_(step), ids_(ids), lo_(lo) {
    hi_ = std::min(hi, lo + kMaxRows);
    std::size_t count = 0;
    for (std::size_t i = lo; i < hi_; ++i) {
      slot_[i - lo] = kNone;
      if (!need(i) || ids[i] >> 32 != 0) continue;
      slot_[i - lo] = static_cast<std::uint16_t>(count);
      subjects_[count++] = static_cast<std::uint32_t>(ids[i]);
    }
    listed_blocks(seed, stream_, step, std::span<const std::uint32_t>(subjects_.data(), count),
                  {std::span<std::uint32_t>(words_[0].data(), count),
                   std::span<std::uint32_t>(words_[1].data(), count),
                   std::span<std::uint32_t>(words_[2].data(), count),
                   std::span<std::uint32_t>(words_[3].data(), count)});
  }

  // The draws of row i (lo <= i < hi).
  RandomDraws at(std::size_t i) const {
    const std::uint16_t k = i < hi_ ? slot_[i - lo_] : kNone;
    if (k == kNone) return RandomDraws(seed_, stream_, step_, ids_[i]);
    return RandomDraws(
        seed_, stream_, step_, ids_[i],
        std::array<std::uint32_t, 4>{words_[0][k], words_[1][k], words_[2][k], words_[3][k]});
  }

 private:
  static constexpr std::uint16_t kNone = 0xFFFF;
  std::uint64_t seed_;
  StreamId stream_;
  std::uint64_t step_;
  std::span<const AgentId> ids_;
  std::size_t lo_, hi_ = 0;
  std::array<std::uint16_t, kMaxRows> slot_;
  std::array<std::uint32_t, kMaxRows> subjects_;
  std::array<std::array<std::uint32_t, kMaxRows>, 4> words_;
};

// body(lo, hi) over [begin, end) in consecutive chunks of at most RowDraws::kMaxRows rows, in
// order: for serial loops that want RowDraws.
template <class Body>
void for_row_chunks(std::size_t begin, std::size_t end, const Body& body) {
  for (std::size_t lo = begin; lo < end; lo += RowDraws::kMaxRows)
    body(lo, std::min(end, lo + RowDraws::kMaxRows));
}

}  // namespace borderland::sim
