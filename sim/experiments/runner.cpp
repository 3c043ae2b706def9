#include "sim/experiments/runner.hpp"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#ifndef BORDERLAND_HAS_MPI
#define BORDERLAND_HAS_MPI 0
#endif
#if BORDERLAND_HAS_MPI
#include <mpi.h>
#endif

#include "sim/error.hpp"
#include "sim/output_file.hpp"
#include "sim/progress.hpp"
#include "sim/run.hpp"
#include "sim/run_writer.hpp"

namespace borderland::sim::experiments {

namespace {
MpiSession* g_session = nullptr;

bool started_by_mpi_launcher() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE", "MPI_LOCALNRANKS"})
    if (std::getenv(v) != nullptr) return true;
  return false;
}

int hardware_threads() {
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// The runs this process owns (its shard), in run order.
std::vector<std::int64_t> shard_runs(const Sweep& sweep, const SweepOptions& o) {
  std::vector<std::int64_t> runs;
  for (std::int64_t r = o.shard_index; r < sweep.runs(); r += o.shard_count) runs.push_back(r);
  return runs;
}

// Opens or creates the partial file and returns the runs still to do.
struct Prepared {
  std::unique_ptr<OutputLock> lock;  // this process's claim on the output
  std::string partial;
  std::vector<std::int64_t> todo;
  std::int64_t skipped = 0;
};

std::string shard_text(const SweepOptions& o) {
  return o.shard_count > 1 ? fmt::format("{}/{}", o.shard_index, o.shard_count) : std::string{};
}

SweepFile prepare_file(const Sweep& sweep, const SweepLayout& layout, const SweepOptions& o,
                       Prepared& p) {
  namespace fs = std::filesystem;
  std::error_code ec;
  p.partial = o.output + ".partial";
  check_output_path(o.output, OutputKind::kSweep, {sweep.source, sweep.base_source});
  p.lock = std::make_unique<OutputLock>(o.output);
  const std::vector<std::int64_t> mine = shard_runs(sweep, o);
  p.skipped = sweep.runs() - static_cast<std::int64_t>(mine.size());
  if (o.resume && (fs::exists(p.partial, ec) || fs::exists(o.output, ec))) {
    if (!fs::exists(p.partial, ec)) fs::rename(o.output, p.partial);  // rerun its failed runs
    SweepFile file = SweepFile::open_for_resume(p.partial, sweep, layout);
    h5::File check(p.partial, h5::File::Mode::kReadOnly);
    const std::string theirs = check.has_attr("shard") ? check.attr_string("shard") : "";
    if (theirs != shard_text(o))
      throw InputError(
          fmt::format("{}: error: --resume: the file is shard '{}', this is shard '{}'", p.partial,
                      theirs, shard_text(o)));
    check.close();
    const auto status = file.status();
    for (auto r : mine)
      if (status[static_cast<std::size_t>(r)] == kOk)
        ++p.skipped;
      else
        p.todo.push_back(r);
    return file;
  }
  if (!o.resume && fs::exists(p.partial, ec))
    throw InputError(fmt::format(
        "{}: error: an interrupted sweep is here; add --resume to finish it, or delete the file",
        p.partial));
  p.todo = mine;
  try {
    return SweepFile::create(p.partial, sweep, layout, shard_text(o));
  } catch (...) {  // a half-created file (a full disk) holds no run: leave nothing behind
    std::filesystem::remove(p.partial, ec);
    throw;
  }
}

void finish_file(SweepFile& file, const Prepared& p, const SweepOptions& o,
                 const std::vector<std::int64_t>& mine) {
  const auto status = file.status();
  file.close();
  for (auto r : mine)
    if (status[static_cast<std::size_t>(r)] == kNotRun) return;  // keep .partial: unfinished
  commit_file(p.partial, o.output);
  p.lock->release();
}

double elapsed_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

#if BORDERLAND_HAS_MPI
enum Tag : int { kWork = 1, kStop = 2, kResult = 3 };

class Buffer {
 public:
  std::vector<char> bytes;
  std::size_t at = 0;
  template <class T>
  void put(const T& v) {
    const auto* p = reinterpret_cast<const char*>(&v);
    bytes.insert(bytes.end(), p, p + sizeof(T));
  }
  void put_doubles(const std::vector<double>& v) {
    put<std::uint64_t>(v.size());
    const auto* p = reinterpret_cast<const char*>(v.data());
    bytes.insert(bytes.end(), p, p + v.size() * sizeof(double));
  }
  template <class T>
  T get() {
    T v;
    std::memcpy(&v, bytes.data() + at, sizeof(T));
    at += sizeof(T);
    return v;
  }
  std::vector<double> get_doubles() {
    const auto n = get<std::uint64_t>();
    std::vector<double> v(n);
    std::memcpy(v.data(), bytes.data() + at, n * sizeof(double));
    at += n * sizeof(double);
    return v;
  }
};

std::vector<char> pack(const RunRecord& r) {
  Buffer b;
  b.put(r.run);
  b.put(r.status);
  b.put<std::uint64_t>(r.error.size());
  b.bytes.insert(b.bytes.end(), r.error.begin(), r.error.end());
  b.put<std::uint64_t>(r.series.size());
  for (const auto& s : r.series) b.put_doubles(s);
  b.put_doubles(r.summary);
  return std::move(b.bytes);
}

RunRecord unpack(std::vector<char> bytes) {
  Buffer b;
  b.bytes = std::move(bytes);
  RunRecord r;
  r.run = b.get<std::int64_t>();
  r.status = b.get<std::int8_t>();
  const auto n = b.get<std::uint64_t>();
  r.error.assign(b.bytes.data() + b.at, n);
  b.at += n;
  r.series.resize(b.get<std::uint64_t>());
  for (auto& s : r.series) s = b.get_doubles();
  r.summary = b.get_doubles();
  return r;
}

void send_stop_to_all(int size) {
  const std::int64_t none = -1;
  for (int w = 1; w < size; ++w) MPI_Send(&none, 1, MPI_INT64_T, w, kStop, MPI_COMM_WORLD);
}

SweepOutcome mpi_writer(const Sweep& sweep, const SweepLayout& layout, const SweepOptions& o,
                        int size) {
  const auto t0 = std::chrono::steady_clock::now();
  Prepared p;
  std::optional<SweepFile> file;
  try {
    file.emplace(prepare_file(sweep, layout, o, p));
  } catch (...) {
    send_stop_to_all(size);  // the workers wait for work: release them
    throw;
  }
  SweepOutcome out;
  out.runs = sweep.runs();
  out.skipped = p.skipped;
  Progress progress(static_cast<std::int64_t>(p.todo.size()), "runs", o.progress);
  std::size_t next = 0;
  int busy = 0;
  for (int w = 1; w < size; ++w) {
    if (next < p.todo.size()) {
      MPI_Send(&p.todo[next++], 1, MPI_INT64_T, w, kWork, MPI_COMM_WORLD);
      ++busy;
    } else {
      const std::int64_t none = -1;
      MPI_Send(&none, 1, MPI_INT64_T, w, kStop, MPI_COMM_WORLD);
    }
  }
  try {
    while (busy > 0) {
      // Poll rather than block in MPI_Probe, which spins: rank 0 then leaves its
      // core to a worker when ranks outnumber cores (mpirun -np cores+1).
      MPI_Status st;
      int arrived = 0;
      while (MPI_Iprobe(MPI_ANY_SOURCE, kResult, MPI_COMM_WORLD, &arrived, &st), !arrived)
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      int count = 0;
      MPI_Get_count(&st, MPI_BYTE, &count);
      std::vector<char> bytes(static_cast<std::size_t>(count));
      MPI_Recv(bytes.data(), count, MPI_BYTE, st.MPI_SOURCE, kResult, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
      const RunRecord r = unpack(std::move(bytes));
      file->write(r);
      ++out.ran;
      out.failed += r.status == kFailed ? 1 : 0;
      progress.update(out.ran, out.failed);
      if (next < p.todo.size()) {
        MPI_Send(&p.todo[next++], 1, MPI_INT64_T, st.MPI_SOURCE, kWork, MPI_COMM_WORLD);
      } else {
        const std::int64_t none = -1;
        MPI_Send(&none, 1, MPI_INT64_T, st.MPI_SOURCE, kStop, MPI_COMM_WORLD);
        --busy;
      }
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "borderland: sweep failed on rank 0: {}\n", e.what());
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  progress.finish();
  finish_file(*file, p, o, shard_runs(sweep, o));
  out.seconds = elapsed_since(t0);
  return out;
}

SweepOutcome mpi_worker(const Model& model, const Sweep& sweep,
                        const std::vector<const ModelSpec*>& models, const SweepLayout& layout,
                        const SweepOptions& o) {
  SweepOutcome out;
  out.writer = false;
  const int threads = o.run_threads > 0 ? o.run_threads : (o.threads > 0 ? o.threads : 1);
  while (true) {
    std::int64_t run = -1;
    MPI_Status st;
    MPI_Recv(&run, 1, MPI_INT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
    if (st.MPI_TAG == kStop) break;
    const auto bytes = pack(execute_run(model, sweep, models, layout, run, threads, o.runs_dir));
    MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, 0, kResult, MPI_COMM_WORLD);
    ++out.ran;
  }
  return out;
}
#endif

SweepOutcome threaded(const Model& model, const Sweep& sweep,
                      const std::vector<const ModelSpec*>& models, const SweepLayout& layout,
                      const SweepOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  Prepared p;
  SweepFile file = prepare_file(sweep, layout, o, p);
  SweepOutcome out;
  out.runs = sweep.runs();
  out.skipped = p.skipped;
  const int total = o.threads > 0 ? o.threads : hardware_threads();
  const auto todo = static_cast<int>(std::min<std::size_t>(p.todo.size(), 1u << 20));
  int at_once =
      o.run_threads > 0 ? std::max(1, total / o.run_threads) : std::min(total, std::max(todo, 1));
  const int per_run = o.run_threads > 0 ? o.run_threads : std::max(1, total / at_once);
  Progress progress(static_cast<std::int64_t>(p.todo.size()), "runs", o.progress);
  std::mutex mutex;
  tbb::task_arena arena(at_once);
  arena.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, p.todo.size(), 1),
        [&](const tbb::blocked_range<std::size_t>& range) {
          for (std::size_t i = range.begin(); i != range.end(); ++i) {
            H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // per thread in a thread-safe HDF5
            const RunRecord r =
                execute_run(model, sweep, models, layout, p.todo[i], per_run, o.runs_dir);
            const std::lock_guard<std::mutex> lock(mutex);
            file.write(r);
            ++out.ran;
            out.failed += r.status == kFailed ? 1 : 0;
            progress.update(out.ran, out.failed);
          }
        },
        tbb::simple_partitioner());
  });
  progress.finish();
  finish_file(file, p, o, shard_runs(sweep, o));
  out.seconds = elapsed_since(t0);
  return out;
}
}  // namespace

RunRecord execute_run(const Model& model, const Sweep& sweep,
                      const std::vector<const ModelSpec*>& models, const SweepLayout& layout,
                      std::int64_t run, int threads, const std::string& runs_dir) {
  RunRecord r;
  r.run = run;
  try {
    const Scenario scenario =
        sweep.scenario(run, models, !runs_dir.empty());  // a run file: resolved
    RunOptions options;
    options.threads = threads;
    options.keep_series = true;
    options.replace_partial = true;  // a killed sweep's run files are redone from the start
    if (!runs_dir.empty())
      options.output_path =
          (std::filesystem::path(runs_dir) / fmt::format("run_{:06d}.h5", run)).string();
    RunResult result = run_scenario(model, scenario, options);
    if (result.steps != layout.steps || result.series.size() != layout.series.size())
      throw RunError(fmt::format("internal: run has {} days and {} series, the sweep {} and {}",
                                 result.steps, result.series.size(), layout.steps,
                                 layout.series.size()));
    for (std::size_t i = 0; i < layout.series.size(); ++i)
      if (result.series[i].size() !=
          static_cast<std::size_t>(layout.steps) * layout.series[i].width())
        throw RunError("internal: series " + layout.series[i].name + " has the wrong length");
    r.series = std::move(result.series);
    for (const auto& name : layout.summary) {
      const auto it = result.summary.find(name);
      r.summary.push_back(it == result.summary.end() ? std::numeric_limits<double>::quiet_NaN()
                                                     : it->second);
    }
    r.status = kOk;
  } catch (const std::exception& e) {
    r = RunRecord{};
    r.run = run;
    r.status = kFailed;
    r.error = e.what();
  }
  return r;
}

SweepOutcome run_sweep(const Model& model, const Sweep& sweep,
                       const std::vector<const ModelSpec*>& models, const SweepOptions& options) {
  if (options.shard_count < 1 || options.shard_index < 0 ||
      options.shard_index >= options.shard_count)
    throw InputError(fmt::format("--shard: error: expected i/N with 0 <= i < N, got {}/{}",
                                 options.shard_index, options.shard_count));
  if (!options.runs_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(options.runs_dir, ec);
    if (!std::filesystem::is_directory(options.runs_dir, ec))
      throw InputError(
          fmt::format("{}: error: --runs-dir: cannot create this folder", options.runs_dir));
  }
  const SweepLayout layout = probe_layout(model, sweep);
#if BORDERLAND_HAS_MPI
  if (g_session != nullptr && g_session->size() > 1) {
    if (g_session->rank() == 0) return mpi_writer(sweep, layout, options, g_session->size());
    return mpi_worker(model, sweep, models, layout, options);
  }
#endif
  return threaded(model, sweep, models, layout, options);
}

MpiSession::MpiSession(int* argc, char*** argv) {
#if BORDERLAND_HAS_MPI
  if (started_by_mpi_launcher()) {
    int provided = 0;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    initialised_ = true;
  }
#else
  (void)argc, (void)argv;
#endif
  g_session = this;
}

MpiSession::~MpiSession() {
#if BORDERLAND_HAS_MPI
  if (initialised_) MPI_Finalize();
#endif
  g_session = nullptr;
}

bool MpiSession::available() {
  return BORDERLAND_HAS_MPI != 0;
}

MpiSession* MpiSession::current() {
  return g_session;
}

}  // namespace borderland::sim::experiments
