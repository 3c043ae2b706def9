// run --checkpoint-every / --restart: a run stopped after a checkpoint and
// restarted from it writes the same datasets, bit for bit, as one unbroken run.
#include <gtest/gtest.h>

#include "common/cli.hpp"
#include "common/h5_digest.hpp"

namespace borderland {

namespace {
const std::string kSource = BORDERLAND_SOURCE_DIR;

using Digest = std::map<std::string, std::vector<char>>;

// Unbroken vs stopped at `until` and restarted; both with checkpoints every `every` days.
void expect_restart_identity(const std::string& name, const std::string& scenario,
                             const std::string& flags, const std::string& until, int every) {
  const auto dir = testing::fresh_dir("checkpoint_" + name);
  const std::string base =
      "run '" + scenario + "' " + flags + " --checkpoint-every " + std::to_string(every) + " -q ";
  const auto whole = testing::run_cli(base + "-o whole.h5", dir);
  if (whole.exit_code == 2 && whole.err.find("cannot save checkpoints") != std::string::npos)
    GTEST_SKIP() << whole.err;
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const auto stopped = testing::run_cli(base + "-o part.h5 --until " + until, dir);
  ASSERT_EQ(stopped.exit_code, 0) << stopped.err;
  const auto restarted = testing::run_cli("run --restart part.h5 -o again.h5 -q", dir);
  ASSERT_EQ(restarted.exit_code, 0) << restarted.err;
  const Digest a = testing::dataset_digest((dir / "whole.h5").string());
  const Digest b = testing::dataset_digest((dir / "again.h5").string());
  ASSERT_TRUE(a.count("checkpoint/state/occupant") || !a.empty());
  EXPECT_EQ(a.size(), b.size());
  for (const auto& [path, bytes] : a) EXPECT_EQ(bytes, b.at(path)) << path;
  // The same from a run killed after a flush: its .partial carries the checkpoint too.
  std::filesystem::copy_file(dir / "part.h5", dir / "copy.h5.partial");
  const auto from_partial = testing::run_cli("run --restart copy.h5.partial -q", dir);
  ASSERT_EQ(from_partial.exit_code, 0) << from_partial.err;
  EXPECT_EQ(a, testing::dataset_digest((dir / "copy.h5").string()));
}
}  // namespace

TEST(Checkpoint, CivilViolenceRestartIsBitIdentical) {
  expect_restart_identity("civil_violence", kSource + "/scenarios/civil_violence.yaml",
                          "--set end=2000-07-18 --set parameters.legitimacy=0.72 "
                          "--set output.snapshot_every=20 --threads 2",
                          "2000-04-15", 30);
}

TEST(Checkpoint, TtpRestartIsBitIdentical) {
  const std::string scenario = kSource + "/scenarios/ttp/historical_2020_2023.yaml";
  if (!std::filesystem::exists(scenario)) GTEST_SKIP() << "no TTP scenario";
  expect_restart_identity("ttp", scenario, "--set end=2020-06-30 --threads 2", "2020-04-10", 45);
}

TEST(Checkpoint, RestartNeedsACheckpoint) {
  const auto dir = testing::fresh_dir("checkpoint_missing");
  ASSERT_EQ(
      testing::run_cli(
          "run '" + kSource + "/scenarios/civil_violence.yaml' --set end=2000-01-10 -q -o plain.h5",
          dir)
          .exit_code,
      0);
  const auto r = testing::run_cli("run --restart plain.h5", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no /checkpoint in this file"), std::string::npos) << r.err;
  const auto both = testing::run_cli("run x.yaml --restart plain.h5", dir);
  EXPECT_EQ(both.exit_code, 2);
}

}  // namespace borderland
