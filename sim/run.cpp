#include "sim/run.hpp"

#include <fmt/format.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "sim/diagnostics.hpp"
#include "sim/error.hpp"
#include "sim/h5.hpp"
#include "sim/output_file.hpp"
#include "sim/progress.hpp"
#include "sim/run_writer.hpp"

namespace borderland::sim {

OutputSelection select_output(const OutputSchema& schema, const OutputSettings& output) {
  OutputSelection selection;
  selection.events = output.events;
  if (!output.series) {
    for (std::size_t i = 0; i < schema.series.size(); ++i) selection.series.push_back(i);
    return selection;
  }
  std::vector<std::string> known;
  for (const auto& s : schema.series) known.push_back(s.name);
  std::vector<std::string> errors;
  const auto& names = *output.series;
  for (std::size_t k = 0; k < names.size(); ++k)
    if (std::find(known.begin(), known.end(), names[k]) == known.end())
      errors.push_back(
          fmt::format("{}: error: output.series: unknown series \"{}\"{}; the model's series: {}",
                      k < output.series_where.size() ? output.series_where[k] : "output.series",
                      names[k], did_you_mean(names[k], known), known_list(known)));
  if (!errors.empty()) throw InputError(errors);
  for (std::size_t i = 0; i < schema.series.size(); ++i)
    if (std::find(names.begin(), names.end(), schema.series[i].name) != names.end())
      selection.series.push_back(i);
  return selection;
}

RunResult run_scenario(const Model& model, const Scenario& scenario, const RunOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  if (options.until && *options.until < scenario.start)
    throw InputError("--until: error: date " + options.until->iso() +
                     " is before the scenario start " + scenario.start.iso());
  const bool restart = !options.restart_from.empty();
  if ((options.checkpoint_every > 0 || restart) && options.output_path.empty())
    throw InputError("--checkpoint-every/--restart: error: checkpoints need an output file");
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
    if (!options.output_path.empty()) {  // after the scenario's own errors, before any work
      std::vector<std::string> inputs = options.inputs;
      inputs.push_back(scenario.source);
      if (restart) inputs.push_back(options.restart_from);
      check_output_path(options.output_path, OutputKind::kRun, inputs);
    }
    const OutputSchema& schema = sim->schema();
    const OutputSelection selection = select_output(schema, scenario.output);
    std::optional<RunWriter> writer;
    std::int64_t first_step = 0;
    std::int64_t checkpoint_every = options.checkpoint_every;
    if (restart) {
      writer.emplace(RunWriter::Restart{}, options.output_path, options.restart_from, scenario,
                     *sim, threads);
      first_step = writer->restart_step();
      if (checkpoint_every == 0) checkpoint_every = writer->restart_every();
    } else if (!options.output_path.empty()) {
      writer.emplace(options.output_path, scenario, *sim, threads, options.replace_partial);
    }
    if (options.keep_series) {
      result.series.resize(selection.series.size());
      for (std::size_t k = 0; k < selection.series.size(); ++k)
        result.series[k].reserve(static_cast<std::size_t>(steps) *
                                 schema.series[selection.series[k]].width());
    }
    auto checkpoint = [&](std::int64_t next_step) {
      try {
        writer->save_checkpoint(next_step, scenario.date_of(next_step), *sim, checkpoint_every);
      } catch (const InputError& e) {
        throw InputError(
            fmt::format("--checkpoint-every: error: model {} cannot save checkpoints ({})",
                        scenario.model, e.what()));
      }
    };
    if (checkpoint_every > 0 && !restart) checkpoint(0);  // fails early if the model cannot

    Progress progress(steps, "days", options.progress);
    StepRecord record;
    record.series_read.assign(schema.series.size(), 0);
    for (const std::size_t i : selection.series) record.series_read[i] = 1;
    record.events_read = writer.has_value() && selection.events;
    const std::int64_t snapshot_every = scenario.output.snapshot_every;
    for (std::int64_t step = first_step; step < steps; ++step) {
      const Date date = scenario.date_of(step);
      if (writer && snapshot_every > 0 && step % snapshot_every == 0)
        writer->add_snapshot(step, date, *sim);
      record.reset(schema);
      sim->step(step);
      sim->record(record);
      if (writer) {
        writer->add_step(step, date, record);
        if ((step + 1) % scenario.output.flush_every == 0) writer->flush();
        if (checkpoint_every > 0 && (step + 1) % checkpoint_every == 0 && step + 1 < steps)
          checkpoint(step + 1);
      }
      if (options.keep_series)
        for (std::size_t k = 0; k < selection.series.size(); ++k) {
          const auto& values = record.series[selection.series[k]];
          result.series[k].insert(result.series[k].end(), values.begin(), values.end());
        }
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

Scenario load_checkpoint_scenario(const std::string& file,
                                  const std::vector<const ModelSpec*>& models) {
  const h5::File f(file, h5::File::Mode::kReadOnly);
  if (!f.has("checkpoint"))
    throw InputError(fmt::format(
        "{}: error: --restart: no /checkpoint in this file (write one with --checkpoint-every)",
        file));
  const h5::Group sc = f.open_group("scenario");
  const h5::Dataset given = sc.open_dataset("given");
  std::vector<std::string> overrides;
  if (given.has_attr("overrides")) {
    const std::string all = given.attr_string("overrides");
    std::size_t start = 0;
    while (start < all.size()) {
      const auto nl = all.find('\n', start);
      overrides.push_back(
          all.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }
  const std::string source = sc.has_attr("source") ? sc.attr_string("source") : file;
  return parse_scenario(given.read_strings().at(0), source, overrides, models);
}

}  // namespace borderland::sim
