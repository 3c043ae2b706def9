#include "sim/window_sums.hpp"

#include <gtest/gtest.h>

#include <tuple>
#include <vector>

#include "sim/rng.hpp"

namespace borderland::sim {

namespace {
std::vector<std::int32_t> random_counts(const Grid& g, std::uint64_t seed) {
  std::vector<std::int32_t> v(g.cells());
  for (std::size_t i = 0; i < v.size(); ++i)
    v[i] = static_cast<std::int32_t>(RandomDraws(seed, EngineStream::kTest, 0, i).below(3));
  return v;
}

// The obvious O(r^2) scans the prefix sums must agree with.
std::int64_t brute_square(const Grid& g, const std::vector<std::int32_t>& v, int x, int y, int r) {
  std::int64_t s = 0;
  for (int dy = -r; dy <= r; ++dy)
    for (int dx = -r; dx <= r; ++dx)
      if (auto c = g.locate(x + dx, y + dy)) s += v[*c];
  return s;
}
std::int64_t brute_cross(const Grid& g, const std::vector<std::int32_t>& v, int x, int y, int r) {
  std::int64_t s = 0;
  for (int d = 1; d <= r; ++d)
    for (auto [dx, dy] : {std::pair{d, 0}, {-d, 0}, {0, d}, {0, -d}})
      if (auto c = g.locate(x + dx, y + dy)) s += v[*c];
  return s;
}
}  // namespace

class WindowSums : public ::testing::TestWithParam<std::tuple<Edges, int>> {};

TEST_P(WindowSums, AgreeWithBruteForceEverywhere) {
  const auto [edges, r] = GetParam();
  const Grid g(23, 17, edges);
  const auto v = random_counts(g, 5);
  SummedAreaTable sat;
  CrossSums cross;
  sat.build(g, v);
  cross.build(g, v);
  for (int y = 0; y < g.ny(); ++y)
    for (int x = 0; x < g.nx(); ++x) {
      ASSERT_EQ(sat.square(x, y, r), brute_square(g, v, x, y, r)) << x << "," << y;
      ASSERT_EQ(cross.cross(x, y, r), brute_cross(g, v, x, y, r)) << x << "," << y;
    }
}

INSTANTIATE_TEST_SUITE_P(EdgesAndRadii, WindowSums,
                         ::testing::Combine(::testing::Values(Edges::kBounded, Edges::kTorus),
                                            ::testing::Values(0, 1, 3, 8)));

TEST(WindowSums, WindowWiderThanABoundedGridCountsEverything) {
  const Grid g(4, 3);
  const std::vector<std::int32_t> ones(g.cells(), 1);
  SummedAreaTable sat;
  sat.build(g, ones);
  EXPECT_EQ(sat.square(1, 1, 10), 12);
  EXPECT_EQ(sat.rect(0, 0, 3, 2), 12);
}

TEST(SplitRange, WrapsOnATorusAndClipsOtherwise) {
  int lo[2], hi[2];
  ASSERT_EQ(split_range(-2, 1, 10, true, lo, hi), 2);
  EXPECT_EQ(lo[0], 8);
  EXPECT_EQ(hi[0], 9);
  EXPECT_EQ(lo[1], 0);
  EXPECT_EQ(hi[1], 1);
  ASSERT_EQ(split_range(-2, 1, 10, false, lo, hi), 1);
  EXPECT_EQ(lo[0], 0);
  EXPECT_EQ(hi[0], 1);
  EXPECT_EQ(split_range(12, 14, 10, false, lo, hi), 0);
}

}  // namespace borderland::sim
