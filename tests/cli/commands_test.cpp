// End-to-end tests of every command of the executable.
#include <gtest/gtest.h>

#include <filesystem>

#include "common/cli.hpp"
#include "common/h5_digest.hpp"

namespace borderland {

namespace {
const std::string kScenario = std::string(BORDERLAND_SOURCE_DIR) + "/scenarios/civil_violence.yaml";
}

TEST(Cli, HelpOnEveryCommandAndVersion) {
  const auto dir = testing::fresh_dir("help");
  for (const char* command : {"", "run", "validate", "models", "inspect"}) {
    const auto r = testing::run_cli(std::string(command) + " --help", dir);
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << command << r.out;
  }
  const auto v = testing::run_cli("--version", dir);
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out.rfind("borderland 0.", 0), 0u) << v.out;
}

TEST(Cli, RunWritesTheDocumentedLayoutAndLeavesNoPartialFile) {
  const auto dir = testing::fresh_dir("run");
  const auto r = testing::run_cli(
      "run '" + kScenario + "' -o out.h5 --until 2000-03-01 --set output.snapshot_every=7", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir / "out.h5"));
  EXPECT_FALSE(std::filesystem::exists(dir / "out.h5.partial"));
  EXPECT_EQ(r.out, "") << "quiet on stdout when not a terminal";
  const auto digest = testing::dataset_digest((dir / "out.h5").string());
  for (const char* path :
       {"scenario/given", "scenario/resolved", "timeseries/step", "timeseries/date",
        "timeseries/active", "timeseries/quiescent", "timeseries/jailed", "events/step",
        "events/citizen", "snapshots/state", "snapshots/step", "summary/peak_active"})
    EXPECT_TRUE(digest.count(path)) << path;
  EXPECT_EQ(digest.at("timeseries/step").size(), 61u * 8 + 1);  // 2000-01-01..2000-03-01, int64
  EXPECT_EQ(digest.at("snapshots/step").size(), 9u * 8 + 1);    // days 0, 7, ..., 56
}

TEST(Cli, InspectSummarisesAResultFile) {
  const auto dir = testing::fresh_dir("inspect");
  ASSERT_EQ(testing::run_cli("run '" + kScenario + "' -o out.h5 --until 2000-02-01", dir).exit_code,
            0);
  const auto r = testing::run_cli("inspect out.h5", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* text :
       {"model                civil_violence", "period               2000-01-01 to 2001-05-14",
        "active", "citizens openly rebelling", "events:", "summary:", "peak_active"})
    EXPECT_NE(r.out.find(text), std::string::npos) << text << "\n" << r.out;
}

TEST(Cli, ValidatePrintsTheResolvedScenarioWithDefaults) {
  const auto dir = testing::fresh_dir("validate");
  const auto r =
      testing::run_cli("validate '" + kScenario + "' --set parameters.legitimacy=0.7", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("valid civil_violence scenario, 500 days"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("legitimacy: 0.7"), std::string::npos);
  EXPECT_NE(r.out.find("move_attempts: 16"), std::string::npos) << "defaults are filled in";
  // The printed form is itself a valid scenario.
  testing::write_file(dir / "resolved.yaml", r.out);
  EXPECT_EQ(testing::run_cli("validate resolved.yaml", dir).exit_code, 0);
}

TEST(Cli, ModelsListsModelsAndDescribesParameters) {
  const auto dir = testing::fresh_dir("models");
  const auto list = testing::run_cli("models", dir);
  ASSERT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find("civil_violence"), std::string::npos);
  const auto one = testing::run_cli("models civil_violence", dir);
  ASSERT_EQ(one.exit_code, 0);
  for (const char* text : {"legitimacy = 0.82", "arrest_constant = 2.3", "max_jail_term = 30 day",
                           "legitimacy_shift", "snapshot fields: state, grievance"})
    EXPECT_NE(one.out.find(text), std::string::npos) << text << "\n" << one.out;
}

TEST(Cli, OverridesAndSeedFlagChangeTheRun) {
  const auto dir = testing::fresh_dir("overrides");
  ASSERT_EQ(
      testing::run_cli(
          "run '" + kScenario + "' -o a.h5 --until 2000-04-01 --set parameters.legitimacy=0.6", dir)
          .exit_code,
      0);
  ASSERT_EQ(testing::run_cli("run '" + kScenario + "' -o b.h5 --until 2000-04-01", dir).exit_code,
            0);
  EXPECT_NE(testing::dataset_digest((dir / "a.h5").string()).at("timeseries/active"),
            testing::dataset_digest((dir / "b.h5").string()).at("timeseries/active"));
}

}  // namespace borderland
