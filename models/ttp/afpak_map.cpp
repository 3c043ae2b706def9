#include "models/ttp/afpak_map.hpp"

#include <fmt/format.h>

#include <cmath>

#include "sim/map_loader.hpp"

namespace borderland::ttp {

namespace {

// Values a model can trust (NaN or infinite population would turn sums of the
// whole map into NaN; a negative one, into negative recruits): no real layer is
// infinite; elevation may be below sea level; border_distance is signed (+ in
// Pakistan, - in Afghanistan) and NaN off those two countries; the others are
// amounts, finite and not negative.
sim::RealValues real_values(const std::string& layer) {
  if (layer == "elevation") return {false, true};
  if (layer == "border_distance") return {true, true};
  return {false, false};  // ruggedness, population
}

// Codes lie within their tables (checked once the tables are read) and the
// country codes of map_schema.hpp.
sim::IntValues int_values(const std::string& layer) {
  if (layer == "country")
    return {kSea, kOtherLand, "country code", "; expected 0 (sea) to 3 (other land)"};
  return {};
}

// Country codes in tables may be written as codes or as ISO letters.
std::vector<std::int32_t> country_column(const sim::MapTable& t) {
  if (!t.holds_text("country")) return t.ints("country");
  std::vector<std::int32_t> out;
  for (const auto& s : t.texts("country"))
    out.push_back(s == "PK" ? kPakistan : s == "AF" ? kAfghanistan : s.empty() ? kSea : kOtherLand);
  return out;
}

void read_provinces(const sim::MapFile& file, AfPakMap& asset) {
  const sim::MapTable t = file.table("provinces");
  const auto id = t.ints("id");
  const auto name = t.texts("name");
  const auto country = country_column(t);
  const auto hasc = t.texts_or("hasc", "");
  const auto area = t.reals_or("area_km2", 0.0);
  const auto merged = t.ints_or("merged_into", -1);
  const auto merged_date = t.texts_or("merged_date", "");
  for (std::size_t i = 0; i < t.rows(); ++i) {
    if (id[i] != static_cast<std::int32_t>(i))
      t.fail("id", fmt::format("row {} has id {}: ids must be 0, 1, 2, ...", i, id[i]));
    asset.provinces.push_back(
        {id[i], name[i], country[i], hasc[i], area[i], merged[i], merged_date[i]});
  }
}

void read_places(const sim::MapFile& file, AfPakMap& asset) {
  const sim::MapTable t = file.table("places");
  const auto id = t.ints("id");
  const auto name = t.texts("name");
  const auto country = country_column(t);
  const auto province = t.ints("province");
  const auto lon = t.reals("lon");
  const auto lat = t.reals("lat");
  const auto pop = t.reals("population");
  const auto ix = t.ints("ix");
  const auto iy = t.ints("iy");
  for (std::size_t i = 0; i < t.rows(); ++i) {
    if (ix[i] < 0 || iy[i] < 0 || ix[i] >= file.nx() || iy[i] >= file.ny())
      t.fail("", fmt::format("place {} ({}) lies outside the grid", i, name[i]));
    asset.places.push_back(
        {id[i], name[i], country[i], province[i], lon[i], lat[i], pop[i], ix[i], iy[i]});
  }
}

void read_crossings(const sim::MapFile& file, AfPakMap& asset) {
  const sim::MapTable t = file.table("crossings");
  const auto id = t.ints("id");
  const auto name = t.texts("name");
  const auto lon = t.reals("lon");
  const auto lat = t.reals("lat");
  const auto ix = t.ints("ix");
  const auto iy = t.ints("iy");
  const auto source = t.texts_or("source", "");
  for (std::size_t i = 0; i < t.rows(); ++i) {
    if (ix[i] < 0 || iy[i] < 0 || ix[i] >= file.nx() || iy[i] >= file.ny())
      t.fail("", fmt::format("crossing {} ({}) lies outside the grid", i, name[i]));
    asset.crossings.push_back({id[i], name[i], lon[i], lat[i], ix[i], iy[i], source[i]});
  }
}

// Cross-checks that keep later indexing safe: codes that point into tables.
void check_references(const sim::MapFile& file, const AfPakMap& asset) {
  const auto provinces = static_cast<std::int32_t>(asset.provinces.size());
  const auto places = static_cast<std::int32_t>(asset.places.size());
  for (const auto& place : asset.places) {
    if (!std::isfinite(place.population) || place.population < 0)
      sim::map_error(file.path(), "/map/places/population",
                     fmt::format("place {} ({}) has population {}; expected a finite number >= 0",
                                 place.id, place.name, place.population));
    if (place.province < -1 || place.province >= provinces)
      sim::map_error(file.path(), "/map/places/province",
                     fmt::format("place {} ({}) is in province {}, not a row of /map/provinces",
                                 place.id, place.name, place.province));
  }
  const auto& province = asset.grid.layer<std::int32_t>("province").values;
  for (std::size_t c = 0; c < province.size(); ++c)
    if (province[c] < -1 || province[c] >= provinces)
      sim::map_error(
          file.path(), "/map/province",
          fmt::format("cell {} holds province {}, not a row of /map/provinces", c, province[c]));
  const auto& nearest = asset.grid.layer<std::int32_t>("nearest_place").values;
  for (std::size_t c = 0; c < nearest.size(); ++c)
    if (nearest[c] < -1 || nearest[c] >= places)
      sim::map_error(
          file.path(), "/map/nearest_place",
          fmt::format("cell {} holds place {}, not a row of /map/places", c, nearest[c]));
}

AfPakMap read(const sim::MapFile& file) {
  AfPakMap asset;
  asset.path = file.path();
  asset.resolution_deg = file.real_attr("resolution_deg", 0.0);
  asset.sources = file.text_attr("sources");
  asset.licence = file.text_attr("licence");
  asset.grid = file.empty_grid();
  for (const MapLayerSpec& spec : afpak_map_layers()) {
    if (spec.integer)
      file.add_int_layer(asset.grid, spec.name, spec.units, int_values(spec.name));
    else
      file.add_real_layer(asset.grid, spec.name, spec.units, real_values(spec.name));
  }
  read_provinces(file, asset);
  read_places(file, asset);
  read_crossings(file, asset);
  check_references(file, asset);
  return asset;
}

}  // namespace

const std::vector<MapLayerSpec>& afpak_map_layers() {
  static const std::vector<MapLayerSpec> layers{
      {"country", true, "1"},       {"province", true, "1"},          {"elevation", false, "m"},
      {"ruggedness", false, "m"},   {"population", false, "persons"}, {"urban", true, "1"},
      {"nearest_place", true, "1"}, {"border_distance", false, "km"}, {"border", true, "1"},
  };
  return layers;
}

AfPakMap load_afpak_map(const std::string& path) {
  return sim::read_map_asset(path, read);
}

std::shared_ptr<const AfPakMap> load_afpak_map_cached(const std::string& path) {
  return sim::cached_map_asset<AfPakMap>(path, &load_afpak_map);
}

}  // namespace borderland::ttp
