#include "sim/run_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>

#include "borderland/version.hpp"
#include "sim/checkpoint_checks.hpp"
#include "sim/error.hpp"
#include "sim/text.hpp"

namespace borderland::sim {

namespace {
constexpr hsize_t kSeriesChunkRows = 1024;  // ~3 years of days per chunk
constexpr hsize_t kEventChunkRows = 4096;
constexpr std::size_t kMaxEventText = 63;  // fixed-width text columns (place names, tactics)

}  // namespace

void check_output_path(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (path.empty()) throw InputError("-o: error: empty output path");
  if (fs::is_directory(path, ec))
    throw InputError(
        fmt::format("{}: error: output path is a directory, expected a file name", path));
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec))
    throw InputError(
        fmt::format("{}: error: output folder '{}' does not exist", path, parent.string()));
  // Try to create the partial file for real: the only honest writability test.
  const std::string probe = path + ".partial";
  const bool existed = fs::exists(probe, ec);
  FILE* f = std::fopen(probe.c_str(), "ab");
  if (f == nullptr)
    throw InputError(fmt::format("{}: error: cannot write output here (permission denied?)", path));
  std::fclose(f);
  if (!existed) fs::remove(probe, ec);
}

RunWriter::RunWriter(const std::string& path, const Scenario& scenario, const Simulation& sim,
                     int threads)
    : path_(path),
      partial_(path + ".partial"),
      schema_(sim.schema()),
      snapshot_fields_(scenario.output.snapshot_fields),
      file_(partial_, h5::File::Mode::kCreate) {
  write_provenance(scenario, threads);
  write_map(sim);
  create_datasets();
  series_.resize(schema_.series.size());
  event_columns_.resize(schema_.event_columns.size());
}

namespace {
h5::File open_restart_copy(const std::string& partial, const std::string& from) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(from, ec))
    throw InputError(fmt::format("{}: error: --restart: file not found", from));
  if (!fs::equivalent(from, partial, ec)) {
    fs::copy_file(from, partial, fs::copy_options::overwrite_existing, ec);
    if (ec)
      throw InputError(
          fmt::format("{}: error: --restart: cannot copy to {}: {}", from, partial, ec.message()));
  }
  return h5::File(partial, h5::File::Mode::kReadWrite);
}

// Keeps the first `rows` rows of every dataset in a group of extendible columns.
void truncate_group(h5::Group group, hsize_t rows) {
  for (const auto& name : group.names()) group.open_dataset(name).resize_rows(rows);
}

// Rows of a step column (sorted) whose step is below `step`.
hsize_t rows_before(const h5::Group& group, std::int64_t step) {
  const auto steps = group.open_dataset("step").read<std::int64_t>();
  return static_cast<hsize_t>(std::lower_bound(steps.begin(), steps.end(), step) - steps.begin());
}
}  // namespace

RunWriter::RunWriter(Restart, const std::string& path, const std::string& from,
                     const Scenario& scenario, Simulation& sim, int threads)
    : path_(path),
      partial_(path + ".partial"),
      schema_(sim.schema()),
      snapshot_fields_(scenario.output.snapshot_fields),
      file_(open_restart_copy(partial_, from)) {
  check_checkpoint_step(file_, scenario, from);
  const h5::Group checkpoint = file_.open_group("checkpoint");
  restart_step_ = checkpoint.attr_int("step");
  restart_every_ = checkpoint.has_attr("every") ? checkpoint.attr_int("every") : 0;
  if (checkpoint.attr_string("model") != scenario.model)
    throw InputError(fmt::format("{}: error: --restart: checkpoint of model {}, scenario of {}",
                                 from, checkpoint.attr_string("model"), scenario.model));
  const auto step = restart_step_;
  truncate_group(file_.open_group("timeseries"), static_cast<hsize_t>(step));
  truncate_group(file_.open_group("events"), rows_before(file_.open_group("events"), step));
  if (file_.has("snapshots"))
    truncate_group(file_.open_group("snapshots"), rows_before(file_.open_group("snapshots"), step));
  if (file_.has("summary")) file_.remove("summary");
  file_.set_attr("threads", std::int64_t{threads});
  file_.set_attr("restarted_at_step", step);
  sim.load_state(checkpoint.open_group("state"));
  series_.resize(schema_.series.size());
  event_columns_.resize(schema_.event_columns.size());
}

void RunWriter::save_checkpoint(std::int64_t next_step, Date date, const Simulation& sim,
                                std::int64_t every) {
  flush();
  if (file_.has("checkpoint_new")) file_.remove("checkpoint_new");
  h5::Group g = file_.create_group("checkpoint_new");
  g.set_attr("step", next_step);
  g.set_attr("every", every);
  g.set_attr("date", date.iso());
  g.set_attr("model", file_.attr_string("model"));
  g.set_attr("description",
             std::string("the full state before this step; run --restart FILE continues from it"));
  h5::Group state = g.create_group("state");
  sim.save_state(state);
  if (file_.has("checkpoint")) file_.remove("checkpoint");
  file_.move("checkpoint_new", "checkpoint");
  file_.flush();
}

RunWriter::~RunWriter() {
  if (finished_) return;
  try {  // keep what we have: a readable prefix in NAME.partial
    flush();
  } catch (...) {
  }
}

void RunWriter::write_provenance(const Scenario& s, int threads) {
  file_.set_attr("format", std::string("borderland"));
  file_.set_attr("format_version", std::int64_t{1});
  file_.set_attr("model", s.model);
  file_.set_attr("scenario", s.name);
  file_.set_attr("seed", static_cast<std::int64_t>(s.seed));
  file_.set_attr("start", s.start.iso());
  file_.set_attr("end", s.end.iso());
  file_.set_attr("borderland_version", std::string(kVersion));
  file_.set_attr("git_commit", std::string(kGitCommit));
  file_.set_attr("created_utc", utc_now());
  file_.set_attr("threads", std::int64_t{threads});
  h5::Group g = file_.create_group("scenario");
  g.write_string("given", s.given_yaml, "the scenario file as given")
      .set_attr("overrides", join(s.overrides, "\n"));
  g.write_string("resolved", s.resolved_yaml, "the scenario with every default filled in");
  g.set_attr("source", s.source);
}

void RunWriter::write_map(const Simulation& sim) {
  const Grid& grid = sim.grid();
  h5::Group map = file_.create_group("map");
  map.set_attr("lon0", grid.geo().lon0);
  map.set_attr("lat0", grid.geo().lat0);
  map.set_attr("dlon", grid.geo().dlon);
  map.set_attr("dlat", grid.geo().dlat);
  map.set_attr("nx", std::int64_t{grid.nx()});
  map.set_attr("ny", std::int64_t{grid.ny()});
  map.set_attr("registration", std::string("corner"));
  map.set_attr("edges", std::string(grid.edges() == Edges::kTorus ? "torus" : "bounded"));
  const std::vector<hsize_t> shape{static_cast<hsize_t>(grid.ny()),
                                   static_cast<hsize_t>(grid.nx())};
  // No structured binding here: clang 14 (the fuzz build) cannot capture one in a lambda.
  for (const auto& layer : grid.layers())
    std::visit(
        [&](const auto& l) { map.write(layer.first, l.values, shape, l.units, l.description); },
        layer.second);
  sim.write_map_tables(map);
}

void RunWriter::create_datasets() {
  h5::Group ts = file_.create_group("timeseries");
  ts.create_extendible<std::int64_t>("step", {}, kSeriesChunkRows, "day",
                                     "step index (0 = start date)");
  ts.create_extendible_strings("date", 10, kSeriesChunkRows,
                               "calendar date of the step (YYYY-MM-DD)");
  for (const auto& s : schema_.series) {
    std::vector<hsize_t> row;
    if (!s.labels.empty()) row.push_back(s.labels.size());
    h5::Dataset ds =
        s.kind == ValueKind::kCount
            ? ts.create_extendible<std::int64_t>(s.name, row, kSeriesChunkRows, s.units,
                                                 s.description)
            : ts.create_extendible<double>(s.name, row, kSeriesChunkRows, s.units, s.description);
    if (!s.labels.empty()) ds.set_attr("labels", join(s.labels, ","));
  }

  h5::Group events = file_.create_group("events");
  std::vector<std::string> names{"step", "date"};
  events.create_extendible<std::int64_t>("step", {}, kEventChunkRows, "day", "step of the event");
  events.create_extendible_strings("date", 10, kEventChunkRows, "date of the event");
  for (const auto& c : schema_.event_columns) {
    names.push_back(c.name);
    switch (c.kind) {
      case ColumnKind::kInteger:
        events.create_extendible<std::int64_t>(c.name, {}, kEventChunkRows, c.units, c.description);
        break;
      case ColumnKind::kReal:
        events.create_extendible<double>(c.name, {}, kEventChunkRows, c.units, c.description);
        break;
      case ColumnKind::kText:
        events.create_extendible_strings(c.name, kMaxEventText, kEventChunkRows, c.description);
        break;
    }
  }
  events.set_attr("kind", std::string("table"));
  events.set_attr("columns", join(names, ","));

  if (!snapshot_fields_.empty()) {
    h5::Group snaps = file_.create_group("snapshots");
    snaps.create_extendible<std::int64_t>("step", {}, 256, "day", "step of each snapshot");
    snaps.create_extendible_strings("date", 10, 256, "date of each snapshot");
  }
}

void RunWriter::add_step(std::int64_t step, Date date, const StepRecord& record) {
  steps_.push_back(step);
  dates_.push_back(date.iso());
  for (std::size_t i = 0; i < record.series.size(); ++i)
    series_[i].insert(series_[i].end(), record.series[i].begin(), record.series[i].end());
  for (const auto& row : record.events) {
    event_steps_.push_back(step);
    event_dates_.push_back(date.iso());
    for (std::size_t c = 0; c < row.size(); ++c) event_columns_[c].push_back(row[c]);
  }
}

void RunWriter::add_snapshot(std::int64_t step, Date date, const Simulation& sim) {
  if (snapshot_fields_.empty()) return;
  h5::Group snaps = file_.open_group("snapshots");
  snaps.open_dataset("step").append(std::vector<std::int64_t>{step});
  snaps.open_dataset("date").append_strings({date.iso()});
  const Grid& grid = sim.grid();
  std::vector<double> values;
  for (const auto& name : snapshot_fields_) {
    sim.snapshot(name, values);
    const std::vector<float> single(values.begin(), values.end());
    if (!snaps.has(name)) {
      const FieldSpec* spec = nullptr;
      for (const auto& f : schema_.fields)
        if (f.name == name) spec = &f;
      snaps.create_extendible<float>(
          name, {static_cast<hsize_t>(grid.ny()), static_cast<hsize_t>(grid.nx())}, 1,
          spec ? spec->units : "", spec ? spec->description : "");
    }
    snaps.open_dataset(name).append(single);
  }
}

void RunWriter::flush() {
  h5::Group ts = file_.open_group("timeseries");
  ts.open_dataset("step").append(steps_);
  ts.open_dataset("date").append_strings(dates_);
  for (std::size_t i = 0; i < schema_.series.size(); ++i) {
    h5::Dataset ds = ts.open_dataset(schema_.series[i].name);
    if (schema_.series[i].kind == ValueKind::kCount)
      ds.append(std::vector<std::int64_t>(series_[i].begin(), series_[i].end()));
    else
      ds.append(series_[i]);
    series_[i].clear();
  }
  steps_.clear();
  dates_.clear();

  h5::Group events = file_.open_group("events");
  events.open_dataset("step").append(event_steps_);
  events.open_dataset("date").append_strings(event_dates_);
  for (std::size_t c = 0; c < schema_.event_columns.size(); ++c) {
    h5::Dataset ds = events.open_dataset(schema_.event_columns[c].name);
    auto& column = event_columns_[c];
    switch (schema_.event_columns[c].kind) {
      case ColumnKind::kInteger: {
        std::vector<std::int64_t> v;
        for (const auto& x : column) v.push_back(std::get<std::int64_t>(x));
        ds.append(v);
        break;
      }
      case ColumnKind::kReal: {
        std::vector<double> v;
        for (const auto& x : column) v.push_back(std::get<double>(x));
        ds.append(v);
        break;
      }
      case ColumnKind::kText: {
        std::vector<std::string> v;
        for (const auto& x : column) v.push_back(std::get<std::string>(x));
        ds.append_strings(v);
        break;
      }
    }
    column.clear();
  }
  event_steps_.clear();
  event_dates_.clear();
  file_.flush();
}

void RunWriter::finish(const std::map<std::string, double>& summary) {
  flush();
  if (!summary.empty()) {
    h5::Group g = file_.create_group("summary");
    for (const auto& [name, value] : summary) g.write(name, std::vector<double>{value}, {1});
  }
  file_.close();
  std::error_code ec;
  std::filesystem::rename(partial_, path_, ec);
  if (ec)
    throw RunError(
        fmt::format("{}: cannot rename finished output to {}: {}", partial_, path_, ec.message()));
  finished_ = true;
}

}  // namespace borderland::sim
