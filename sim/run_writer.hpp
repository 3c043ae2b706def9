#pragma once
// Writes one run to HDF5 in the layout of docs/hdf5_layout.md.
//
// The file is written as NAME.partial and renamed to NAME only by finish():
// a run that fails or is killed leaves NAME untouched (an older result is not
// lost) and a .partial that holds every step up to the last flush.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/h5.hpp"
#include "sim/model.hpp"
#include "sim/scenario.hpp"

namespace borderland::sim {

// Checks, before any work, that `path` can be written; InputError otherwise.
void check_output_path(const std::string& path);

class RunWriter {
 public:
  RunWriter(const std::string& path, const Scenario& scenario, const Simulation& sim, int threads);
  // Restart: continues the run saved in `from` (its /checkpoint) into path.partial:
  // copies `from` there unless it is that file, drops every row written after the
  // checkpoint, and loads the checkpointed state into `sim`.
  struct Restart {};
  RunWriter(Restart, const std::string& path, const std::string& from, const Scenario& scenario,
            Simulation& sim, int threads);
  ~RunWriter();
  RunWriter(const RunWriter&) = delete;
  RunWriter& operator=(const RunWriter&) = delete;

  void add_step(std::int64_t step, Date date, const StepRecord& record);
  void add_snapshot(std::int64_t step, Date date, const Simulation& sim);
  void flush();  // writes buffered rows and flushes the file
  void finish(const std::map<std::string, double>& summary);  // flush, close, rename
  // Flushes, then replaces /checkpoint with the state before step `next_step`.
  void save_checkpoint(std::int64_t next_step, Date date, const Simulation& sim,
                       std::int64_t every);
  std::int64_t restart_step() const { return restart_step_; }
  std::int64_t restart_every() const { return restart_every_; }  // the saved run's interval

 private:
  void write_provenance(const Scenario& scenario, int threads);
  void write_map(const Simulation& sim);
  void create_datasets();

  std::string path_;
  std::string partial_;
  const OutputSchema& schema_;
  std::vector<std::string> snapshot_fields_;
  h5::File file_;
  // Buffers of rows not yet written.
  std::vector<std::int64_t> steps_;
  std::vector<std::string> dates_;
  std::vector<std::vector<double>> series_;
  std::vector<std::vector<EventValue>> event_columns_;  // per model column
  std::vector<std::int64_t> event_steps_;
  std::vector<std::string> event_dates_;
  bool finished_ = false;
  std::int64_t restart_step_ = 0;
  std::int64_t restart_every_ = 0;
};

}  // namespace borderland::sim
