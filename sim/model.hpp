#pragma once
// What the engine needs from a model, and nothing more.
//
// A Model is a description (name, parameters with units and ranges, policy
// levers, scripted events, outputs) plus a factory for Simulations. A
// Simulation owns the state of one run and advances it one step at a time.
// The engine drives the loop (sim/run.hpp); models never touch files.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "sim/error.hpp"
#include "sim/grid.hpp"
#include "sim/params.hpp"
#include "sim/scenario.hpp"

namespace borderland::sim {

namespace h5 {
class Group;
}

enum class ValueKind { kCount, kReal };  // counts are stored as int64, reals as float64

struct SeriesSpec {
  std::string name;
  ValueKind kind = ValueKind::kReal;
  std::string units;
  std::string description;
  std::vector<std::string> labels;  // empty: [T]; else [T, labels.size()]
  std::size_t width() const { return labels.empty() ? 1 : labels.size(); }
};

enum class ColumnKind { kInteger, kReal, kText };
struct EventColumnSpec {
  std::string name;
  ColumnKind kind = ColumnKind::kInteger;
  std::string units;
  std::string description;
};

struct FieldSpec {  // a per-cell field that can be snapshotted
  std::string name;
  std::string units;
  std::string description;
};

struct SummarySpec {  // an end-of-run metric of Simulation::summary()
  std::string name;
  std::string units;
  std::string description;
};

struct OutputSchema {
  std::vector<SeriesSpec> series;
  std::vector<EventColumnSpec> event_columns;  // "step" and "date" are added by the engine
  std::vector<FieldSpec> fields;
  // Units and descriptions of the summary metrics; a metric missing here is
  // written without units (the model should declare it).
  std::vector<SummarySpec> summary;
  const SummarySpec* summary_spec(const std::string& name) const;
};

// One row of an event table, filled by the model in column order.
using EventValue = std::variant<std::int64_t, double, std::string>;
using EventRow = std::vector<EventValue>;

// What a model reports after each step.
struct StepRecord {
  std::vector<std::vector<double>> series;  // one entry per SeriesSpec, width() values each
  std::vector<EventRow> events;             // in a deterministic order
  // What the caller reads (run_scenario: the selected series, the events only into a file):
  // a model may leave the rest unfilled, its zeros, and save their cost (a summary-only sweep
  // read none of the TTP model's ~40M instructions a run of series and events).
  std::vector<std::uint8_t> series_read;  // per SeriesSpec; empty: every series
  bool events_read = true;
  bool reads_series(std::size_t i) const { return series_read.empty() || series_read[i] != 0; }
  void reset(const OutputSchema& schema) {
    series.resize(schema.series.size());
    for (std::size_t i = 0; i < schema.series.size(); ++i)
      series[i].assign(schema.series[i].width(), 0.0);
    events.clear();
  }
};

class Simulation {
 public:
  virtual ~Simulation() = default;
  virtual const Grid& grid() const = 0;
  virtual const OutputSchema& schema() const = 0;
  // Advances the state from day `step` to day `step + 1` (step 0 = scenario start).
  virtual void step(std::int64_t step) = 0;
  // Reports the step just taken.
  virtual void record(StepRecord& out) const = 0;
  // Fills one value per cell (row-major, row 0 south) for a field of schema().fields.
  virtual void snapshot(const std::string& field, std::vector<double>& out) const = 0;
  // Extra static tables under /map (provinces, places, ...); the grid's layers are written already.
  virtual void write_map_tables(h5::Group& map) const { (void)map; }
  // End-of-run summary metrics (for sweeps and `inspect`).
  virtual std::map<std::string, double> summary() const { return {}; }
  // Checkpoints (run --checkpoint-every / --restart): the full state between two
  // steps, written into and read back from a group of the output file, such that
  // a Simulation created from the same scenario and given load_state() continues
  // bit for bit like the one that called save_state(). Scratch buffers need not
  // be saved; anything a later step or record()/summary() reads must be.
  virtual void save_state(h5::Group& group) const {
    (void)group;
    throw InputError("this model does not support checkpoints");
  }
  virtual void load_state(const h5::Group& group) {
    (void)group;
    throw InputError("this model does not support checkpoints");
  }
};

class Model {
 public:
  virtual ~Model() = default;
  virtual const ModelSpec& spec() const = 0;
  virtual std::unique_ptr<Simulation> create(const Scenario& scenario) const = 0;
};

}  // namespace borderland::sim
