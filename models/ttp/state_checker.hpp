#pragma once
// A TTP checkpoint is input: after load_state() has read it, every value the
// phases use as an index (a map cell, a sanctuary, a faction, a force, a
// region) must lie in its range, every count must be 0 or more and every real
// number finite, or the next step would read out of bounds, divide by nothing
// or carry NaN into the outputs. The agent stores' ids must be what AgentStore
// keeps (strictly increasing, below the store's next id). Each failure is an
// InputError naming the checkpoint file, the dataset or attribute, the row and
// what was expected (exit 2), like the civil violence model's checks. Each part
// of the state checks its own values with a StateChecker (its check()).
#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <span>
#include <string>

#include "sim/agents.hpp"
#include "sim/error.hpp"

namespace borderland::ttp {

// Values of one checkpoint group, checked against ranges; `where` is
// "FILE:/checkpoint/state", map_cells the number of map cells and on_map what
// an index of one is.
struct StateChecker {
  std::string where;
  std::int64_t map_cells;
  std::string on_map;

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw sim::InputError(fmt::format("{}/{}: error: checkpoint {}", where, path, what));
  }

  // Every row of a store's column satisfies `ok`; `expected` says what ok means.
  template <class T, class Ok>
  void rows(const std::string& store, const std::string& column, std::span<const T> values, Ok ok,
            const std::string& expected) const {
    for (std::size_t i = 0; i < values.size(); ++i)
      if (!ok(values[i]))
        fail(store + "/" + column, fmt::format("{} row {} has {} {}; expected {}", store, i, column,
                                               +values[i], expected));
  }
  template <class T>
  void index_rows(const std::string& store, const std::string& column, std::span<const T> values,
                  std::int64_t first, std::int64_t count, const std::string& of) const {
    rows(
        store, column, values,
        [&](T v) {
          return static_cast<std::int64_t>(v) >= first && static_cast<std::int64_t>(v) < count;
        },
        fmt::format("{}{} to {} ({})", first < 0 ? "-1 (none) or " : "", first < 0 ? 0 : first,
                    count - 1, of));
  }
  template <class T>
  void counts(const std::string& store, const std::string& column,
              std::span<const T> values) const {
    rows(
        store, column, values, [](T v) { return v >= 0; }, "0 or more");
  }
  void reals(const std::string& store, const std::string& column, std::span<const double> values,
             double low) const {
    rows(
        store, column, values, [&](double v) { return std::isfinite(v) && v >= low; },
        fmt::format("a finite number, {} or more", low));
  }

  void shares(const std::string& store, const std::string& column,
              std::span<const double> values) const {
    rows(
        store, column, values, [](double v) { return v >= 0 && v <= 1; }, "0 to 1");
  }

  void ids(const sim::AgentStore& s) const {
    const auto ids = s.ids();
    for (std::size_t i = 0; i < ids.size(); ++i)
      if ((i > 0 && ids[i] <= ids[i - 1]) || ids[i] >= s.next_id())
        fail(s.type_name() + "/id",
             fmt::format("{} row {} has id {}; expected ids in increasing order, each below the "
                         "store's next_id {}",
                         s.type_name(), i, ids[i], s.next_id()));
  }

  // World members (one attribute or dataset of /checkpoint/state/world each).
  void finite(const std::string& name, double v) const {
    if (!std::isfinite(v))
      fail("world/" + name, fmt::format("value is {}; expected a finite number", v));
  }
  void positive(const std::string& name, double v) const {
    if (!(std::isfinite(v) && v > 0))
      fail("world/" + name, fmt::format("value is {}; expected a finite number above 0", v));
  }
  void share(const std::string& name, double v) const {
    if (!(v >= 0 && v <= 1)) fail("world/" + name, fmt::format("value is {}; expected 0 to 1", v));
  }
  void count(const std::string& name, std::int64_t v) const {
    if (v < 0) fail("world/" + name, fmt::format("value is {}; expected 0 or more", v));
  }
  template <class T>
  void all(const std::string& name, std::span<const T> values, double low) const {
    for (std::size_t i = 0; i < values.size(); ++i)
      if (!(std::isfinite(static_cast<double>(values[i])) && static_cast<double>(values[i]) >= low))
        fail("world/" + name, fmt::format("entry {} is {}; expected a finite number, {} or more", i,
                                          +values[i], low));
  }
  template <class T>
  void all_finite(const std::string& name, std::span<const T> values) const {
    for (std::size_t i = 0; i < values.size(); ++i)
      if (!std::isfinite(static_cast<double>(values[i])))
        fail("world/" + name,
             fmt::format("entry {} is {}; expected a finite number", i, values[i]));
  }
};

}  // namespace borderland::ttp
