#pragma once
// Geography: what a run derives from the map once, in the constructor (setup.cpp), and then
// only reads: the grid's size, cell size and tiles, the map layers, the provinces' police forces
// and regions, the border cells, the destination lists the movement phase draws from, and the
// terrain's step costs. Not checkpointed: a World built from the same scenario derives the same.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "models/ttp/insurgency_map.hpp"
#include "models/ttp/map_schema.hpp"
#include "models/ttp/parameters.hpp"

namespace borderland::ttp {

struct Geography {
  int nx = 0, ny = 0;
  double km_x = 1, km_y = 1;  // km per cell east-west and north-south
  // Tiles of tile x tile cells (attacks.post_tile_cells): the buckets of police posts that
  // attacks and alerts search (PolicePosts::by_tile) and the cells of the attack heat.
  int tile = 1;
  int tiles_x = 0, tiles_y = 0;
  // Map layers, one value per cell (owned by the map, which outlives the run).
  const std::int32_t* country = nullptr;
  const std::int32_t* province = nullptr;
  const std::int32_t* urban = nullptr;
  const std::int32_t* nearest_place = nullptr;
  const float* rugged = nullptr;
  const float* pop = nullptr;
  const float* border_km = nullptr;
  std::shared_ptr<const InsurgencyMap> insurgency;  // presence, targets, access, districts
  // Per province id.
  std::vector<std::int8_t> province_force;    // the police force (kForce*), -1 none
  std::vector<std::uint8_t> province_kp;      // KP or merged into KP
  std::vector<std::uint8_t> province_baloch;  // Balochistan
  // Per cell.
  std::vector<std::uint8_t> near_crossing;
  std::vector<std::uint8_t> protest_region;  // protests.hpp
  std::vector<double> step_cost;             // the terrain part of a step's cost (next_step)
  std::vector<std::int8_t> region;           // World::region_of (derive_regions, phases/army.cpp)
  // Cell lists.
  std::vector<std::int32_t> pk_cells;  // every Pakistani cell
  std::vector<std::int32_t> af_deep;   // Afghan cells, sorted by border distance (deepest first)
  double pop_pk = 0;                   // population of Pakistan
  // Destination candidates of the movement phase, with cumulative weights.
  std::vector<std::int32_t> dest_ttp, dest_far, dest_baloch, dest_home;
  std::vector<double> dest_ttp_w, dest_far_w, dest_baloch_w, dest_home_w;

  bool in_pakistan(std::size_t cell) const { return country[cell] == kPakistan; }
  bool in_model_area(std::size_t cell) const {  // Pakistan or Afghanistan
    return country[cell] == kPakistan || country[cell] == kAfghanistan;
  }
  int force_of(std::size_t cell) const {  // the police force there (kForceOther: no province)
    const int prov = province[cell];
    return prov < 0 ? kForceOther
                    : std::max<int>(0, province_force[static_cast<std::size_t>(prov)]);
  }
  bool is_kp(std::size_t cell) const {  // Khyber Pakhtunkhwa, the merged districts included
    const int prov = province[cell];
    return prov >= 0 && province_kp[static_cast<std::size_t>(prov)] != 0;
  }
  int region_of(std::size_t cell) const {  // 0 KP, 1 Balochistan, -1 elsewhere (phases/army.cpp)
    return region[cell];
  }
  std::int64_t cells() const { return static_cast<std::int64_t>(nx) * ny; }
};

}  // namespace borderland::ttp
