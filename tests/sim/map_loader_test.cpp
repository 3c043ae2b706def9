// The generic map asset reader: a header, a georeferenced grid of named
// layers and named tables, read by name with the caller's value checks. No
// country here: the layers are a made-up "height" and "zone", the table "sites".
// Every broken asset is an InputError naming the file, the object and what is
// wrong (for an attribute: its name, the type found and the type expected).
#include "sim/map_loader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>

#include "sim/error.hpp"
#include "sim/h5.hpp"

namespace borderland::sim {

namespace {
constexpr int kNx = 5, kNy = 3;

std::string path_in(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("borderland_map_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return (dir / "map.h5").string();
}

// What a test changes in the asset it writes.
struct Asset {
  std::string format = "borderland-map";
  std::int64_t version = 1;
  bool string_dlon = false;     // /map attr dlon written as text
  bool real_nx = false;         // /map attr nx written as 5.0
  bool string_version = false;  // root format_version written as text
  bool number_sources = false;  // root sources written as a number
  std::vector<hsize_t> zone_shape{kNy, kNx};
  bool zone_as_reals = false;
  float height_poison = 1.0f;  // cell 7 of height
  bool short_column = false;   // sites/x one row short
  bool string_column = false;  // sites/x written as strings
};

void write_map(const std::string& path, const Asset& a = {}) {
  h5::File f(path, h5::File::Mode::kCreate);
  f.set_attr("format", a.format);
  if (a.string_version)
    f.set_attr("format_version", std::string("one"));
  else
    f.set_attr("format_version", a.version);
  if (a.number_sources)
    f.set_attr("sources", 3.0);
  else
    f.set_attr("sources", std::string("made up for the test"));
  f.set_attr("resolution_deg", 0.5);
  h5::Group map = f.create_group("map");
  map.set_attr("lon0", 10.0), map.set_attr("lat0", -20.0), map.set_attr("dlat", 0.5);
  if (a.string_dlon)
    map.set_attr("dlon", std::string("0.5"));
  else
    map.set_attr("dlon", 0.5);
  if (a.real_nx)
    map.set_attr("nx", 5.0);
  else
    map.set_attr("nx", std::int64_t{kNx});
  map.set_attr("ny", std::int64_t{kNy});
  const std::vector<hsize_t> shape{kNy, kNx};
  std::vector<float> height(kNx * kNy);
  for (std::size_t c = 0; c < height.size(); ++c) height[c] = static_cast<float>(c) - 3.0f;
  height[7] = a.height_poison;
  map.write("height", height, shape, "m", "made-up heights");
  const std::size_t zone_cells = a.zone_shape[0] * a.zone_shape[1];
  if (a.zone_as_reals)
    map.write("zone", std::vector<float>(zone_cells, 1.0f), a.zone_shape);
  else {
    std::vector<std::int16_t> zone(zone_cells, 1);
    zone[4] = 3;
    map.write("zone", zone, a.zone_shape, "1");
  }
  h5::Group sites = map.create_group("sites");
  sites.write("id", std::vector<std::int64_t>{0, 1, 2}, {3});
  sites.write_strings("name", {"a", "b", "c"});
  if (a.string_column)
    sites.write_strings("x", {"1", "2", "3"});
  else if (a.short_column)
    sites.write("x", std::vector<double>{1.5, 2.5}, {2});
  else
    sites.write("x", std::vector<double>{1.5, 2.5, 3.5}, {3});
  sites.write("count", std::vector<std::int32_t>{4, 5, 6}, {3});
}

void expect_input_error(const std::function<void()>& f, const std::vector<std::string>& words) {
  try {
    f();
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    for (const auto& w : words)
      EXPECT_NE(std::string(e.what()).find(w), std::string::npos) << e.what() << "\nlacks: " << w;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not an InputError: " << e.what();
  }
}

// What a model's reader would do: open, read what it needs, let damage through.
void read_all(const std::string& path) {
  (void)read_map_asset(path, [](const MapFile& m) {
    Grid g = m.empty_grid();
    m.add_real_layer(g, "height", "m");
    m.add_int_layer(g, "zone", "1");
    const MapTable t = m.table("sites");
    (void)t.reals("x");
    return m.text_attr("sources");
  });
}
}  // namespace

TEST(MapLoader, ReadsTheGridLayersAndTablesByName) {
  const auto path = path_in("ok");
  write_map(path);
  const MapFile m(path);
  EXPECT_EQ(m.nx(), kNx);
  EXPECT_EQ(m.ny(), kNy);
  EXPECT_DOUBLE_EQ(m.geo().lat0, -20.0);
  EXPECT_EQ(m.text_attr("sources"), "made up for the test");
  EXPECT_EQ(m.text_attr("licence", "none given"), "none given");
  EXPECT_DOUBLE_EQ(m.real_attr("resolution_deg", 0.0), 0.5);
  Grid g = m.empty_grid();
  m.add_real_layer(g, "height", "ft");  // the layer's own units win
  m.add_int_layer(g, "zone", "1", {0, 3, "zone code", "; expected 0 to 3"});
  EXPECT_EQ(g.layer<float>("height").units, "m");
  EXPECT_EQ(g.layer<float>("height").description, "made-up heights");
  EXPECT_FLOAT_EQ(g.layer<float>("height").values[0], -3.0f);
  EXPECT_EQ(g.layer<std::int32_t>("zone").values[4], 3);  // int16 on disk, int32 here
  EXPECT_DOUBLE_EQ(g.lon_of(1), 10.75);                   // cell centres
  const MapTable t = m.table("sites");
  EXPECT_EQ(t.rows(), 3u);
  EXPECT_EQ(t.texts("name")[2], "c");
  EXPECT_DOUBLE_EQ(t.reals("x")[1], 2.5);
  EXPECT_DOUBLE_EQ(t.reals("count")[0], 4.0);  // integers read as numbers
  EXPECT_EQ(t.ints("count")[2], 6);
  EXPECT_EQ(t.ints_or("missing", -1), std::vector<std::int32_t>(3, -1));
  EXPECT_TRUE(t.holds_text("name"));
  EXPECT_FALSE(t.holds_text("x"));
  EXPECT_FALSE(m.has("roads"));  // layers nobody asks for are simply not read
}

TEST(MapLoader, HeaderErrors) {
  expect_input_error([] { MapFile m("/nonexistent/map.h5"); },
                     {"/nonexistent/map.h5", "not found"});
  const auto text = path_in("text");
  std::ofstream(text) << "lon,lat\n1,2\n";
  expect_input_error([&] { MapFile m(text); }, {text, "not an HDF5 file"});
  const auto format = path_in("format");
  Asset a;
  a.format = "borderland";
  write_map(format, a);
  expect_input_error([&] { MapFile m(format); },
                     {format + ":/: error: attribute 'format' is \"borderland\", expected "
                               "\"borderland-map\""});
  const auto version = path_in("version");
  Asset v;
  v.version = 7;
  write_map(version, v);
  expect_input_error([&] { MapFile m(version); }, {version, "unknown format_version 7"});
}

// Attributes of the wrong type name the attribute, the type found and the one
// expected (they used to surface as "corrupt or truncated").
TEST(MapLoader, AttributesOfTheWrongTypeAreNamed) {
  struct Case {
    Asset asset;
    std::string expected;
  };
  std::vector<Case> cases(4);
  cases[0].asset.string_dlon = true;
  cases[0].expected = ":/map: error: attribute 'dlon' is a string; expected a number";
  cases[1].asset.real_nx = true;
  cases[1].expected =
      ":/map: error: attribute 'nx' is a floating-point number; expected an integer";
  cases[2].asset.string_version = true;
  cases[2].expected = ":/: error: attribute 'format_version' is a string; expected an integer";
  cases[3].asset.number_sources = true;
  cases[3].expected =
      ":/: error: attribute 'sources' is a floating-point number; expected a string";
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto path = path_in("attr" + std::to_string(i));
    write_map(path, cases[i].asset);
    try {
      read_all(path);
      ADD_FAILURE() << "no error for " << cases[i].expected;
    } catch (const InputError& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind(path + cases[i].expected, 0), 0u) << what;
      EXPECT_EQ(what.find("corrupt"), std::string::npos) << what;
    }
  }
}

TEST(MapLoader, LayerShapeTypeAndPresence) {
  const auto path = path_in("layers");
  write_map(path);
  const MapFile m(path);
  expect_input_error([&] { (void)m.real_layer("roads"); },
                     {path + ":/map/roads: error: missing layer"});
  expect_input_error([&] { (void)m.int_layer("height"); },
                     {path + ":/map/height: error: wrong type: expected an integer layer, got "
                             "floating-point numbers"});
  expect_input_error([&] { (void)m.real_layer("zone"); },
                     {"/map/zone", "expected a floating-point layer, got integers"});
  const auto shape = path_in("shape");
  Asset a;
  a.zone_shape = {kNx, kNy + 1};
  write_map(shape, a);
  expect_input_error([&] { (void)MapFile(shape).int_layer("zone"); },
                     {shape, "/map/zone", "wrong shape: expected [3, 5] (ny, nx), got [5, 4]"});
}

TEST(MapLoader, ValueChecksAreTheCallers) {
  const auto path = path_in("values");
  write_map(path);
  const MapFile m(path);
  EXPECT_NO_THROW((void)m.real_layer("height"));  // negatives allowed by default
  expect_input_error(
      [&] {
        (void)m.real_layer("height", {false, false});
      },
      {path + ":/map/height: error: cell 0 (row 0, column 0) holds -3; expected a "
              "finite number >= 0"});
  expect_input_error(
      [&] {
        (void)m.int_layer("zone", {0, 2, "zone code", "; expected 0 to 2"});
      },
      {"/map/zone: error: cell 4 holds zone code 3; expected 0 to 2"});
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  for (const float poison : {nan, inf, -inf}) {
    const auto p = path_in("poison");
    Asset a;
    a.height_poison = poison;
    write_map(p, a);
    expect_input_error(
        [&] { (void)MapFile(p).real_layer("height"); },
        {"/map/height", "cell 7 (row 1, column 2) holds", "expected a finite number"});
    if (std::isnan(poison)) {
      EXPECT_NO_THROW((void)MapFile(p).real_layer("height", {true, true}));
    }
  }
}

TEST(MapLoader, TableColumnsAreChecked) {
  const auto path = path_in("table");
  write_map(path);
  const MapFile m(path);
  expect_input_error([&] { (void)m.table("roads"); }, {path + ":/map/roads: error: missing table"});
  expect_input_error([&] { (void)m.table("sites", "key"); },
                     {"/map/sites/key: error: missing table column"});
  const MapTable t = m.table("sites");
  expect_input_error([&] { (void)t.reals("y"); }, {"/map/sites/y: error: missing table column"});
  expect_input_error(
      [&] { (void)t.ints("x"); },
      {"/map/sites/x: error: wrong type: expected integers, got floating-point numbers"});
  expect_input_error([&] { (void)t.texts("count"); },
                     {"/map/sites/count: error: wrong type: expected strings, got integers"});
  const auto short_path = path_in("short");
  Asset a;
  a.short_column = true;
  write_map(short_path, a);
  expect_input_error([&] { (void)MapFile(short_path).table("sites").reals("x"); },
                     {"/map/sites/x: error: expected 3 rows like the other columns, got 2"});
  const auto text_path = path_in("strings");
  Asset b;
  b.string_column = true;
  write_map(text_path, b);
  expect_input_error([&] { (void)MapFile(text_path).table("sites").reals("x"); },
                     {"/map/sites/x: error: wrong type: expected numbers, got strings"});
}

TEST(MapLoader, ATruncatedFileIsAnInputError) {
  const auto path = path_in("truncated");
  write_map(path);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 3);
  expect_input_error([&] { read_all(path); }, {path});
}

TEST(MapLoader, CachesOneParsedCopyPerFileUntilItChanges) {
  const auto path = path_in("cache");
  write_map(path);
  static int loads = 0;
  const auto load = [](const std::string& p) {
    ++loads;
    return MapFile(p).text_attr("sources");
  };
  using Load = std::string (*)(const std::string&);
  const Load fn = load;
  const auto a = cached_map_asset<std::string>(path, fn);
  const auto b = cached_map_asset<std::string>(path, fn);
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(loads, 1);
  // Rewritten in place with another size: read again.
  std::filesystem::remove(path);
  write_map(path);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) + 1);
  (void)cached_map_asset<std::string>(path, fn);
  EXPECT_EQ(loads, 2);
}

}  // namespace borderland::sim
