#pragma once
// The insurgency layers of the TTP model's map asset (scenarios/maps/README.md;
// docs/hdf5_layout.md, "Map asset"): where the groups are present, what there
// is to attack, and how long it takes to get there. afpak_map.hpp reads the
// geography every Af-Pak map carries; these are the insurgency's own.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace borderland::ttp {

// Kinds of /map/targets, in this order.
enum TargetSiteKind : int {
  kPoliceStation = 0,
  kPoliceLines,
  kDistrictPoliceHq,
  kProvincialPoliceHq,
  kFcPost,
  kCantonment,
  kCtdOffice,
  kPrison,
  kTargetSiteKinds
};
inline constexpr std::array<const char*, kTargetSiteKinds> kTargetSiteKindNames{
    "police_station", "police_lines", "district_police_hq", "provincial_police_hq",
    "fc_post",        "cantonment",   "ctd_office",         "prison"};

// Presence levels of /map/presence_ttp and /map/presence_baloch: 0 none,
// 1 occasional, 2 sustained, 3 base area (the layer's `levels` attribute).
inline constexpr int kPresenceLevels = 4;

struct TargetSite {
  int kind = 0;
  std::int32_t cell = 0;       // iy * nx + ix
  std::int32_t district = -1;  // id into districts, -1 if none
};

struct InsurgencyMap {
  int nx = 0, ny = 0;
  std::vector<std::int32_t> presence_ttp, presence_baloch;  // per cell, 0..3
  std::vector<float> access_border_hours;                   // per cell, NaN outside PK/AF
  std::vector<std::int32_t> district;                       // per cell, -1 outside
  std::vector<std::string> district_names;                  // by district id
  std::vector<TargetSite> targets;
  // /map/place_info, one entry per row of /map/places: the place's own population (not its
  // district's) and its police headquarters (0 none, 1 district, 2 provincial).
  std::vector<std::int64_t> place_population;
  std::vector<std::int32_t> place_police_hq;
};

// Police headquarters levels of /map/place_info/police_hq.
inline constexpr int kDistrictPoliceHqLevel = 1;
inline constexpr int kProvincialPoliceHqLevel = 2;

// Reads the layers and tables above (with sim::MapFile). Throws sim::InputError
// naming the file and dataset for a missing layer or column, a wrong shape or
// type, a presence level outside 0..3, a district code that is not a row of
// /map/districts, an unknown target kind or a target outside the grid.
InsurgencyMap load_insurgency_map(const std::string& path);

// Same, read once per path for the whole process (every replica of a sweep shares it).
std::shared_ptr<const InsurgencyMap> load_insurgency_map_cached(const std::string& path);

}  // namespace borderland::ttp
