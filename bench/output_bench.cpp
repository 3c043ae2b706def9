// What output costs (docs/hdf5_layout.md, "Working file"): the classic 40x40
// civil violence run as shipped (500 days, snapshots every 10 days, a flush
// every 100) with and without its output file, and one flush (index commit)
// after 100 .. 10,000 days already written, which must not grow with the
// series. Wall time on a shared machine is noisy: repeat and take the best:
//   build/bench/bench_output --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>

#include <filesystem>
#include <string>

#include "models/civil_violence/model.hpp"
#include "sim/run.hpp"
#include "sim/run_writer.hpp"
#include "sim/scenario.hpp"

namespace {
namespace fs = std::filesystem;
using borderland::civil_violence::Model;

const Model& model() {
  static const Model m;
  return m;
}

borderland::sim::Scenario classic() {
  return borderland::sim::load_scenario(BORDERLAND_SOURCE_DIR "/scenarios/civil_violence.yaml", {},
                                        {&model().spec()});
}

std::string temp_output(const std::string& name) {
  return (fs::temp_directory_path() / ("borderland_bench_" + name + ".h5")).string();
}

// The whole run; counter: microseconds per simulated day.
void BM_ClassicRun(benchmark::State& state) {
  const bool with_output = state.range(0) != 0;
  const auto scenario = classic();
  borderland::sim::RunOptions options;
  options.threads = 1;
  if (with_output) options.output_path = temp_output("classic");
  std::int64_t days = 0;
  for (auto _ : state) {
    fs::remove(options.output_path);
    days += borderland::sim::run_scenario(model(), scenario, options).steps;
  }
  state.counters["us_per_day"] = benchmark::Counter(
      static_cast<double>(days) * 1e-6, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_ClassicRun)->Arg(0)->Arg(1)->ArgName("output")->Unit(benchmark::kMillisecond);

// One flush of one day's rows after `days` days written: the index commit.
void BM_Flush(benchmark::State& state) {
  const auto days = state.range(0);
  auto scenario = classic();
  const std::string path = temp_output("flush");
  fs::remove(path + ".partial");
  tbb::task_arena arena(1);
  arena.execute([&] {
    auto sim = model().create(scenario);
    borderland::sim::StepRecord record;
    borderland::sim::RunWriter writer(path, scenario, *sim, 1);
    std::int64_t step = 0;
    for (; step < days; ++step) {
      record.reset(sim->schema());
      sim->step(step);
      sim->record(record);
      writer.add_step(step, scenario.date_of(step), record);
    }
    writer.flush();
    for (auto _ : state) {
      writer.add_step(step, scenario.date_of(step), record);
      ++step;
      writer.flush();
    }
  });  // the writer's destructor leaves NAME.partial: remove it
  fs::remove(path + ".partial");
  fs::remove_all(path + ".partial.data");
  fs::remove(path + ".partial.lock");
}
BENCHMARK(BM_Flush)->Arg(100)->Arg(10000)->ArgName("days")->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
