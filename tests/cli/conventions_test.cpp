// The command line follows the conventions of git and cargo: usage without a
// command, `help [COMMAND]`, suggestions for unknown commands, -V, typed
// placeholders and shown defaults, flags checked and located like files.
#include <gtest/gtest.h>

#include "common/cli.hpp"

namespace borderland {

namespace {
bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
const std::string kScenario =
    "model: civil_violence\nseed: 1\nstart: 2000-01-01\nend: 2000-01-20\n";
}  // namespace

TEST(CliConventions, NoCommandPrintsTheUsageAndExitsTwo) {
  const auto dir = testing::fresh_dir("conv_none");
  const auto r = testing::run_cli("", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(has(r.err, "Usage: borderland")) << r.err;
  for (const char* command : {"run", "sweep", "merge", "validate", "models", "inspect"})
    EXPECT_TRUE(has(r.err, command)) << command;
}

TEST(CliConventions, UnknownCommandGetsASuggestion) {
  const auto dir = testing::fresh_dir("conv_unknown");
  const auto r = testing::run_cli("rnu s.yaml", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(has(r.err, "borderland: error: unknown command 'rnu'; did you mean 'run'?")) << r.err;
  const auto far = testing::run_cli("frobnicate", dir);
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_TRUE(has(far.err, "unknown command 'frobnicate'\n")) << far.err;
  EXPECT_TRUE(has(far.err, "Commands: run, sweep")) << far.err;
}

TEST(CliConventions, HelpWithAndWithoutACommand) {
  const auto dir = testing::fresh_dir("conv_help");
  const auto all = testing::run_cli("help", dir);
  EXPECT_EQ(all.exit_code, 0);
  EXPECT_TRUE(has(all.out, "Usage: borderland")) << all.out;
  const auto run = testing::run_cli("help run", dir);
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_TRUE(has(run.out, "Usage: borderland run")) << run.out;
  EXPECT_EQ(run.out, testing::run_cli("run --help", dir).out);
  const auto wrong = testing::run_cli("help rnu", dir);
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_TRUE(has(wrong.err, "did you mean 'run'?")) << wrong.err;
}

TEST(CliConventions, ShortVersionFlag) {
  const auto dir = testing::fresh_dir("conv_version");
  const auto r = testing::run_cli("-V", dir);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("borderland 0.", 0), 0u) << r.out;
}

TEST(CliConventions, HelpShowsTypedPlaceholdersAndDefaults) {
  const auto dir = testing::fresh_dir("conv_placeholders");
  const auto run = testing::run_cli("help run", dir).out;
  for (const char* text : {"scenario FILE", "-o,--output FILE", "--until DATE", "--set KEY=VALUE",
                           "--restart FILE", "--seed SEED", "--threads N", "=0", "--policy"})
    EXPECT_TRUE(has(run, text)) << text << "\n" << run;
  EXPECT_FALSE(has(run, "TEXT")) << run;
  const auto sweep = testing::run_cli("help sweep", dir).out;
  for (const char* text : {"--shard i/N", "--runs-dir DIR", "sweep FILE"})
    EXPECT_TRUE(has(sweep, text)) << text << "\n" << sweep;
  EXPECT_FALSE(has(sweep, "TEXT")) << sweep;
}

TEST(CliConventions, MoreThreadsThanCoresGiveNoTbbWarning) {
  const auto dir = testing::fresh_dir("conv_threads");
  testing::write_file(dir / "s.yaml", kScenario);
  const auto r = testing::run_cli("run s.yaml -o out.h5 -q --threads 64", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
}

TEST(CliConventions, PolicyFlagAddsASwitchCheckedLikeTheFile) {
  const auto dir = testing::fresh_dir("conv_policy");
  testing::write_file(dir / "s.yaml", kScenario);
  const auto ok = testing::run_cli(
      "validate s.yaml --policy 'legitimacy_shift start=2000-01-05 delta=-0.2'", dir);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_TRUE(has(ok.out, "policy: legitimacy_shift\n    start: 2000-01-05")) << ok.out;
  const auto bad = testing::run_cli(
      "run s.yaml -o out.h5 --policy 'legitimacy_shift start=2000-01-05 delta=3'", dir);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(has(bad.err,
                  "--policy 'legitimacy_shift start=2000-01-05 delta=3': error: "
                  "policies[0].delta: expected a number in [-1, 1], got \"3\""))
      << bad.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out.h5"));
}

}  // namespace borderland
