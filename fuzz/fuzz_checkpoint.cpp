// Checkpoint loader: a real civil violence checkpoint with state arrays and
// attributes overwritten from the input either restarts or is an InputError;
// never a crash. (The TTP checkpoint: fuzz_checkpoint_ttp.cpp.)
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

const fs::path kDir = fs::temp_directory_path() / ("fuzz_checkpoint_" + std::to_string(getpid()));
const std::string kTemplate = (kDir / "template.h5").string();
const std::string kWork = (kDir / "work.h5").string();
const std::string kOut = (kDir / "out.h5").string();

const char* const kIntegerArrays[] = {"citizen_id", "cop_id", "arrest_x",  "arrest_y",
                                      "jail_order", "state",  "jail_left", "occupant"};
const char* const kRealArrays[] = {"hardship", "risk_aversion"};
const char* const kStateAttributes[] = {"steps_done",      "arrests_total", "released",
                                        "active_count",    "jailed_count",  "peak_active",
                                        "citizen_next_id", "cop_next_id"};

void mutate(FuzzedDataProvider& in) {
  sim::h5::File f(kWork, sim::h5::File::Mode::kReadWrite);
  sim::h5::Group state = f.open_group("checkpoint/state");
  for (int k = in.ConsumeIntegralInRange<int>(1, 4); k > 0 && in.remaining_bytes() > 0; --k) {
    switch (in.ConsumeIntegralInRange<int>(0, 4)) {
      case 0: {
        auto ds = state.open_dataset(in.PickValueInArray(kIntegerArrays));
        auto v = ds.read<std::int64_t>();
        if (v.empty()) break;
        v[in.ConsumeIntegralInRange<std::size_t>(0, v.size() - 1)] =
            in.ConsumeBool() ? in.ConsumeIntegralInRange<std::int64_t>(-10, 200)
                             : in.ConsumeIntegral<std::int32_t>();
        ds.write_rows(0, v);
        break;
      }
      case 1: {
        auto ds = state.open_dataset(in.PickValueInArray(kRealArrays));
        auto v = ds.read<double>();
        if (v.empty()) break;
        v[in.ConsumeIntegralInRange<std::size_t>(0, v.size() - 1)] =
            in.ConsumeFloatingPoint<double>();
        ds.write_rows(0, v);
        break;
      }
      case 2:
        state.set_attr(in.PickValueInArray(kStateAttributes),
                       in.ConsumeBool() ? in.ConsumeIntegralInRange<std::int64_t>(-5, 500)
                                        : in.ConsumeIntegral<std::int64_t>());
        break;
      case 3:
        state.set_attr(in.ConsumeBool() ? "legitimacy" : "sum_active",
                       in.ConsumeFloatingPoint<double>());
        break;
      case 4:
        f.open_group("checkpoint")
            .set_attr(in.ConsumeBool() ? "step" : "every",
                      in.ConsumeIntegralInRange<std::int64_t>(-3, 40));
        break;
    }
  }
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fs::create_directories(kDir);
  const auto specs = app::model_specs();
  const sim::Scenario s = sim::parse_scenario(
      "model: civil_violence\nseed: 3\nstart: 2000-01-01\nend: 2000-01-30\n"
      "parameters: {grid: {width: 10, height: 10}, citizens: {vision: 2}, cops: {vision: 2}, "
      "legitimacy: 0.6}\n",
      (kDir / "template.yaml").string(), {}, specs);
  sim::RunOptions o;
  o.output_path = kTemplate;
  o.threads = 1;
  o.checkpoint_every = 12;
  sim::run_scenario(*app::find_model("civil_violence"), s, o);
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
