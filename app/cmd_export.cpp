// borderland export FILE --csv DIR: a run or sweep file as tidy CSV tables for
// R, spreadsheets and BehaviorSpace users (docs/hdf5_layout.md, "CSV export").
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "sim/error.hpp"
#include "sim/h5.hpp"

namespace borderland::app {

namespace {
namespace fs = std::filesystem;
namespace h5 = sim::h5;

// One column of a table, as text cells.
using Column = std::vector<std::string>;

std::string cell(double v) {
  return std::isnan(v) ? "NA" : fmt::format("{}", v);
}

std::string quoted(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Every value of a dataset as text: integers as integers, reals shortest round-trip.
Column cells(const h5::Dataset& d) {
  Column out;
  if (d.type_class() == H5T_STRING) return d.read_strings();
  if (d.type_class() == H5T_INTEGER) {
    for (auto v : d.read<std::int64_t>()) out.push_back(fmt::format("{}", v));
    return out;
  }
  for (double v : d.read<double>()) out.push_back(cell(v));
  return out;
}

class CsvFile {
 public:
  CsvFile(const fs::path& path, const std::vector<std::string>& header) : path_(path), out_(path) {
    if (!out_) throw sim::RunError(fmt::format("{}: cannot create", path.string()));
    row(header);
  }
  void row(const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) out_ << (i ? "," : "") << quoted(cells[i]);
    out_ << '\n';
  }
  void close() {
    out_.close();
    if (!out_) throw sim::RunError(fmt::format("{}: cannot write (disk full?)", path_.string()));
  }

 private:
  fs::path path_;
  std::ofstream out_;
};

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto at = text.find(',', start);
    out.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) break;
    start = at + 1;
  }
  return out;
}

// A table column's cells; a design column that chooses between named alternatives (`policy_set`,
// `scenario`: the index with a `labels` attr) gives the alternative's name, as analysis shows it.
Column table_cells(const h5::Dataset& d) {
  Column out = cells(d);
  if (!d.has_attr("labels") || d.type_class() == H5T_STRING) return out;
  const std::vector<std::string> labels = split(d.attr_string("labels"));
  for (auto& c : out) {
    const double index = std::strtod(c.c_str(), nullptr);
    if (index >= 0 && index < static_cast<double>(labels.size()))
      c = labels[static_cast<std::size_t>(index)];
  }
  return out;
}

bool is_scale(const h5::Dataset& d) {
  return d.has_attr("CLASS");
}

// A table group (events, design): one row per element, columns as in `columns`.
void export_table(const h5::Group& g, const fs::path& path) {
  const std::vector<std::string> names = split(g.attr_string("columns"));
  std::vector<Column> columns;
  for (const auto& n : names) columns.push_back(table_cells(g.open_dataset(n)));
  CsvFile csv(path, names);
  const std::size_t rows = columns.empty() ? 0 : columns[0].size();
  for (std::size_t r = 0; r < rows; ++r) {
    std::vector<std::string> row;
    for (const auto& c : columns) row.push_back(c.at(r));
    csv.row(row);
  }
  csv.close();
}

// Series in long form: [run,] date, step, series, label, value, units.
void export_series(const h5::Group& ts, const fs::path& path, bool sweep) {
  const Column dates = cells(ts.open_dataset("date"));
  const Column steps = cells(ts.open_dataset("step"));
  std::vector<std::string> header{"date", "step", "series", "label", "value", "units"};
  if (sweep) header.insert(header.begin(), "run");
  CsvFile csv(path, header);
  for (const auto& name : ts.names()) {
    const h5::Dataset d = ts.open_dataset(name);
    if (name == "date" || name == "step" || is_scale(d)) continue;
    const auto shape = d.shape();
    const Column values = cells(d);
    const std::vector<std::string> labels =
        d.has_attr("labels") ? split(d.attr_string("labels")) : std::vector<std::string>{""};
    const std::string units = d.has_attr("units") ? d.attr_string("units") : "";
    const std::size_t runs = sweep ? shape.at(0) : 1;
    const std::size_t width = labels.size();
    const std::size_t days = dates.size();
    for (std::size_t r = 0; r < runs; ++r)
      for (std::size_t t = 0; t < days; ++t)
        for (std::size_t k = 0; k < width; ++k) {
          std::vector<std::string> row{
              dates[t], steps[t], name, labels[k], values.at((r * days + t) * width + k), units};
          if (sweep) row.insert(row.begin(), fmt::format("{}", r));
          csv.row(row);
        }
  }
  csv.close();
}

// Summary metrics: long form (run, metric, value, units) and, for a sweep, one
// wide table of run x metric with the design columns first.
void export_summary(const h5::File& f, const h5::Group& summary, const fs::path& dir, bool sweep) {
  std::vector<std::string> header{"metric", "value", "units"};
  if (sweep) header.insert(header.begin(), "run");
  CsvFile csv(dir / "summary.csv", header);
  std::vector<std::string> metrics;
  std::vector<Column> values;
  for (const auto& name : summary.names()) {
    const h5::Dataset d = summary.open_dataset(name);
    metrics.push_back(name);
    values.push_back(cells(d));
    const std::string units = d.has_attr("units") ? d.attr_string("units") : "";
    for (std::size_t r = 0; r < values.back().size(); ++r) {
      std::vector<std::string> row{name, values.back()[r], units};
      if (sweep) row.insert(row.begin(), fmt::format("{}", r));
      csv.row(row);
    }
  }
  csv.close();
  if (!sweep) return;
  const h5::Group design = f.open_group("design");
  const std::vector<std::string> design_names = split(design.attr_string("columns"));
  std::vector<Column> columns;
  for (const auto& n : design_names) columns.push_back(table_cells(design.open_dataset(n)));
  columns.push_back(cells(f.open_dataset("runs/status")));
  std::vector<std::string> wide_header = design_names;
  wide_header.push_back("status");
  wide_header.insert(wide_header.end(), metrics.begin(), metrics.end());
  CsvFile wide(dir / "summary_wide.csv", wide_header);
  const std::size_t runs = columns.empty() ? 0 : columns[0].size();
  for (std::size_t r = 0; r < runs; ++r) {
    std::vector<std::string> row;
    for (const auto& c : columns) row.push_back(c.at(r));
    for (const auto& v : values) row.push_back(v.at(r));
    wide.row(row);
  }
  wide.close();
}
}  // namespace

int command_export(const std::string& file, const std::string& csv_dir, bool quiet) {
  const h5::File f(file, h5::File::Mode::kReadOnly);
  const std::string format = f.has_attr("format") ? f.attr_string("format") : "";
  if (format != "borderland" && format != "borderland-sweep")
    throw sim::InputError(
        fmt::format("{}: error: not a borderland run or sweep file (attribute format is \"{}\")",
                    file, format));
  const bool sweep = format == "borderland-sweep";
  std::error_code ec;
  fs::create_directories(csv_dir, ec);
  if (!fs::is_directory(csv_dir, ec))
    throw sim::InputError(fmt::format("{}: error: --csv: cannot create this folder", csv_dir));
  const fs::path dir(csv_dir);
  std::vector<std::string> written;
  const std::string ts = sweep ? "runs/timeseries" : "timeseries";
  if (f.has(ts)) {
    export_series(f.open_group(ts), dir / "series.csv", sweep);
    written.push_back("series.csv");
  }
  const std::string summary = sweep ? "runs/summary" : "summary";
  if (f.has(summary)) {
    export_summary(f, f.open_group(summary), dir, sweep);
    written.push_back(sweep ? "summary.csv, summary_wide.csv" : "summary.csv");
  }
  for (const char* table : {"events", "design"})
    if (f.has(table)) {
      export_table(f.open_group(table), dir / (std::string(table) + ".csv"));
      written.push_back(std::string(table) + ".csv");
    }
  if (!quiet) {
    std::string list;
    for (const auto& w : written) list += (list.empty() ? "" : ", ") + w;
    fmt::print(stderr, "wrote {} in {}\n", list, csv_dir);
  }
  return 0;
}

}  // namespace borderland::app
