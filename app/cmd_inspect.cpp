#include <fmt/format.h>

#include <algorithm>

#include "app/commands.hpp"
#include "sim/error.hpp"
#include "sim/h5.hpp"

namespace borderland::app {

namespace {
std::string shape_text(const std::vector<hsize_t>& shape) {
  std::string text;
  for (auto s : shape) text += (text.empty() ? "" : " x ") + std::to_string(s);
  return text.empty() ? "scalar" : text;
}

void list_group(const sim::h5::Group& group, const std::vector<std::string>& names,
                const char* title) {
  fmt::print("{}:\n", title);
  for (const auto& name : names) {
    const sim::h5::Dataset ds = group.open_dataset(name);
    const std::string units = ds.has_attr("units") ? ds.attr_string("units") : "";
    const std::string desc = ds.has_attr("description") ? ds.attr_string("description") : "";
    fmt::print("  {:<22} {:<14} {:<8} {}\n", name, shape_text(ds.shape()), units, desc);
  }
}

}  // namespace

int command_inspect(const std::string& file) {
  const sim::h5::File f(file, sim::h5::File::Mode::kReadOnly);
  if (!f.has_attr("format") ||
      (f.attr_string("format") != "borderland" && f.attr_string("format") != "borderland-sweep"))
    throw sim::InputError(fmt::format(
        "{}: error: not a borderland output (attribute 'format' missing or wrong)", file));
  if (f.attr_int("format_version") < 1 || f.attr_int("format_version") > 2)
    throw sim::InputError(
        fmt::format("{}: error: format_version {} is not supported (expected 1 or 2)", file,
                    f.attr_int("format_version")));
  fmt::print("{}\n", file);
  for (const char* attr :
       {"format", "model", "scenario", "borderland_version", "git_commit", "created_utc"})
    if (f.has_attr(attr)) fmt::print("  {:<20} {}\n", attr, f.attr_string(attr));
  for (const char* attr : {"format_version", "seed", "threads"})
    if (f.has_attr(attr)) fmt::print("  {:<20} {}\n", attr, f.attr_int(attr));
  if (f.has_attr("start"))
    fmt::print("  {:<20} {} to {}\n", "period", f.attr_string("start"), f.attr_string("end"));

  if (f.has("timeseries")) {
    const auto ts = f.open_group("timeseries");
    list_group(ts, ts.names(), "\ntime series");
  }
  if (f.has("events")) {
    const auto ev = f.open_group("events");
    fmt::print("\nevents: {} rows; columns {}\n", ev.open_dataset("step").shape().at(0),
               ev.has_attr("columns") ? ev.attr_string("columns") : "?");
  }
  if (f.has("snapshots")) {
    const auto snaps = f.open_group("snapshots");
    list_group(snaps, snaps.names(), "\nsnapshots");
  }
  if (f.has("summary")) {
    const auto summary = f.open_group("summary");
    fmt::print("\nsummary:\n");
    for (const auto& name : summary.names())
      fmt::print("  {:<22} {}\n", name, summary.open_dataset(name).read<double>().at(0));
  }
  return 0;
}

}  // namespace borderland::app
