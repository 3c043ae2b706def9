#include "sim/experiments/sweep_file.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <limits>

#include "borderland/version.hpp"
#include "sim/cf_coordinates.hpp"
#include "sim/error.hpp"
#include "sim/output_file.hpp"
#include "sim/run.hpp"
#include "sim/text.hpp"

namespace borderland::sim::experiments {

namespace {
constexpr std::size_t kMaxError = 255;  // /runs/error keeps a failed run's first 255 bytes

// The /design table of a sweep, column by column.
struct DesignColumns {
  std::vector<std::int64_t> run, replicate, seed;
  std::vector<std::vector<double>> values;  // per parameter
};

DesignColumns design_columns(const Design& d) {
  DesignColumns c;
  c.values.resize(d.parameters.size());
  for (std::int64_t r = 0; r < d.runs(); ++r) {
    c.run.push_back(r);
    c.replicate.push_back(d.replicate_of(r));
    c.seed.push_back(static_cast<std::int64_t>(d.seed(r)));
    for (std::size_t j = 0; j < d.parameters.size(); ++j) c.values[j].push_back(d.value(r, j));
  }
  return c;
}

std::vector<hsize_t> row_shape(const SeriesSpec& s, std::int64_t runs, std::int64_t steps) {
  std::vector<hsize_t> shape{static_cast<hsize_t>(runs), static_cast<hsize_t>(steps)};
  if (!s.labels.empty()) shape.push_back(s.labels.size());
  return shape;
}
}  // namespace

namespace {
// Drops an attribute if present (stale dimension-scale links after a copy).
void drop_attr(const h5::Group& object, const char* name) {
  if (object.has_attr(name)) H5Adelete(object.id(), name);
}

h5::Dataset scale(h5::Dataset d, const std::string& name) {
  drop_attr(d, "REFERENCE_LIST");
  if (!d.has_attr("CLASS")) d.make_scale(name);
  return d;
}

h5::Dataset fresh(h5::Dataset d) {
  drop_attr(d, "DIMENSION_LIST");
  return d;
}
}  // namespace

void attach_sweep_scales(h5::File& f) {
  const auto runs = static_cast<std::size_t>(f.open_dataset("runs/status").shape().at(0));
  h5::Group rg = f.open_group("runs");
  if (!rg.has("run")) {
    std::vector<std::int64_t> index(runs);
    for (std::size_t r = 0; r < runs; ++r) index[r] = static_cast<std::int64_t>(r);
    rg.write("run", index, {runs}, "1", "run index (row of /design)");
  }
  const h5::Dataset run = scale(rg.open_dataset("run"), "run");
  h5::Group ts = rg.open_group("timeseries");
  // The time axis is `time` (CF units); `step` is a variable on it (files written before
  // `time` existed had `step` as the scale: it stops being one).
  h5::Dataset step = fresh(ts.open_dataset("step"));
  for (const char* attr : {"CLASS", "NAME", "REFERENCE_LIST"}) drop_attr(step, attr);
  if (!ts.has("time")) write_time_scale(ts, step.read<std::int64_t>(), f.attr_string("start"));
  const h5::Dataset time = scale(ts.open_dataset("time"), "time");
  step.attach_scale(time, 0);
  fresh(ts.open_dataset("date")).attach_scale(time, 0);
  for (const auto& name : ts.names()) {
    if (name == "step" || name == "date" || name == "time") continue;
    h5::Dataset d = ts.open_dataset(name);
    if (d.has_attr("CLASS")) continue;  // a label scale, below
    d = fresh(std::move(d));
    d.attach_scale(run, 0);
    d.attach_scale(time, 1);
    if (d.shape().size() == 3 && d.has_attr("labels")) {
      // In the series' group, as in a run file: netCDF readers take coordinates from there.
      const std::string label = name + "_label";
      if (!ts.has(label)) {
        std::vector<std::string> labels;
        const std::string all = d.attr_string("labels");
        for (std::size_t at = 0, next; at <= all.size(); at = next + 1) {
          next = all.find(',', at);
          if (next == std::string::npos) next = all.size();
          labels.push_back(all.substr(at, next - at));
        }
        ts.write_text(label, labels, "labels of the columns of /runs/timeseries/" + name);
      }
      d.attach_scale(scale(ts.open_dataset(label), label), 2);
    }
  }
  for (const char* name : {"status", "error"}) fresh(rg.open_dataset(name)).attach_scale(run, 0);
  h5::Group sg = rg.open_group("summary");
  for (const auto& name : sg.names()) fresh(sg.open_dataset(name)).attach_scale(run, 0);
  // /design: its `run` column is the run dimension of the others.
  h5::Group dg = f.open_group("design");
  const h5::Dataset design_run = scale(dg.open_dataset("run"), "run");
  for (const auto& name : dg.names())
    if (name != "run") fresh(dg.open_dataset(name)).attach_scale(design_run, 0);
}

SweepLayout probe_layout(const Model& model, const Sweep& sweep) {
  SweepLayout layout;
  std::unique_ptr<Simulation> sim;
  try {
    sim = model.create(sweep.base);
  } catch (const InputError& e) {
    std::vector<std::string> lines{fmt::format(
        "{}: error: the base scenario (with `set:` applied) cannot start a run:", sweep.source)};
    for (const auto& l : e.messages()) lines.push_back("  " + l);
    throw InputError(lines);
  }
  // Only what output.series selects (checked against the schema here, before any run).
  for (const std::size_t i : select_output(sim->schema(), sweep.base.output).series)
    layout.series.push_back(sim->schema().series[i]);
  layout.summary_specs = sim->schema().summary;
  for (const auto& [name, value] : sim->summary()) layout.summary.push_back(name);
  layout.steps = sweep.base.steps();
  return layout;
}

SweepFile::SweepFile(h5::File file, const SweepLayout& layout)
    : file_(std::move(file)), layout_(layout) {}

SweepFile SweepFile::create(const std::string& path, const Sweep& sweep, const SweepLayout& layout,
                            const std::string& shard) {
  h5::File f(path, h5::File::Mode::kCreate);
  const Design& d = sweep.design;
  const std::int64_t runs = d.runs();
  const Scenario& base = sweep.base;
  f.set_attr("format", std::string("borderland-sweep"));
  f.set_attr("format_version", std::int64_t{1});
  f.set_attr("model", base.model);
  f.set_attr("scenario", base.name);
  f.set_attr("base_scenario", sweep.base_source);
  f.set_attr("sweep", sweep.source);
  f.set_attr("sweep_seed", static_cast<std::int64_t>(d.sweep_seed));
  f.set_attr("runs", runs);
  f.set_attr("start", base.start.iso());
  f.set_attr("end", base.end.iso());
  f.set_attr("borderland_version", std::string(kVersion));
  f.set_attr("git_commit", std::string(kGitCommit));
  f.set_attr("created_utc", utc_now());
  if (!shard.empty()) f.set_attr("shard", shard);

  h5::Group sc = f.create_group("scenario");
  sc.write_string("given", base.given_yaml, "the base scenario as given")
      .set_attr("overrides", join(base.overrides, "\n"));
  sc.write_string("resolved", base.resolved_yaml,
                  "the base scenario with the sweep's `set:` applied and every default filled in");
  sc.set_attr("source", sweep.base_source);
  f.create_group("sweep").write_string("given", sweep.given_yaml, "the sweep file as given");

  h5::Group design = f.create_group("design");
  const DesignColumns c = design_columns(d);
  std::vector<std::string> columns{"run", "replicate", "seed"};
  const std::vector<hsize_t> shape{static_cast<hsize_t>(runs)};
  design.write("run", c.run, shape, "1", "run index (row of /runs)");
  design.write("replicate", c.replicate, shape, "1", "replicate of the design point");
  design.write("seed", c.seed, shape, "1", "scenario seed of the run");
  for (std::size_t j = 0; j < d.parameters.size(); ++j) {
    const VariedParameter& p = d.parameters[j];
    h5::Dataset column =
        design.write(p.key, c.values[j], shape,
                     !p.labels.empty()                    ? std::string("1")
                     : sweep.parameter_units.count(p.key) ? sweep.parameter_units.at(p.key)
                                                          : std::string(),
                     p.labels.empty() ? "value of " + p.key + " (a --set key path)"
                                      : "index of the " + p.key + " alternative (see labels)");
    // A choice between alternatives: value i is the i-th label.
    if (!p.labels.empty()) column.set_attr("labels", join(p.labels, ","));
    columns.push_back(d.parameters[j].key);
  }
  design.set_attr("kind", std::string("table"));
  design.set_attr("columns", join(columns, ","));
  design.set_attr("design", std::string(design_name(d.kind)));
  design.set_attr("parameters", join(d.keys(), ","));
  design.set_attr("replicas", d.replicas);
  design.set_attr("points", d.points);
  if (d.kind == DesignKind::kSaltelli) design.set_attr("base_samples", d.base_samples);
  if (!d.posterior.empty()) design.set_attr("posterior", d.posterior);

  h5::Group rg = f.create_group("runs");
  rg.create_fixed<std::int8_t>("status", shape, "1", "0 not run, 1 ok, 2 failed");
  rg.create_text("error", static_cast<hsize_t>(runs), "why a failed run failed (empty otherwise)");
  h5::Group ts = rg.create_group("timeseries");
  std::vector<std::int64_t> steps;
  std::vector<std::string> dates;
  for (std::int64_t s = 0; s < layout.steps; ++s) {
    steps.push_back(s);
    dates.push_back(base.date_of(s).iso());
  }
  ts.write("step", steps, {static_cast<hsize_t>(layout.steps)}, "day",
           "step index (0 = start date)");
  ts.write_strings("date", dates, "calendar date of the step (YYYY-MM-DD)");
  for (const auto& s : layout.series) {
    const auto sh = row_shape(s, runs, layout.steps);
    // One compressed chunk per run: a row is written once, whole (series of counts are mostly
    // small integers and zeros; deflate keeps a tenth to a fiftieth of them).
    h5::Dataset ds = s.kind == ValueKind::kCount
                         ? ts.create_row_chunked<std::int64_t>(s.name, sh, s.units, s.description)
                         : ts.create_row_chunked<double>(s.name, sh, s.units, s.description);
    if (!s.labels.empty()) ds.set_attr("labels", join(s.labels, ","));
  }
  h5::Group sg = rg.create_group("summary");
  for (const auto& name : layout.summary) {
    // Units only where the model declares them: a guess ("1" for every metric) misleads.
    const SummarySpec* spec = nullptr;
    for (const auto& sp : layout.summary_specs)
      if (sp.name == name) spec = &sp;
    sg.create_fixed<double>(
        name, shape, spec ? spec->units : "",
        (spec ? spec->description : "end-of-run metric '" + name + "' of the model") +
            " (NaN when not run)");
  }
  attach_sweep_scales(f);
  f.flush();
  return SweepFile(std::move(f), layout);
}

SweepFile SweepFile::open_for_resume(const std::string& path, const Sweep& sweep,
                                     const SweepLayout& layout) {
  h5::File f(path, h5::File::Mode::kReadWrite);
  auto mismatch = [&](const std::string& what) {
    return InputError(fmt::format(
        "{}: error: --resume: the file holds another sweep ({}); finish it with its own sweep "
        "file, or write to a new output",
        path, what));
  };
  if (!f.has_attr("format") || f.attr_string("format") != "borderland-sweep")
    throw InputError(fmt::format("{}: error: --resume: not a borderland sweep file", path));
  if (f.has_attr("shard") != false) {
    // A shard can be resumed with the same --shard; the caller checks that.
  }
  const Design& d = sweep.design;
  const h5::Group design = f.open_group("design");
  if (design.attr_string("design") != design_name(d.kind)) throw mismatch("design kind differs");
  if (design.attr_string("parameters") != join(d.keys(), ","))
    throw mismatch("varied parameters differ");
  const DesignColumns c = design_columns(d);
  if (design.open_dataset("run").read<std::int64_t>() != c.run)
    throw mismatch("number of runs differs");
  if (design.open_dataset("seed").read<std::int64_t>() != c.seed) throw mismatch("seeds differ");
  for (std::size_t j = 0; j < d.parameters.size(); ++j)
    if (design.open_dataset(d.parameters[j].key).read<double>() != c.values[j])
      throw mismatch("values of " + d.parameters[j].key + " differ");
  const h5::Group ts = f.open_group("runs/timeseries");
  if (static_cast<std::int64_t>(ts.open_dataset("step").shape().at(0)) != layout.steps)
    throw mismatch("number of days differs");
  if (f.open_group("scenario").open_dataset("resolved").read_strings().at(0) !=
      sweep.base.resolved_yaml)
    throw mismatch("the base scenario differs");
  for (const auto& s : layout.series)
    if (!ts.has(s.name)) throw mismatch("series " + s.name + " missing");
  return SweepFile(std::move(f), layout);
}

namespace {
// /runs/status of a sweep file, checked: one entry per run of its design, each
// 0, 1 or 2. Anything else is a damaged file (not a run done twice or a run
// to redo): InputError naming the file and what to do.
std::vector<std::int8_t> read_status(const h5::File& f, const std::string& advice) {
  const std::string where = f.path() + ":/runs/status";
  const auto status = f.open_dataset("runs/status").read<std::int8_t>();
  const auto runs = f.open_group("design").open_dataset("run").shape().at(0);
  if (status.size() != runs)
    throw InputError(
        fmt::format("{}: error: the run status is corrupt: {} entries for the design's {} runs; {}",
                    where, status.size(), runs, advice));
  for (std::size_t r = 0; r < status.size(); ++r)
    if (status[r] != kNotRun && status[r] != kOk && status[r] != kFailed)
      throw InputError(fmt::format(
          "{}: error: the run status is corrupt: run {} has status {}, expected 0 (not run), 1 "
          "(ok) or 2 (failed); {}",
          where, r, int{status[r]}, advice));
  return status;
}
}  // namespace

std::vector<std::int8_t> SweepFile::status() const {
  return read_status(file_,
                     "the file is damaged: delete it (and its .partial.lock) and run the sweep "
                     "again without --resume");
}

void SweepFile::write(const RunRecord& r) {
  const auto row = static_cast<hsize_t>(r.run);
  {  // A full disk must be found before HDF5 allocates the row's chunks: a write that fails
     // half-way leaves the file's chunk index inconsistent, and --resume could not open it.
     // The row uncompressed (an upper bound of its chunks) plus room for the index.
    constexpr std::uintmax_t kIndexSlackBytes = 64u << 10;
    std::uintmax_t bytes = kIndexSlackBytes;
    for (const auto& s : r.series) bytes += s.size() * sizeof(double);
    ensure_space(file_.path(), bytes);
  }
  h5::Group ts = file_.open_group("runs/timeseries");
  if (r.status == kOk) {
    for (std::size_t i = 0; i < layout_.series.size(); ++i) {
      h5::Dataset ds = ts.open_dataset(layout_.series[i].name);
      const auto& v = r.series.at(i);
      if (layout_.series[i].kind == ValueKind::kCount)
        ds.write_rows(row, std::vector<std::int64_t>(v.begin(), v.end()));
      else
        ds.write_rows(row, v);
    }
  }
  h5::Group sg = file_.open_group("runs/summary");
  for (std::size_t i = 0; i < layout_.summary.size(); ++i) {
    const double v = r.status == kOk && i < r.summary.size()
                         ? r.summary[i]
                         : std::numeric_limits<double>::quiet_NaN();
    sg.open_dataset(layout_.summary[i]).write_rows(row, std::vector<double>{v});
  }
  std::string error = r.error.substr(0, kMaxError);
  file_.open_dataset("runs/error").write_string_rows(row, {error});
  file_.flush();  // the row's data is on disk before its status says so
  file_.open_dataset("runs/status").write_rows(row, std::vector<std::int8_t>{r.status});
  file_.flush();
}

std::int64_t merge_sweep_files(const std::vector<std::string>& shards, const std::string& output) {
  if (shards.empty()) throw InputError("merge: error: no shard files given");
  std::vector<h5::File> inputs;
  for (const auto& path : shards) {
    inputs.emplace_back(path, h5::File::Mode::kReadOnly);
    const h5::File& f = inputs.back();
    if (!f.has_attr("format") || f.attr_string("format") != "borderland-sweep")
      throw InputError(
          fmt::format("{}: error: not a borderland sweep file (attribute format)", path));
  }
  // Every shard must hold the same sweep: same design table, base scenario and series.
  auto design_bytes = [](const h5::File& f) {
    std::vector<char> all;
    const h5::Group g = f.open_group("design");
    for (const auto& name : g.names()) {
      const h5::Dataset ds = g.open_dataset(name);
      const auto rows = ds.shape().at(0);
      auto bytes = ds.read_rows_raw(0, rows);
      all.insert(all.end(), name.begin(), name.end());
      all.insert(all.end(), bytes.begin(), bytes.end());
    }
    all.push_back('|');
    for (const char* p : {"scenario/resolved", "sweep/given"}) {
      const auto text = f.open_dataset(p).read_strings().at(0);
      all.insert(all.end(), text.begin(), text.end());
    }
    for (const auto& name : f.open_group("runs/timeseries").names())
      all.insert(all.end(), name.begin(), name.end());
    for (const auto& name : f.open_group("runs/summary").names())
      all.insert(all.end(), name.begin(), name.end());
    return all;
  };
  const auto reference = design_bytes(inputs[0]);
  for (std::size_t i = 1; i < inputs.size(); ++i)
    if (design_bytes(inputs[i]) != reference)
      throw InputError(fmt::format(
          "{}: error: holds another sweep than {} (design, base scenario or outputs differ)",
          shards[i], shards[0]));

  check_output_path(output, OutputKind::kSweep, shards);
  OutputLock lock(output);
  const std::string partial = output + ".partial";
  std::error_code ec;
  if (std::filesystem::exists(partial, ec)) {
    // A merge that found runs missing leaves OUTPUT.partial and says "merge again with every
    // shard": that merge replaces it. Any other working file (an interrupted sweep) stays.
    bool merged = false, is_input = false;
    for (const auto& path : shards)
      is_input = is_input || std::filesystem::equivalent(path, partial, ec);
    try {
      merged = !is_input && h5::File(partial, h5::File::Mode::kReadOnly).has_attr("merged_from");
    } catch (const std::exception&) {
      merged = false;  // not readable: not ours to remove
    }
    if (!merged)
      throw InputError(
          fmt::format("{}: error: a working file is here (an interrupted sweep{}); finish it with "
                      "`borderland sweep SWEEP --resume -o {}`, or delete it",
                      partial, is_input ? ", given here as a shard" : "", output));
    std::filesystem::remove(partial, ec);
  }
  std::int64_t missing = 0;
  // The merged file holds every shard's compressed rows: about the shards' sizes together.
  constexpr double kMargin = 1.1;
  double shard_bytes = 0;
  for (const auto& path : shards)
    shard_bytes += static_cast<double>(std::filesystem::file_size(path));
  ensure_space(partial, static_cast<std::uintmax_t>(kMargin * shard_bytes));
  try {
    // The first shard byte for byte, then its rows filled in from the others. Not
    // H5Ocopy: HDF5 1.10 crashes (SIGSEGV) when a write fails in the middle of one
    // (tests/faults).
    copy_file_bytes(shards[0], partial);
    h5::File out(partial, h5::File::Mode::kReadWrite);
    if (out.has_attr("shard")) H5Adelete(out.id(), "shard");
    out.set_attr("merged_from", std::int64_t(shards.size()));

    const std::string advice =
        "the shard is damaged: run it again (borderland sweep SWEEP --shard i/N) and merge again";
    std::vector<std::int8_t> status = read_status(inputs[0], advice);
    const hsize_t runs = status.size();
    std::vector<std::string> names;  // every dataset with one row per run, but the errors
    {  // (no handle may outlive out.close(): the file's last writes happen at its close)
      const h5::Group out_ts = out.open_group("runs/timeseries");
      for (const auto& n : out_ts.names())
        if (n != "step" && n != "date" && !out_ts.open_dataset(n).has_attr("CLASS"))
          names.push_back("runs/timeseries/" + n);
    }
    for (const auto& n : out.open_group("runs/summary").names())
      names.push_back("runs/summary/" + n);
    std::vector<std::string> errors = out.open_dataset("runs/error").read_strings();
    std::vector<int> owner(runs, status.empty() ? 0 : -1);
    for (hsize_t r = 0; r < runs; ++r)
      if (status[r] != kNotRun) owner[r] = 0;
    for (std::size_t i = 1; i < inputs.size(); ++i) {
      const auto theirs = read_status(inputs[i], advice);
      if (theirs.size() != runs)
        throw InputError(fmt::format("{}: error: {} runs, {} {}; the shards are of one sweep",
                                     shards[i], theirs.size(), shards[0], runs));
      const auto their_errors = inputs[i].open_dataset("runs/error").read_strings();
      for (hsize_t r = 0; r < runs; ++r) {
        if (theirs[r] == kNotRun) continue;
        if (owner[r] >= 0)
          throw InputError(
              fmt::format("{}: error: run {} is also in {}; each run must come from one shard",
                          shards[i], r, shards[static_cast<std::size_t>(owner[r])]));
        owner[r] = static_cast<int>(i);
        for (const auto& n : names)
          out.open_dataset(n).write_rows_raw(r, inputs[i].open_dataset(n).read_rows_raw(r, 1));
        // Text by value: a variable-length string's stored bytes point into its own file.
        errors.at(r) = their_errors.at(r);
        status[r] = theirs[r];
      }
    }
    // Rewritten whole, as variable-length text (a shard from before may hold fixed-length).
    out.open_group("runs").remove("error");
    out.open_group("runs").create_text("error", runs, "why a failed run failed (empty otherwise)");
    out.open_dataset("runs/error").write_string_rows(0, errors);
    attach_sweep_scales(out);  // the copied links point into the shard: made anew
    out.open_dataset("runs/status").write_rows(0, status);
    for (auto s : status) missing += s == kNotRun ? 1 : 0;
    out.close();
  } catch (...) {
    std::filesystem::remove(partial, ec);
    throw;
  }
  // With runs missing, the result stays OUTPUT.partial: a complete-looking file
  // never appears under the final name (sweep --resume -o OUTPUT can finish it).
  if (missing > 0) return missing;
  commit_file(partial, output);
  lock.release();
  return missing;
}

}  // namespace borderland::sim::experiments
