#pragma once
// Reads a map asset (scenarios/maps/*.h5, layout in docs/hdf5_layout.md,
// "Map asset") into a Grid plus plain tables, and validates it.
//
// Every problem with the file is an InputError that names the file and the
// dataset: missing file, not HDF5 or corrupt, wrong `format` or unknown
// `format_version`, a missing layer or table column, a layer of the wrong
// shape or element type. Integer layers (int8, int16, int32) become int32
// layers of the grid; real layers become float layers.
//
// load_map_cached() keeps one parsed copy per path for the whole process
// (read-only, shared, guarded by a mutex), so a sweep of many runs reads the
// file once.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/grid.hpp"

namespace borderland::sim {

inline constexpr std::int64_t kMapFormatVersion = 1;

struct MapProvince {
  std::int32_t id = -1;
  std::string name;
  std::int32_t country = 0;  // code of /map/country (the model's map schema names them)
  std::string hasc;
  double area_km2 = 0.0;
  std::int32_t merged_into = -1;  // id, or -1
  std::string merged_date;        // "" or YYYY-MM-DD
};

struct MapPlace {
  std::int32_t id = -1;
  std::string name;
  std::int32_t country = 0;
  std::int32_t province = -1;
  double lon = 0.0, lat = 0.0;
  double population = 0.0;
  std::int32_t ix = 0, iy = 0;
};

struct MapCrossing {
  std::int32_t id = -1;
  std::string name;
  double lon = 0.0, lat = 0.0;
  std::int32_t ix = 0, iy = 0;
  std::string source;
};

struct MapAsset {
  std::string path;
  double resolution_deg = 0.0;
  std::string sources;
  std::string licence;
  // Layers: country, province, urban, nearest_place, border (int32);
  // elevation, ruggedness, population, border_distance (float).
  Grid grid;
  std::vector<MapProvince> provinces;
  std::vector<MapPlace> places;
  std::vector<MapCrossing> crossings;
};

// The layers every map asset must carry, with their kind.
struct MapLayerSpec {
  const char* name;
  bool integer;  // integer class (any width) vs floating point
  const char* units;
};
const std::vector<MapLayerSpec>& required_map_layers();

// Reads and validates a map asset. Throws InputError naming file and dataset.
MapAsset load_map(const std::string& path);

// Same, but parsed once per (canonical) path for the whole process.
std::shared_ptr<const MapAsset> load_map_cached(const std::string& path);

}  // namespace borderland::sim
