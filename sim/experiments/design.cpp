#include "sim/experiments/design.hpp"

#include <algorithm>
#include <cmath>

#include "sim/error.hpp"
#include "sim/experiments/sobol.hpp"
#include "sim/rng.hpp"

namespace borderland::sim::experiments {

namespace {
// Uses of the kSweepSeeds stream, kept apart by the high bits of the subject.
constexpr std::uint64_t kPurposeShift = 40;
enum Purpose : std::uint64_t { kSeed = 0, kLhsOrder = 1, kLhsJitter = 2, kRandom = 3 };

RandomDraws draws(std::uint64_t seed, std::uint64_t step, Purpose purpose, std::uint64_t index) {
  return RandomDraws(seed, EngineStream::kSweepSeeds, step, (purpose << kPurposeShift) | index);
}
}  // namespace

const std::vector<std::string>& design_names() {
  static const std::vector<std::string> names{"factorial", "random", "lhs",
                                              "saltelli",  "list",   "replicas"};
  return names;
}

const char* design_name(DesignKind kind) {
  return design_names()[static_cast<std::size_t>(kind)].c_str();
}

std::uint64_t run_seed(std::uint64_t sweep_seed, std::int64_t point, std::int64_t replicate) {
  RandomDraws d = draws(sweep_seed, static_cast<std::uint64_t>(replicate), kSeed,
                        static_cast<std::uint64_t>(point));
  return d.next_u64() >> 1;
}

std::uint64_t Design::seed(std::int64_t run) const {
  return run_seed(sweep_seed, point_of(run), replicate_of(run));
}

std::vector<std::string> Design::keys() const {
  std::vector<std::string> k;
  for (const auto& p : parameters) k.push_back(p.key);
  return k;
}

std::vector<double> factorial_grid(const std::vector<std::vector<double>>& values) {
  std::size_t rows = 1;
  for (const auto& v : values) rows *= v.size();
  std::vector<double> out;
  out.reserve(rows * values.size());
  std::vector<std::size_t> index(values.size(), 0);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t j = 0; j < values.size(); ++j) out.push_back(values[j][index[j]]);
    for (std::size_t j = values.size(); j-- > 0;) {  // odometer: last digit fastest
      if (++index[j] < values[j].size()) break;
      index[j] = 0;
    }
  }
  return out;
}

std::vector<double> random_unit(std::int64_t n, std::size_t dims, std::uint64_t seed) {
  std::vector<double> out(static_cast<std::size_t>(n) * dims);
  for (std::int64_t i = 0; i < n; ++i) {
    RandomDraws d = draws(seed, 0, kRandom, static_cast<std::uint64_t>(i));
    for (std::size_t j = 0; j < dims; ++j)
      out[static_cast<std::size_t>(i) * dims + j] = d.uniform();
  }
  return out;
}

std::vector<double> lhs_unit(std::int64_t n, std::size_t dims, std::uint64_t seed) {
  const auto rows = static_cast<std::size_t>(n);
  std::vector<double> out(rows * dims);
  std::vector<std::uint32_t> stratum(rows);
  for (std::size_t j = 0; j < dims; ++j) {
    // A seeded Fisher-Yates shuffle assigns the strata to the rows.
    for (std::size_t i = 0; i < rows; ++i) stratum[i] = static_cast<std::uint32_t>(i);
    for (std::size_t i = 0; i + 1 < rows; ++i) {
      RandomDraws d = draws(seed, j, kLhsOrder, i);
      const std::size_t k = i + d.below(static_cast<std::uint32_t>(rows - i));
      std::swap(stratum[i], stratum[k]);
    }
    for (std::size_t i = 0; i < rows; ++i) {
      RandomDraws d = draws(seed, j, kLhsJitter, i);
      const double u = (static_cast<double>(stratum[i]) + d.uniform()) / static_cast<double>(n);
      out[i * dims + j] = std::min(u, std::nextafter(1.0, 0.0));
    }
  }
  return out;
}

std::vector<double> saltelli_unit(std::int64_t n, std::size_t dims) {
  const auto rows = static_cast<std::size_t>(n);
  // Point 0 (the origin) is skipped, as is usual for Saltelli designs.
  const std::vector<double> x = sobol_points(rows, 2 * dims, 1);
  std::vector<double> out((dims + 2) * rows * dims);
  auto a = [&](std::size_t k, std::size_t j) { return x[k * 2 * dims + j]; };
  auto b = [&](std::size_t k, std::size_t j) { return x[k * 2 * dims + dims + j]; };
  std::size_t o = 0;
  for (std::size_t k = 0; k < rows; ++k)
    for (std::size_t j = 0; j < dims; ++j) out[o++] = a(k, j);
  for (std::size_t k = 0; k < rows; ++k)
    for (std::size_t j = 0; j < dims; ++j) out[o++] = b(k, j);
  for (std::size_t i = 0; i < dims; ++i)
    for (std::size_t k = 0; k < rows; ++k)
      for (std::size_t j = 0; j < dims; ++j) out[o++] = j == i ? b(k, j) : a(k, j);
  return out;
}

double from_unit(const VariedParameter& p, double u) {
  if (p.integer) {
    const double span = std::floor(p.max) - std::ceil(p.min) + 1.0;
    return std::min(std::ceil(p.min) + std::floor(u * span), std::floor(p.max));
  }
  return p.min + u * (p.max - p.min);
}

void generate(Design& design, std::int64_t samples) {
  const std::size_t d = design.parameters.size();
  std::vector<double> unit;
  switch (design.kind) {
    case DesignKind::kReplicas:
      design.points = 1;
      design.values.clear();
      return;
    case DesignKind::kList:
      return;  // values come from the CSV file
    case DesignKind::kFactorial: {
      std::vector<std::vector<double>> lists;
      for (const auto& p : design.parameters) lists.push_back(p.values);
      design.values = factorial_grid(lists);
      design.points = static_cast<std::int64_t>(d == 0 ? 1 : design.values.size() / d);
      return;
    }
    case DesignKind::kRandom:
      unit = random_unit(samples, d, design.sweep_seed);
      break;
    case DesignKind::kLhs:
      unit = lhs_unit(samples, d, design.sweep_seed);
      break;
    case DesignKind::kSaltelli:
      unit = saltelli_unit(samples, d);
      design.base_samples = samples;
      break;
  }
  design.values.resize(unit.size());
  for (std::size_t i = 0; i < unit.size(); ++i)
    design.values[i] = from_unit(design.parameters[i % d], unit[i]);
  design.points = static_cast<std::int64_t>(unit.size() / d);
}

}  // namespace borderland::sim::experiments
