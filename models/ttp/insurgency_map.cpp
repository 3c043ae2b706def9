// Reads the insurgency layers of the map asset (see insurgency_map.hpp) with
// the engine's generic map reader (sim/map_loader.hpp).
#include "models/ttp/insurgency_map.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/map_loader.hpp"

namespace borderland::ttp {

namespace {

// These layers came with a later build of the asset (docs/hdf5_layout.md): an
// older asset lacks them.
void require(const sim::MapFile& file, const std::string& name) {
  if (!file.has(name))
    sim::map_error(file.path(), "/map/" + name,
                   "missing (rebuild the map with scenarios/maps/build_map.py)");
}

InsurgencyMap read(const sim::MapFile& file) {
  for (const char* name : {"presence_ttp", "presence_baloch", "access_border_hours", "district",
                           "districts", "targets"})
    require(file, name);
  InsurgencyMap m;
  m.nx = file.nx();
  m.ny = file.ny();
  const sim::IntValues levels{0, kPresenceLevels - 1, "presence level",
                              "; expected 0 (none) to 3 (base area)"};
  m.presence_ttp = file.int_layer("presence_ttp", levels);
  m.presence_baloch = file.int_layer("presence_baloch", levels);
  m.access_border_hours = file.real_layer("access_border_hours", {true, false});  // NaN off PK/AF

  const sim::MapTable districts = file.table("districts");
  const auto ids = districts.ints("id");
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (ids[i] != static_cast<std::int32_t>(i))
      districts.fail("id", fmt::format("row {} has id {}: ids must be 0, 1, 2, ...", i, ids[i]));
  m.district_names = districts.texts("name");
  const auto count = static_cast<std::int64_t>(districts.rows());
  m.district = file.int_layer(
      "district", {-1, count - 1, "district", ", not a row of /map/districts (or -1 for none)"});

  const sim::MapTable targets = file.table("targets", "kind");
  const auto kinds = targets.texts("kind");
  const auto ix = targets.ints("ix");
  const auto iy = targets.ints("iy");
  const auto district = targets.ints("district");
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    const auto it = std::find(kTargetSiteKindNames.begin(), kTargetSiteKindNames.end(), kinds[i]);
    if (it == kTargetSiteKindNames.end())
      targets.fail("kind", fmt::format("row {}: unknown kind '{}'", i, kinds[i]));
    if (ix[i] < 0 || ix[i] >= m.nx || iy[i] < 0 || iy[i] >= m.ny)
      targets.fail("", fmt::format("row {}: cell outside the grid", i));
    if (district[i] < -1 || district[i] >= count)
      targets.fail("district",
                   fmt::format("row {}: district {}, not a row of /map/districts", i, district[i]));
    m.targets.push_back(
        {static_cast<int>(it - kTargetSiteKindNames.begin()), iy[i] * m.nx + ix[i], district[i]});
  }
  // A place's own population and its police headquarters level, one row per /map/places row.
  const sim::MapTable place_info = file.table("place_info", "town_population");
  for (std::int32_t persons : place_info.ints("town_population")) {
    if (persons < 0) place_info.fail("town_population", "a negative population");
    m.place_population.push_back(persons);
  }
  m.place_police_hq = place_info.ints("police_hq");
  for (std::int32_t level : m.place_police_hq)
    if (level < 0 || level > kProvincialPoliceHqLevel)
      place_info.fail("police_hq",
                      fmt::format("level {} outside 0..{}", level, kProvincialPoliceHqLevel));
  return m;
}

}  // namespace

InsurgencyMap load_insurgency_map(const std::string& path) {
  return sim::read_map_asset(path, read);
}

std::shared_ptr<const InsurgencyMap> load_insurgency_map_cached(const std::string& path) {
  return sim::cached_map_asset<InsurgencyMap>(path, load_insurgency_map);
}

}  // namespace borderland::ttp
