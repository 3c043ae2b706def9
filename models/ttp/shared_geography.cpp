// The set-up shared between runs (see shared_geography.hpp).
#include "models/ttp/shared_geography.hpp"

#include <deque>
#include <mutex>
#include <utility>

namespace borderland::ttp {

namespace {

// A sweep varying a parameter of geography_inputs runs its design points in order, a few
// at once: keeping the last few tables serves them, and bounds the memory (a table of the
// 0.05-degree map is a few MB).
constexpr std::size_t kKeptGeographies = 8;

struct Kept {
  std::vector<double> inputs;
  std::shared_ptr<const SharedGeography> shared;
};

std::mutex& kept_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::deque<Kept>& kept() {
  static std::deque<Kept> all;
  return all;
}

}  // namespace

std::vector<double> geography_inputs(const Parameters& p) {
  std::vector<double> v{// derive_geography: the terrain part of a step's cost
                        p.ruggedness_ref_m, p.urban_pull, p.urban_pull_scale,
                        // derive_protest_region
                        p.protests.min_presence,
                        // derive_rest_and_destinations: rest levels
                        p.border_scale_km, p.grievance_base, p.grievance_border, p.support_base,
                        p.support_border,
                        // derive_destinations
                        p.home_zone_km, p.far_city_population, p.destinations.people_per_point,
                        p.destinations.access_scale_hours,
                        // derive_border_cells
                        p.crossing_point_radius_km, p.post_tile_cells};
  v.insert(v.end(), p.destinations.presence_weight.begin(), p.destinations.presence_weight.end());
  v.insert(v.end(), p.destinations.target_value.begin(), p.destinations.target_value.end());
  return v;
}

std::shared_ptr<const SharedGeography> find_geography(const AfPakMap* map,
                                                      const std::vector<double>& inputs) {
  const std::lock_guard<std::mutex> lock(kept_mutex());
  for (const Kept& k : kept())
    if (k.shared->map.get() == map && k.inputs == inputs) return k.shared;
  return nullptr;
}

void keep_geography(std::vector<double> inputs, std::shared_ptr<const SharedGeography> shared) {
  const std::lock_guard<std::mutex> lock(kept_mutex());
  auto& all = kept();
  all.push_back({std::move(inputs), std::move(shared)});
  if (all.size() > kKeptGeographies) all.pop_front();
}

void forget_geographies() {
  const std::lock_guard<std::mutex> lock(kept_mutex());
  kept().clear();
}

}  // namespace borderland::ttp
