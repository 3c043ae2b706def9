#pragma once
// Reading and writing a checkpoint's values (checkpoint.cpp and the parts of the state that save
// themselves: militant_cells.hpp, population_fields.hpp, global_actors.hpp, ...). Scalars are
// attributes, arrays and vectors datasets; doubles are float64, so a restart is exact. An agent
// store is a group named after its type: ids, next_id, then every column.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/agents.hpp"
#include "sim/error.hpp"
#include "sim/h5.hpp"

namespace borderland::ttp::checkpoint {

using H5Group = sim::h5::Group;

// ---- writing
inline void put(H5Group& g, const std::string& name, double v) {
  g.set_attr(name, v);
}
inline void put(H5Group& g, const std::string& name, std::int64_t v) {
  g.set_attr(name, v);
}
inline void put(H5Group& g, const std::string& name, bool v) {
  g.set_attr(name, std::int64_t{v ? 1 : 0});
}
template <class T>
void put(H5Group& g, const std::string& name, const std::vector<T>& v) {
  g.write(name, v, {static_cast<hsize_t>(v.size())});
}
template <class T>
void put(H5Group& g, const std::string& name, std::span<const T> v) {
  put(g, name, std::vector<T>(v.begin(), v.end()));
}
template <class T, std::size_t N>
void put(H5Group& g, const std::string& name, const std::array<T, N>& v) {
  put(g, name, std::vector<T>(v.begin(), v.end()));
}

// ---- reading
template <class T>
std::vector<T> read_values(const H5Group& g, const std::string& name, std::ptrdiff_t expected) {
  const sim::h5::Dataset ds = g.open_dataset(name);
  auto values = ds.read<T>();
  if (expected >= 0 && values.size() != static_cast<std::size_t>(expected))
    throw sim::InputError(fmt::format("{}: error: checkpoint has {} values, this scenario needs {}",
                                      ds.location().where(), values.size(), expected));
  return values;
}
inline void get(const H5Group& g, const std::string& name, double& v) {
  v = g.attr_double(name);
}
inline void get(const H5Group& g, const std::string& name, std::int64_t& v) {
  v = g.attr_int(name);
}
inline void get(const H5Group& g, const std::string& name, bool& v) {
  v = g.attr_int(name) != 0;
}
// A vector whose size the scenario fixes (rasters, per-province counts).
template <class T>
void get(const H5Group& g, const std::string& name, std::vector<T>& v) {
  v = read_values<T>(g, name, static_cast<std::ptrdiff_t>(v.size()));
}
template <class T, std::size_t N>
void get(const H5Group& g, const std::string& name, std::array<T, N>& v) {
  const auto values = read_values<T>(g, name, static_cast<std::ptrdiff_t>(N));
  std::copy(values.begin(), values.end(), v.begin());
}
// A vector that grows with the run (one entry per day done).
template <class T>
void get_growing(const H5Group& g, const std::string& name, std::vector<T>& v) {
  v = read_values<T>(g, name, -1);
}

// ---- agent stores: ids, id counter, then the given columns (all of them).
inline void check_columns(const sim::AgentStore& s, std::size_t listed) {
  if (listed != s.column_count())
    throw sim::RunError(fmt::format("internal: checkpoint of {} lists {} columns of {}",
                                    s.type_name(), listed, s.column_count()));
}

template <class... T>
void put_store(H5Group& parent, const sim::AgentStore& s, sim::Column<T>... columns) {
  check_columns(s, sizeof...(T));
  H5Group g = parent.create_group(s.type_name());
  put(g, "id", s.ids());
  g.set_attr("next_id", static_cast<std::int64_t>(s.next_id()));
  (put(g, s.column_name(columns.slot), s[columns]), ...);
}

// fixed_size: the store never grows or shrinks during a run (posts, army,
// sanctuaries); its count must then match the one the scenario builds.
template <class... T>
void get_store(const H5Group& parent, sim::AgentStore& s, bool fixed_size,
               sim::Column<T>... columns) {
  check_columns(s, sizeof...(T));
  const H5Group g = parent.open_group(s.type_name());
  auto ids =
      read_values<sim::AgentId>(g, "id", fixed_size ? static_cast<std::ptrdiff_t>(s.size()) : -1);
  const auto n = static_cast<std::ptrdiff_t>(ids.size());
  s.restore(std::move(ids), static_cast<sim::AgentId>(g.attr_int("next_id")));
  auto fill = [&](const std::string& name, auto span) {
    using V = typename decltype(span)::value_type;
    const auto values = read_values<V>(g, name, n);
    std::copy(values.begin(), values.end(), span.begin());
  };
  (fill(s.column_name(columns.slot), s[columns]), ...);
}

}  // namespace borderland::ttp::checkpoint
