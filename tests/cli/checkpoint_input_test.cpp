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
    EXPECT_FALSE(std::filesystem::exists(dir / ("out_" + d.name + ".h5"))) << d.name;
  }
}

}  // namespace borderland
