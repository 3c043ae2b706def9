#pragma once
// The Af-Pak map asset of the TTP model (scenarios/maps/afpak_0p05.h5; layout
// in docs/hdf5_layout.md, "Map asset"): which layers and tables it must carry,
// what they mean and which values they may hold, read with the engine's
// generic map reader (sim/map_loader.hpp).
//
// Layers: country, province, urban, nearest_place, border (integer codes);
// elevation, ruggedness, population, border_distance (real). Tables:
// provinces (HASC codes, merges such as FATA into Khyber Pakhtunkhwa in 2018),
// places (towns and cities), crossings (of the Durand Line). Every problem is
// an InputError naming the file and the dataset. The insurgency layers
// (presence, targets, travel times) are read by insurgency_map.hpp.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/ttp/map_schema.hpp"
#include "sim/grid.hpp"

namespace borderland::ttp {

struct MapProvince {
  std::int32_t id = -1;
  std::string name;
  std::int32_t country = 0;  // a code of map_schema.hpp
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

struct AfPakMap {
  std::string path;
  double resolution_deg = 0.0;
  std::string sources;
  std::string licence;
  sim::Grid grid;  // the layers above, integer ones as int32, real ones as float
  std::vector<MapProvince> provinces;
  std::vector<MapPlace> places;
  std::vector<MapCrossing> crossings;
};

// The layers every Af-Pak map asset must carry, with their kind.
struct MapLayerSpec {
  const char* name;
  bool integer;  // integer class (any width) vs floating point
  const char* units;
};
const std::vector<MapLayerSpec>& afpak_map_layers();

// Reads and validates an Af-Pak map asset. Throws InputError naming file and dataset.
AfPakMap load_afpak_map(const std::string& path);

// Same, but parsed once per (canonical) path for the whole process.
std::shared_ptr<const AfPakMap> load_afpak_map_cached(const std::string& path);

}  // namespace borderland::ttp
