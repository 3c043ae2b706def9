// The command line follows the conventions of git and cargo: usage without a
// command, `help [COMMAND]`, suggestions for unknown commands, -V, typed
// placeholders and shown defaults, flags checked and located like files.
#include <gtest/gtest.h>

#include "common/cli.hpp"
#include "sim/h5.hpp"

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
  // Every command: typed placeholders only (no CLI11 "TEXT"/"INT"), a range check does not
  // clutter its placeholder ("N=0", not "N:INT in [0 - 4096]=0"), a list is "FILE ...".
  for (const char* command :
       {"run", "sweep", "merge", "validate", "models", "inspect", "export", "view"}) {
    const auto help = testing::run_cli(std::string("help ") + command, dir).out;
    for (const char* generic : {"TEXT", ":INT", "INT:", "... ..."})
      EXPECT_FALSE(has(help, generic)) << command << ": " << generic << "\n" << help;
  }
  const auto view = testing::run_cli("help view", dir).out;
  for (const char* text : {"path PATH", "--port PORT=8050"})
    EXPECT_TRUE(has(view, text)) << text << "\n" << view;
  EXPECT_TRUE(has(testing::run_cli("help merge", dir).out, "shards FILE ...")) << "merge";
  EXPECT_TRUE(has(sweep, "--threads N=0")) << sweep;
  // The range is still checked, and the message gives it.
  const auto bad = testing::run_cli("run x.yaml --threads 5000", dir);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(has(bad.err, "4096")) << bad.err;
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

namespace borderland {

TEST(Inspect, HandlesMapAssetsSweepsAndCheckpoints) {
  const auto dir = testing::fresh_dir("inspect_kinds");
  const auto map = testing::run_cli(
      std::string("inspect '") + BORDERLAND_SOURCE_DIR + "/scenarios/maps/afpak_0p05.h5'", dir);
  EXPECT_EQ(map.exit_code, 0) << map.err;
  for (const char* text : {"(map asset)", "360 x 300 cells of 0.05 x 0.05 degrees",
                           "population               [300, 360]     count", "provinces: 42 rows"})
    EXPECT_TRUE(has(map.out, text)) << text << "\n" << map.out;

  testing::write_file(dir / "s.yaml", kScenario);
  ASSERT_EQ(testing::run_cli("run s.yaml -o run.h5 --checkpoint-every 5 -q", dir).exit_code, 0);
  const auto run = testing::run_cli("inspect run.h5", dir);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  for (const char* text : {"(run output with a checkpoint)", "active                   [20]",
                           "checkpoint: resumes at step 15 (2000-01-16)", "occupant",
                           "(coordinate) date of the step", "days since 2000-01-01"})
    EXPECT_TRUE(has(run.out, text)) << text << "\n" << run.out;
  ASSERT_EQ(testing::run_cli("run s.yaml -o short.h5 --until 2000-01-05 -q", dir).exit_code, 0);
  const auto short_run = testing::run_cli("inspect short.h5", dir).out;
  EXPECT_TRUE(has(short_run, "ran                  2000-01-01 to 2000-01-05 (5 days)"))
      << short_run;

  testing::write_file(dir / "sweep.yaml",
                      "base: s.yaml\nseed: 2\ndesign: factorial\nparameters:\n"
                      "  parameters.legitimacy: [0.7, 0.9]\n");
  ASSERT_EQ(testing::run_cli("sweep sweep.yaml -o sweep.h5 -q", dir).exit_code, 0);
  const auto sweep = testing::run_cli("inspect sweep.h5", dir);
  EXPECT_EQ(sweep.exit_code, 0) << sweep.err;
  for (const char* text : {"(sweep file)", "design: factorial, 2 point(s) x 1 replica(s)",
                           "runs: 2 ok, 0 failed, 0 not run", "active                   [2, 20]",
                           "parameters.legitimacy"})
    EXPECT_TRUE(has(sweep.out, text)) << text << "\n" << sweep.out;
}

}  // namespace borderland

namespace borderland {

// A child scenario ends a policy it inherits (docs/experiments.md); the
// resolved scenario shows the cut period; a rule naming nothing inherited is
// a located error (exit 2, no output).
TEST(CliConventions, AChildScenarioEndsAnInheritedPolicy) {
  const auto dir = testing::fresh_dir("conv_inherited");
  testing::write_file(dir / "s.yaml", kScenario +
                                          "policies:\n"
                                          "  - {policy: legitimacy_shift, start: 2000-01-05, end: "
                                          "2000-01-15, delta: -0.2}\n");
  testing::write_file(dir / "stop.yaml",
                      "extends: s.yaml\npolicies:\n"
                      "  - {policy: legitimacy_shift, inherited: end, at: 2000-01-10}\n");
  const auto ok = testing::run_cli("validate stop.yaml", dir);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_TRUE(has(ok.out, "policy: legitimacy_shift\n    start: 2000-01-05\n    end: 2000-01-10"))
      << ok.out;
  const auto flag = testing::run_cli(
      "validate s.yaml --policy 'legitimacy_shift inherited=end at=2000-01-08'", dir);
  EXPECT_EQ(flag.exit_code, 0) << flag.err;
  EXPECT_TRUE(has(flag.out, "start: 2000-01-05\n    end: 2000-01-08")) << flag.out;
  testing::write_file(dir / "bad.yaml",
                      "extends: s.yaml\npolicies:\n"
                      "  - {policy: legitimacy_shit, inherited: end, at: 2000-01-10}\n");
  const auto bad = testing::run_cli("run bad.yaml -o out.h5", dir);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(has(bad.err,
                  "bad.yaml:3:14: error: policies[0].policy: no period of "
                  "'legitimacy_shit' is inherited"))
      << bad.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out.h5"));
}

// `inherited: replace` drops every inherited period, also one that began before the new one
// (in a projection: the calibrated history): valid, but said, with where and what to do.
TEST(CliConventions, AReplaceThatRewritesEarlierPeriodsIsWarnedAbout) {
  const auto dir = testing::fresh_dir("conv_replace");
  testing::write_file(dir / "s.yaml", kScenario +
                                          "policies:\n"
                                          "  - {policy: legitimacy_shift, start: 2000-01-05, end: "
                                          "2000-01-15, delta: -0.2}\n");
  testing::write_file(dir / "later.yaml",
                      "extends: s.yaml\npolicies:\n"
                      "  - {policy: legitimacy_shift, inherited: replace, start: 2000-01-10, end: "
                      "2000-01-20, delta: -0.1}\n");
  const auto warned = testing::run_cli("validate later.yaml", dir);
  EXPECT_EQ(warned.exit_code, 0) << warned.err;
  EXPECT_TRUE(has(warned.err,
                  "later.yaml:3:5: warning: policies[0]: `inherited: replace` drops the inherited "
                  "period(s) 2000-01-05..2000-01-15 of 'legitimacy_shift'"))
      << warned.err;
  EXPECT_TRUE(has(warned.err, "inherited: end, at: DAY_BEFORE")) << warned.err;
  EXPECT_TRUE(has(warned.out, "start: 2000-01-10\n    end: 2000-01-20")) << warned.out;
  const auto ran = testing::run_cli("run later.yaml -o later.h5", dir);
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_TRUE(has(ran.err, "warning: policies[0]")) << ran.err;
  EXPECT_FALSE(has(testing::run_cli("run later.yaml -o later.h5 -q", dir).err, "warning"));
  const auto flag = testing::run_cli(
      "validate s.yaml --policy 'legitimacy_shift inherited=replace start=2000-01-10 "
      "end=2000-01-20 delta=-0.1'",
      dir);
  EXPECT_EQ(flag.exit_code, 0) << flag.err;
  EXPECT_TRUE(has(flag.err,
                  "--policy 'legitimacy_shift inherited=replace start=2000-01-10 end=2000-01-20 "
                  "delta=-0.1': warning: `inherited=replace` drops the inherited period(s) "
                  "2000-01-05..2000-01-15"))
      << flag.err;
  // A replacement that starts no later than what it drops changes nothing before it: no warning.
  testing::write_file(dir / "whole.yaml",
                      "extends: s.yaml\npolicies:\n"
                      "  - {policy: legitimacy_shift, inherited: replace, start: 2000-01-05, end: "
                      "2000-01-20, delta: -0.1}\n");
  const auto quiet = testing::run_cli("validate whole.yaml", dir);
  EXPECT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_FALSE(has(quiet.err, "warning")) << quiet.err;
}

}  // namespace borderland

namespace borderland {

// A map attribute of the wrong type is named with the type found and the one
// expected, exit 2, by `inspect` and by a run that reads the map.
TEST(Inspect, AMapAttributeOfTheWrongTypeIsNamed) {
  const auto dir = testing::fresh_dir("inspect_map_attr");
  {
    sim::h5::File f((dir / "map.h5").string(), sim::h5::File::Mode::kCreate);
    f.set_attr("format", std::string("borderland-map"));
    f.set_attr("format_version", std::int64_t{1});
    sim::h5::Group map = f.create_group("map");
    map.set_attr("lon0", 60.0), map.set_attr("lat0", 23.0), map.set_attr("dlat", 0.05);
    map.set_attr("dlon", std::string("0.05"));
    map.set_attr("nx", std::int64_t{4}), map.set_attr("ny", std::int64_t{3});
  }
  const std::string expected =
      "map.h5:/map: error: attribute 'dlon' is a string; expected a number";
  const auto inspect = testing::run_cli("inspect map.h5", dir);
  EXPECT_EQ(inspect.exit_code, 2);
  EXPECT_TRUE(has(inspect.err, expected)) << inspect.err;
  testing::write_file(
      dir / "s.yaml",
      "model: ttp\nstart: 2020-01-01\nend: 2020-01-05\nparameters:\n  map: map.h5\n");
  const auto run = testing::run_cli("run s.yaml -o out.h5", dir);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(has(run.err, expected)) << run.err;
  EXPECT_FALSE(has(run.err, "corrupt")) << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out.h5"));
}

}  // namespace borderland
