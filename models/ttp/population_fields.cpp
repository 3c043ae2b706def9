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

namespace {
// Every stored field under its checkpoint name, once: save and load both walk this list, so
// the two cannot disagree on a name or the order.
template <class Part, class Io>
void stored_fields(Part& fields, Io&& io) {
  io("g_dev_", fields.g_dev);
  io("f_dev_", fields.f_dev);
  io("g_scale_", fields.g_scale);
  io("f_scale_", fields.f_scale);
  io("g_dev_pop_sum_", fields.g_dev_pop_sum);
  io("f_dev_pop_sum_", fields.f_dev_pop_sum);
  io("protest_share_", fields.protest_share);
  io("heat_", fields.heat);
  io("o_dev_", fields.o_dev);
  io("o_scale_", fields.o_scale);
  io("o_dev_pop_sum_", fields.o_dev_pop_sum);
}
}  // namespace

void PopulationFields::save(sim::h5::Group& world) const {
  stored_fields(*this,
                [&](const char* name, const auto& value) { checkpoint::put(world, name, value); });
}

void PopulationFields::load(const sim::h5::Group& world) {
  stored_fields(*this, [&](const char* name, auto& value) { checkpoint::get(world, name, value); });
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
