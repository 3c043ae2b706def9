#pragma once
// The population fields, one value per map cell: grievance, fear and the opinion shift of
// support (opinion.hpp), each kept as a deviation from its rest level divided by a global
// decay factor, so that a day's decay changes only the factor and costs nothing per cell
// (models/ttp/README.md, update semantics); the population-weighted sums over Pakistan that
// the mean series read without a pass over the map; the weekly protest share; and the heat
// of recent attacks per tile that the army targets. The rest levels and their means are
// derived from the map by setup (not saved); the rest is checkpointed (attributes and
// datasets of /checkpoint/state/world, named as the World members they once were).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/h5.hpp"

namespace borderland::ttp {

struct Geography;
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

  // Today's values at a cell, each 0..1. Support: rest, the opinion shift (opinion.hpp: the
  // militants' civilian victims lower it, the state's harm raises it), less fear_weight
  // (population.support_from_fear) times fear, its short-run effect.
  // Inline: the phases read them for every cell row every day.
  double grievance(std::size_t cell) const {
    return std::clamp(static_cast<double>(g_rest[cell]) + g_dev[cell] * g_scale, 0.0, 1.0);
  }
  double fear(std::size_t cell) const { return std::clamp(f_dev[cell] * f_scale, 0.0, 1.0); }
  double support(std::size_t cell, double fear_weight) const {
    const double s = s_rest[cell] + o_dev[cell] * o_scale - fear_weight * fear(cell);
    return std::clamp(s, 0.0, 1.0);
  }
  // Population-weighted means over Pakistan (pop_pk: its population).
  double mean_grievance(double pop_pk) const;
  double mean_support(double pop_pk, double fear_weight) const;
  // Adds grievance, fear and opinion to every cell of the model area within radius_km of a
  // cell (a box of cells), and their population-weighted sums over Pakistan.
  void spread(const Geography& geo, std::size_t cell, double radius_km, double grievance_add,
              double fear_add, double opinion_add);

  void save(sim::h5::Group& world) const;
  void load(const sim::h5::Group& world);
  void check(const StateChecker& c) const;  // finite deviations and sums, positive scales
};

}  // namespace borderland::ttp
