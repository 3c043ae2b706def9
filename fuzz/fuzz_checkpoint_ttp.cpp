// Checkpoint loader of the TTP model: a real 20-day historical checkpoint with
// values of its agent stores and world state overwritten from the input
// either restarts or is an InputError (models/ttp/checkpoint_checks.cpp);
// never a crash.
#include <fuzzer/FuzzedDataProvider.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "app/registry.hpp"
#include "sim/error.hpp"
#include "sim/h5.hpp"
#include "sim/run.hpp"
#include "sim/scenario.hpp"

namespace {
namespace fs = std::filesystem;
using namespace borderland;

const fs::path kDir =
    fs::temp_directory_path() / ("fuzz_checkpoint_ttp_" + std::to_string(getpid()));
const std::string kTemplate = (kDir / "template.h5").string();
const std::string kWork = (kDir / "work.h5").string();
const std::string kOut = (kDir / "out.h5").string();

// store/column: the integer and real columns of the four agent stores.
const char* const kIntegerColumns[] = {"militant_cell/cell",       "militant_cell/faction",
                                       "militant_cell/fighters",   "militant_cell/destination",
                                       "militant_cell/sanctuary",  "militant_cell/state",
                                       "militant_cell/stuck",      "militant_cell/timer",
                                       "militant_cell/id",         "police_post/cell",
                                       "police_post/force",        "police_post/officers",
                                       "police_post/present",      "police_post/alert_step",
                                       "police_post/headquarters", "army_unit/cell",
                                       "army_unit/base",           "army_unit/target",
                                       "army_unit/region",         "army_unit/mission",
                                       "army_unit/strength",       "sanctuary/cell",
                                       "world/totals_.attacks",    "world/cumulative_killed_"};
const char* const kRealColumns[] = {
    "militant_cell/arms",   "militant_cell/morale",  "militant_cell/exposure",
    "police_post/hardness", "police_post/alertness", "world/g_dev_",
    "world/f_dev_",         "world/heat_",           "world/faction_morale_"};
const char* const kWorldReals[] = {"g_scale_",        "f_scale_",       "protest_share_",
                                   "host_tolerance_", "tension_",       "arms_available_",
                                   "retaliation_",    "prisoners_due_", "returns_due_",
                                   "tension_sum_",    "provoke_share_", "ceasefire_killed_"};
const char* const kWorldIntegers[] = {"detained_",         "convicted_",     "cur_step_",
                                      "cells_spawned_",    "ledger_.killed", "fighters_pk_cache_",
                                      "ceasefire_holding_"};

void mutate(FuzzedDataProvider& in) {
  sim::h5::File f(kWork, sim::h5::File::Mode::kReadWrite);
  sim::h5::Group state = f.open_group("checkpoint/state");
  for (int k = in.ConsumeIntegralInRange<int>(1, 4); k > 0 && in.remaining_bytes() > 0; --k) {
    switch (in.ConsumeIntegralInRange<int>(0, 3)) {
      case 0: {
        auto ds = state.open_dataset(in.PickValueInArray(kIntegerColumns));
        auto v = ds.read<std::int64_t>();
        if (v.empty()) break;
        v[in.ConsumeIntegralInRange<std::size_t>(0, v.size() - 1)] =
            in.ConsumeBool() ? in.ConsumeIntegralInRange<std::int64_t>(-3, 300)
                             : in.ConsumeIntegral<std::int32_t>();
        ds.write_rows(0, v);
        break;
      }
      case 1: {
        auto ds = state.open_dataset(in.PickValueInArray(kRealColumns));
        auto v = ds.read<double>();
        if (v.empty()) break;
        v[in.ConsumeIntegralInRange<std::size_t>(0, v.size() - 1)] =
            in.ConsumeFloatingPoint<double>();
        ds.write_rows(0, v);
        break;
      }
      case 2:
        state.open_group("world").set_attr(in.PickValueInArray(kWorldReals),
                                           in.ConsumeFloatingPoint<double>());
        break;
      case 3:
        state.open_group("world").set_attr(in.PickValueInArray(kWorldIntegers),
                                           in.ConsumeBool()
                                               ? in.ConsumeIntegralInRange<std::int64_t>(-3, 300)
                                               : in.ConsumeIntegral<std::int64_t>());
        break;
    }
  }
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fs::create_directories(kDir);
  const auto specs = app::model_specs();
  const std::string source = BORDERLAND_SOURCE_DIR;
  const sim::Scenario s = sim::parse_scenario(
      "extends: " + source + "/scenarios/ttp/historical_2020_2023.yaml\nend: 2020-01-20\n" +
          "output: {snapshot_every: 0}\nparameters: {map: " + source +
          "/scenarios/maps/afpak_0p05.h5}\n",
      (kDir / "template.yaml").string(), {}, specs);
  sim::RunOptions o;
  o.output_path = kTemplate;
  o.threads = 1;
  o.checkpoint_every = 10;
  sim::run_scenario(*app::find_model("ttp"), s, o);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  fs::copy_file(kTemplate, kWork, fs::copy_options::overwrite_existing);
  mutate(in);
  try {
    const auto specs = app::model_specs();
    const sim::Scenario s = sim::load_checkpoint_scenario(kWork, specs);
    sim::RunOptions o;
    o.output_path = kOut;
    o.threads = 1;
    o.restart_from = kWork;
    sim::run_scenario(*app::find_model(s.model), s, o);
  } catch (const sim::InputError&) {
  }
  fs::remove(kOut);
  fs::remove(kOut + ".partial");
  return 0;
}
