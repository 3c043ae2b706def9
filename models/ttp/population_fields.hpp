#pragma once
// The population fields, one value per map cell: grievance, fear and the opinion shift of
// support (opinion.hpp), each kept as a deviation from its rest level divided by a global
// decay factor, so that a day's decay changes only the factor and costs nothing per cell
// (models/ttp/README.md, update semantics); the population-weighted sums over Pakistan that
// the mean series read without a pass over the map; the weekly protest share; and the heat
// of recent attacks per tile that the army targets. The rest levels and their means are
// derived from the map by setup (not saved); the rest is checkpointed (attributes and
// datasets of /checkpoint/state/world, named as the World members they once were).
#include <cstdint>
#include <vector>

#include "sim/h5.hpp"

namespace borderland::ttp {

struct StateChecker;

struct PopulationFields {
  // Rest levels (setup.cpp): grievance and support where nothing happens.
  std::vector<float> g_rest, s_rest;
  double g_rest_pop_mean = 0, s_rest_pop_mean = 0;  // population-weighted, Pakistan
  // Deviations from rest, stored divided by the decay factors.
  std::vector<double> g_dev, f_dev, o_dev;                         // grievance, fear, opinion
  double g_scale = 1, f_scale = 1, o_scale = 1;                    // current decay factors
  double g_dev_pop_sum = 0, f_dev_pop_sum = 0, o_dev_pop_sum = 0;  // population-weighted, Pakistan
  double protest_share = 0;  // updated weekly (phases/population.cpp)
  std::vector<float> heat;   // recent attacks per tile (army targeting)

  void save(sim::h5::Group& world) const;
  void load(const sim::h5::Group& world);
  void check(const StateChecker& c) const;  // finite deviations and sums, positive scales
};

}  // namespace borderland::ttp
