// THE DETERMINISM INVARIANT for the TTP model: the same scenario and seed give
// bit-identical output datasets for 1, 2 and 4 threads.
#include <gtest/gtest.h>

#include "common/h5_digest.hpp"
#include "ttp_helpers.hpp"

namespace borderland::ttp {

TEST(TtpDeterminism, IdenticalOutputFor1And2And4Threads) {
  const auto dir = testing::fresh_dir("determinism");
  const auto s = testing::scenario_from_file("scenarios/ttp/historical_2020_2023.yaml",
                                             {"output.snapshot_every=90"});
  std::map<std::string, std::vector<char>> digests[3];
  const int threads[3] = {1, 2, 4};
  for (int k = 0; k < 3; ++k) {
    const char* names[3] = {"t1.h5", "t2.h5", "t4.h5"};
    const auto out = (dir / names[k]).string();
    testing::run(s, threads[k], out);
    digests[k] = borderland::testing::dataset_digest(out);
  }
  ASSERT_GT(digests[0].at("events/step").size(), 1000u);
  ASSERT_TRUE(digests[0].count("snapshots/grievance"));
  EXPECT_EQ(digests[0], digests[1]);
  EXPECT_EQ(digests[0], digests[2]);
}

TEST(TtpDeterminism, DifferentSeedsDiffer) {
  const auto a = testing::run(
      testing::scenario_from_file("scenarios/ttp/historical_2020_2023.yaml", {"seed=1"}));
  const auto b = testing::run(
      testing::scenario_from_file("scenarios/ttp/historical_2020_2023.yaml", {"seed=2"}));
  EXPECT_NE(a["attacks"], b["attacks"]);
}

}  // namespace borderland::ttp
