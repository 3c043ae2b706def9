#include "sim/parallel.hpp"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <cmath>
#include <vector>

namespace borderland::sim {

TEST(Parallel, ForVisitsEveryIndexOnce) {
  std::vector<int> hits(10007, 0);
  parallel_for(0, hits.size(), 64, [&](std::size_t i) { ++hits[i]; });
  for (int h : hits) ASSERT_EQ(h, 1);
}

TEST(Parallel, FloatingPointSumIsIdenticalForAnyThreadCount) {
  // Values whose sum depends on association order, so a non-deterministic
  // reduction would show up as differing bits.
  auto value = [](std::size_t i) {
    return std::sin(static_cast<double>(i)) * 1e10 + 1e-6 * static_cast<double>(i);
  };
  std::vector<double> sums;
  for (int threads : {1, 2, 4, 7}) {
    tbb::task_arena arena(threads);
    arena.execute([&] { sums.push_back(deterministic_sum<double>(0, 1000003, 1024, value)); });
  }
  for (double s : sums) EXPECT_EQ(s, sums[0]);  // bitwise, not near
}

TEST(Parallel, EmptyRangesDoNothing) {
  parallel_for(5, 5, 1, [](std::size_t) { FAIL(); });
  EXPECT_EQ(deterministic_sum<int>(3, 3, 1, [](std::size_t) { return 1; }), 0);
}

}  // namespace borderland::sim
