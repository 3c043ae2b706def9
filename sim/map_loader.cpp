#include "sim/map_loader.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

namespace borderland::sim {

namespace {

// What an HDF5 type class holds, for messages ("got strings").
std::string class_plural(H5T_class_t cls) {
  switch (cls) {
    case H5T_INTEGER:
      return "integers";
    case H5T_FLOAT:
      return "floating-point numbers";
    case H5T_STRING:
      return "strings";
    default:
      return fmt::format("values of HDF5 type class {}", static_cast<int>(cls));
  }
}

std::string class_singular(H5T_class_t cls) {
  switch (cls) {
    case H5T_INTEGER:
      return "an integer";
    case H5T_FLOAT:
      return "a floating-point number";
    case H5T_STRING:
      return "a string";
    default:
      return fmt::format("a value of HDF5 type class {}", static_cast<int>(cls));
  }
}

// The type class and number of values of an attribute known to exist.
struct AttrKind {
  H5T_class_t cls = H5T_NO_CLASS;
  hssize_t values = 0;
};

AttrKind attr_kind(const h5::Group& g, const std::string& name) {
  const h5::Handle attr(
      h5::check_id(H5Aopen(g.id(), name.c_str(), H5P_DEFAULT), g.location(), "open attribute"),
      H5Aclose);
  const h5::Handle type(h5::check_id(H5Aget_type(attr.id()), g.location(), "attribute type"),
                        H5Tclose);
  const h5::Handle space(h5::check_id(H5Aget_space(attr.id()), g.location(), "attribute space"),
                         H5Sclose);
  return {H5Tget_class(type.id()), H5Sget_simple_extent_npoints(space.id())};
}

// Checks that attribute `name` of `g` (at `object` of `file`) is one value of
// an accepted class; `expected` names what it should be in the message.
void check_attr(const h5::Group& g, const std::string& file, const std::string& object,
                const std::string& name, bool numbers, const char* expected) {
  const AttrKind kind = attr_kind(g, name);
  const bool ok =
      numbers ? kind.cls == H5T_INTEGER || kind.cls == H5T_FLOAT : kind.cls == H5T_STRING;
  if (!ok)
    map_error(
        file, object,
        fmt::format("attribute '{}' is {}; expected {}", name, class_singular(kind.cls), expected));
  if (kind.values != 1)
    map_error(file, object,
              fmt::format("attribute '{}' holds {} values; expected one", name, kind.values));
}

std::string text_attr_of(const h5::Group& g, const std::string& file, const std::string& object,
                         const std::string& name) {
  check_attr(g, file, object, name, false, "a string");
  return g.attr_string(name);
}

double real_attr_of(const h5::Group& g, const std::string& file, const std::string& object,
                    const std::string& name) {
  check_attr(g, file, object, name, true, "a number");
  return g.attr_double(name);
}

std::int64_t int_attr_of(const h5::Group& g, const std::string& file, const std::string& object,
                         const std::string& name) {
  check_attr(g, file, object, name, true, "an integer");
  if (attr_kind(g, name).cls != H5T_INTEGER)
    map_error(file, object,
              fmt::format("attribute '{}' is a floating-point number; expected an integer", name));
  return g.attr_int(name);
}

std::vector<std::int32_t> narrow(const std::vector<std::int64_t>& v) {
  return std::vector<std::int32_t>(v.begin(), v.end());
}

}  // namespace

void map_error(const std::string& file, const std::string& object, const std::string& what) {
  throw InputError(fmt::format("{}:{}: error: {}", file, object, what));
}

// --- MapFile ---------------------------------------------------------------

MapFile::MapFile(const std::string& path)
    : path_(path), file_(path, h5::File::Mode::kReadOnly) {  // InputError: missing, not HDF5
  if (!file_.has_attr("format"))
    map_error(path, "/", fmt::format("missing attribute 'format' (expected \"{}\")", kMapFormat));
  const std::string format = text_attr_of(file_, path, "/", "format");
  if (format != kMapFormat)
    map_error(path, "/",
              fmt::format("attribute 'format' is \"{}\", expected \"{}\"", format, kMapFormat));
  if (!file_.has_attr("format_version")) map_error(path, "/", "missing attribute 'format_version'");
  const std::int64_t version = int_attr_of(file_, path, "/", "format_version");
  if (version != kMapFormatVersion)
    map_error(
        path, "/",
        fmt::format("unknown format_version {} (this build reads {})", version, kMapFormatVersion));

  if (!file_.has("map")) map_error(path, "/map", "missing group");
  map_ = file_.open_group("map");
  for (const char* attr : {"lon0", "lat0", "dlon", "dlat", "nx", "ny"})
    if (!map_.has_attr(attr)) map_error(path, "/map", fmt::format("missing attribute '{}'", attr));
  geo_ = GeoRef{real_attr_of(map_, path, "/map", "lon0"), real_attr_of(map_, path, "/map", "lat0"),
                real_attr_of(map_, path, "/map", "dlon"), real_attr_of(map_, path, "/map", "dlat")};
  const std::int64_t nx = int_attr_of(map_, path, "/map", "nx");
  const std::int64_t ny = int_attr_of(map_, path, "/map", "ny");
  if (nx <= 0 || ny <= 0 || nx > 100000 || ny > 100000 || nx * ny > (std::int64_t{1} << 31))
    map_error(path, "/map", fmt::format("bad size nx = {}, ny = {}", nx, ny));
  if (!(geo_.dlon > 0) || !(geo_.dlat > 0) || !std::isfinite(geo_.dlon) ||
      !std::isfinite(geo_.dlat) || !std::isfinite(geo_.lon0) || !std::isfinite(geo_.lat0))
    map_error(path, "/map",
              "bad georeference (dlon and dlat must be positive, lon0 and lat0 finite)");
  if (map_.has_attr("registration") && text_attr_of(map_, path, "/map", "registration") != "corner")
    map_error(path, "/map", "attribute 'registration' must be \"corner\"");
  nx_ = static_cast<int>(nx);
  ny_ = static_cast<int>(ny);
}

Grid MapFile::empty_grid() const {
  return Grid(nx_, ny_, Edges::kBounded, geo_);
}

std::string MapFile::text_attr(const std::string& name, const std::string& otherwise) const {
  return file_.has_attr(name) ? text_attr_of(file_, path_, "/", name) : otherwise;
}

double MapFile::real_attr(const std::string& name, double otherwise) const {
  return file_.has_attr(name) ? real_attr_of(file_, path_, "/", name) : otherwise;
}

std::string MapFile::cell_text(std::size_t cell) const {
  const auto nx = static_cast<std::size_t>(nx_);
  return fmt::format("cell {} (row {}, column {})", cell, cell / nx, cell % nx);
}

h5::Dataset MapFile::layer(const std::string& name, bool integer) const {
  const std::string where = "/map/" + name;
  if (!map_.has(name)) map_error(path_, where, "missing layer");
  h5::Dataset ds = map_.open_dataset(name);
  const auto shape = ds.shape();
  if (shape.size() != 2 || shape[0] != static_cast<hsize_t>(ny_) ||
      shape[1] != static_cast<hsize_t>(nx_)) {
    std::string got;
    for (auto s : shape) got += (got.empty() ? "" : ", ") + std::to_string(s);
    map_error(path_, where,
              fmt::format("wrong shape: expected [{}, {}] (ny, nx), got [{}]", ny_, nx_, got));
  }
  const H5T_class_t cls = ds.type_class();
  if (integer && cls != H5T_INTEGER)
    map_error(path_, where,
              fmt::format("wrong type: expected an integer layer, got {}", class_plural(cls)));
  if (!integer && cls != H5T_FLOAT)
    map_error(
        path_, where,
        fmt::format("wrong type: expected a floating-point layer, got {}", class_plural(cls)));
  return ds;
}

std::string MapFile::layer_text(const h5::Dataset& ds, const char* attr) const {
  return ds.has_attr(attr) ? text_attr_of(ds, path_, ds.location().path, attr) : "";
}

std::vector<std::int32_t> MapFile::int_layer(const std::string& name,
                                             const IntValues& values) const {
  const auto wide = layer(name, true).read<std::int64_t>();
  for (std::size_t c = 0; c < wide.size(); ++c)
    if (wide[c] < values.min || wide[c] > values.max)
      map_error(path_, "/map/" + name,
                fmt::format("cell {} holds {} {}{}", c, values.what, wide[c], values.expected));
  return narrow(wide);
}

std::vector<float> MapFile::real_layer(const std::string& name, const RealValues& values) const {
  auto v = layer(name, false).read<float>();
  for (std::size_t c = 0; c < v.size(); ++c) {
    const bool ok = std::isnan(v[c])
                        ? values.nan_allowed
                        : std::isfinite(v[c]) && (values.negative_allowed || v[c] >= 0);
    if (!ok)
      map_error(path_, "/map/" + name,
                fmt::format("{} holds {}; expected a finite number{}", cell_text(c), v[c],
                            values.negative_allowed ? "" : " >= 0"));
  }
  return v;
}

void MapFile::add_int_layer(Grid& grid, const std::string& name, const std::string& units,
                            const IntValues& values) const {
  const h5::Dataset ds = layer(name, true);
  auto& added = grid.add_layer<std::int32_t>(
      name, ds.has_attr("units") ? layer_text(ds, "units") : units, layer_text(ds, "description"));
  added.values = int_layer(name, values);
}

void MapFile::add_real_layer(Grid& grid, const std::string& name, const std::string& units,
                             const RealValues& values) const {
  const h5::Dataset ds = layer(name, false);
  auto& added = grid.add_layer<float>(name, ds.has_attr("units") ? layer_text(ds, "units") : units,
                                      layer_text(ds, "description"));
  added.values = real_layer(name, values);
}

MapTable MapFile::table(const std::string& name, const std::string& key_column) const {
  if (!map_.has(name)) map_error(path_, "/map/" + name, "missing table");
  return MapTable(map_.open_group(name), path_, "/map/" + name, key_column);
}

// --- MapTable --------------------------------------------------------------

MapTable::MapTable(h5::Group group, std::string file, std::string path,
                   const std::string& key_column)
    : group_(std::move(group)), file_(std::move(file)), path_(std::move(path)) {
  if (!group_.has(key_column)) fail(key_column, "missing table column");
  const auto shape = group_.open_dataset(key_column).shape();
  if (shape.size() != 1)
    fail(key_column, fmt::format("expected a 1-D column, got rank {}", shape.size()));
  rows_ = static_cast<std::size_t>(shape[0]);
}

void MapTable::fail(const std::string& column, const std::string& what) const {
  map_error(file_, column.empty() ? path_ : path_ + "/" + column, what);
}

bool MapTable::holds_text(const std::string& column) const {
  return has(column) && group_.open_dataset(column).type_class() == H5T_STRING;
}

// A column: exists, rank 1, the table's length, an element class `expected`
// allows ("integers", "numbers": integers or reals, "strings").
h5::Dataset MapTable::column(const std::string& name, const char* expected) const {
  if (!group_.has(name)) fail(name, "missing table column");
  h5::Dataset ds = group_.open_dataset(name);
  const auto shape = ds.shape();
  if (shape.size() != 1)
    fail(name, fmt::format("expected a 1-D column, got rank {}", shape.size()));
  if (shape[0] != rows_)
    fail(name, fmt::format("expected {} rows like the other columns, got {}", rows_, shape[0]));
  const H5T_class_t cls = ds.type_class();
  const std::string want = expected;
  const bool ok = want == "integers"  ? cls == H5T_INTEGER
                  : want == "strings" ? cls == H5T_STRING
                                      : cls == H5T_INTEGER || cls == H5T_FLOAT;
  if (!ok) fail(name, fmt::format("wrong type: expected {}, got {}", want, class_plural(cls)));
  return ds;
}

std::vector<std::int32_t> MapTable::ints(const std::string& name) const {
  const auto wide = column(name, "integers").read<std::int64_t>();
  for (std::size_t i = 0; i < wide.size(); ++i)
    if (wide[i] < std::numeric_limits<std::int32_t>::min() ||
        wide[i] > std::numeric_limits<std::int32_t>::max())
      fail(name, fmt::format("row {} holds {}, outside the 32-bit integers", i, wide[i]));
  return narrow(wide);
}

std::vector<double> MapTable::reals(const std::string& name) const {
  return column(name, "numbers").read<double>();
}

std::vector<std::string> MapTable::texts(const std::string& name) const {
  return column(name, "strings").read_strings();
}

std::vector<std::int32_t> MapTable::ints_or(const std::string& name, std::int32_t otherwise) const {
  return has(name) ? ints(name) : std::vector<std::int32_t>(rows_, otherwise);
}

std::vector<double> MapTable::reals_or(const std::string& name, double otherwise) const {
  return has(name) ? reals(name) : std::vector<double>(rows_, otherwise);
}

std::vector<std::string> MapTable::texts_or(const std::string& name,
                                            const std::string& otherwise) const {
  return has(name) ? texts(name) : std::vector<std::string>(rows_, otherwise);
}

// --- cache -----------------------------------------------------------------

std::string map_cache_key(const std::string& path) {
  std::error_code ec;
  const auto canonical = std::filesystem::weakly_canonical(path, ec);
  std::string key = ec ? path : canonical.string();
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec) key += fmt::format(":{}", size);
  const auto mtime = std::filesystem::last_write_time(path, ec);
  if (!ec) key += fmt::format(":{}", mtime.time_since_epoch().count());
  return key;
}

}  // namespace borderland::sim
