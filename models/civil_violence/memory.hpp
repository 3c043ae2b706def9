#pragma once
// The memory a civil violence run needs, from its parameters alone, so that
// the World can refuse a grid the machine cannot hold before allocating it
// (sim/memory_limit.hpp). Measured as the peak resident size of
// `borderland run` over 3 days (GNU time's %M, Release build, one thread) on
// 2000 x 2000 grids: 116 MB at densities 0.1 + 0.04, 242 MB at 0.7 + 0.04,
// 296 MB at 0.9 + 0.1, i.e. about 16 bytes per cell (occupant, cell kinds,
// window sums) plus 52 per agent (ids, columns, band lists, release queue)
// plus 24 MB (the program and HDF5); the figures below add a fifth for
// margin. Vision 20 instead of 7 added 6 MB at 2000 x 2000 (band lists).
#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "models/civil_violence/parameters.hpp"
#include "sim/memory_limit.hpp"

namespace borderland::civil_violence {

inline constexpr double kBytesPerCell = 20;
inline constexpr double kBytesPerAgent = 64;
inline constexpr double kBaseBytes = 32.0 * 1024 * 1024;

inline std::uint64_t memory_estimate(const Parameters& p) {
  const double cells = static_cast<double>(p.width) * static_cast<double>(p.height);
  const double agents = std::round(p.citizen_density * cells) + std::round(p.cop_density * cells);
  return static_cast<std::uint64_t>(kBaseBytes + kBytesPerCell * cells + kBytesPerAgent * agents);
}

// InputError naming the grid keys when the run would need more memory than the limit.
inline void check_memory(const std::string& source, const Parameters& p) {
  sim::check_memory(source,
                    fmt::format("parameters.grid: {} x {} cells with densities {} + {}", p.width,
                                p.height, p.citizen_density, p.cop_density),
                    memory_estimate(p));
}

}  // namespace borderland::civil_violence
