// A checkpoint is input like any other: damaged state arrays or a step outside
// the run give a located message and exit 2, never a crash or a wrong file.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>

#include "common/cli.hpp"
#include "sim/h5.hpp"

namespace borderland {

namespace {
const std::string kScenario =
    "model: civil_violence\nseed: 1\nstart: 2000-01-01\nend: 2000-01-20\n"
    "parameters: {grid: {width: 12, height: 12}, citizens: {vision: 2}, cops: {vision: 2}}\n";

struct Damage {
  std::string name;
  std::function<void(sim::h5::File&)> apply;
  std::string expected;
};

template <class T>
void set_value(sim::h5::File& f, const std::string& dataset, std::size_t index, T value) {
  auto ds = f.open_group("checkpoint/state").open_dataset(dataset);
  auto values = ds.read<T>();
  values.at(index) = value;
  ds.write_rows(0, values);
}

// Nothing of a refused restart stays behind: no output, no working copy.
void expect_nothing_written(const std::filesystem::path& dir, const std::string& name) {
  const std::string out = "out_" + name + ".h5";
  EXPECT_FALSE(std::filesystem::exists(dir / out)) << name;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string file = entry.path().filename().string();
    EXPECT_TRUE(file.rfind(out, 0) != 0 || file == out + ".partial.lock")
        << name << ": " << file << " left behind";
  }
}

std::vector<Damage> damages() {
  using sim::h5::File;
  return {
      {"occupant_out_of_range", [](File& f) { set_value<std::int32_t>(f, "occupant", 0, 999); },
       "checkpoint occupant of cell 0 is 999; expected -1 (empty), a citizen row"},
      {"occupant_negative", [](File& f) { set_value<std::int32_t>(f, "occupant", 0, -500); },
       "checkpoint occupant of cell 0 is -500"},
      {"occupant_twice",
       [](File& f) {
         auto ds = f.open_group("checkpoint/state").open_dataset("occupant");
         auto v = ds.read<std::int32_t>();
         std::int32_t first = -1;
         for (auto& o : v)
           if (o >= 0 && first < 0)
             first = o;
           else if (o >= 0 && o != first) {
             o = first;
             break;
           }
         ds.write_rows(0, v);
       },
       "occupies more than one cell"},
      {"hardship_nan",
       [](File& f) {
         set_value<double>(f, "hardship", 3, std::numeric_limits<double>::quiet_NaN());
       },
       "checkpoint citizen 3 has hardship nan"},
      {"step_far_past_the_end",
       [](File& f) { f.open_group("checkpoint").set_attr("step", std::int64_t{1000000}); },
       ":/checkpoint: error: --restart: step 1000000 is outside the run; expected 0 to 19"},
      {"step_one_past_the_end",
       [](File& f) { f.open_group("checkpoint").set_attr("step", std::int64_t{20}); },
       "step 20 is outside the run"},
      {"step_and_date_disagree",
       [](File& f) { f.open_group("checkpoint").set_attr("step", std::int64_t{6}); },
       "step 6 is 2000-01-07 in this scenario, but the checkpoint says 2000-01-11"},
      // The running counts must agree with the rows (fuzz_checkpoint: a huge
      // jailed_count overflowed the day's record).
      {"jailed_count_huge",
       [](File& f) {
         f.open_group("checkpoint/state").set_attr("jailed_count", std::int64_t{1} << 62);
       },
       "checkpoint jailed_count is 4611686018427387904; its citizens' rows allow"},
      {"active_count_off_by_one",
       [](File& f) {
         auto g = f.open_group("checkpoint/state");
         g.set_attr("active_count", g.attr_int("active_count") + 1);
       },
       "checkpoint active_count is"},
      {"released_more_than_arrested",
       [](File& f) {
         auto g = f.open_group("checkpoint/state");
         g.set_attr("released", g.attr_int("arrests_total") + 1);
       },
       "checkpoint released is"},
      {"steps_done_huge",
       [](File& f) {
         f.open_group("checkpoint/state").set_attr("steps_done", std::int64_t{1} << 40);
       },
       "checkpoint steps_done is 1099511627776; expected 0..2147483648"},
  };
}
}  // namespace

TEST(CheckpointInput, DamagedCheckpointsAreLocatedInputErrors) {
  const auto dir = testing::fresh_dir("checkpoint_input");
  testing::write_file(dir / "s.yaml", kScenario);
  const auto made = testing::run_cli("run s.yaml -o good.h5 --checkpoint-every 10 -q", dir);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const auto again = testing::run_cli("run --restart good.h5 -o again.h5 -q", dir);
  ASSERT_EQ(again.exit_code, 0) << again.err;  // the undamaged file restarts
  for (const auto& d : damages()) {
    const auto bad = dir / (d.name + ".h5");
    std::filesystem::copy_file(dir / "good.h5", bad);
    {
      sim::h5::File f(bad.string(), sim::h5::File::Mode::kReadWrite);
      d.apply(f);
    }
    const auto r =
        testing::run_cli("run --restart " + d.name + ".h5 -o out_" + d.name + ".h5", dir);
    EXPECT_EQ(r.exit_code, 2) << d.name << "\n" << r.err;
    EXPECT_NE(r.err.find(d.expected), std::string::npos) << d.name << "\n" << r.err;
    expect_nothing_written(dir, d.name);
  }
}

namespace {
// The TTP model's checkpoint (models/ttp/checkpoint_checks.cpp): indices into
// the map, the sanctuaries and the enumerations, counts, real numbers and the
// lengths of columns and daily totals.
template <class T>
void set_ttp(sim::h5::File& f, const std::string& dataset, std::size_t index, T value) {
  auto ds = f.open_group("checkpoint/state").open_dataset(dataset);
  auto values = ds.read<T>();
  values.at(index) = value;
  ds.write_rows(0, values);
}

// Replaces a dataset by one with its last value dropped.
template <class T>
void shorten_ttp(sim::h5::File& f, const std::string& group, const std::string& name) {
  auto g = f.open_group("checkpoint/state/" + group);
  auto values = g.open_dataset(name).read<T>();
  values.pop_back();
  g.remove(name);
  g.write(name, values, {static_cast<hsize_t>(values.size())});
}

std::vector<Damage> ttp_damages() {
  using sim::h5::File;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  return {
      {"cell_off_the_map",
       [](File& f) { set_ttp<std::int32_t>(f, "militant_cell/cell", 2, 999999999); },
       "/checkpoint/state/militant_cell/cell: error: checkpoint militant_cell row 2 has cell "
       "999999999; expected 0 to"},
      {"negative_fighters",
       [](File& f) { set_ttp<std::int32_t>(f, "militant_cell/fighters", 5, -4); },
       "militant_cell/fighters: error: checkpoint militant_cell row 5 has fighters -4; expected 0 "
       "or more"},
      {"faction_unknown", [](File& f) { set_ttp<std::int32_t>(f, "militant_cell/faction", 0, 9); },
       "militant_cell row 0 has faction 9; expected 0 to 3 (a faction)"},
      {"state_unknown", [](File& f) { set_ttp<std::uint8_t>(f, "militant_cell/state", 1, 200); },
       "militant_cell row 1 has state 200; expected 0 to 4 (a cell state)"},
      {"sanctuary_out_of_range",
       [](File& f) { set_ttp<std::int32_t>(f, "militant_cell/sanctuary", 3, 5000); },
       "militant_cell row 3 has sanctuary 5000; expected -1 (none) or 0 to"},
      {"morale_nan", [nan](File& f) { set_ttp<double>(f, "militant_cell/morale", 4, nan); },
       "militant_cell row 4 has morale nan; expected 0 to 1"},
      {"morale_huge", [](File& f) { set_ttp<double>(f, "militant_cell/morale", 4, 4e305); },
       "militant_cell row 4 has morale 4e+305; expected 0 to 1"},
      {"host_tolerance_huge",  // found by fuzz_checkpoint_ttp: recruits overflowed an int
       [](File& f) { f.open_group("checkpoint/state/world").set_attr("host_tolerance_", 4e305); },
       "world/host_tolerance_: error: checkpoint value is 4e+305; expected 0 to 1"},
      {"ids_not_increasing", [](File& f) { set_ttp<std::uint64_t>(f, "militant_cell/id", 1, 0); },
       "militant_cell/id: error: checkpoint militant_cell row 1 has id 0; expected ids in "
       "increasing order"},
      {"column_shorter_than_ids",
       [](File& f) { shorten_ttp<double>(f, "militant_cell", "exposure"); },
       "/checkpoint/state/militant_cell/exposure: error: checkpoint has"},
      {"post_force_unknown", [](File& f) { set_ttp<std::int32_t>(f, "police_post/force", 7, 42); },
       "police_post/force: error: checkpoint police_post row 7 has force 42; expected 0 to"},
      {"post_above_its_establishment",
       [](File& f) { set_ttp<std::int32_t>(f, "police_post/officers", 0, 9999999); },
       "police_post/officers: error: checkpoint police_post row 0 has officers 9999999; expected "
       "at most its establishment"},
      {"posts_fewer_than_the_scenario",
       [](File& f) { shorten_ttp<std::uint64_t>(f, "police_post", "id"); },
       "/checkpoint/state/police_post/id: error: checkpoint has"},
      {"army_target_off_the_map",
       [](File& f) { set_ttp<std::int32_t>(f, "army_unit/target", 0, -3); },
       "army_unit/target: error: checkpoint army_unit row 0 has target -3"},
      {"army_region_unknown", [](File& f) { set_ttp<std::int32_t>(f, "army_unit/region", 0, 2); },
       "army_unit row 0 has region 2; expected 0 to 1"},
      {"sanctuary_cell_off_the_map",
       [](File& f) { set_ttp<std::int32_t>(f, "sanctuary/cell", 0, -1); },
       "sanctuary/cell: error: checkpoint sanctuary row 0 has cell -1"},
      {"grievance_nan", [nan](File& f) { set_ttp<double>(f, "world/g_dev_", 10, nan); },
       "world/g_dev_: error: checkpoint entry 10 is nan; expected a finite number"},
      {"decay_scale_zero",
       [](File& f) { f.open_group("checkpoint/state/world").set_attr("g_scale_", 0.0); },
       "world/g_scale_: error: checkpoint value is 0; expected a finite number above 0"},
      {"opinion_nan", [nan](File& f) { set_ttp<double>(f, "world/o_dev_", 10, nan); },
       "world/o_dev_: error: checkpoint entry 10 is nan; expected a finite number"},
      {"protest_pressure_above_one",
       [](File& f) { f.open_group("checkpoint/state/world/protests").set_attr("pressure", 2.0); },
       "world/protests/pressure: error: checkpoint value is 2; expected 0 to 1"},
      {"negative_detained",
       [](File& f) {
         f.open_group("checkpoint/state/world").set_attr("detained_", std::int64_t{-1});
       },
       "world/detained_: error: checkpoint value is -1; expected 0 or more"},
      {"daily_totals_of_other_lengths",
       [](File& f) { shorten_ttp<std::int64_t>(f, "world", "totals_.police_killed"); },
       "world/totals_.police_killed: error: checkpoint has 9 days, totals_.attacks 10"},
  };
}
}  // namespace

TEST(CheckpointInput, DamagedTtpCheckpointsAreLocatedInputErrors) {
  const auto dir = testing::fresh_dir("checkpoint_input_ttp");
  // Twenty days of the historical scenario, a checkpoint at day 10.
  testing::write_file(dir / "ttp.yaml", std::string("extends: ") + BORDERLAND_SOURCE_DIR +
                                            "/scenarios/ttp/historical_2020_2023.yaml\n"
                                            "end: 2020-01-20\nparameters: {map: " +
                                            BORDERLAND_SOURCE_DIR +
                                            "/scenarios/maps/afpak_0p05.h5}\n");
  const auto made = testing::run_cli("run ttp.yaml -o good.h5 --checkpoint-every 10 -q", dir);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const auto again = testing::run_cli("run --restart good.h5 -o again.h5 -q", dir);
  ASSERT_EQ(again.exit_code, 0) << again.err;  // the undamaged file restarts
  for (const auto& d : ttp_damages()) {
    const auto bad = dir / (d.name + ".h5");
    std::filesystem::copy_file(dir / "good.h5", bad);
    {
      sim::h5::File f(bad.string(), sim::h5::File::Mode::kReadWrite);
      d.apply(f);
    }
    const auto r =
        testing::run_cli("run --restart " + d.name + ".h5 -o out_" + d.name + ".h5", dir);
    EXPECT_EQ(r.exit_code, 2) << d.name << "\n" << r.err;
    EXPECT_NE(r.err.find(d.name + ".h5:/checkpoint/state/"), std::string::npos)
        << d.name << "\n"
        << r.err;  // the user's file, not a working copy
    EXPECT_NE(r.err.find(d.expected), std::string::npos) << d.name << "\n" << r.err;
    expect_nothing_written(dir, d.name);
  }
}

}  // namespace borderland
