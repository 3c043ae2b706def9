#pragma once
// Writes one run to HDF5 in the layout of docs/hdf5_layout.md.
//
// Kill safety (docs/hdf5_layout.md, "Working file"): while it runs, the output
// is NAME.partial, a small HDF5 index whose datasets keep their rows in plain
// append-only files in NAME.partial.data/ (HDF5 external storage). A flush
// appends the new rows to those files and then replaces the index by an
// atomic rename of a freshly closed one; rows already committed are never
// rewritten. So at every moment NAME.partial is a closed, complete HDF5 file
// holding every step up to the last flush, whatever the moment of a kill.
// finish() writes the self-contained NAME (compressed, with dimension scales)
// next to it, syncs it and renames it into place; NAME is never touched
// before, so a failed or killed run does not lose an older result.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/h5.hpp"
#include "sim/model.hpp"
#include "sim/output_file.hpp"
#include "sim/scenario.hpp"

namespace borderland::sim {

// One dataset of the run, buffered and appended to its raw file.
class RawColumn;

class RunWriter {
 public:
  // `replace_partial`: delete a stale NAME.partial instead of refusing to start.
  RunWriter(const std::string& path, const Scenario& scenario, const Simulation& sim, int threads,
            bool replace_partial = false);
  // Restart: continues the run saved in `from` (an output or NAME.partial with a
  // /checkpoint) into path: keeps every row before the checkpoint and loads the
  // checkpointed state into `sim`. `from` is only read.
  struct Restart {};
  RunWriter(Restart, const std::string& path, const std::string& from, const Scenario& scenario,
            Simulation& sim, int threads);
  ~RunWriter();
  RunWriter(const RunWriter&) = delete;
  RunWriter& operator=(const RunWriter&) = delete;

  void add_step(std::int64_t step, Date date, const StepRecord& record);
  void add_snapshot(std::int64_t step, Date date, const Simulation& sim);
  void flush();  // appends buffered rows and commits a new index
  void finish(const std::map<std::string, double>& summary);  // final file, sync, rename
  // Saves the state before step `next_step` (after a flush of every earlier row).
  void save_checkpoint(std::int64_t next_step, Date date, const Simulation& sim,
                       std::int64_t every);
  std::int64_t restart_step() const { return restart_step_; }
  std::int64_t restart_every() const { return restart_every_; }  // the saved run's interval

 private:
  void open_data_folder();
  // The restart constructor after its checks: copies `from` into the new working folder.
  void restart_from(const std::string& from, const h5::File& source, const h5::Group& checkpoint,
                    Simulation& sim, int threads);
  void open_static();
  void write_static(const Scenario& scenario, const Simulation& sim, int threads);
  void create_columns(const Simulation& sim);
  void write_pending();
  void commit_index();
  void remove_other_data_folders() const;
  RawColumn& column(std::size_t index) { return *columns_[index]; }

  std::string path_;
  std::string partial_;
  std::string data_dir_;    // absolute: the index names its raw files by absolute path
  std::string checkpoint_;  // the checkpoint file the index links to ("" none)
  OutputLock lock_;
  h5::File static_;  // NAME.partial.data/static.h5: provenance, scenario, map
  const OutputSchema& schema_;
  std::vector<std::string> snapshot_fields_;
  std::vector<std::size_t> series_index_;  // the selected series (output.series), schema order
  bool events_ = true;                     // output.events
  std::vector<std::unique_ptr<RawColumn>> columns_;
  // Snapshot fields: the frames taken since the last flush, per field; each flush writes them
  // compressed into one batch file (NAME.partial.data/snapshots-ROW.h5), which the index maps
  // as rows of a virtual dataset and finish() copies chunk by chunk, never compressing twice.
  struct FrameBatch {
    std::string file;
    hsize_t rows = 0;
  };
  std::vector<std::vector<float>> frames_pending_;
  hsize_t frames_pending_rows_ = 0;
  std::vector<FrameBatch> frame_batches_;
  hsize_t frames_written_ = 0;
  std::vector<std::string> field_units_, field_descriptions_;
  void write_frames();
  unsigned frame_level() const;  // deflate level of the snapshot frames (0: uncompressed)
  // Where each part of the schema starts in columns_.
  std::size_t series_at_ = 0, events_at_ = 0, snapshots_at_ = 0;
  std::int64_t steps_written_ = 0;
  std::int64_t ny_ = 0, nx_ = 0;
  bool finished_ = false;
  std::int64_t restart_step_ = 0;
  std::int64_t restart_every_ = 0;
};

}  // namespace borderland::sim
