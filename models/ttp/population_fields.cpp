// The population fields' checkpoint and checks (population_fields.hpp).
#include "models/ttp/population_fields.hpp"

#include "models/ttp/checkpoint_io.hpp"
#include "models/ttp/state_checker.hpp"

namespace borderland::ttp {

void PopulationFields::save(sim::h5::Group& world) const {
  using checkpoint::put;
  put(world, "g_dev_", g_dev);
  put(world, "f_dev_", f_dev);
  put(world, "g_scale_", g_scale);
  put(world, "f_scale_", f_scale);
  put(world, "g_dev_pop_sum_", g_dev_pop_sum);
  put(world, "f_dev_pop_sum_", f_dev_pop_sum);
  put(world, "protest_share_", protest_share);
  put(world, "heat_", heat);
  put(world, "o_dev_", o_dev);
  put(world, "o_scale_", o_scale);
  put(world, "o_dev_pop_sum_", o_dev_pop_sum);
}

void PopulationFields::load(const sim::h5::Group& world) {
  using checkpoint::get;
  get(world, "g_dev_", g_dev);
  get(world, "f_dev_", f_dev);
  get(world, "g_scale_", g_scale);
  get(world, "f_scale_", f_scale);
  get(world, "g_dev_pop_sum_", g_dev_pop_sum);
  get(world, "f_dev_pop_sum_", f_dev_pop_sum);
  get(world, "protest_share_", protest_share);
  get(world, "heat_", heat);
  get(world, "o_dev_", o_dev);
  get(world, "o_scale_", o_scale);
  get(world, "o_dev_pop_sum_", o_dev_pop_sum);
}

void PopulationFields::check(const StateChecker& c) const {
  c.all_finite<double>("g_dev_", g_dev);
  c.all_finite<double>("f_dev_", f_dev);
  c.all_finite<double>("o_dev_", o_dev);
  c.positive("g_scale_", g_scale);
  c.positive("f_scale_", f_scale);
  c.positive("o_scale_", o_scale);
  c.finite("g_dev_pop_sum_", g_dev_pop_sum);
  c.finite("f_dev_pop_sum_", f_dev_pop_sum);
  c.finite("o_dev_pop_sum_", o_dev_pop_sum);
  c.all<float>("heat_", heat, 0);
  c.share("protest_share_", protest_share);
}

}  // namespace borderland::ttp
