// borderland: the command line. Wiring only; each command lives in cmd_*.cpp.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>

#include "app/commands.hpp"
#include "borderland/version.hpp"
#include "sim/error.hpp"
#include "sim/experiments/runner.hpp"

namespace {
// Exit codes (DESIGN.md): 0 ok, 1 run failure, 2 bad input.
constexpr int kExitRunFailure = 1;
constexpr int kExitBadInput = 2;
}  // namespace

int main(int argc, char** argv) {
  using namespace borderland;
  CLI::App app{"borderland: agent-based simulation of insurgency and border dynamics",
               "borderland"};
  app.set_version_flag("--version", fmt::format("borderland {} ({})", kVersion, kGitCommit));
  app.require_subcommand(1);

  app::RunArgs run_args;
  CLI::App* run = app.add_subcommand("run", "Run a scenario and write its HDF5 output");
  run->add_option("scenario", run_args.scenario, "scenario YAML file (not with --restart)");
  run->add_option("-o,--output", run_args.output, "output HDF5 file (default: <scenario name>.h5)");
  run->add_option("--seed", run_args.seed, "override the scenario's seed");
  run->add_option("--threads", run_args.threads,
                  "worker threads (0 = all cores; results do not depend on it)")
      ->check(CLI::Range(0, 4096));
  run->add_option("--set", run_args.overrides,
                  "override a scenario key: path.to.key=value (repeatable)");
  run->add_option("--until", run_args.until, "stop after this date (YYYY-MM-DD)");
  run->add_flag("-q,--quiet", run_args.quiet, "print nothing but errors");
  run->add_option("--checkpoint-every", run_args.checkpoint_every,
                  "save the full state into the output's /checkpoint every DAYS days")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));
  run->add_option("--restart", run_args.restart,
                  "continue the run saved in FILE (an output or .partial with /checkpoint); "
                  "the scenario comes from FILE")
      ->excludes("--until");

  app::SweepArgs sweep_args;
  CLI::App* sweep =
      app.add_subcommand("sweep",
                         "Run a sweep (design x replicas of a base scenario) into one HDF5 file; "
                         "under mpirun the runs spread over the ranks");
  sweep->add_option("sweep", sweep_args.sweep, "sweep YAML file")->required();
  sweep->add_option("-o,--output", sweep_args.output, "sweep HDF5 file (default: <sweep name>.h5)");
  sweep
      ->add_option("--threads", sweep_args.threads,
                   "threads of this process (0 = all cores), shared by the runs in flight")
      ->check(CLI::Range(0, 4096));
  sweep
      ->add_option("--run-threads", sweep_args.run_threads,
                   "threads inside each run (default: threads / runs at once)")
      ->check(CLI::Range(0, 4096));
  sweep->add_flag("--resume", sweep_args.resume,
                  "finish an interrupted sweep: keep its finished runs, do the rest");
  sweep->add_option("--shard", sweep_args.shard,
                    "do only the runs r with r % N == i (0 <= i < N); join shards with merge");
  sweep->add_option("--runs-dir", sweep_args.runs_dir,
                    "also keep every run's full output (events, snapshots) in this folder");
  sweep->add_flag("-q,--quiet", sweep_args.quiet, "print nothing but errors");

  std::vector<std::string> merge_inputs;
  std::string merge_output;
  bool merge_quiet = false;
  CLI::App* merge =
      app.add_subcommand("merge", "Join the shard files of one sweep into one sweep file");
  merge->add_option("shards", merge_inputs, "shard HDF5 files (from sweep --shard i/N)")
      ->required();
  merge->add_option("-o,--output", merge_output, "the merged sweep file")->required();
  merge->add_flag("-q,--quiet", merge_quiet, "print nothing but errors");

  std::string validate_file;
  std::vector<std::string> validate_overrides;
  CLI::App* validate = app.add_subcommand(
      "validate", "Check a scenario or a sweep and print it with every default filled in");
  validate->add_option("file", validate_file, "scenario or sweep YAML file")->required();
  validate->add_option("--set", validate_overrides,
                       "override a key: path.to.key=value (repeatable)");

  std::string model_name;
  CLI::App* models =
      app.add_subcommand("models", "List models; with a name, its parameters, units and docs");
  models->add_option("name", model_name, "a model name");

  std::string inspect_file;
  CLI::App* inspect = app.add_subcommand("inspect", "Summarise a result file");
  inspect->add_option("file", inspect_file, "an HDF5 file written by borderland")->required();

  std::string export_file, export_csv;
  bool export_quiet = false;
  CLI::App* export_cmd = app.add_subcommand(
      "export", "Write a run or sweep file as tidy CSV (series, events, summary, design)");
  export_cmd->add_option("file", export_file, "an HDF5 file written by borderland")->required();
  export_cmd->add_option("--csv", export_csv, "folder for the CSV files (created)")->required();
  export_cmd->add_flag("-q,--quiet", export_quiet, "print nothing but errors");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr,
               "borderland: error: {}\nRun 'borderland --help' or 'borderland COMMAND --help'.\n",
               e.what());
    return kExitBadInput;
  }

  if (*run && run_args.scenario.empty() == run_args.restart.empty()) {
    fmt::print(stderr,
               "borderland: error: run: give a scenario file or --restart FILE (one of them)\n");
    return kExitBadInput;
  }

  try {
    if (*run) return app::command_run(run_args);
    if (*sweep) {
      sim::experiments::MpiSession mpi(&argc, &argv);
      return app::command_sweep(sweep_args);
    }
    if (*merge) return app::command_merge(merge_inputs, merge_output, merge_quiet);
    if (*validate) return app::command_validate(validate_file, validate_overrides);
    if (*models) return app::command_models(model_name);
    if (*inspect) return app::command_inspect(inspect_file);
    if (*export_cmd) return app::command_export(export_file, export_csv, export_quiet);
  } catch (const sim::InputError& e) {
    for (const auto& line : e.messages()) fmt::print(stderr, "{}\n", line);
    return kExitBadInput;
  } catch (const std::exception& e) {
    fmt::print(stderr, "borderland: run failed: {}\n", e.what());
    return kExitRunFailure;
  }
  return 0;
}
