#pragma once
// Stateless counter-based random numbers (Random123 Philox4x32-10).
//
// A draw is a pure function of (run seed, stream, step, agent id, draw index):
// no generator state is stored anywhere, so results cannot depend on thread
// count, scheduling or memory order. Each model lists its stream ids in ONE
// enum (models/<name>/streams.hpp); the engine's own are in EngineStream.
#include <Random123/philox.h>

#include <array>
#include <cstdint>

namespace borderland::sim {

using StreamId = std::uint32_t;

// The engine's own streams. Model streams start at kFirstModelStream.
enum class EngineStream : StreamId {
  kSweepSeeds = 1,  // per-run seeds of a sweep
  kTest = 2,        // unit tests
};
inline constexpr StreamId kFirstModelStream = 100;

// Draws for one (stream, step, subject). Cheap to construct on the stack inside
// a parallel loop: it only holds the key, the counter and four buffered words.
class RandomDraws {
 public:
  using Philox = r123::Philox4x32;

  RandomDraws(std::uint64_t seed, StreamId stream, std::uint64_t step, std::uint64_t subject) {
    key_ = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
    // Counter words: stream, step, subject low, (subject high 16 bits | block index).
    // Subjects (agent ids, cell indices) must stay below 2^48; blocks below 2^16.
    ctr_ = {{stream, static_cast<std::uint32_t>(step), static_cast<std::uint32_t>(subject),
             static_cast<std::uint32_t>((subject >> 32) & 0xFFFFu) << 16}};
  }
  template <class StreamEnum>
  RandomDraws(std::uint64_t seed, StreamEnum stream, std::uint64_t step, std::uint64_t subject)
      : RandomDraws(seed, static_cast<StreamId>(stream), step, subject) {}
  // The same draws, given their first block already computed (by
  // sim::first_blocks, for many subjects at once): no Philox call until it is used up.
  template <class StreamEnum>
  RandomDraws(std::uint64_t seed, StreamEnum stream, std::uint64_t step, std::uint64_t subject,
              const std::array<std::uint32_t, 4>& first_block)
      : RandomDraws(seed, static_cast<StreamId>(stream), step, subject) {
    words_ = {{first_block[0], first_block[1], first_block[2], first_block[3]}};
    ++ctr_[3];
    used_ = 0;
  }
  // The same again, given also the `count` blocks that follow the first (four words each, in
  // order; sim/row_draws.hpp computes them for many subjects at once): held by the caller, read
  // as the draws reach them, Philox called only after them.
  template <class StreamEnum>
  RandomDraws(std::uint64_t seed, StreamEnum stream, std::uint64_t step, std::uint64_t subject,
              const std::array<std::uint32_t, 4>& first_block,
              const std::array<std::uint32_t, 4>* next_blocks, int count)
      : RandomDraws(seed, stream, step, subject, first_block) {
    next_ = next_blocks;
    next_left_ = count;
  }

  // Next raw 32-bit word.
  std::uint32_t next_u32() {
    if (used_ == 4) refill();
    return words_[used_++];
  }
  std::uint64_t next_u64() {
    const std::uint64_t hi = next_u32();
    return (hi << 32) | next_u32();
  }
  // Uniform on [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform on [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer on [0, n), n > 0, without modulo bias (Lemire's multiply-shift with rejection).
  std::uint32_t below(std::uint32_t n) {
    std::uint64_t m = std::uint64_t{next_u32()} * n;
    auto low = static_cast<std::uint32_t>(m);
    if (low < n) {
      const std::uint32_t threshold = (0u - n) % n;
      while (low < threshold) {
        m = std::uint64_t{next_u32()} * n;
        low = static_cast<std::uint32_t>(m);
      }
    }
    return static_cast<std::uint32_t>(m >> 32);
  }
  bool bernoulli(double p) { return uniform() < p; }

 private:
  void refill() {
    if (next_left_ > 0) {
      words_ = {{(*next_)[0], (*next_)[1], (*next_)[2], (*next_)[3]}};
      ++next_, --next_left_;
    } else {
      words_ = Philox()(ctr_, key_);
    }
    ++ctr_[3];  // block index lives in the low 16 bits of word 3
    used_ = 0;
  }
  Philox::key_type key_{};
  Philox::ctr_type ctr_{};
  Philox::ctr_type words_{};
  const std::array<std::uint32_t, 4>* next_ = nullptr;  // blocks given in advance
  int used_ = 4;
  int next_left_ = 0;
};

}  // namespace borderland::sim
