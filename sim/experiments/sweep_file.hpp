#pragma once
// The sweep file (docs/hdf5_layout.md, "Sweep output"): created with every
// dataset at its final shape [R, ...] and status 0, then filled row by row as
// runs finish, in any order. The datasets are contiguous and allocated at
// creation, so writing a row never changes the file's structure; a row's data
// is flushed before its status is set, so a run is wholly in the file or not
// at all, whenever the process dies.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/experiments/sweep.hpp"
#include "sim/h5.hpp"
#include "sim/model.hpp"

namespace borderland::sim::experiments {

enum RunStatus : std::int8_t { kNotRun = 0, kOk = 1, kFailed = 2 };

// What every run reports: known before the first run, from the base scenario.
struct SweepLayout {
  std::vector<SeriesSpec> series;
  std::vector<std::string> summary;        // metric names, sorted
  std::vector<SummarySpec> summary_specs;  // units and descriptions the model declares
  std::int64_t steps = 0;
};
SweepLayout probe_layout(const Model& model, const Sweep& sweep);

// The outcome of one run, as stored in one row of the file.
struct RunRecord {
  std::int64_t run = 0;
  std::int8_t status = kNotRun;
  std::string error;
  std::vector<std::vector<double>> series;  // per layout series: steps * width values
  std::vector<double> summary;              // per layout metric
};

class SweepFile {
 public:
  // Creates a new file at `path` (shard: "i/N" or empty).
  static SweepFile create(const std::string& path, const Sweep& sweep, const SweepLayout& layout,
                          const std::string& shard);
  // Opens an existing file for --resume; InputError when it holds another design.
  static SweepFile open_for_resume(const std::string& path, const Sweep& sweep,
                                   const SweepLayout& layout);

  std::vector<std::int8_t> status() const;
  void write(const RunRecord& record);  // data, flush, then status, flush
  void close() { file_.close(); }
  const std::string& path() const { return file_.path(); }

 private:
  explicit SweepFile(h5::File file, const SweepLayout& layout);
  h5::File file_;
  SweepLayout layout_;
};

// Joins shard files of one sweep into `output`; InputError when they disagree
// (another sweep, another design) or when two shards hold the same run.
// Returns the number of runs still missing (status 0) in the output.
std::int64_t merge_sweep_files(const std::vector<std::string>& shards, const std::string& output);

}  // namespace borderland::sim::experiments
