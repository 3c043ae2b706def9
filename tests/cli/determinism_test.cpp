// THE DETERMINISM INVARIANT: same scenario and seed, bit-identical output
// datasets for any thread count; different seeds differ; a rerun is identical
// apart from root attributes (created_utc, threads).
#include <gtest/gtest.h>

#include "common/cli.hpp"
#include "common/h5_digest.hpp"

namespace borderland {

namespace {
const std::string kScenario = std::string(BORDERLAND_SOURCE_DIR) + "/scenarios/civil_violence.yaml";

std::map<std::string, std::vector<char>> run_digest(const std::filesystem::path& dir,
                                                    const std::string& name,
                                                    const std::string& flags) {
  // A legitimacy low enough for arrests, events and outbursts in 200 days.
  const auto r = testing::run_cli(
      "run '" + kScenario + "' -o " + name + " --until 2000-07-18 " +
          "--set parameters.legitimacy=0.72 --set output.snapshot_every=20 " + flags,
      dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return testing::dataset_digest((dir / name).string());
}
}  // namespace

TEST(Determinism, IdenticalDatasetsFor1And2And4Threads) {
  const auto dir = testing::fresh_dir("determinism_threads");
  const auto one = run_digest(dir, "t1.h5", "--threads 1");
  ASSERT_GT(one.at("events/step").size(), 100u) << "the run must exercise arrests";
  EXPECT_EQ(one, run_digest(dir, "t2.h5", "--threads 2"));
  EXPECT_EQ(one, run_digest(dir, "t4.h5", "--threads 4"));
}

TEST(Determinism, DifferentSeedsGiveDifferentRuns) {
  const auto dir = testing::fresh_dir("determinism_seeds");
  const auto a = run_digest(dir, "a.h5", "--seed 1");
  const auto b = run_digest(dir, "b.h5", "--seed 2");
  EXPECT_NE(a.at("timeseries/active"), b.at("timeseries/active"));
  EXPECT_NE(a.at("snapshots/state"), b.at("snapshots/state"));
}

TEST(Determinism, RerunGivesIdenticalFileApartFromTimestamps) {
  const auto dir = testing::fresh_dir("determinism_rerun");
  EXPECT_EQ(run_digest(dir, "first.h5", ""), run_digest(dir, "second.h5", ""));
}

}  // namespace borderland
