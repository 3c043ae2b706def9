// borderland: the command line. Wiring only; each command lives in cmd_*.cpp.
//
// Conventions of git and cargo: `borderland` alone prints the usage (exit 2),
// `borderland help [COMMAND]`, an unknown command gets a suggestion, -V prints
// the version, placeholders say what a value is (FILE, DATE, i/N, KEY=VALUE)
// and --help shows the defaults. A command is one block below (its options)
// plus one line in `dispatch`.
#include <fmt/format.h>
#include <tbb/global_control.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <thread>

#include "app/cmd_view.hpp"
#include "app/commands.hpp"
#include "borderland/version.hpp"
#include "sim/diagnostics.hpp"
#include "sim/error.hpp"
#include "sim/experiments/runner.hpp"
#include "sim/memory_limit.hpp"
#include "sim/params.hpp"
#include "sim/scenario_overrides.hpp"

namespace {
// Exit codes: 0 ok, 1 run failure, 2 bad input.
constexpr int kExitRunFailure = 1;
constexpr int kExitBadInput = 2;

// --seed: digits only, 0 to 2^63 - 1 (it is stored as an int64 attribute).
std::uint64_t seed_option(const std::string& text) {
  const auto seed = borderland::sim::parse_seed(text);
  if (!seed)
    throw borderland::sim::InputError(
        fmt::format("--seed: error: expected {}, got \"{}\"", borderland::sim::kSeedRange, text));
  return *seed;
}

// An option given with an empty value is a mistake, never "use the default".
void reject_empty(const CLI::App& command, const char* option, const std::string& value) {
  if (command.count(option) > 0 && value.empty())
    throw borderland::sim::InputError(
        fmt::format("{}: error: {}: the file name is empty", command.get_name(), option));
}

// More threads than cores is the user's choice (results do not depend on it);
// raising TBB's limit keeps it from printing a warning about it.
std::optional<tbb::global_control> allow_threads(int threads) {
  const auto cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (threads <= cores) return std::nullopt;
  return std::optional<tbb::global_control>(std::in_place,
                                            tbb::global_control::max_allowed_parallelism,
                                            static_cast<std::size_t>(threads));
}

// A range check that keeps the placeholder plain in --help ("N=0", not "N:INT in [0 - 4096]=0");
// a value outside it is still refused with the range in the message.
template <class T>
CLI::Validator quiet_range(T min, T max) {
  return CLI::Range(min, max).description("");
}

void print_usage(const CLI::App& app, std::FILE* to) {
  fmt::print(to, "{}", app.help());
}

// The names of the commands, for "did you mean" and `help`.
std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  return names;
}

// `borderland help [COMMAND]` and an unknown first word, before CLI11 parses.
std::optional<int> help_or_unknown(CLI::App& app, int argc, char** argv) {
  if (argc < 2) {
    print_usage(app, stderr);
    return kExitBadInput;
  }
  const std::string first = argv[1];
  if (first.empty() || first[0] == '-') return std::nullopt;
  const auto names = command_names(app);
  auto unknown = [&](const std::string& word) {
    fmt::print(stderr, "borderland: error: unknown command '{}'{}\n", word, [&] {
      const auto best = borderland::sim::closest_match(word, names);
      return best ? fmt::format("; did you mean '{}'?", *best) : std::string{};
    }());
    fmt::print(stderr, "Commands: {}. Run 'borderland help' for more.\n",
               borderland::sim::known_list(names));
    return kExitBadInput;
  };
  if (first == "help") {
    if (argc == 2) {
      print_usage(app, stdout);
      return 0;
    }
    if (argc > 3) {
      fmt::print(stderr, "borderland: error: help: expected at most one COMMAND\n");
      return kExitBadInput;
    }
    const std::string name = argv[2];
    if (std::find(names.begin(), names.end(), name) == names.end()) return unknown(name);
    fmt::print("{}", app.get_subcommand(name)->help("borderland"));
    return 0;
  }
  if (std::find(names.begin(), names.end(), first) == names.end()) return unknown(first);
  return std::nullopt;
}
}  // namespace

int main(int argc, char** argv) {
  using namespace borderland;
  CLI::App app{"borderland: agent-based simulation of insurgency and border dynamics",
               "borderland"};
  app.set_version_flag("-V,--version", fmt::format("borderland {} ({})", kVersion, kGitCommit));
  app.require_subcommand(1);
  app.footer(
      "Run 'borderland help COMMAND' (or 'borderland COMMAND --help') for a command's options.\n"
      "Exit codes: 0 ok, 1 a run failed, 2 bad input (the message says where).");

  // One run's memory limit (sim/memory_limit.hpp): for run, sweep and validate.
  std::string memory_limit;
  auto add_memory_limit = [&](CLI::App* command) {
    command
        ->add_option("--memory-limit", memory_limit,
                     "refuse a scenario whose run needs more memory than SIZE (e.g. 8G, or none; "
                     "default: $BORDERLAND_MEMORY_LIMIT, else 80% of this machine's memory)")
        ->type_name("SIZE");
  };

  app::RunArgs run_args;
  std::string run_seed;
  std::vector<std::string> run_policies;
  CLI::App* run = app.add_subcommand("run", "Run a scenario and write its HDF5 output");
  run->add_option("scenario", run_args.scenario, "scenario YAML file (not with --restart)")
      ->type_name("FILE");
  run->add_option("-o,--output", run_args.output,
                  "output HDF5 file (default: SCENARIO's name with .h5, in this folder)")
      ->type_name("FILE");
  run->add_option("--seed", run_seed,
                  "the run's seed, 0 to 2^63 - 1 (default: the scenario's `seed`)")
      ->type_name("SEED");
  run->add_option("--threads", run_args.threads,
                  "worker threads (0 = all cores; results do not depend on it)")
      ->type_name("N")
      ->capture_default_str()
      ->check(quiet_range(0, 4096));
  run->add_option("--set", run_args.overrides,
                  "override a scenario key, e.g. parameters.legitimacy=0.7; a list index may be "
                  "'+' to append (repeatable)")
      ->type_name("KEY=VALUE");
  run->add_option("--policy", run_policies,
                  "add a policy switch: 'NAME start=DATE end=DATE STRENGTH=VALUE...' (repeatable; "
                  "checked like the file)")
      ->type_name("'NAME KEY=VALUE...'");
  run->add_option("--until", run_args.until, "stop after this date")->type_name("DATE");
  run->add_flag("-q,--quiet", run_args.quiet, "print nothing but errors");
  run->add_option("--checkpoint-every", run_args.checkpoint_every,
                  "save the full state into the output's /checkpoint every DAYS days (0 = never)")
      ->type_name("DAYS")
      ->capture_default_str()
      ->check(quiet_range(std::int64_t{0}, std::int64_t{1} << 40));
  run->add_option("--restart", run_args.restart,
                  "continue the run saved in FILE (an output or .partial with /checkpoint); "
                  "the scenario comes from FILE")
      ->type_name("FILE")
      ->excludes("--until");
  CLI::Option* posterior =
      run->add_option("--posterior", run_args.posterior,
                      "parameters from a posterior FILE (python3 -m borderland.calibration); "
                      "--set still overrides them")
          ->type_name("FILE")
          ->excludes("--restart");
  run->add_option("--draw", run_args.draw, "which posterior draw (0-based)")
      ->type_name("K")
      ->check(quiet_range(std::int64_t{0}, std::int64_t{1} << 40))
      ->needs(posterior);
  posterior->needs("--draw");
  add_memory_limit(run);

  app::SweepArgs sweep_args;
  CLI::App* sweep =
      app.add_subcommand("sweep",
                         "Run a sweep (design x replicas of a base scenario) into one HDF5 file; "
                         "under mpirun the runs spread over the ranks");
  sweep->add_option("sweep", sweep_args.sweep, "sweep YAML file")->required()->type_name("FILE");
  sweep
      ->add_option("-o,--output", sweep_args.output,
                   "sweep HDF5 file (default: SWEEP's name with .h5, in this folder)")
      ->type_name("FILE");
  sweep
      ->add_option("--threads", sweep_args.threads,
                   "threads of this process (0 = all cores), shared by the runs in flight")
      ->type_name("N")
      ->capture_default_str()
      ->check(quiet_range(0, 4096));
  sweep
      ->add_option("--run-threads", sweep_args.run_threads,
                   "threads inside each run (0 = the process's threads / runs at once)")
      ->type_name("N")
      ->capture_default_str()
      ->check(quiet_range(0, 4096));
  sweep->add_flag("--resume", sweep_args.resume,
                  "finish an interrupted sweep: keep its finished runs, do the rest");
  sweep
      ->add_option("--shard", sweep_args.shard,
                   "do only the runs r with r % N == i (0 <= i < N); join shards with merge")
      ->type_name("i/N");
  sweep
      ->add_option("--runs-dir", sweep_args.runs_dir,
                   "also keep every run's full output (events, snapshots) in this folder")
      ->type_name("DIR");
  sweep->add_flag("-q,--quiet", sweep_args.quiet, "print nothing but errors");
  add_memory_limit(sweep);

  std::vector<std::string> merge_inputs;
  std::string merge_output;
  bool merge_quiet = false;
  CLI::App* merge =
      app.add_subcommand("merge", "Join the shard files of one sweep into one sweep file");
  merge->add_option("shards", merge_inputs, "shard HDF5 files (from sweep --shard i/N)")
      ->required()
      ->type_name("FILE");  // CLI11 adds " ..." for a list
  merge->add_option("-o,--output", merge_output, "the merged sweep file")
      ->required()
      ->type_name("FILE");
  merge->add_flag("-q,--quiet", merge_quiet, "print nothing but errors");

  std::string validate_file;
  std::vector<std::string> validate_overrides, validate_policies;
  CLI::App* validate = app.add_subcommand(
      "validate",
      "Check a scenario or a sweep as run does before its first step, and print it with every "
      "default filled in");
  validate->add_option("file", validate_file, "scenario or sweep YAML file")
      ->required()
      ->type_name("FILE");
  validate->add_option("--set", validate_overrides, "override a key (repeatable), as for run")
      ->type_name("KEY=VALUE");
  validate->add_option("--policy", validate_policies, "add a policy switch, as for run")
      ->type_name("'NAME KEY=VALUE...'");
  add_memory_limit(validate);

  std::string model_name;
  CLI::App* models =
      app.add_subcommand("models", "List models; with a name, its parameters, units and docs");
  models->add_option("name", model_name, "a model name")->type_name("MODEL");

  std::string inspect_file;
  CLI::App* inspect = app.add_subcommand(
      "inspect", "Summarise a file: a run or sweep output, a checkpoint, or a map asset");
  inspect->add_option("file", inspect_file, "an HDF5 file written by borderland")
      ->required()
      ->type_name("FILE");

  std::string export_file, export_csv;
  bool export_quiet = false;
  CLI::App* export_cmd = app.add_subcommand(
      "export", "Write a run or sweep file as tidy CSV (series, events, summary, design)");
  export_cmd->add_option("file", export_file, "an HDF5 file written by borderland")
      ->required()
      ->type_name("FILE");
  export_cmd->add_option("--csv", export_csv, "folder for the CSV files (created)")
      ->required()
      ->type_name("DIR");
  export_cmd->add_flag("-q,--quiet", export_quiet, "print nothing but errors");

  app::ViewArgs view_args;
  CLI::App* view = app::add_view_command(app, view_args);

  if (const auto early = help_or_unknown(app, argc, argv)) return *early;
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
               "borderland: error: {}\nRun 'borderland help' or 'borderland help COMMAND'.\n",
               e.what());
    return kExitBadInput;
  }

  try {
    if (!memory_limit.empty()) {  // checked here; the models read it from the environment
      (void)sim::parse_memory_size(memory_limit, "--memory-limit");
      ::setenv(sim::kMemoryLimitVariable, memory_limit.c_str(), 1);
    }
    if (*run) {
      if (run_args.scenario.empty() == run_args.restart.empty())
        throw sim::InputError(
            "borderland: error: run: give a scenario FILE or --restart FILE (one of them)");
      reject_empty(*run, "--output", run_args.output);
      if (run->count("--seed") > 0) run_args.seed = seed_option(run_seed);
      for (const auto& p : run_policies) run_args.overrides.push_back(sim::policy_override(p));
      const auto threads = allow_threads(run_args.threads);
      return app::command_run(run_args);
    }
    if (*sweep) {
      reject_empty(*sweep, "--output", sweep_args.output);
      const auto threads = allow_threads(sweep_args.threads);
      sim::experiments::MpiSession mpi(&argc, &argv);
      return app::command_sweep(sweep_args);
    }
    if (*merge) {
      reject_empty(*merge, "--output", merge_output);
      return app::command_merge(merge_inputs, merge_output, merge_quiet);
    }
    if (*validate) {
      for (const auto& p : validate_policies) validate_overrides.push_back(sim::policy_override(p));
      return app::command_validate(validate_file, validate_overrides);
    }
    if (*models) return app::command_models(model_name);
    if (*inspect) return app::command_inspect(inspect_file);
    if (*view) return app::command_view(view_args);
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
