#include "sim/rng.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <vector>

namespace borderland::sim {

constexpr auto kStream = EngineStream::kTest;

TEST(RandomDraws, SameKeyGivesSameSequence) {
  RandomDraws a(42, kStream, 7, 123), b(42, kStream, 7, 123);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.next_u32(), b.next_u32());
}

TEST(RandomDraws, EveryKeyPartChangesTheDraws) {
  const auto first = [](std::uint64_t seed, StreamId stream, std::uint64_t step, std::uint64_t id) {
    return RandomDraws(seed, stream, step, id).next_u64();
  };
  const auto base = first(1, 5, 2, 3);
  EXPECT_NE(base, first(2, 5, 2, 3));
  EXPECT_NE(base, first(1, 6, 2, 3));
  EXPECT_NE(base, first(1, 5, 3, 3));
  EXPECT_NE(base, first(1, 5, 2, 4));
  EXPECT_NE(base, first(1, 5, 2, 3 + (std::uint64_t{1} << 32)));  // high id bits matter
  EXPECT_NE(base, first(1ull << 33, 5, 2, 3));                    // high seed bits matter
}

TEST(RandomDraws, UniformHasTheRightMeanAndRange) {
  double sum = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double u = RandomDraws(9, kStream, 0, static_cast<std::uint64_t>(i)).uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / n, 0.5, 0.005);  // 4.5 standard errors
}

TEST(RandomDraws, BelowIsUnbiasedOverSmallRanges) {
  std::vector<int> counts(7, 0);
  RandomDraws draws(3, kStream, 0, 0);
  const int n = 70000;
  for (int i = 0; i < n; ++i) ++counts[draws.below(7)];
  for (int c : counts) EXPECT_NEAR(c, n / 7, 400);  // ~4 standard deviations
}

TEST(RandomDraws, LongSequencesDoNotRepeatEarly) {
  RandomDraws draws(11, kStream, 0, 0);
  std::set<std::uint32_t> seen;
  for (int i = 0; i < 10000; ++i) seen.insert(draws.next_u32());
  EXPECT_GT(seen.size(), 9990u);
}

}  // namespace borderland::sim
