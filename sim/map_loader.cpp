#include "sim/map_loader.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>

#include "sim/error.hpp"
#include "sim/h5.hpp"

namespace borderland::sim {

namespace {

std::string where(const std::string& file, const std::string& object) {
  return file + ":" + object;
}

[[noreturn]] void fail(const std::string& file, const std::string& object,
                       const std::string& what) {
  throw InputError(fmt::format("{}: error: {}", where(file, object), what));
}

// A table column: checks existence, rank 1, length and element class.
h5::Dataset column(const h5::Group& table, const std::string& table_path, const std::string& name,
                   H5T_class_t expected, std::size_t rows, bool check_rows) {
  const std::string path = table_path + "/" + name;
  if (!table.has(name)) fail(table.location().file, path, "missing table column");
  h5::Dataset ds = table.open_dataset(name);
  const auto shape = ds.shape();
  if (shape.size() != 1)
    fail(table.location().file, path,
         fmt::format("expected a 1-D column, got rank {}", shape.size()));
  if (check_rows && shape[0] != rows)
    fail(table.location().file, path,
         fmt::format("expected {} rows like the other columns, got {}", rows, shape[0]));
  const H5T_class_t cls = ds.type_class();
  const bool numeric_ok = expected != H5T_STRING && (cls == H5T_INTEGER || cls == H5T_FLOAT);
  const bool match = expected == H5T_INTEGER  ? cls == H5T_INTEGER
                     : expected == H5T_STRING ? cls == H5T_STRING
                                              : numeric_ok;
  if (!match)
    fail(table.location().file, path,
         fmt::format("wrong type: expected {}", expected == H5T_INTEGER  ? "integers"
                                                : expected == H5T_STRING ? "strings"
                                                                         : "numbers"));
  return ds;
}

std::size_t table_rows(const h5::Group& table, const std::string& path, const std::string& first) {
  if (!table.has(first)) fail(table.location().file, path + "/" + first, "missing table column");
  const auto shape = table.open_dataset(first).shape();
  if (shape.size() != 1) fail(table.location().file, path + "/" + first, "expected a 1-D column");
  return static_cast<std::size_t>(shape[0]);
}

std::vector<std::int32_t> ints(const h5::Dataset& ds) {
  const auto v = ds.read<std::int64_t>();
  return std::vector<std::int32_t>(v.begin(), v.end());
}

// Country codes in tables may be written as codes or as ISO letters.
std::vector<std::int32_t> country_column(const h5::Group& table, const std::string& path,
                                         std::size_t rows) {
  if (!table.has("country")) fail(table.location().file, path + "/country", "missing table column");
  h5::Dataset ds = table.open_dataset("country");
  if (ds.type_class() == H5T_STRING) {
    column(table, path, "country", H5T_STRING, rows, true);
    std::vector<std::int32_t> out;
    for (const auto& s : ds.read_strings())
      out.push_back(s == "PK" ? 1 : s == "AF" ? 2 : s.empty() ? 0 : 3);
    return out;
  }
  return ints(column(table, path, "country", H5T_INTEGER, rows, true));
}

h5::Group table_group(const h5::Group& map, const std::string& name) {
  const std::string path = "/map/" + name;
  if (!map.has(name)) fail(map.location().file, path, "missing table");
  return map.open_group(name);
}

// Values a model can trust (NaN or infinite population would turn sums of the
// whole map into NaN; a negative one, into negative recruits): no real layer is
// infinite; elevation may be below sea level; border_distance is signed (+ in
// Pakistan, - in Afghanistan) and NaN off those two countries; the others are
// amounts, finite and not negative. Codes lie within their tables.
void check_layer_values(const std::string& path, const MapAsset& asset) {
  struct Rule {
    const char* layer;
    bool nan_allowed, negative_allowed;
  };
  static const Rule kRules[] = {{"elevation", false, true},
                                {"ruggedness", false, false},
                                {"population", false, false},
                                {"border_distance", true, true}};
  for (const Rule& rule : kRules) {
    const auto& values = asset.grid.layer<float>(rule.layer).values;
    for (std::size_t c = 0; c < values.size(); ++c) {
      const float v = values[c];
      const bool ok =
          std::isnan(v) ? rule.nan_allowed : std::isfinite(v) && (rule.negative_allowed || v >= 0);
      if (!ok)
        fail(path, std::string("/map/") + rule.layer,
             fmt::format("cell {} (row {}, column {}) holds {}; expected a finite number{}", c,
                         c / static_cast<std::size_t>(asset.grid.nx()),
                         c % static_cast<std::size_t>(asset.grid.nx()), v,
                         rule.negative_allowed ? "" : " >= 0"));
    }
  }
  // The asset's country codes (docs/hdf5_layout.md, "Map asset"): 0 sea to 3 other land.
  constexpr std::int32_t kFirstCountryCode = 0;
  constexpr std::int32_t kLastCountryCode = 3;
  const auto& country = asset.grid.layer<std::int32_t>("country").values;
  for (std::size_t c = 0; c < country.size(); ++c)
    if (country[c] < kFirstCountryCode || country[c] > kLastCountryCode)
      fail(path, "/map/country",
           fmt::format("cell {} holds country code {}; expected 0 (sea) to 3 (other land)", c,
                       country[c]));
}

MapAsset read_asset(const std::string& path) {
  h5::File file(path, h5::File::Mode::kReadOnly);  // InputError: missing, not HDF5, corrupt
  MapAsset asset;
  asset.path = path;
  if (!file.has_attr("format"))
    fail(path, "/", "missing attribute 'format' (expected \"borderland-map\")");
  const std::string format = file.attr_string("format");
  if (format != "borderland-map")
    fail(path, "/",
         fmt::format("attribute 'format' is \"{}\", expected \"borderland-map\"", format));
  if (!file.has_attr("format_version")) fail(path, "/", "missing attribute 'format_version'");
  const std::int64_t version = file.attr_int("format_version");
  if (version != kMapFormatVersion)
    fail(
        path, "/",
        fmt::format("unknown format_version {} (this build reads {})", version, kMapFormatVersion));
  if (file.has_attr("resolution_deg")) asset.resolution_deg = file.attr_double("resolution_deg");
  if (file.has_attr("sources")) asset.sources = file.attr_string("sources");
  if (file.has_attr("licence")) asset.licence = file.attr_string("licence");

  if (!file.has("map")) fail(path, "/map", "missing group");
  const h5::Group map = file.open_group("map");
  for (const char* attr : {"lon0", "lat0", "dlon", "dlat", "nx", "ny"})
    if (!map.has_attr(attr)) fail(path, "/map", fmt::format("missing attribute '{}'", attr));
  GeoRef geo{map.attr_double("lon0"), map.attr_double("lat0"), map.attr_double("dlon"),
             map.attr_double("dlat")};
  const std::int64_t nx = map.attr_int("nx"), ny = map.attr_int("ny");
  if (nx <= 0 || ny <= 0 || nx > 100000 || ny > 100000 || nx * ny > (std::int64_t{1} << 31))
    fail(path, "/map", fmt::format("bad size nx = {}, ny = {}", nx, ny));
  if (!(geo.dlon > 0) || !(geo.dlat > 0) || !std::isfinite(geo.lon0) || !std::isfinite(geo.lat0))
    fail(path, "/map", "bad georeference (dlon and dlat must be positive, lon0 and lat0 finite)");
  if (map.has_attr("registration") && map.attr_string("registration") != "corner")
    fail(path, "/map", "attribute 'registration' must be \"corner\"");
  asset.grid = Grid(static_cast<int>(nx), static_cast<int>(ny), Edges::kBounded, geo);

  for (const MapLayerSpec& spec : required_map_layers()) {
    const std::string lpath = std::string("/map/") + spec.name;
    if (!map.has(spec.name)) fail(path, lpath, "missing layer");
    const h5::Dataset ds = map.open_dataset(spec.name);
    const auto shape = ds.shape();
    if (shape.size() != 2 || shape[0] != static_cast<hsize_t>(ny) ||
        shape[1] != static_cast<hsize_t>(nx)) {
      std::string got;
      for (auto s : shape) got += (got.empty() ? "" : ", ") + std::to_string(s);
      fail(path, lpath,
           fmt::format("wrong shape: expected [{}, {}] (ny, nx), got [{}]", ny, nx, got));
    }
    const H5T_class_t cls = ds.type_class();
    const std::string units = ds.has_attr("units") ? ds.attr_string("units") : spec.units;
    const std::string description = ds.has_attr("description") ? ds.attr_string("description") : "";
    if (spec.integer) {
      if (cls != H5T_INTEGER) fail(path, lpath, "wrong type: expected an integer layer");
      auto& layer = asset.grid.add_layer<std::int32_t>(spec.name, units, description);
      layer.values = ints(ds);
    } else {
      if (cls != H5T_FLOAT) fail(path, lpath, "wrong type: expected a floating-point layer");
      auto& layer = asset.grid.add_layer<float>(spec.name, units, description);
      layer.values = ds.read<float>();
    }
  }

  {  // provinces
    const std::string tp = "/map/provinces";
    const h5::Group t = table_group(map, "provinces");
    const std::size_t n = table_rows(t, tp, "id");
    const auto id = ints(column(t, tp, "id", H5T_INTEGER, n, true));
    const auto name = column(t, tp, "name", H5T_STRING, n, true).read_strings();
    const auto country = country_column(t, tp, n);
    std::vector<std::string> hasc(n), merged_date(n);
    std::vector<double> area(n, 0.0);
    std::vector<std::int32_t> merged(n, -1);
    if (t.has("hasc")) hasc = column(t, tp, "hasc", H5T_STRING, n, true).read_strings();
    if (t.has("area_km2")) area = column(t, tp, "area_km2", H5T_FLOAT, n, true).read<double>();
    if (t.has("merged_into")) merged = ints(column(t, tp, "merged_into", H5T_INTEGER, n, true));
    if (t.has("merged_date"))
      merged_date = column(t, tp, "merged_date", H5T_STRING, n, true).read_strings();
    for (std::size_t i = 0; i < n; ++i) {
      if (id[i] != static_cast<std::int32_t>(i))
        fail(path, tp + "/id", fmt::format("row {} has id {}: ids must be 0, 1, 2, ...", i, id[i]));
      asset.provinces.push_back(
          {id[i], name[i], country[i], hasc[i], area[i], merged[i], merged_date[i]});
    }
  }
  {  // places
    const std::string tp = "/map/places";
    const h5::Group t = table_group(map, "places");
    const std::size_t n = table_rows(t, tp, "id");
    const auto id = ints(column(t, tp, "id", H5T_INTEGER, n, true));
    const auto name = column(t, tp, "name", H5T_STRING, n, true).read_strings();
    const auto country = country_column(t, tp, n);
    const auto province = ints(column(t, tp, "province", H5T_INTEGER, n, true));
    const auto lon = column(t, tp, "lon", H5T_FLOAT, n, true).read<double>();
    const auto lat = column(t, tp, "lat", H5T_FLOAT, n, true).read<double>();
    const auto pop = column(t, tp, "population", H5T_FLOAT, n, true).read<double>();
    const auto ix = ints(column(t, tp, "ix", H5T_INTEGER, n, true));
    const auto iy = ints(column(t, tp, "iy", H5T_INTEGER, n, true));
    for (std::size_t i = 0; i < n; ++i) {
      if (ix[i] < 0 || iy[i] < 0 || ix[i] >= nx || iy[i] >= ny)
        fail(path, tp, fmt::format("place {} ({}) lies outside the grid", i, name[i]));
      asset.places.push_back(
          {id[i], name[i], country[i], province[i], lon[i], lat[i], pop[i], ix[i], iy[i]});
    }
  }
  {  // crossings
    const std::string tp = "/map/crossings";
    const h5::Group t = table_group(map, "crossings");
    const std::size_t n = table_rows(t, tp, "id");
    const auto id = ints(column(t, tp, "id", H5T_INTEGER, n, true));
    const auto name = column(t, tp, "name", H5T_STRING, n, true).read_strings();
    const auto lon = column(t, tp, "lon", H5T_FLOAT, n, true).read<double>();
    const auto lat = column(t, tp, "lat", H5T_FLOAT, n, true).read<double>();
    const auto ix = ints(column(t, tp, "ix", H5T_INTEGER, n, true));
    const auto iy = ints(column(t, tp, "iy", H5T_INTEGER, n, true));
    std::vector<std::string> source(n);
    if (t.has("source")) source = column(t, tp, "source", H5T_STRING, n, true).read_strings();
    for (std::size_t i = 0; i < n; ++i) {
      if (ix[i] < 0 || iy[i] < 0 || ix[i] >= nx || iy[i] >= ny)
        fail(path, tp, fmt::format("crossing {} ({}) lies outside the grid", i, name[i]));
      asset.crossings.push_back({id[i], name[i], lon[i], lat[i], ix[i], iy[i], source[i]});
    }
  }

  check_layer_values(path, asset);
  for (const auto& place : asset.places) {
    if (!std::isfinite(place.population) || place.population < 0)
      fail(path, "/map/places/population",
           fmt::format("place {} ({}) has population {}; expected a finite number >= 0", place.id,
                       place.name, place.population));
    if (place.province < -1 || place.province >= static_cast<std::int32_t>(asset.provinces.size()))
      fail(path, "/map/places/province",
           fmt::format("place {} ({}) is in province {}, not a row of /map/provinces", place.id,
                       place.name, place.province));
  }

  // Cross-checks that keep later indexing safe.
  const auto& province = asset.grid.layer<std::int32_t>("province").values;
  for (std::size_t c = 0; c < province.size(); ++c)
    if (province[c] < -1 || province[c] >= static_cast<std::int32_t>(asset.provinces.size()))
      fail(path, "/map/province",
           fmt::format("cell {} holds province {}, not a row of /map/provinces", c, province[c]));
  const auto& nearest = asset.grid.layer<std::int32_t>("nearest_place").values;
  for (std::size_t c = 0; c < nearest.size(); ++c)
    if (nearest[c] < -1 || nearest[c] >= static_cast<std::int32_t>(asset.places.size()))
      fail(path, "/map/nearest_place",
           fmt::format("cell {} holds place {}, not a row of /map/places", c, nearest[c]));
  return asset;
}

}  // namespace

const std::vector<MapLayerSpec>& required_map_layers() {
  static const std::vector<MapLayerSpec> layers{
      {"country", true, "1"},       {"province", true, "1"},          {"elevation", false, "m"},
      {"ruggedness", false, "m"},   {"population", false, "persons"}, {"urban", true, "1"},
      {"nearest_place", true, "1"}, {"border_distance", false, "km"}, {"border", true, "1"},
  };
  return layers;
}

MapAsset load_map(const std::string& path) {
  try {
    return read_asset(path);
  } catch (const InputError&) {
    throw;
  } catch (const RunError& e) {  // an HDF5 read failed half-way: the file is damaged
    throw InputError(fmt::format("{} (map asset {} is corrupt or truncated)", e.what(), path));
  }
}

std::shared_ptr<const MapAsset> load_map_cached(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const MapAsset>> cache;
  std::error_code ec;
  const auto canonical = std::filesystem::weakly_canonical(path, ec);
  // The key includes size and modification time: a file rewritten in place
  // (tests build synthetic maps) is read again.
  std::string key = ec ? path : canonical.string();
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec) key += fmt::format(":{}", size);
  const auto mtime = std::filesystem::last_write_time(path, ec);
  if (!ec) key += fmt::format(":{}", mtime.time_since_epoch().count());
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  auto asset = std::make_shared<const MapAsset>(load_map(path));
  cache.emplace(key, asset);
  return asset;
}

}  // namespace borderland::sim
