#include "sim/posterior.hpp"

#include <fmt/format.h>

#include "sim/error.hpp"
#include "sim/h5.hpp"

namespace borderland::sim {
namespace {

constexpr const char* kFormat = "borderland-posterior";
constexpr const char* kModelKind = "model";

InputError bad(const std::string& path, const std::string& what) {
  return InputError(fmt::format("--posterior {}: error: {}", path, what));
}

}  // namespace

std::vector<std::string> posterior_overrides(const std::string& path, std::int64_t draw) {
  if (!h5::is_hdf5(path)) throw bad(path, "no such file, or not an HDF5 file");
  std::vector<std::string> keys, kinds;
  std::vector<double> values;
  std::vector<hsize_t> shape;
  try {
    const h5::File file(path, h5::File::Mode::kReadOnly);
    if (!file.has_attr("format") || file.attr_string("format") != kFormat)
      throw bad(path,
                fmt::format("attribute '/format' is not '{}'; not a posterior file", kFormat));
    for (const char* name : {"draws/value", "draws/key", "draws/kind"})
      if (!file.has(name)) throw bad(path, fmt::format("dataset '/{}' is missing", name));
    const h5::Dataset value = file.open_dataset("draws/value");
    shape = value.shape();
    values = value.read<double>();
    keys = file.open_dataset("draws/key").read_strings();
    kinds = file.open_dataset("draws/kind").read_strings();
  } catch (const RunError& e) {
    throw bad(path, e.what());
  }
  if (shape.size() != 2 || shape[1] != keys.size() || kinds.size() != keys.size())
    throw bad(path,
              fmt::format("'/draws/value' should be [draws, {}] with one key and kind per column",
                          keys.size()));
  const auto draws = static_cast<std::int64_t>(shape[0]);
  if (draw < 0 || draw >= draws)
    throw InputError(
        fmt::format("--draw: error: expected a draw in 0..{} ({} holds {} draws), got {}",
                    draws - 1, path, draws, draw));
  std::vector<std::string> overrides;
  for (std::size_t j = 0; j < keys.size(); ++j)
    if (kinds[j] == kModelKind)
      overrides.push_back(
          fmt::format("{}={}", keys[j], values[static_cast<std::size_t>(draw) * keys.size() + j]));
  return overrides;
}

}  // namespace borderland::sim
