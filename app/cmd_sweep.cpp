#include <fmt/format.h>

#include "app/commands.hpp"
#include "app/registry.hpp"
#include "sim/error.hpp"
#include "sim/experiments/runner.hpp"
#include "sim/experiments/sweep.hpp"
#include "sim/progress.hpp"

namespace borderland::app {

namespace {
void parse_shard(const std::string& text, int& index, int& count) {
  const auto slash = text.find('/');
  try {
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    std::size_t used = 0;
    index = std::stoi(text.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument("index");
    const std::string n = text.substr(slash + 1);
    count = std::stoi(n, &used);
    if (used != n.size()) throw std::invalid_argument("count");
  } catch (const std::exception&) {
    throw sim::InputError(fmt::format("--shard: error: expected i/N (e.g. 0/4), got \"{}\"", text));
  }
  if (count < 1 || index < 0 || index >= count)
    throw sim::InputError(
        fmt::format("--shard: error: expected i/N with 0 <= i < N, got \"{}\"", text));
}
}  // namespace

int command_sweep(const SweepArgs& args) {
  namespace ex = sim::experiments;
  ex::MpiSession* mpi = ex::MpiSession::current();
  const bool writer = mpi == nullptr || mpi->rank() == 0;
  try {
    const ex::Sweep sweep = ex::load_sweep(args.sweep, model_specs());
    ex::SweepOptions o;
    o.output = args.output.empty() ? std::filesystem::path(args.sweep).stem().string() + ".h5"
                                   : args.output;
    o.threads = args.threads;
    o.run_threads = args.run_threads;
    o.resume = args.resume;
    o.runs_dir = args.runs_dir;
    if (!args.shard.empty()) parse_shard(args.shard, o.shard_index, o.shard_count);
    o.progress = writer && !args.quiet && sim::Progress::stderr_is_terminal();
    const ex::SweepOutcome out =
        ex::run_sweep(*find_model(sweep.base.model), sweep, model_specs(), o);
    if (!out.writer) return 0;
    if (!args.quiet)
      fmt::print(
          stderr, "wrote {} ({} runs: {} run now{}, {} skipped) in {:.1f} s, {:.2f} runs/s\n",
          o.output, out.runs, out.ran,
          out.failed ? fmt::format(" of which {} failed", out.failed) : std::string{}, out.skipped,
          out.seconds, out.seconds > 0 ? static_cast<double>(out.ran) / out.seconds : 0.0);
    if (out.failed > 0) {
      fmt::print(stderr, "borderland: {} run(s) failed; their errors are in /runs/error of {}\n",
                 out.failed, o.output);
      return 1;
    }
    return 0;
  } catch (const sim::InputError&) {
    if (!writer) return 2;  // rank 0 reports it
    throw;
  }
}

}  // namespace borderland::app
