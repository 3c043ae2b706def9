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

TEST(RandomDraws, BelowSmallIsExactAndUniform) {
  EXPECT_EQ(RandomDraws::bits_for(1), 1);
  EXPECT_EQ(RandomDraws::bits_for(2), 1);
  EXPECT_EQ(RandomDraws::bits_for(224), 8);
  EXPECT_EQ(RandomDraws::bits_for(256), 8);
  EXPECT_EQ(RandomDraws::bits_for(257), 9);
  // 224 = the 15 x 15 window less its centre: 8-bit chunks, 32 of 256 rejected.
  const std::uint32_t n = 224;
  const int bits = RandomDraws::bits_for(n);
  std::vector<int> counts(n, 0);
  RandomDraws draws(5, kStream, 0, 0);
  const int per_value = 1000;
  for (std::uint32_t i = 0; i < n * per_value; ++i) {
    const std::uint32_t v = draws.below_small(n, bits);
    ASSERT_LT(v, n);
    ++counts[v];
  }
  // Chi-square with 223 degrees of freedom: mean 223, sd ~21; 330 is ~5 sd.
  double chi2 = 0;
  for (const int c : counts) chi2 += (c - per_value) * (c - per_value) / double{per_value};
  EXPECT_LT(chi2, 330.0);
  EXPECT_GT(chi2, 130.0);  // not suspiciously even either
}

TEST(RandomDraws, BelowSmallUsesOneWordForSeveralTries) {
  // Four 8-bit tries from one word: the fifth call starts the second word.
  RandomDraws a(8, kStream, 1, 2), b(8, kStream, 1, 2);
  const std::uint32_t first = b.next_u32();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(a.below_small(256, 8), (first >> (8 * i)) & 0xFFu);
  EXPECT_EQ(a.below_small(256, 8), b.next_u32() & 0xFFu);
}

TEST(RandomDraws, LongSequencesDoNotRepeatEarly) {
  RandomDraws draws(11, kStream, 0, 0);
  std::set<std::uint32_t> seen;
  for (int i = 0; i < 10000; ++i) seen.insert(draws.next_u32());
  EXPECT_GT(seen.size(), 9990u);
}

}  // namespace borderland::sim
