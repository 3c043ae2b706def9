// Reads the insurgency layers of the map asset (see insurgency_map.hpp).
#include "models/ttp/insurgency_map.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>

#include "sim/error.hpp"
#include "sim/h5.hpp"

namespace borderland::ttp {

namespace {

[[noreturn]] void fail(const std::string& file, const std::string& dataset,
                       const std::string& what) {
  throw sim::InputError(file + ":" + dataset + ": " + what);
}

sim::h5::Dataset open(const sim::h5::Group& map, const std::string& file, const std::string& name) {
  if (!map.has(name))
    fail(file, "/map/" + name, "missing (rebuild the map with scenarios/maps/build_map.py)");
  return map.open_dataset(name);
}

template <class T>
std::vector<T> layer(const sim::h5::Group& map, const std::string& file, const std::string& name,
                     int nx, int ny) {
  const auto ds = open(map, file, name);
  const auto shape = ds.shape();
  if (shape.size() != 2 || shape[0] != static_cast<hsize_t>(ny) ||
      shape[1] != static_cast<hsize_t>(nx))
    fail(file, "/map/" + name,
         "wrong shape: expected [ny, nx] = [" + std::to_string(ny) + ", " + std::to_string(nx) +
             "]");
  return ds.read<T>();
}

void check_levels(const std::vector<std::int32_t>& v, const std::string& file,
                  const std::string& name) {
  for (std::int32_t x : v)
    if (x < 0 || x >= kPresenceLevels)
      fail(file, "/map/" + name, "presence level " + std::to_string(x) + " outside 0..3");
}

}  // namespace

InsurgencyMap load_insurgency_map(const std::string& path) {
  const sim::h5::File file(path, sim::h5::File::Mode::kReadOnly);
  if (!file.has("map")) fail(path, "/map", "missing group");
  const auto map = file.open_group("map");
  InsurgencyMap m;
  m.nx = static_cast<int>(map.attr_int("nx"));
  m.ny = static_cast<int>(map.attr_int("ny"));
  m.presence_ttp = layer<std::int32_t>(map, path, "presence_ttp", m.nx, m.ny);
  m.presence_baloch = layer<std::int32_t>(map, path, "presence_baloch", m.nx, m.ny);
  check_levels(m.presence_ttp, path, "presence_ttp");
  check_levels(m.presence_baloch, path, "presence_baloch");
  m.access_border_hours = layer<float>(map, path, "access_border_hours", m.nx, m.ny);
  m.district = layer<std::int32_t>(map, path, "district", m.nx, m.ny);
  m.district_names = open(map, path, "districts/name").read_strings();
  const auto ids = open(map, path, "districts/id").read<std::int32_t>();
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (ids[i] != static_cast<std::int32_t>(i))
      fail(path, "/map/districts/id", "ids must be 0, 1, 2, ... in row order");

  const auto kinds = open(map, path, "targets/kind").read_strings();
  const auto ix = open(map, path, "targets/ix").read<std::int32_t>();
  const auto iy = open(map, path, "targets/iy").read<std::int32_t>();
  const auto district = open(map, path, "targets/district").read<std::int32_t>();
  if (ix.size() != kinds.size() || iy.size() != kinds.size() || district.size() != kinds.size())
    fail(path, "/map/targets", "columns of different lengths");
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    const auto it = std::find(kTargetSiteKindNames.begin(), kTargetSiteKindNames.end(), kinds[i]);
    if (it == kTargetSiteKindNames.end())
      fail(path, "/map/targets/kind",
           "row " + std::to_string(i) + ": unknown kind '" + kinds[i] + "'");
    if (ix[i] < 0 || ix[i] >= m.nx || iy[i] < 0 || iy[i] >= m.ny)
      fail(path, "/map/targets", "row " + std::to_string(i) + ": cell outside the grid");
    m.targets.push_back(
        {static_cast<int>(it - kTargetSiteKindNames.begin()), iy[i] * m.nx + ix[i], district[i]});
  }
  m.place_population = open(map, path, "place_info/town_population").read<std::int64_t>();
  m.place_police_hq = open(map, path, "place_info/police_hq").read<std::int32_t>();
  if (m.place_police_hq.size() != m.place_population.size())
    fail(path, "/map/place_info", "columns of different lengths");
  for (std::int32_t level : m.place_police_hq)
    if (level < 0 || level > kProvincialPoliceHqLevel)
      fail(path, "/map/place_info/police_hq", "level " + std::to_string(level) + " outside 0..2");
  return m;
}

std::shared_ptr<const InsurgencyMap> load_insurgency_map_cached(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const InsurgencyMap>> cache;
  // Keyed by path, size and modification time: a file rewritten in place is read again.
  std::error_code ec;
  std::string key = path;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec) key += fmt::format(":{}", size);
  const auto mtime = std::filesystem::last_write_time(path, ec);
  if (!ec) key += fmt::format(":{}", mtime.time_since_epoch().count());
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  auto m = std::make_shared<const InsurgencyMap>(load_insurgency_map(path));
  cache.emplace(key, m);
  return m;
}

}  // namespace borderland::ttp
