#include "sim/posterior.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/error.hpp"
#include "sim/h5.hpp"

namespace borderland::sim {
namespace {

constexpr const char* kFormat = "borderland-posterior";
constexpr const char* kModelKind = "model";

InputError bad(const std::string& path, const std::string& what,
               const std::string& where = "--posterior") {
  return InputError(fmt::format("{} {}: error: {}", where, path, what));
}

struct Draws {
  std::vector<std::string> keys, kinds;
  std::vector<bool> integer;   // per key: an integer parameter (`posterior design` rounds these)
  std::vector<double> values;  // draws x keys, row-major
  std::int64_t draws = 0;
};

Draws read_draws(const std::string& path, const std::string& where) {
  if (!h5::is_hdf5(path)) throw bad(path, "no such file, or not an HDF5 file", where);
  Draws d;
  std::vector<hsize_t> shape;
  try {
    const h5::File file(path, h5::File::Mode::kReadOnly);
    if (!file.has_attr("format") || file.attr_string("format") != kFormat)
      throw bad(path, fmt::format("attribute '/format' is not '{}'; not a posterior file", kFormat),
                where);
    for (const char* name : {"draws/value", "draws/key", "draws/kind"})
      if (!file.has(name)) throw bad(path, fmt::format("dataset '/{}' is missing", name), where);
    const h5::Dataset value = file.open_dataset("draws/value");
    shape = value.shape();
    d.values = value.read<double>();
    d.keys = file.open_dataset("draws/key").read_strings();
    d.kinds = file.open_dataset("draws/kind").read_strings();
    d.integer.assign(d.keys.size(), false);
    // /parameters lists the same keys in the same order, with their integer flags
    if (file.has("parameters/key") && file.has("parameters/integer") &&
        file.open_dataset("parameters/key").read_strings() == d.keys) {
      const auto flags = file.open_dataset("parameters/integer").read<std::int8_t>();
      for (std::size_t j = 0; j < flags.size() && j < d.keys.size(); ++j)
        d.integer[j] = flags[j] != 0;
    }
  } catch (const RunError& e) {
    throw bad(path, e.what(), where);
  }
  if (shape.size() != 2 || shape[1] != d.keys.size() || d.kinds.size() != d.keys.size())
    throw bad(path,
              fmt::format("'/draws/value' should be [draws, {}] with one key and kind per column",
                          d.keys.size()),
              where);
  d.draws = static_cast<std::int64_t>(shape[0]);
  return d;
}

}  // namespace

std::string check_posterior_design(const std::string& path, const std::string& where,
                                   const std::vector<std::string>& keys,
                                   const std::vector<double>& rows) {
  const Draws d = read_draws(path, where);
  std::vector<std::size_t> column;  // the posterior's column of each design column
  for (const auto& key : keys) {
    std::size_t j = 0;
    while (j < d.keys.size() && !(d.keys[j] == key && d.kinds[j] == kModelKind)) ++j;
    if (j == d.keys.size())
      return fmt::format("column '{}' is not a model parameter of the posterior {}", key, path);
    column.push_back(j);
  }
  if (keys.empty()) return "a posterior design needs at least one parameter column";
  // Values as `posterior design` prints them: integer parameters rounded, reals to 17 digits
  // (a relative tolerance allows for the decimal round trip).
  constexpr double kTolerance = 1e-9;
  const std::size_t width = keys.size();
  for (std::size_t row = 0; row * width < rows.size(); ++row) {
    bool found = false;
    for (std::int64_t k = 0; k < d.draws && !found; ++k) {
      found = true;
      for (std::size_t c = 0; c < width && found; ++c) {
        const double want = d.values[static_cast<std::size_t>(k) * d.keys.size() + column[c]];
        const double got = rows[row * width + c];
        found = std::abs(got - want) <= kTolerance * std::max(1.0, std::abs(want)) ||
                (d.integer[column[c]] && std::round(want) == got);
      }
    }
    if (!found)
      return fmt::format("run {} of the list is none of the {} draws of {}", row + 1, d.draws,
                         path);
  }
  return "";
}

std::vector<std::string> posterior_overrides(const std::string& path, std::int64_t draw) {
  const Draws d = read_draws(path, "--posterior");
  if (draw < 0 || draw >= d.draws)
    throw InputError(
        fmt::format("--draw: error: expected a draw in 0..{} ({} holds {} draws), got {}",
                    d.draws - 1, path, d.draws, draw));
  std::vector<std::string> overrides;
  for (std::size_t j = 0; j < d.keys.size(); ++j)
    if (d.kinds[j] == kModelKind)
      overrides.push_back(fmt::format(
          "{}={}", d.keys[j], d.values[static_cast<std::size_t>(draw) * d.keys.size() + j]));
  return overrides;
}

}  // namespace borderland::sim
