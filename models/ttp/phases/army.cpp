// Phase "army": clearance operations. A share of the units of each region
// (routine, or set by military_operations; paused in part during talks)
// leaves its base for the hottest area of recent attacks in its region and
// engages cells within reach: militants killed and captured, soldiers and
// civilians killed; collateral damage feeds grievance; the command counts
// its losses as provocations.
#include <algorithm>
#include <cmath>

#include "models/ttp/streams.hpp"
#include "models/ttp/world.hpp"

namespace borderland::ttp {

void World::phase_army(std::int64_t step) {
  // Heat of recent attacks fades with a 30-day time constant.
  for (auto& h : heat_) h *= 0.967f;
  const double restraint = pol_.talks.on ? pol_.talks.army_restraint : 0.0;
  const std::array<double, 2> intensity{
      std::max(p_.routine_intensity * (1.0 - restraint), pol_.operations.kp),
      std::max(p_.routine_intensity * (1.0 - restraint), pol_.operations.balochistan)};
  std::array<int, 2> units{0, 0}, on_duty{0, 0};
  for (std::size_t u = 0; u < army_.size(); ++u)
    ++units[static_cast<std::size_t>(army_[a_region_][u])];
  // The hottest tiles of each region.
  std::array<std::vector<std::pair<float, int>>, 2> hot;
  for (int t = 0; t < tiles_x_ * tiles_y_; ++t) {
    if (heat_[static_cast<std::size_t>(t)] < 0.05f) continue;
    const int x = std::min(nx_ - 1, (t % tiles_x_) * tile_ + tile_ / 2),
              y = std::min(ny_ - 1, (t / tiles_x_) * tile_ + tile_ / 2);
    const std::size_t c =
        static_cast<std::size_t>(y) * static_cast<std::size_t>(nx_) + static_cast<std::size_t>(x);
    if (!in_pakistan(c)) continue;
    const int region =
        is_kp(c)                                                                          ? 0
        : (province_[c] >= 0 && province_baloch_[static_cast<std::size_t>(province_[c])]) ? 1
                                                                                          : -1;
    if (region >= 0)
      hot[static_cast<std::size_t>(region)].emplace_back(-heat_[static_cast<std::size_t>(t)],
                                                         static_cast<int>(c));
  }
  for (auto& h : hot) std::sort(h.begin(), h.end());

  // The command retaliates against offensives, not against the routine
  // counter-terrorism it always faces: only the share of clearance above the
  // routine level counts as provocation.
  std::array<double, 2> offensive{};
  for (std::size_t r = 0; r < 2; ++r)
    offensive[r] =
        intensity[r] > 0 ? std::max(0.0, 1.0 - p_.routine_intensity / intensity[r]) : 0.0;
  provoke_share_ = 0;
  const int rx = static_cast<int>(p_.engage_radius_km / km_x_),
            ry = static_cast<int>(p_.engage_radius_km / km_y_);
  auto fighters = cells_[c_fighters_];
  auto exposure = cells_[c_exposure_];
  for (std::size_t u = 0; u < army_.size(); ++u) {
    const auto region = static_cast<std::size_t>(army_[a_region_][u]);
    const int quota = static_cast<int>(std::lround(intensity[region] * units[region]));
    const bool clearing = on_duty[region] < quota && !hot[region].empty();
    int target = army_[a_base_][u];
    if (clearing) {
      target = hot[region][static_cast<std::size_t>(on_duty[region]) % hot[region].size()].second;
      ++on_duty[region];
    }
    army_[a_mission_][u] = clearing ? 1 : 0;
    army_[a_target_][u] = target;
    // Move straight towards the target.
    int x = army_[a_cell_][u] % nx_, y = army_[a_cell_][u] / nx_;
    const int tx = target % nx_, ty = target / nx_;
    const int speed = static_cast<int>(p_.army_speed_cells);
    x += std::clamp(tx - x, -speed, speed);
    y += std::clamp(ty - y, -speed, speed);
    army_[a_cell_][u] = y * nx_ + x;
    if (!clearing) continue;
    // Engage cells within reach, in id order.
    for (std::size_t i = 0; i < cells_.size(); ++i) {
      if (fighters[i] <= 0 || cells_[c_state_][i] == kInSanctuary) continue;
      const int c = cells_[c_cell_][i];
      if (!in_pakistan(static_cast<std::size_t>(c)) || std::abs(c % nx_ - x) > rx ||
          std::abs(c / nx_ - y) > ry)
        continue;
      sim::RandomDraws d(seed_, Stream::kArmy, static_cast<std::uint64_t>(step),
                         (army_.ids()[u] << 32) | cells_.ids()[i]);
      if (!d.bernoulli(p_.engage_rate * (0.2 + exposure[i]))) continue;
      const int killed = std::min(
          fighters[i],
          static_cast<int>(std::lround(fighters[i] * p_.engage_kill_share * d.uniform(0.5, 1.5))));
      kill_fighters(i, killed);
      const int captured =
          std::min(fighters[i], static_cast<int>(std::lround(fighters[i] * p_.engage_arrest_share *
                                                             d.uniform(0.0, 2.0))));
      fighters[i] -= captured;
      detained_ += captured;
      ledger_.arrested += captured;
      day_.arrests += captured;
      exposure[i] *= 0.5;
      std::array<std::int64_t, kGroups> k{};
      k[kMilitants] = killed;
      auto poisson_small = [&](double mean) {  // inversion; means here are small
        std::int64_t j = 0;
        double p = std::exp(-mean), s = p;
        const double v = d.uniform();
        while (v > s && j < 100) p *= mean / static_cast<double>(++j), s += p;
        return j;
      };
      k[kArmy] = poisson_small(p_.engage_army_losses);
      k[kCivilians] = poisson_small(p_.engage_collateral);
      add_event(step, static_cast<std::size_t>(c), "army_operation", cells_[c_faction_][i],
                "militants", k,
                std::llround(static_cast<double>(k[kArmy] + k[kCivilians]) * p_.injured_per_killed),
                0, false);
      if (k[kCivilians] > 0)
        add_fields(static_cast<std::size_t>(c), p_.effect_radius_km,
                   p_.grievance_collateral * static_cast<double>(k[kCivilians]), 0.0);
      provoke_share_ += static_cast<double>(killed) * offensive[region];
    }
  }
  provoke(static_cast<std::int64_t>(std::lround(provoke_share_)));
}

}  // namespace borderland::ttp
