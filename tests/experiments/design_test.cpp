// Designs: Sobol points against published values (and Boost's independent
// Joe-Kuo implementation when installed), factorial counts and order, LHS
// stratification, the Saltelli block layout, seeds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "sim/error.hpp"
#include "sim/experiments/design.hpp"
#include "sim/experiments/sobol.hpp"

#if __has_include(<boost/random/sobol.hpp>)
#include <boost/random/sobol.hpp>
#define BORDERLAND_HAVE_BOOST_SOBOL 1
#endif

namespace borderland::sim::experiments {

TEST(Sobol, FirstPointsMatchPublishedValues) {
  // The unscrambled Joe-Kuo sequence as tabulated (e.g. scipy.stats.qmc.Sobol(d, scramble=False)).
  const std::vector<double> expected = {0,     0,     0,     0.5,   0.5,   0.5,   0.75,  0.25,
                                        0.25,  0.25,  0.75,  0.75,  0.375, 0.375, 0.625, 0.875,
                                        0.875, 0.125, 0.625, 0.125, 0.875, 0.125, 0.625, 0.375};
  EXPECT_EQ(sobol_points(8, 3), expected);
  // Skipping points gives the tail of the same sequence.
  const auto tail = sobol_points(3, 3, 5);
  EXPECT_EQ(tail, std::vector<double>(expected.begin() + 15, expected.end()));
}

TEST(Sobol, EveryDimensionIsBalancedOverPowersOfTwo) {
  // (t,m,s)-net property in one dimension: the first 2^k points put one point
  // in each interval [j/2^k, (j+1)/2^k).
  const std::size_t dims = kSobolMaxDims, n = 256;
  const auto x = sobol_points(n, dims);
  for (std::size_t j = 0; j < dims; ++j) {
    std::set<std::size_t> cells;
    for (std::size_t i = 0; i < n; ++i) cells.insert(static_cast<std::size_t>(x[i * dims + j] * n));
    EXPECT_EQ(cells.size(), n) << "dimension " << j + 1;
  }
}

#ifdef BORDERLAND_HAVE_BOOST_SOBOL
TEST(Sobol, MatchesBoostJoeKuoInEveryDimension) {
  const std::size_t dims = kSobolMaxDims, n = 4096;
  boost::random::sobol_engine<std::uint32_t, 32> engine(dims);
  const auto ours = sobol_points(n, dims, 1);  // Boost starts after the origin
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < dims; ++j)
      ASSERT_EQ(ours[i * dims + j], static_cast<double>(engine()) * 0x1.0p-32)
          << "point " << i + 1 << ", dimension " << j + 1;
}
#endif

TEST(Sobol, TooManyDimensionsIsAnInputError) {
  EXPECT_THROW(sobol_points(4, kSobolMaxDims + 1), InputError);
}

TEST(Factorial, CountsAndOrderLastParameterFastest) {
  const auto grid = factorial_grid({{1, 2}, {10, 20, 30}});
  ASSERT_EQ(grid.size(), 2u * 3u * 2u);
  EXPECT_EQ(grid, (std::vector<double>{1, 10, 1, 20, 1, 30, 2, 10, 2, 20, 2, 30}));
  Design d;
  d.kind = DesignKind::kFactorial;
  d.parameters = {
      {"a", 0, 0, {1, 2, 3}, false, {}}, {"b", 0, 0, {4, 5}, false, {}}, {"c", 0, 0, {6, 7, 8, 9}, false, {}}};
  d.replicas = 3;
  generate(d, 0);
  EXPECT_EQ(d.points, 24);
  EXPECT_EQ(d.runs(), 72);
  EXPECT_EQ(d.value(24 + 5, 2), 7);  // replicate 1 repeats point 5 = (1, 5, 7)
}

TEST(Lhs, EveryStratumOfEveryDimensionHoldsOnePoint) {
  for (std::int64_t n : {1, 7, 50, 333}) {
    const std::size_t dims = 4;
    const auto x = lhs_unit(n, dims, 42);
    for (std::size_t j = 0; j < dims; ++j) {
      std::vector<int> count(static_cast<std::size_t>(n), 0);
      for (std::int64_t i = 0; i < n; ++i) {
        const double u = x[static_cast<std::size_t>(i) * dims + j];
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
        ++count[static_cast<std::size_t>(u * static_cast<double>(n))];
      }
      EXPECT_TRUE(std::all_of(count.begin(), count.end(), [](int c) { return c == 1; }))
          << "n = " << n << ", dimension " << j;
    }
  }
  EXPECT_EQ(lhs_unit(20, 3, 1), lhs_unit(20, 3, 1));
  EXPECT_NE(lhs_unit(20, 3, 1), lhs_unit(20, 3, 2));
}

TEST(Saltelli, BlocksAreABThenABiWithColumnIFromB) {
  const std::int64_t n = 16;
  const std::size_t d = 3;
  const auto rows = saltelli_unit(n, d);
  ASSERT_EQ(rows.size(), (d + 2) * static_cast<std::size_t>(n) * d);
  const auto sobol = sobol_points(static_cast<std::size_t>(n), 2 * d, 1);
  auto at = [&](std::size_t block, std::size_t k, std::size_t j) {
    return rows[(block * static_cast<std::size_t>(n) + k) * d + j];
  };
  for (std::size_t k = 0; k < static_cast<std::size_t>(n); ++k)
    for (std::size_t j = 0; j < d; ++j) {
      EXPECT_EQ(at(0, k, j), sobol[k * 2 * d + j]);      // A: first d coordinates
      EXPECT_EQ(at(1, k, j), sobol[k * 2 * d + d + j]);  // B: last d coordinates
      for (std::size_t i = 0; i < d; ++i)                // AB_i
        EXPECT_EQ(at(2 + i, k, j), j == i ? at(1, k, j) : at(0, k, j));
    }
  Design design;
  design.kind = DesignKind::kSaltelli;
  design.parameters = {{"x", -1, 1, {}, false, {}}, {"y", 0, 10, {}, true, {}}};
  design.replicas = 2;
  generate(design, 8);
  EXPECT_EQ(design.base_samples, 8);
  EXPECT_EQ(design.points, 8 * 4);
  for (std::int64_t r = 0; r < design.runs(); ++r) {
    EXPECT_GE(design.value(r, 0), -1);
    EXPECT_LT(design.value(r, 0), 1);
    EXPECT_EQ(design.value(r, 1), std::floor(design.value(r, 1)));  // integer parameter
    EXPECT_LE(design.value(r, 1), 10);
  }
}

TEST(Random, ValuesInRangeAndReproducible) {
  Design d;
  d.kind = DesignKind::kRandom;
  d.sweep_seed = 9;
  d.parameters = {{"a", 2, 3, {}, false, {}}};
  generate(d, 100);
  EXPECT_EQ(d.points, 100);
  for (double v : d.values) {
    EXPECT_GE(v, 2);
    EXPECT_LT(v, 3);
  }
  Design again = d;
  generate(again, 100);
  EXPECT_EQ(again.values, d.values);
}

TEST(Seeds, DeterministicDistinctAndNonNegative) {
  std::set<std::uint64_t> seen;
  for (std::int64_t replicate = 0; replicate < 20; ++replicate)
    for (std::int64_t point = 0; point < 50; ++point) {
      const auto s = run_seed(7, point, replicate);
      EXPECT_EQ(s, run_seed(7, point, replicate));
      EXPECT_LT(s, std::uint64_t{1} << 63);
      seen.insert(s);
    }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_NE(run_seed(7, 0, 0), run_seed(8, 0, 0));
}

}  // namespace borderland::sim::experiments
