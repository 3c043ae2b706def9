#pragma once
// Where a group's cells go to attack: a weight per cell
//   w = presence_weight[level] x target_points x exp(-access_hours / access_scale)
// where level is the group's presence in the cell (0-3, /map/presence_*),
// target_points sums the value of what there is to attack in the cell
// (/map/targets: police stations and lines, headquarters, FC posts,
// cantonments, CTD offices, prisons) plus the people (population /
// people_per_point), and access_hours is the travel time from the Durand Line
// (/map/access_border_hours, from the travel-cost field). Area counts for
// nothing: an empty mountain valley with no presence and no target draws no
// one, however large.
#include <array>
#include <cstdint>
#include <vector>

#include "models/ttp/insurgency_map.hpp"
#include "sim/params.hpp"
#include "sim/rng.hpp"

namespace borderland::ttp::destinations {

struct Parameters {
  std::array<double, kPresenceLevels> presence_weight{};
  std::array<double, kTargetSiteKinds> target_value{};
  double people_per_point = 1;    // persons that count as one target point
  double access_scale_hours = 1;  // e-folding of the weight with travel time
  static Parameters from(const sim::ParamValues& values);
};

// Every parameter of this unit, with units, default, range and reason.
std::vector<sim::ParamSpec> parameter_specs();

// The weight of every cell for a group with `presence` (one level per cell);
// cells where `eligible` is 0 (outside Pakistan) weigh nothing.
std::vector<double> cell_weights(const Parameters& p, const InsurgencyMap& map,
                                 const std::vector<std::int32_t>& presence,
                                 const std::vector<float>& population,
                                 const std::vector<std::uint8_t>& eligible);

// The cells of positive weight and their cumulative weights, for draws.
struct Table {
  std::vector<std::int32_t> cells;
  std::vector<double> cumulative;
  bool empty() const { return cells.empty(); }
  // One cell drawn in proportion to its weight; the table must not be empty.
  std::int32_t pick(sim::RandomDraws& draws) const;
};
Table table(const std::vector<double>& weights);

}  // namespace borderland::ttp::destinations
