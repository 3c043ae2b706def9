#pragma once
// Small draws the TTP phases share, each from one RandomDraws in a fixed
// order (so a run does not depend on who calls them when).
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "models/ttp/constants.hpp"
#include "sim/rng.hpp"

namespace borderland::ttp {

// floor(x) plus one with probability frac(x): an integer with mean x.
inline int integer_with_mean(sim::RandomDraws& d, double x) {
  const auto n = static_cast<int>(x);
  return n + (d.bernoulli(x - n) ? 1 : 0);
}
inline std::int64_t integer_with_mean64(sim::RandomDraws& d, double x) {
  const auto k = static_cast<std::int64_t>(x);
  return k + (d.bernoulli(x - static_cast<double>(k)) ? 1 : 0);
}

// Days until an event of daily probability 1/mean: geometric with that mean.
inline int geometric_days(sim::RandomDraws& d, double mean) {
  const double u = std::max(kTinyUniform, d.uniform());
  return 1 + static_cast<int>(-std::log(u) * mean);
}

// Poisson by inversion (one uniform draw); for the small means of casualty counts.
inline std::int64_t poisson_small(sim::RandomDraws& d, double mean) {
  std::int64_t j = 0;
  double p = std::exp(-mean), cum = p;
  const double v = d.uniform();
  while (v > cum && j < kPoissonMaxTerms) p *= mean / static_cast<double>(++j), cum += p;
  return j;
}

// A share drawn around its mean: mean x uniform in [1 - spread, 1 + spread].
inline double spread_share(sim::RandomDraws& d, double mean, double spread) {
  return mean * d.uniform(1.0 - spread, 1.0 + spread);
}

}  // namespace borderland::ttp
