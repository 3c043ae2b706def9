// The population fields' checkpoint and checks (population_fields.hpp).
#include "models/ttp/population_fields.hpp"

#include <algorithm>

#include "models/ttp/checkpoint_io.hpp"
#include "models/ttp/geography.hpp"
#include "models/ttp/state_checker.hpp"

namespace borderland::ttp {

double PopulationFields::mean_grievance(double pop_pk) const {
  const double pop = pop_pk > 0 ? pop_pk : 1.0;
  return g_rest_pop_mean + g_scale * g_dev_pop_sum / pop;
}

double PopulationFields::mean_support(double pop_pk, double fear_weight) const {
  const double pop = pop_pk > 0 ? pop_pk : 1.0;
  const double mf = f_scale * f_dev_pop_sum / pop;
  return std::clamp(s_rest_pop_mean + o_scale * o_dev_pop_sum / pop - fear_weight * mf, 0.0, 1.0);
}

void PopulationFields::spread(const Geography& geo, std::size_t cell, double radius_km,
                              double grievance_add, double fear_add, double opinion_add) {
  const int cx = static_cast<int>(cell) % geo.nx, cy = static_cast<int>(cell) / geo.nx;
  const int rx = static_cast<int>(radius_km / geo.km_x),
            ry = static_cast<int>(radius_km / geo.km_y);
  const double g = grievance_add / g_scale, f = fear_add / f_scale, o = opinion_add / o_scale;
  for (int y = std::max(0, cy - ry); y <= std::min(geo.ny - 1, cy + ry); ++y)
    for (int x = std::max(0, cx - rx); x <= std::min(geo.nx - 1, cx + rx); ++x) {
      const std::size_t c = static_cast<std::size_t>(y) * static_cast<std::size_t>(geo.nx) +
                            static_cast<std::size_t>(x);
      if (!geo.in_model_area(c)) continue;
      g_dev[c] += g;
      f_dev[c] += f;
      o_dev[c] += o;
      if (geo.in_pakistan(c)) {
        const double pop = std::max(0.0f, geo.pop[c]);
        g_dev_pop_sum += pop * g;
        f_dev_pop_sum += pop * f;
        o_dev_pop_sum += pop * o;
      }
    }
}

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
