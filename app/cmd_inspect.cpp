// `borderland inspect FILE`: what a file holds, for each kind borderland writes
// or reads: a run output (and its checkpoint), a sweep file, a map asset (of
// any model: every layer and table of /map).
// Shapes and units are separate columns; [T, k] series show their labels;
// values are rounded to 6 significant digits.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "sim/error.hpp"
#include "sim/h5.hpp"
#include "sim/map_loader.hpp"

namespace borderland::app {

namespace {
std::string shape_text(const std::vector<hsize_t>& shape) {
  if (shape.empty()) return "scalar";
  std::string text;
  for (auto s : shape) text += (text.empty() ? "[" : ", ") + std::to_string(s);
  return text + "]";
}

std::string attr_or(const sim::h5::Dataset& ds, const char* name, std::string otherwise = "") {
  return ds.has_attr(name) ? ds.attr_string(name) : otherwise;
}

// One line per dataset: name, shape, units, description; labels of a [T, k] one. The columns
// are as wide as their longest entry ("days since 2020-01-01" is a unit too); coordinates (the
// dimension scales time, lat, lon, labels) say so.
void list_group(const sim::h5::Group& group, const char* title) {
  struct Line {
    std::string name, shape, units, description, labels;
  };
  std::vector<Line> lines;
  for (const auto& name : group.names()) {
    std::optional<sim::h5::Dataset> opened;
    try {
      opened.emplace(group.open_dataset(name));
    } catch (const sim::Error&) {
      continue;  // a subgroup (a table of the map), listed on its own
    }
    const sim::h5::Dataset& ds = *opened;
    std::string description = attr_or(ds, "description");
    if (ds.has_attr("CLASS")) description = "(coordinate) " + description;
    lines.push_back({name, shape_text(ds.shape()), attr_or(ds, "units"), description,
                     ds.has_attr("labels") ? ds.attr_string("labels") : ""});
  }
  std::size_t name_w = 24, shape_w = 14, units_w = 12;  // at least these: columns line up
  for (const auto& l : lines) {
    name_w = std::max(name_w, l.name.size());
    shape_w = std::max(shape_w, l.shape.size());
    units_w = std::max(units_w, l.units.size());
  }
  fmt::print("\n{}:\n  {:<{}} {:<{}} {:<{}} {}\n", title, "name", name_w, "shape", shape_w, "units",
             units_w, "description");
  for (const auto& l : lines) {
    fmt::print("  {:<{}} {:<{}} {:<{}} {}\n", l.name, name_w, l.shape, shape_w, l.units, units_w,
               l.description);
    if (!l.labels.empty())
      fmt::print("  {:<{}} {:<{}} {:<{}} labels: {}\n", "", name_w, "", shape_w, "", units_w,
                 l.labels);
  }
}

void print_attrs(const sim::h5::Group& g, const std::vector<const char*>& text,
                 const std::vector<const char*>& integers) {
  for (const char* attr : text)
    if (g.has_attr(attr)) fmt::print("  {:<20} {}\n", attr, g.attr_string(attr));
  for (const char* attr : integers)
    if (g.has_attr(attr)) fmt::print("  {:<20} {}\n", attr, g.attr_int(attr));
}

void print_summary(const sim::h5::Group& summary) {
  fmt::print("\nsummary:\n");
  for (const auto& name : summary.names()) {
    const sim::h5::Dataset ds = summary.open_dataset(name);
    const auto values = ds.read<double>();
    const std::string units = attr_or(ds, "units");
    fmt::print("  {:<24} {:<14.6g} {}\n", name, values.empty() ? 0.0 : values.front(),
               units == "1" ? "" : units);
  }
}

// A sweep's summaries over its finished runs: median and range, rounded, with units.
void print_sweep_summary(const sim::h5::File& f) {
  const auto status = f.open_group("runs").open_dataset("status").read<std::int8_t>();
  const auto summary = f.open_group("runs/summary");
  fmt::print("\nsummary over the {} finished run(s):\n  {:<24} {:<14} {:<27} {}\n",
             std::count(status.begin(), status.end(), std::int8_t{1}), "metric", "median", "range",
             "units");
  for (const auto& name : summary.names()) {
    const sim::h5::Dataset ds = summary.open_dataset(name);
    if (ds.has_attr("CLASS")) continue;
    const auto all = ds.read<double>();
    std::vector<double> ok;
    for (std::size_t r = 0; r < all.size() && r < status.size(); ++r)
      if (status[r] == 1 && !std::isnan(all[r])) ok.push_back(all[r]);
    const std::string units = attr_or(ds, "units");
    if (ok.empty()) {
      fmt::print("  {:<24} {:<14} {:<27} {}\n", name, "n/a", "", units);
      continue;
    }
    std::sort(ok.begin(), ok.end());
    const std::size_t n = ok.size();
    const double median = n % 2 == 1 ? ok[n / 2] : 0.5 * (ok[n / 2 - 1] + ok[n / 2]);
    fmt::print("  {:<24} {:<14.6g} {:<27} {}\n", name, median,
               fmt::format("{:.6g} to {:.6g}", ok.front(), ok.back()), units);
  }
}

void inspect_checkpoint(const sim::h5::File& f) {
  const auto cp = f.open_group("checkpoint");
  fmt::print(
      "\ncheckpoint: resumes at step {} ({}), saved every {} days; "
      "continue with: borderland run --restart FILE\n",
      cp.has_attr("step") ? cp.attr_int("step") : -1,
      cp.has_attr("date") ? cp.attr_string("date") : "?",
      cp.has_attr("every") ? cp.attr_int("every") : 0);
  if (cp.has("state")) list_group(cp.open_group("state"), "checkpoint state");
}

void inspect_run(const sim::h5::File& f) {
  print_attrs(f, {"model", "scenario", "borderland_version", "git_commit", "created_utc"},
              {"format_version", "seed", "threads", "restarted_at_step"});
  if (f.has_attr("start"))
    fmt::print("  {:<20} {} to {}\n", "period", f.attr_string("start"), f.attr_string("end"));
  if (f.has("timeseries/date")) {  // a run stopped early (--until) covers less than its period
    const auto dates = f.open_dataset("timeseries/date").read_strings();
    if (!dates.empty() && f.has_attr("end") && dates.back() != f.attr_string("end"))
      fmt::print("  {:<20} {} to {} ({} days)\n", "ran", dates.front(), dates.back(), dates.size());
  }
  if (f.has("timeseries")) list_group(f.open_group("timeseries"), "time series");
  if (f.has("events")) {
    const auto ev = f.open_group("events");
    fmt::print("\nevents: {} rows; columns {}\n",
               ev.has("step") ? ev.open_dataset("step").shape().at(0) : 0,
               ev.has_attr("columns") ? ev.attr_string("columns") : "?");
  }
  if (f.has("snapshots")) list_group(f.open_group("snapshots"), "snapshots");
  if (f.has("summary")) print_summary(f.open_group("summary"));
  if (f.has("checkpoint")) inspect_checkpoint(f);
}

void inspect_sweep(const sim::h5::File& f) {
  print_attrs(f,
              {"model", "scenario", "base_scenario", "sweep", "shard", "borderland_version",
               "git_commit", "created_utc"},
              {"format_version", "sweep_seed", "runs"});
  if (f.has_attr("start"))
    fmt::print("  {:<20} {} to {}\n", "period", f.attr_string("start"), f.attr_string("end"));
  if (f.has("design")) {
    const auto d = f.open_group("design");
    fmt::print("\ndesign: {}, {} point(s) x {} replica(s)\n",
               d.has_attr("design") ? d.attr_string("design") : "?",
               d.has_attr("points") ? d.attr_int("points") : 0,
               d.has_attr("replicas") ? d.attr_int("replicas") : 0);
    list_group(d, "design columns");
  }
  if (f.has("runs/status")) {
    const auto status = f.open_group("runs").open_dataset("status").read<std::int8_t>();
    const auto count = [&](std::int8_t s) { return std::count(status.begin(), status.end(), s); };
    const auto other = static_cast<long>(status.size()) - count(0) - count(1) - count(2);
    fmt::print(
        "\nruns: {} ok, {} failed, {} not run{}\n", count(1), count(2), count(0),
        other > 0 ? fmt::format(", {} with an unknown status (a damaged file?)", other) : "");
    if (count(2) > 0 && f.has("runs/error")) {  // why they failed: the first few
      constexpr std::size_t kShown = 5;
      const auto errors = f.open_group("runs").open_dataset("error").read_strings();
      std::size_t shown = 0;
      for (std::size_t r = 0; r < status.size() && r < errors.size() && shown < kShown; ++r)
        if (status[r] == 2) {
          fmt::print("  run {} failed: {}\n", r, errors[r]);
          ++shown;
        }
      if (static_cast<std::size_t>(count(2)) > shown)
        fmt::print("  ... and {} more failed run(s)\n", static_cast<std::size_t>(count(2)) - shown);
    }
  }
  if (f.has("runs/timeseries")) list_group(f.open_group("runs/timeseries"), "series per run");
  if (f.has("runs/summary")) print_sweep_summary(f);
}

// A map asset: its header and georeference read with the engine's map reader
// (a mistyped or missing attribute is a located error), then every layer and
// every table of /map, whatever model it is for.
void inspect_map(const sim::h5::File& f) {
  const sim::MapFile asset(f.path());
  for (const char* attr : {"sources", "licence"})
    if (const std::string text = asset.text_attr(attr); !text.empty())
      fmt::print("  {:<20} {}\n", attr, text);
  fmt::print("  {:<20} {}\n", "format_version", sim::kMapFormatVersion);
  fmt::print("  {:<20} {} x {} cells of {:.6g} x {:.6g} degrees from ({:.6g}, {:.6g})\n", "grid",
             asset.nx(), asset.ny(), asset.geo().dlon, asset.geo().dlat, asset.geo().lon0,
             asset.geo().lat0);
  const auto map = f.open_group("map");
  list_group(map, "layers");
  for (const auto& name : map.names()) {
    std::optional<sim::h5::Group> table;
    try {
      table.emplace(map.open_group(name));
    } catch (const sim::Error&) {
      continue;  // a layer, listed above
    }
    fmt::print("\n{}: {} rows; columns {}\n", name, table->has("id") ? asset.table(name).rows() : 0,
               table->has_attr("columns") ? table->attr_string("columns") : "?");
  }
}
}  // namespace

int command_inspect(const std::string& file) {
  const sim::h5::File f(file, sim::h5::File::Mode::kReadOnly);
  const std::string format = f.has_attr("format") ? f.attr_string("format") : "";
  if (format != "borderland" && format != "borderland-sweep" && format != "borderland-map")
    throw sim::InputError(fmt::format(
        "{}: error: not a file borderland writes or reads (attribute 'format' is {}; expected "
        "borderland, borderland-sweep or borderland-map)",
        file, format.empty() ? "missing" : "\"" + format + "\""));
  // Run files are format_version 1 or 2 (docs/hdf5_layout.md); sweeps and maps 1.
  const std::int64_t newest = format == "borderland" ? 2 : 1;
  if (f.has_attr("format_version") &&
      (f.attr_int("format_version") < 1 || f.attr_int("format_version") > newest))
    throw sim::InputError(
        fmt::format("{}: error: format_version {} is not supported (expected 1{})", file,
                    f.attr_int("format_version"), newest == 2 ? " or 2" : ""));
  fmt::print("{} ({})\n", file,
             format == "borderland-map"     ? "map asset"
             : format == "borderland-sweep" ? "sweep file"
             : f.has("checkpoint")          ? "run output with a checkpoint"
                                            : "run output");
  if (format == "borderland-map")
    inspect_map(f);
  else if (format == "borderland-sweep")
    inspect_sweep(f);
  else
    inspect_run(f);
  return 0;
}

}  // namespace borderland::app
