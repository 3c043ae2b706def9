// Map loader (the generic reader through the TTP model's Af-Pak schema): map
// assets written from the input (sizes, layer values with NaN, infinities and
// negatives, table rows and their codes) either load or are an InputError. The HDF5 structure is
// always well formed, so what is tested is the loader's checks, not the HDF5 library's parser.
#include <fuzzer/FuzzedDataProvider.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>

#include "models/ttp/afpak_map.hpp"
#include "sim/error.hpp"
#include "sim/h5.hpp"

namespace {
using borderland::sim::h5::File;
using borderland::sim::h5::Group;

double pick_real(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 5)) {
    case 0:
      return std::numeric_limits<double>::quiet_NaN();
    case 1:
      return std::numeric_limits<double>::infinity();
    case 2:
      return -std::numeric_limits<double>::infinity();
    case 3:
      return -in.ConsumeFloatingPointInRange<double>(0, 1e6);
    default:
      return in.ConsumeFloatingPointInRange<double>(0, 1e6);
  }
}

std::int64_t pick_int(FuzzedDataProvider& in, std::int64_t rows) {
  return in.ConsumeBool() ? in.ConsumeIntegralInRange<std::int64_t>(-3, rows + 2)
                          : in.ConsumeIntegral<std::int32_t>();
}

void table(Group g, const std::string& columns) {
  g.set_attr("kind", std::string("table"));
  g.set_attr("columns", columns);
}

void write_map(const std::string& path, FuzzedDataProvider& in) {
  File f(path, File::Mode::kCreate);
  f.set_attr("format", std::string(in.ConsumeBool() ? "borderland-map" : "borderland"));
  f.set_attr("format_version", std::int64_t{in.ConsumeIntegralInRange<int>(0, 2)});
  Group map = f.create_group("map");
  const int nx = in.ConsumeIntegralInRange<int>(1, 8), ny = in.ConsumeIntegralInRange<int>(1, 8);
  map.set_attr("lon0", in.ConsumeBool() ? 69.0 : pick_real(in));
  map.set_attr("lat0", 33.0);
  map.set_attr("dlon", in.ConsumeBool() ? 0.05 : pick_real(in));
  map.set_attr("dlat", 0.05);
  // The stated size may differ from the layers' shape.
  map.set_attr("nx", std::int64_t{in.ConsumeBool() ? nx : in.ConsumeIntegral<std::int32_t>()});
  map.set_attr("ny", std::int64_t{ny});
  const std::size_t cells = static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny);
  const std::vector<hsize_t> shape{static_cast<hsize_t>(ny), static_cast<hsize_t>(nx)};
  const std::int64_t provinces = in.ConsumeIntegralInRange<int>(0, 3);
  const std::int64_t places = in.ConsumeIntegralInRange<int>(0, 3);
  for (const auto& spec : borderland::ttp::afpak_map_layers()) {
    if (in.ConsumeProbability<double>() < 0.02) continue;  // a missing layer
    if (spec.integer) {
      std::vector<std::int32_t> v(cells);
      for (auto& x : v)
        x = static_cast<std::int32_t>(in.ConsumeBool() ? pick_int(in, provinces) : 1);
      map.write(spec.name, v, shape, spec.units);
    } else {
      std::vector<float> v(cells);
      for (auto& x : v) x = static_cast<float>(in.ConsumeBool() ? pick_real(in) : 1.0);
      map.write(spec.name, v, shape, spec.units);
    }
  }
  {
    Group g = map.create_group("provinces");
    std::vector<std::int64_t> id(static_cast<std::size_t>(provinces)), merged(id.size());
    std::vector<std::string> name(id.size(), "P"), country(id.size(), "PK");
    for (std::size_t i = 0; i < id.size(); ++i) {
      id[i] = in.ConsumeBool() ? static_cast<std::int64_t>(i) : pick_int(in, provinces);
      merged[i] = in.ConsumeBool() ? -1 : pick_int(in, provinces);
      if (in.ConsumeBool()) country[i] = in.ConsumeRandomLengthString(3);
    }
    const hsize_t n = id.size();
    g.write("id", id, {n});
    g.write_strings("name", name);
    g.write_strings("country", country);
    g.write("merged_into", merged, {n});
    table(std::move(g), "id,name,country,merged_into");
  }
  {
    Group g = map.create_group("places");
    const auto n = static_cast<std::size_t>(places);
    std::vector<std::int64_t> id(n), province(n), ix(n), iy(n);
    std::vector<double> lon(n), lat(n), pop(n);
    for (std::size_t i = 0; i < n; ++i) {
      id[i] = static_cast<std::int64_t>(i);
      province[i] = pick_int(in, provinces);
      ix[i] = pick_int(in, nx);
      iy[i] = pick_int(in, ny);
      lon[i] = pick_real(in), lat[i] = pick_real(in), pop[i] = pick_real(in);
    }
    g.write("id", id, {n});
    g.write_strings("name", std::vector<std::string>(n, "Place"));
    g.write_strings("country", std::vector<std::string>(n, "PK"));
    g.write("province", province, {n});
    g.write("lon", lon, {n});
    g.write("lat", lat, {n});
    g.write("population", pop, {n});
    g.write("ix", ix, {n});
    g.write("iy", iy, {n});
    table(std::move(g), "id,name,country,province,lon,lat,population,ix,iy");
  }
  if (in.ConsumeBool()) {
    Group g = map.create_group("crossings");
    const std::int64_t x = pick_int(in, nx), y = pick_int(in, ny);
    g.write("id", std::vector<std::int64_t>{0}, {1});
    g.write_strings("name", {"Torkham"});
    g.write("lon", std::vector<double>{pick_real(in)}, {1});
    g.write("lat", std::vector<double>{69.0}, {1});
    g.write("ix", std::vector<std::int64_t>{x}, {1});
    g.write("iy", std::vector<std::int64_t>{y}, {1});
    table(std::move(g), "id,name,lon,lat,ix,iy");
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path =
      (std::filesystem::temp_directory_path() / ("fuzz_map_" + std::to_string(getpid()) + ".h5"))
          .string();
  FuzzedDataProvider in(data, size);
  write_map(path, in);
  try {
    (void)borderland::ttp::load_afpak_map(path);
  } catch (const borderland::sim::InputError&) {
  }
  return 0;
}
