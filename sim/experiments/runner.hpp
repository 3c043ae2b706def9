#pragma once
// Runs a sweep: on one machine with oneTBB (several runs at once, each with a
// few threads), or across MPI ranks (rank 0 hands out runs one at a time and
// writes the file; the other ranks run them and send the results back). Either
// way the file's datasets do not depend on how the runs were spread: every run
// is a pure function of (base scenario, design row, seed) and lands in its row.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/experiments/sweep.hpp"
#include "sim/experiments/sweep_file.hpp"
#include "sim/model.hpp"

namespace borderland::sim::experiments {

struct SweepOptions {
  std::string output;   // the sweep file (written as OUTPUT.partial until complete)
  int threads = 0;      // threads of this process (0: all cores)
  int run_threads = 0;  // threads inside each run (0: threads / runs at once)
  bool resume = false;  // finish OUTPUT(.partial): skip the runs with status 1
  int shard_index = 0;  // --shard i/N: this process does the runs r with r % N == i
  int shard_count = 1;
  std::string runs_dir;   // when set, every run's full output goes to RUNS_DIR/run_NNNNNN.h5
  bool progress = false;  // progress line on stderr
};

struct SweepOutcome {
  std::int64_t runs = 0;     // rows of the sweep
  std::int64_t ran = 0;      // runs done by this invocation
  std::int64_t failed = 0;   // of which failed
  std::int64_t skipped = 0;  // already in the file (resume) or in other shards
  double seconds = 0.0;
  bool writer = true;  // false on MPI ranks other than 0
};

// Runs one row of a sweep; never throws for a failing run (the record says why).
RunRecord execute_run(const Model& model, const Sweep& sweep,
                      const std::vector<const ModelSpec*>& models, const SweepLayout& layout,
                      std::int64_t run, int threads, const std::string& runs_dir);

SweepOutcome run_sweep(const Model& model, const Sweep& sweep,
                       const std::vector<const ModelSpec*>& models, const SweepOptions& options);

// MPI: initialised only when the process was started by mpirun/srun (and the
// build has MPI); otherwise rank 0 of 1.
class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }
  static bool available();  // built with MPI
  static MpiSession* current();

 private:
  bool initialised_ = false;
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace borderland::sim::experiments
