// The TTP model's Af-Pak map schema (models/ttp/afpak_map.hpp): a valid asset
// loads; an asset without a layer or table the model needs, or with codes and
// values the model cannot trust, is an InputError naming the file and the
// dataset. The generic reader's own checks (header, shapes, types, attribute
// types) are tested in tests/sim/map_loader_test.cpp.
#include "models/ttp/afpak_map.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <limits>

#include "models/ttp/insurgency_map.hpp"
#include "sim/error.hpp"
#include "sim/h5.hpp"
#include "ttp_helpers.hpp"

namespace borderland::ttp {

namespace {
constexpr int kNx = 6, kNy = 4;

struct Breakage {
  std::string skip_layer;          // layer left out
  std::string float_layer;         // an integer layer written as floats
  std::string bad_shape;           // layer written with the wrong shape
  bool string_resolution = false;  // the root's resolution_deg written as text
  bool skip_places = false;
  std::string poison_layer;  // layer whose cell 7 gets `poison`
  float poison = 0.0f;
  std::int64_t place_province = 0;
  bool extra = false;  // layers and a table no loader knows (a later map build may add them)
};

// A tiny synthetic map: west half Afghanistan, east half Pakistan.
void write_map(const std::string& path, const Breakage& b = {}) {
  sim::h5::File f(path, sim::h5::File::Mode::kCreate);
  f.set_attr("format", std::string("borderland-map"));
  f.set_attr("format_version", std::int64_t{1});
  if (b.string_resolution)
    f.set_attr("resolution_deg", std::string("0.05"));
  else
    f.set_attr("resolution_deg", 0.05);
  sim::h5::Group map = f.create_group("map");
  map.set_attr("lon0", 69.0), map.set_attr("lat0", 33.0), map.set_attr("dlon", 0.05),
      map.set_attr("dlat", 0.05);
  map.set_attr("nx", std::int64_t{kNx}), map.set_attr("ny", std::int64_t{kNy});
  map.set_attr("registration", std::string("corner"));
  const std::vector<hsize_t> shape{kNy, kNx};
  for (const auto& spec : afpak_map_layers()) {
    if (b.skip_layer == spec.name) continue;
    std::vector<hsize_t> s = b.bad_shape == spec.name ? std::vector<hsize_t>{kNx, kNy + 1} : shape;
    const std::size_t n = s[0] * s[1];
    if (spec.integer && b.float_layer != spec.name) {
      std::vector<std::int32_t> v(n, 0);
      for (std::size_t c = 0; c < n; ++c) {
        const bool east = static_cast<int>(c % kNx) >= kNx / 2;
        if (std::string(spec.name) == "country") v[c] = east ? 1 : 2;
        if (std::string(spec.name) == "province") v[c] = east ? 0 : 1;
      }
      if (b.poison_layer == spec.name) v[7] = static_cast<std::int32_t>(b.poison);
      map.write(spec.name, v, s, spec.units);
    } else {
      std::vector<float> v(n, 1.0f);
      if (std::string(spec.name) == "border_distance")
        for (std::size_t c = 0; c < n; ++c) v[c] = (static_cast<float>(c % kNx) - 2.5f) * 4.0f;
      if (b.poison_layer == spec.name) v[7] = b.poison;
      map.write(spec.name, v, s, spec.units);
    }
  }
  auto table = [](sim::h5::Group g, const std::string& cols) {
    g.set_attr("kind", std::string("table"));
    g.set_attr("columns", cols);
  };
  if (b.extra) {
    map.write("district", std::vector<std::int32_t>(kNx * kNy, 3), shape, "1");
    map.write("presence", std::vector<float>(kNx * kNy, 0.5f), shape, "1");
    sim::h5::Group g = map.create_group("districts");
    g.write("id", std::vector<std::int64_t>{0, 1, 2, 3}, {4});
    table(std::move(g), "id");
  }
  {
    sim::h5::Group g = map.create_group("provinces");
    g.write("id", std::vector<std::int64_t>{0, 1}, {2});
    g.write_strings("name", {"Khyber Pakhtunkhwa", "Nangarhar"});
    g.write_strings("country", {"PK", "AF"});
    g.write("merged_into", std::vector<std::int64_t>{-1, -1}, {2});
    table(std::move(g), "id,name,country,merged_into");
  }
  if (!b.skip_places) {
    sim::h5::Group g = map.create_group("places");
    g.write("id", std::vector<std::int64_t>{0}, {1});
    g.write_strings("name", {"Peshawar"});
    g.write_strings("country", {"PK"});
    g.write("province", std::vector<std::int64_t>{b.place_province}, {1});
    g.write("lon", std::vector<double>{69.27}, {1});
    g.write("lat", std::vector<double>{33.1}, {1});
    g.write("population", std::vector<double>{2e6}, {1});
    g.write("ix", std::vector<std::int64_t>{4}, {1});
    g.write("iy", std::vector<std::int64_t>{2}, {1});
    table(std::move(g), "id,name,country,province,lon,lat,population,ix,iy");
  }
  {
    sim::h5::Group g = map.create_group("crossings");
    g.write("id", std::vector<std::int64_t>{0}, {1});
    g.write_strings("name", {"Torkham"});
    g.write("lon", std::vector<double>{69.13}, {1});
    g.write("lat", std::vector<double>{33.1}, {1});
    g.write("ix", std::vector<std::int64_t>{3}, {1});
    g.write("iy", std::vector<std::int64_t>{2}, {1});
    table(std::move(g), "id,name,lon,lat,ix,iy");
  }
}

// The error must be an InputError mentioning every one of `words`.
void expect_input_error(const std::function<void()>& f, const std::vector<std::string>& words) {
  try {
    f();
    ADD_FAILURE() << "no error";
  } catch (const sim::InputError& e) {
    for (const auto& w : words)
      EXPECT_NE(std::string(e.what()).find(w), std::string::npos) << e.what() << "\nlacks: " << w;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not an InputError: " << e.what();
  }
}

std::string path_in(const std::string& name) {
  return (testing::fresh_dir("map_" + name) / "map.h5").string();
}
}  // namespace

TEST(AfPakMap, ReadsASyntheticMap) {
  const auto path = path_in("ok");
  write_map(path);
  const AfPakMap m = load_afpak_map(path);
  EXPECT_EQ(m.grid.nx(), kNx);
  EXPECT_EQ(m.grid.ny(), kNy);
  EXPECT_DOUBLE_EQ(m.grid.geo().lon0, 69.0);
  EXPECT_EQ(m.grid.layer<std::int32_t>("country").values[5], 1);
  EXPECT_EQ(m.grid.layer<std::int32_t>("country").values[0], 2);
  EXPECT_FLOAT_EQ(m.grid.layer<float>("border_distance").values[5], 10.0f);
  ASSERT_EQ(m.provinces.size(), 2u);
  EXPECT_EQ(m.provinces[1].name, "Nangarhar");
  EXPECT_EQ(m.provinces[1].country, 2);
  ASSERT_EQ(m.places.size(), 1u);
  EXPECT_EQ(m.places[0].name, "Peshawar");
  ASSERT_EQ(m.crossings.size(), 1u);
  EXPECT_EQ(m.crossings[0].ix, 3);
}

TEST(AfPakMap, ReadsTheCommittedAsset) {
  const AfPakMap m = load_afpak_map(testing::source("scenarios/maps/afpak_0p05.h5"));
  EXPECT_GT(m.grid.cells(), 10000u);
  EXPECT_GT(m.provinces.size(), 30u);
  EXPECT_GT(m.places.size(), 50u);
  EXPECT_FALSE(m.crossings.empty());
}

TEST(AfPakMap, AcceptsLayersAndTablesItDoesNotKnow) {
  const auto path = path_in("extra");
  Breakage extra;
  extra.extra = true;
  write_map(path, extra);
  const AfPakMap m = load_afpak_map(path);
  EXPECT_EQ(m.grid.layer<std::int32_t>("country").values[5], 1);
  ASSERT_EQ(m.provinces.size(), 2u);
  ASSERT_EQ(m.places.size(), 1u);
}

TEST(AfPakMap, CachesOneParsedCopyPerFile) {
  const auto path = path_in("cache");
  write_map(path);
  const auto a = load_afpak_map_cached(path);
  const auto b = load_afpak_map_cached(path);
  EXPECT_EQ(a.get(), b.get());
}

TEST(AfPakMap, MissingLayer) {
  const auto path = path_in("layer");
  Breakage b;
  b.skip_layer = "ruggedness";
  write_map(path, b);
  expect_input_error([&] { load_afpak_map(path); }, {path, "/map/ruggedness", "missing layer"});
}

TEST(AfPakMap, WrongShape) {
  const auto path = path_in("shape");
  Breakage b;
  b.bad_shape = "population";
  write_map(path, b);
  expect_input_error([&] { load_afpak_map(path); },
                     {path, "/map/population", "wrong shape", "[4, 6]"});
}

TEST(AfPakMap, WrongType) {
  const auto path = path_in("type");
  Breakage b;
  b.float_layer = "country";
  write_map(path, b);
  expect_input_error([&] { load_afpak_map(path); }, {path, "/map/country", "wrong type"});
}

TEST(AfPakMap, AnAttributeOfTheWrongTypeIsNamedNotCorrupt) {
  const auto path = path_in("attr");
  Breakage b;
  b.string_resolution = true;
  write_map(path, b);
  expect_input_error(
      [&] { load_afpak_map(path); },
      {path + ":/: error: attribute 'resolution_deg' is a string; expected a number"});
}

// The insurgency layers (insurgency_map.hpp) came with a later build of the
// asset: one without them is told to rebuild; the committed one has them.
TEST(AfPakMap, InsurgencyLayersOfAnOlderAssetAreReportedMissing) {
  const auto path = path_in("older");
  write_map(path);
  expect_input_error([&] { load_insurgency_map(path); },
                     {path + ":/map/presence_ttp: error: missing (rebuild the map"});
  const InsurgencyMap m = load_insurgency_map(testing::source("scenarios/maps/afpak_0p05.h5"));
  EXPECT_EQ(m.nx, 360);
  EXPECT_GT(m.targets.size(), 1000u);
  EXPECT_EQ(m.district_names.size(), 136u);
}

TEST(AfPakMap, MissingTable) {
  const auto path = path_in("table");
  Breakage b;
  b.skip_places = true;
  write_map(path, b);
  expect_input_error([&] { load_afpak_map(path); }, {path, "/map/places", "missing table"});
}

TEST(AfPakMap, ScenarioWithBadMapPathIsAnInputError) {
  const auto s = testing::scenario_from_text("2020-01-01", "2020-01-10", "",
                                             {"parameters.map=/nonexistent/afpak.h5"});
  expect_input_error([&] { testing::model().create(s); }, {"/nonexistent/afpak.h5"});
}

}  // namespace borderland::ttp

namespace borderland::ttp {

TEST(AfPakMap, LayerValuesAreChecked) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  struct Case {
    std::string layer;
    float value;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"population", nan, "cell 7 (row 1, column 1) holds nan; expected a finite number >= 0"},
      {"population", inf, "holds inf; expected a finite number >= 0"},
      {"population", -5.0f, "holds -5; expected a finite number >= 0"},
      {"ruggedness", nan, "/map/ruggedness"},
      {"elevation", -inf, "/map/elevation"},
      {"border_distance", inf, "/map/border_distance"},
      {"country", 7.0f, "cell 7 holds country code 7"},
      {"province", 5.0f, "cell 7 holds province 5, not a row of /map/provinces"},
  };
  for (const auto& c : cases) {
    const auto path = path_in("poison_" + c.layer);
    Breakage b;
    b.poison_layer = c.layer;
    b.poison = c.value;
    write_map(path, b);
    expect_input_error([&] { load_afpak_map(path); }, {path, c.expected});
  }
  // Below sea level and NaN off the two countries are what the asset holds.
  for (const auto& [layer, value] : {std::pair{"elevation", -30.0f}, {"border_distance", nan}}) {
    const auto path = path_in(std::string("fine_") + layer);
    Breakage b;
    b.poison_layer = layer;
    b.poison = value;
    write_map(path, b);
    EXPECT_NO_THROW(load_afpak_map(path)) << layer;
  }
}

TEST(AfPakMap, PlaceProvincesAreChecked) {
  const auto path = path_in("place_province");
  Breakage b;
  b.place_province = 9;
  write_map(path, b);
  expect_input_error([&] { load_afpak_map(path); },
                     {path, "/map/places/province", "is in province 9, not a row"});
}

}  // namespace borderland::ttp
