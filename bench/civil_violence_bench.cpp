// The civil violence step at 10^4 .. 10^7 agents, 1 and 2 threads, for the
// default vision shape, and at 10^6 for every shape.
// Reports citizen updates per second and, per phase (move, decide, arrest,
// jail), wall time per citizen per step in ns; the grid grows with the agent
// count so that densities (and so the work per agent) stay those of the
// classic setting. Each configuration times the same 50 days (after 5 of
// warm-up) of one seeded run. On a shared or virtual machine, repeat and take
// the best:
//   --benchmark_repetitions=3
//   build/bench/bench_civil_violence --benchmark_counters_tabular=true
// The context printed first names the vector path that ran (the widest the
// CPU has, or BORDERLAND_VECTOR_PATH=plain|avx2|avx512), the CPU's model and
// its vector flags.
#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "models/civil_violence/model.hpp"
#include "models/civil_violence/world.hpp"
#include "sim/philox_batch.hpp"
#include "sim/scenario.hpp"

namespace {

using borderland::civil_violence::Model;
using borderland::civil_violence::Parameters;
using borderland::civil_violence::World;

constexpr double kAgentDensity = 0.74;  // citizens 0.70 + cops 0.04 per cell

const char* const kShapes[] = {"von_neumann", "disc", "cross", "square"};

borderland::sim::Scenario scenario_for(long agents, const char* shape) {
  static const Model model;
  const auto side =
      static_cast<long>(std::lround(std::sqrt(static_cast<double>(agents) / kAgentDensity)));
  // Legitimacy 0.75: enough unrest that the arrest and jail phases do real work.
  return borderland::sim::parse_scenario(
      "model: civil_violence\nstart: 2000-01-01\nend: 2100-01-01\n", "bench",
      {"parameters.grid.width=" + std::to_string(side),
       "parameters.grid.height=" + std::to_string(side), "parameters.legitimacy=0.75",
       std::string("parameters.vision_shape=") + shape},
      {&model.spec()});
}

void BM_CivilViolenceStep(benchmark::State& state) {
  const long agents = state.range(0);
  const int threads = static_cast<int>(state.range(1));
  const char* shape = kShapes[state.range(2)];
  state.SetLabel(std::string(shape) + " " +
                 borderland::sim::vector_path_name(borderland::sim::vector_path()));
  tbb::task_arena arena(threads);
  const auto scenario = scenario_for(agents, shape);
  std::unique_ptr<World> world;
  arena.execute(
      [&] { world = std::make_unique<World>(scenario, Parameters::from(scenario.parameters)); });
  std::int64_t step = 0;
  arena.execute([&] {
    for (; step < 5; ++step) world->step(step);  // past the start-up transient
  });
  std::vector<double> warm_up_seconds;
  for (const auto& phase : world->schedule().phases()) warm_up_seconds.push_back(phase.seconds);
  for (auto _ : state) {
    arena.execute([&] { world->step(step++); });
  }
  const auto citizens = static_cast<double>(world->citizen_count());
  // Wall time of each phase per citizen per step, in ns: where the time goes.
  const auto& phases = world->schedule().phases();
  for (std::size_t i = 0; i < phases.size(); ++i)
    state.counters[phases[i].name + "_ns"] = (phases[i].seconds - warm_up_seconds[i]) * 1e9 /
                                             (citizens * static_cast<double>(state.iterations()));
  state.counters["citizens"] = citizens;
  state.counters["citizen_updates_per_s"] = benchmark::Counter(
      citizens * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  // Seconds per citizen update, shown with an SI prefix (e.g. "120n" = 120 ns).
  state.counters["s_per_citizen"] =
      benchmark::Counter(citizens * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// A fixed number of steps: the work of a step changes as the run unfolds
// (arrests and releases rise with unrest), and the runs are deterministic, so
// every configuration and repetition then times the same days of the same run.
constexpr int kMeasuredSteps = 50;

// shape: an index into kShapes (0, von_neumann, is the default).
BENCHMARK(BM_CivilViolenceStep)
    ->ArgNames({"agents", "threads", "shape"})
    ->ArgsProduct({{10'000, 100'000, 1'000'000, 10'000'000}, {1, 2}, {0}})
    // The classic 40 x 40 grid (1 184 agents): the fixed cost of a step.
    ->ArgsProduct({{1'184}, {1, 2}, {0}})
    ->ArgsProduct({{1'000'000}, {1, 2}, {1, 2, 3}})
    ->Iterations(kMeasuredSteps)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The CPU's model name and its vector flags, from /proc/cpuinfo (Linux).
void add_cpu_context() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line, model = "unknown", flags;
  while (std::getline(cpuinfo, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
    const std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
    if (key == "model name" && model == "unknown") model = value;
    if (key == "flags" && flags.empty()) {
      std::istringstream words(value);
      for (std::string flag; words >> flag;)
        if (flag.rfind("avx", 0) == 0 || flag.rfind("sse", 0) == 0 || flag == "fma" ||
            flag == "bmi2")
          flags += (flags.empty() ? "" : " ") + flag;
    }
  }
  benchmark::AddCustomContext("cpu_model", model);
  benchmark::AddCustomContext("cpu_vector_flags", flags);
  benchmark::AddCustomContext("vector_path",
                              borderland::sim::vector_path_name(borderland::sim::vector_path()));
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  add_cpu_context();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
