#pragma once
// Reads map assets (scenarios/maps/*.h5; layout in docs/hdf5_layout.md, "Map
// asset"): a file whose root says format="borderland-map", with a `/map` group
// holding a georeferenced grid of named layers [ny, nx] and named tables (a
// group of 1-D columns of one length).
//
// The engine knows no country: which layers and tables a model needs, what
// they mean and which values they may hold are the model's (the TTP's Af-Pak
// schema is models/ttp/afpak_map.hpp). This reader checks what every asset
// shares (the header, the georeference, shapes, element types, the lengths of
// table columns) and the value checks its caller declares. Every problem is an
// InputError placed at the object: "FILE:/map/NAME: error: what is wrong".
// Layers and tables nobody asks for are not read.
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sim/error.hpp"
#include "sim/grid.hpp"
#include "sim/h5.hpp"

namespace borderland::sim {

inline constexpr const char* kMapFormat = "borderland-map";
inline constexpr std::int64_t kMapFormatVersion = 1;

// Throws InputError "FILE:OBJECT: error: WHAT" (OBJECT: "/", "/map", "/map/places/lon").
[[noreturn]] void map_error(const std::string& file, const std::string& object,
                            const std::string& what);

// Values a real layer may hold: never infinite; NaN and negatives as declared.
struct RealValues {
  bool nan_allowed = false;
  bool negative_allowed = true;
};

// Values an integer layer may hold, [min, max], and how a bad cell is told:
// "cell 7 holds <what> 9<expected>" ("country code", "; expected 0 to 3").
struct IntValues {
  std::int64_t min = std::numeric_limits<std::int32_t>::min();
  std::int64_t max = std::numeric_limits<std::int32_t>::max();
  std::string what = "value";
  std::string expected = "; outside the 32-bit integers";
};

// A table of the map: columns read by name, each checked for rank 1, the
// table's length and its element type.
class MapTable {
 public:
  MapTable(h5::Group group, std::string file, std::string path, const std::string& key_column);
  const std::string& path() const { return path_; }  // "/map/provinces"
  std::size_t rows() const { return rows_; }
  bool has(const std::string& column) const { return group_.has(column); }
  bool holds_text(const std::string& column) const;  // a column of strings

  std::vector<std::int32_t> ints(const std::string& column) const;  // integers only
  std::vector<double> reals(const std::string& column) const;       // integers or reals
  std::vector<std::string> texts(const std::string& column) const;  // strings only
  // Optional columns: `otherwise` in every row when the column is absent.
  std::vector<std::int32_t> ints_or(const std::string& column, std::int32_t otherwise) const;
  std::vector<double> reals_or(const std::string& column, double otherwise) const;
  std::vector<std::string> texts_or(const std::string& column, const std::string& otherwise) const;

  // InputError at a column ("" for the table itself).
  [[noreturn]] void fail(const std::string& column, const std::string& what) const;

 private:
  h5::Dataset column(const std::string& name, const char* expected) const;
  h5::Group group_;
  std::string file_, path_;
  std::size_t rows_ = 0;
};

// An opened map asset: the header and the georeference of /map checked.
class MapFile {
 public:
  // InputError: missing file, not HDF5, a wrong `format`, an unknown
  // `format_version`, a missing or mistyped attribute of /map, a bad size or
  // georeference, a registration other than "corner".
  explicit MapFile(const std::string& path);

  const std::string& path() const { return path_; }
  int nx() const { return nx_; }
  int ny() const { return ny_; }
  const GeoRef& geo() const { return geo_; }
  // A grid of the map's size and georeference, without layers.
  Grid empty_grid() const;

  // Optional attributes of the file's root, checked for their type.
  std::string text_attr(const std::string& name, const std::string& otherwise = "") const;
  double real_attr(const std::string& name, double otherwise) const;

  bool has(const std::string& name) const { return map_.has(name); }  // a layer or a table
  // A layer [ny, nx], row-major, read and checked. InputError when it is
  // missing, of another shape or element type, or a cell fails `values`.
  std::vector<std::int32_t> int_layer(const std::string& name, const IntValues& values = {}) const;
  std::vector<float> real_layer(const std::string& name, const RealValues& values = {}) const;
  // The same, added to `grid` with the layer's own `units` attribute (or
  // `units` when it has none) and its `description`.
  void add_int_layer(Grid& grid, const std::string& name, const std::string& units,
                     const IntValues& values = {}) const;
  void add_real_layer(Grid& grid, const std::string& name, const std::string& units,
                      const RealValues& values = {}) const;

  // A table; its length is that of `key_column`. InputError when missing.
  MapTable table(const std::string& name, const std::string& key_column = "id") const;

  // "cell 7 (row 1, column 1)", for messages about cells.
  std::string cell_text(std::size_t cell) const;

 private:
  h5::Dataset layer(const std::string& name, bool integer) const;
  std::string layer_text(const h5::Dataset& ds, const char* attr) const;
  std::string path_;
  h5::File file_;
  h5::Group map_;
  int nx_ = 0, ny_ = 0;
  GeoRef geo_;
};

// Runs `read` on the opened asset. An HDF5 read that fails half-way (the
// library found damage the checks could not see) becomes an InputError
// naming the file as corrupt or truncated.
template <class Read>
auto read_map_asset(const std::string& path, const Read& read) {
  try {
    const MapFile file(path);
    return read(file);
  } catch (const InputError&) {
    throw;
  } catch (const RunError& e) {
    throw InputError(std::string(e.what()) + " (map asset " + path + " is corrupt or truncated)");
  }
}

// The key under which a parsed asset is kept: the canonical path, its size and
// modification time (a file rewritten in place is read again).
std::string map_cache_key(const std::string& path);

// One parsed copy of the asset at `path` for the whole process (read-only,
// shared, guarded by a mutex), so that a sweep of many runs reads the file once.
template <class Asset>
std::shared_ptr<const Asset> cached_map_asset(const std::string& path,
                                              Asset (*load)(const std::string&)) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const Asset>> cache;
  const std::string key = map_cache_key(path);
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  auto asset = std::make_shared<const Asset>(load(path));
  cache.emplace(key, asset);
  return asset;
}

}  // namespace borderland::sim
