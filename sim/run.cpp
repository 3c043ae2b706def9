#include "sim/run.hpp"

#include <tbb/task_arena.h>

#include <chrono>
#include <thread>

#include "sim/error.hpp"
#include "sim/progress.hpp"
#include "sim/run_writer.hpp"

namespace borderland::sim {

RunResult run_scenario(const Model& model, const Scenario& scenario, const RunOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  if (options.until && *options.until < scenario.start)
    throw InputError("--until: error: date " + options.until->iso() +
                     " is before the scenario start " + scenario.start.iso());
  if (!options.output_path.empty()) check_output_path(options.output_path);
  const int threads = options.threads > 0
                          ? options.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::int64_t steps = scenario.steps();
  if (options.until && *options.until < scenario.end)
    steps = scenario.start.days_until(*options.until) + 1;

  RunResult result;
  // Each run gets its own arena: the thread count is a property of the run,
  // so a sweep can run several runs side by side with a few threads each.
  tbb::task_arena arena(threads);
  arena.execute([&] {
    std::unique_ptr<Simulation> sim = model.create(scenario);
    const OutputSchema& schema = sim->schema();
    std::optional<RunWriter> writer;
    if (!options.output_path.empty()) writer.emplace(options.output_path, scenario, *sim, threads);
    if (options.keep_series) result.series.resize(schema.series.size());

    Progress progress(steps, "days", options.progress);
    StepRecord record;
    const std::int64_t snapshot_every = scenario.output.snapshot_every;
    for (std::int64_t step = 0; step < steps; ++step) {
      const Date date = scenario.date_of(step);
      if (writer && snapshot_every > 0 && step % snapshot_every == 0)
        writer->add_snapshot(step, date, *sim);
      record.reset(schema);
      sim->step(step);
      sim->record(record);
      if (writer) {
        writer->add_step(step, date, record);
        if ((step + 1) % scenario.output.flush_every == 0) writer->flush();
      }
      if (options.keep_series)
        for (std::size_t i = 0; i < record.series.size(); ++i)
          result.series[i].insert(result.series[i].end(), record.series[i].begin(),
                                  record.series[i].end());
      progress.update(step + 1);
    }
    progress.finish();
    result.summary = sim->summary();
    if (writer) writer->finish(result.summary);
  });
  result.steps = steps;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

}  // namespace borderland::sim
