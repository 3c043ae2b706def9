// What a run writes (docs/experiments.md, "What a run writes"): output.series selects the
// series of run files and sweep files, output.events drops the events table. Names are checked
// against the model's schema with the place they were given; a selected dataset holds exactly
// what the full output holds under that name; a sweep writes only the selected series.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>

#include "common/cli.hpp"
#include "common/h5_digest.hpp"
#include "models/civil_violence/model.hpp"
#include "sim/error.hpp"
#include "sim/h5.hpp"
#include "sim/run.hpp"
#include "sim/scenario.hpp"

namespace borderland {

namespace {
using sim::InputError;

const civil_violence::Model& cv() {
  static const civil_violence::Model m;
  return m;
}

sim::Scenario parse(const std::string& output_yaml, const std::vector<std::string>& sets = {}) {
  const std::string text = fmt::format(
      "model: civil_violence\nstart: 2000-01-01\nend: 2000-01-10\n"
      "parameters: {{grid: {{width: 12, height: 12}}, citizens: {{vision: 2}}, cops: {{vision: "
      "2}}}}\noutput:\n{}",
      output_yaml);
  return sim::parse_scenario(text, "s.yaml", sets, {&cv().spec()});
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::vector<std::string> datasets(const std::filesystem::path& file, const std::string& group) {
  const sim::h5::File f(file.string(), sim::h5::File::Mode::kReadOnly);
  return f.has(group) ? f.open_group(group).names() : std::vector<std::string>{};
}

const std::string kCvBase = std::string(BORDERLAND_SOURCE_DIR) + "/scenarios/civil_violence.yaml";
const std::string kSmall =
    "  end: 2000-01-20\n  output.snapshot_every: 0\n"
    "  parameters.grid: {width: 12, height: 12}\n"
    "  parameters.citizens.vision: 2\n  parameters.cops.vision: 2\n";
}  // namespace

TEST(OutputSelection, ScenarioKeysReadAndReadBack) {
  const auto all = parse("  snapshot_every: 0\n");
  EXPECT_FALSE(all.output.series.has_value());
  EXPECT_TRUE(all.output.events);
  const auto some = parse("  series: [jailed, active]\n  events: false\n");
  ASSERT_TRUE(some.output.series.has_value());
  EXPECT_EQ(*some.output.series, (std::vector<std::string>{"jailed", "active"}));
  EXPECT_FALSE(some.output.events);
  EXPECT_EQ(some.output.series_where.at(0), "s.yaml:6:12");
  // The resolved form reads back to the same selection.
  const auto again = sim::parse_scenario(some.resolved_yaml, "resolved.yaml", {}, {&cv().spec()});
  EXPECT_EQ(again.output.series, some.output.series);
  EXPECT_FALSE(again.output.events);
  EXPECT_FALSE(parse("  series: all\n").output.series.has_value());
  EXPECT_TRUE(parse("  series: []\n").output.series->empty());
}

TEST(OutputSelection, BadListsArePlaced) {
  auto e = error_of([] { parse("  series: active\n"); });
  EXPECT_NE(e.find("s.yaml:6:11: error: output.series: expected a list of series names or all"),
            std::string::npos)
      << e;
  e = error_of([] { parse("  series: [active, active]\n"); });
  EXPECT_NE(e.find("s.yaml:6:20: error: output.series: series \"active\" is listed twice"),
            std::string::npos)
      << e;
  e = error_of([] { parse("  events: maybe\n"); });
  EXPECT_NE(e.find("s.yaml:6:11: error: output.events"), std::string::npos) << e;
  e = error_of([] { parse("  seriess: [active]\n"); });
  EXPECT_NE(e.find("did you mean"), std::string::npos) << e;
}

TEST(OutputSelection, UnknownSeriesIsPlacedWithTheModelsNames) {
  const auto s = parse("  series: [active, jailedd]\n");
  auto sim = cv().create(s);
  const auto e = error_of([&] { sim::select_output(sim->schema(), s.output); });
  EXPECT_NE(e.find("s.yaml:6:20: error: output.series: unknown series \"jailedd\" (did you mean "
                   "'jailed'?); the model's series: quiescent, active, jailed"),
            std::string::npos)
      << e;
  // From --set, the flag is the place.
  const auto flagged = parse("  snapshot_every: 0\n", {"output.series=[activ]"});
  const auto f = error_of([&] { sim::select_output(sim->schema(), flagged.output); });
  EXPECT_NE(f.find("--set output.series: error: output.series: unknown series \"activ\""),
            std::string::npos)
      << f;
  // Selected series come in the schema's order, whatever the list's order.
  const auto sel = sim::select_output(sim->schema(), parse("  series: [jailed, active]\n").output);
  ASSERT_EQ(sel.series.size(), 2u);
  EXPECT_EQ(sim->schema().series[sel.series[0]].name, "active");
  EXPECT_EQ(sim->schema().series[sel.series[1]].name, "jailed");
}

TEST(OutputSelection, RunFileHoldsExactlyTheSelection) {
  const auto dir = testing::fresh_dir("output_selection_run");
  const std::string sets =
      "--set end=2000-02-19 --set parameters.grid.width=12 --set parameters.grid.height=12 "
      "--set parameters.citizens.vision=2 --set parameters.cops.vision=2 "
      "--set output.snapshot_every=10 ";
  ASSERT_EQ(testing::run_cli("run '" + kCvBase + "' -q -o full.h5 " + sets, dir).exit_code, 0);
  const auto r = testing::run_cli("run '" + kCvBase + "' -q -o some.h5 " + sets +
                                      "--set 'output.series=[jailed, active]' "
                                      "--set output.events=false --set output.flush_every=7",
                                  dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(datasets(dir / "some.h5", "timeseries"),
            (std::vector<std::string>{"active", "date", "jailed", "step", "time"}));
  EXPECT_TRUE(datasets(dir / "some.h5", "events").empty());
  EXPECT_FALSE(datasets(dir / "full.h5", "events").empty());
  const auto full = testing::dataset_digest((dir / "full.h5").string());
  const auto some = testing::dataset_digest((dir / "some.h5").string());
  for (const auto& [name, bytes] : some) {
    if (name != "scenario/given" && name != "scenario/resolved") {
      EXPECT_EQ(bytes, full.at(name)) << name;  // the same values as the full file's
    }
  }
  EXPECT_EQ(some.count("timeseries/quiescent"), 0u);
  // A bad name: exit 2 at the flag, no output written.
  const auto bad = testing::run_cli(
      "run '" + kCvBase + "' -q -o bad.h5 " + sets + "--set 'output.series=[activ]'", dir);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--set output.series: error: output.series: unknown series \"activ\" "
                         "(did you mean 'active'?)"),
            std::string::npos)
      << bad.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.h5"));
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.h5.partial"));
}

TEST(OutputSelection, SweepWritesOnlyTheSelectedSeries) {
  const auto dir = testing::fresh_dir("output_selection_sweep");
  auto sweep_file = [&](const std::string& name, const std::string& extra) {
    testing::write_file(dir / name, "base: " + kCvBase + "\nset:\n" + kSmall + extra +
                                        "design: replicas\nreplicas: 4\nseed: 3\n");
  };
  sweep_file("full.yaml", "");
  sweep_file("some.yaml", "  output.series: [jailed, active]\n  output.events: false\n");
  ASSERT_EQ(testing::run_cli("sweep full.yaml -q --threads 2 -o full.h5", dir).exit_code, 0);
  const auto r = testing::run_cli("sweep some.yaml -q --threads 2 -o some.h5", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(datasets(dir / "some.h5", "runs/timeseries"),
            (std::vector<std::string>{"active", "date", "jailed", "step", "time"}));
  const auto full = testing::dataset_digest((dir / "full.h5").string());
  const auto some = testing::dataset_digest((dir / "some.h5").string());
  for (const char* name : {"runs/timeseries/active", "runs/timeseries/jailed", "runs/status",
                           "design/seed", "runs/summary/mean_active"})
    EXPECT_EQ(some.at(name), full.at(name)) << name;
  // Rows are stored compressed, one chunk per run.
  {
    const sim::h5::File f((dir / "some.h5").string(), sim::h5::File::Mode::kReadOnly);
    const auto ds = f.open_dataset("runs/timeseries/active");
    const hid_t dcpl = H5Dget_create_plist(ds.id());
    hsize_t chunk[2] = {0, 0};
    EXPECT_EQ(H5Pget_layout(dcpl), H5D_CHUNKED);
    H5Pget_chunk(dcpl, 2, chunk);
    EXPECT_EQ(chunk[0], 1u);
    EXPECT_EQ(chunk[1], 20u);
    EXPECT_GT(H5Pget_nfilters(dcpl), 0);
    H5Pclose(dcpl);
  }
  // A misspelt name: exit 2 at the sweep's `set:` line, before any file is written.
  sweep_file("bad.yaml", "  output.series: [active, jailedd]\n");
  for (const std::string command : {"validate bad.yaml", "sweep bad.yaml -q -o bad.h5"}) {
    const auto bad = testing::run_cli(command, dir);
    EXPECT_EQ(bad.exit_code, 2) << command;
    EXPECT_NE(bad.err.find("bad.yaml:8:3: error: output.series: unknown series \"jailedd\" (did "
                           "you mean 'jailed'?)"),
              std::string::npos)
        << command << ": " << bad.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.h5.partial"));
}

}  // namespace borderland
