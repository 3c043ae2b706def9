// Phase "army": military operations with both effects (operations.*). A share
// of the units of each region (routine, or set by military_operations; paused
// in part during talks by army_restraint) leaves its base for the hottest area
// of recent attacks. Each region's operations remove militants (killed and
// arrested), push fighters across the border as far as the sanctuary is open,
// disrupt the local network (which multiplies local recruitment; it recovers
// when operations are light) and harm civilians (grievance). Every militant
// killed is a loss the command remembers (strategy: resolve) and the share
// above routine feeds its retaliation motive. Whether operations lower or
// raise violence is the net of these.
#include <algorithm>
#include <cmath>

#include "models/ttp/draws.hpp"
#include "models/ttp/streams.hpp"
#include "models/ttp/world.hpp"
#include "sim/row_draws.hpp"

namespace borderland::ttp {

namespace {
constexpr int kHeatRun = 16;  // tiles tested at once for any heat (speed only)
}  // namespace

// The tiles of recent attacks in each region (0 KP, 1 Balochistan), hottest first.
std::array<std::vector<std::pair<float, int>>, 2> World::hottest_tiles() const {
  std::array<std::vector<std::pair<float, int>>, 2> hot;
  const int tiles = geo_.tiles_x * geo_.tiles_y;
  const auto threshold = static_cast<float>(p_.heat_threshold);
  for (int t = 0; t < tiles; ++t) {
    // Most tiles are cold: skip a run of them with one (vectorised) test.
    if (t % kHeatRun == 0 && t + kHeatRun <= tiles) {
      bool any = false;
      for (int k = t; k < t + kHeatRun; ++k)
        any |= fields_.heat[static_cast<std::size_t>(k)] >= threshold;
      if (!any) {
        t += kHeatRun - 1;
        continue;
      }
    }
    if (fields_.heat[static_cast<std::size_t>(t)] < threshold) continue;
    const int x = std::min(geo_.nx - 1, (t % geo_.tiles_x) * geo_.tile + geo_.tile / 2),
              y = std::min(geo_.ny - 1, (t / geo_.tiles_x) * geo_.tile + geo_.tile / 2);
    const std::size_t c = static_cast<std::size_t>(y) * static_cast<std::size_t>(geo_.nx) +
                          static_cast<std::size_t>(x);
    if (!geo_.in_pakistan(c)) continue;
    const int region = geo_.is_kp(c) ? 0
                       : (geo_.province[c] >= 0 &&
                          geo_.province_baloch[static_cast<std::size_t>(geo_.province[c])])
                           ? 1
                           : -1;
    if (region >= 0)
      hot[static_cast<std::size_t>(region)].emplace_back(-fields_.heat[static_cast<std::size_t>(t)],
                                                         static_cast<int>(c));
  }
  for (auto& h : hot) std::sort(h.begin(), h.end());
  return hot;
}

// region_of for every cell, once (derive_geography): it is asked for every cell row, every day.
void World::derive_regions() {
  geo_.region.assign(static_cast<std::size_t>(geo_.nx) * static_cast<std::size_t>(geo_.ny), -1);
  for (std::size_t cell = 0; cell < geo_.region.size(); ++cell) {
    if (!geo_.in_pakistan(cell)) continue;
    const int prov = geo_.province[cell];
    geo_.region[cell] = geo_.is_kp(cell)                                                    ? 0
                        : prov >= 0 && geo_.province_baloch[static_cast<std::size_t>(prov)] ? 1
                                                                                            : -1;
  }
}

double World::network_of(std::size_t cell) const {
  const int r = geo_.region_of(cell);
  return r < 0 ? 1.0 : actors_.theatre.network[static_cast<std::size_t>(r)];
}

// How open the sanctuary across the border is to fighters pushed out: as far as the host
// tolerates them and does not restrain them under pressure.
double World::sanctuary_open() const {
  return actors_.host_tolerance * (1.0 - actors_.kabul.restraint);
}

// The share of each region's units on clearance today: routine, or as ordered, less the share
// that talks pause (army_restraint).
std::array<double, kRegions> World::clearance_intensity() const {
  const double restraint = pol_.talks.on ? pol_.talks.army_restraint : 0.0;
  return {std::max(p_.routine_intensity, pol_.operations.kp) * (1.0 - restraint),
          std::max(p_.routine_intensity, pol_.operations.balochistan) * (1.0 - restraint)};
}

// Units on clearance (each region's quota of them, in row order) go to the hottest areas of
// their region, the others back to base; returns the cells (x, y) of those on clearance.
std::vector<std::pair<int, int>> World::deploy_units(
    const std::array<double, kRegions>& intensity) {
  std::array<int, kRegions> units{0, 0}, on_duty{0, 0};
  for (std::size_t u = 0; u < army_.size(); ++u)
    ++units[static_cast<std::size_t>(army_[army_.region][u])];
  const auto hot = hottest_tiles();
  std::vector<std::pair<int, int>> clearing_xy;
  for (std::size_t u = 0; u < army_.size(); ++u) {
    const auto region = static_cast<std::size_t>(army_[army_.region][u]);
    const int quota = static_cast<int>(std::lround(intensity[region] * units[region]));
    const bool clearing = on_duty[region] < quota && !hot[region].empty();
    int target = army_[army_.base][u];
    if (clearing) {
      target = hot[region][static_cast<std::size_t>(on_duty[region]) % hot[region].size()].second;
      ++on_duty[region];
    }
    army_[army_.mission][u] = clearing ? 1 : 0;
    army_[army_.target][u] = target;
    const auto xy = move_unit(u, target);
    if (clearing) clearing_xy.push_back(xy);
  }
  return clearing_xy;
}

// A unit moves straight towards its target, at most army_speed_cells each way; returns its cell
// (x, y).
std::pair<int, int> World::move_unit(std::size_t unit, int target) {
  int x = army_[army_.cell][unit] % geo_.nx, y = army_[army_.cell][unit] / geo_.nx;
  const int tx = target % geo_.nx, ty = target / geo_.nx;
  const int speed = static_cast<int>(p_.army_speed_cells);
  x += std::clamp(tx - x, -speed, speed);
  y += std::clamp(ty - y, -speed, speed);
  army_[army_.cell][unit] = y * geo_.nx + x;
  return {x, y};
}

// How exposed each militant cell in a region's part of Pakistan is to the day's operations:
// its fighters by their exposure, more near a unit on clearance (unit_focus). Cells in a
// sanctuary, empty or outside the regions have weight 0.
World::ArmyEngagement World::engagement_weights(
    const std::vector<std::pair<int, int>>& clearing_xy) const {
  const int rx = static_cast<int>(p_.engage_radius_km / geo_.km_x),
            ry = static_cast<int>(p_.engage_radius_km / geo_.km_y);
  const auto fighters = cells_[cells_.fighters];
  const auto exposure = cells_[cells_.exposure];
  const std::size_t n = cells_.size();
  ArmyEngagement e{std::vector<double>(n, 0.0), {0, 0}, {0, 0}};
  for (std::size_t i = 0; i < n; ++i) {
    if (fighters[i] <= 0 || cells_[cells_.state][i] == kInSanctuary) continue;
    const auto c = static_cast<std::size_t>(cells_[cells_.cell][i]);
    const int r = geo_.region_of(c);
    if (r < 0) continue;
    const int cx = static_cast<int>(c) % geo_.nx, cy = static_cast<int>(c) / geo_.nx;
    bool near = false;
    for (const auto& [ax, ay] : clearing_xy)
      if (std::abs(cx - ax) <= rx && std::abs(cy - ay) <= ry) {
        near = true;
        break;
      }
    e.weight[i] =
        fighters[i] * (p_.engage_base_exposure + exposure[i]) * (near ? 1.0 + p_.unit_focus : 1.0);
    e.in_region[static_cast<std::size_t>(r)] += fighters[i];
    e.weight_sum[static_cast<std::size_t>(r)] += e.weight[i];
  }
  return e;
}

// Each region's operations for the day (operations::apply): attrition (killed and arrested),
// displacement across the border as far as the sanctuary is open, the local network disrupted
// (it recovers when operations are light), collateral harm. The command retaliates against
// offensives, not against the routine counter-terrorism it always faces: only the share of
// clearance above the routine level counts as provocation.
World::ArmyOperations World::regional_operations(const std::array<double, kRegions>& intensity,
                                                 const std::array<double, kRegions>& in_region) {
  ArmyOperations ops{};
  const double open = sanctuary_open();
  for (std::size_t r = 0; r < kRegions; ++r) {
    ops.effect[r] = operations::apply(p_.operations, intensity[r],
                                      {in_region[r], actors_.theatre.network[r], open});
    actors_.theatre.network[r] = ops.effect[r].network;
    ops.offensive[r] =
        intensity[r] > 0 ? std::max(0.0, 1.0 - p_.routine_intensity / intensity[r]) : 0.0;
  }
  return ops;
}

// The removals fall on the region's cells by their engagement weight, each engaged cell with
// its own draws (up to six words, two blocks, before any losses of its own).
void World::engage_cells(std::int64_t step, const ArmyEngagement& e, const ArmyOperations& ops) {
  const auto engaged = [&](std::size_t i) { return e.weight[i] > 0 ? 2 : 0; };
  sim::for_row_chunks(0, cells_.size(), [&](std::size_t lo, std::size_t hi) {
    const sim::RowDraws draws(seed_, Stream::kArmy, static_cast<std::uint64_t>(step), cells_.ids(),
                              lo, hi, engaged);
    for (std::size_t i = lo; i < hi; ++i) {
      if (!engaged(i)) continue;
      sim::RandomDraws d = draws.at(i);
      engage_cell(i, d, step, e, ops);
    }
  });
}

// One engaged cell: its share of the region's killed and arrested, maybe its withdrawal to a
// sanctuary, and, if it lost anyone, the operation's event and consequences.
void World::engage_cell(std::size_t i, sim::RandomDraws& d, std::int64_t step,
                        const ArmyEngagement& e, const ArmyOperations& ops) {
  const auto c = static_cast<std::size_t>(cells_[cells_.cell][i]);
  const auto r = static_cast<std::size_t>(geo_.region_of(c));
  const double share = e.weight[i] / e.weight_sum[r];
  auto fighters = cells_[cells_.fighters];
  const int killed = std::min(fighters[i], integer_with_mean(d, ops.effect[r].killed * share));
  kill_fighters(i, killed);
  const int captured = std::min(fighters[i], integer_with_mean(d, ops.effect[r].arrested * share));
  fighters[i] -= captured;
  custody_.detained += captured;
  counts_.ledger.arrested += captured;
  day_.arrests += captured;
  // Displacement: a whole cell withdraws to a sanctuary with the chance that gives the region's
  // displaced their expected number.
  if (fighters[i] > 0 &&
      d.bernoulli(std::min(1.0, ops.effect[r].to_sanctuary * share / fighters[i]))) {
    const auto s = static_cast<int>(d.below(static_cast<std::uint32_t>(sanctuaries_.size())));
    cells_[cells_.state][i] = kReturning;
    cells_[cells_.sanctuary][i] = s;
    cells_[cells_.dest][i] = static_cast<std::int32_t>(sanctuary_cell(s));
  }
  if (killed + captured == 0) return;
  cells_[cells_.exposure][i] *= p_.exposure_after_engagement;
  ++day_.operations;
  actors_.provoke_share += static_cast<double>(killed) * ops.offensive[r];
  record_operation(d, step, i, killed);
}

// An operation that removed militants: its event (with the army's losses and civilians killed)
// and its collateral harm (the dead and the harmed: demolitions, displacement), which feeds
// grievance and protests (protests.hpp).
void World::record_operation(sim::RandomDraws& d, std::int64_t step, std::size_t i, int killed) {
  const auto c = static_cast<std::size_t>(cells_[cells_.cell][i]);
  std::array<std::int64_t, kGroups> k{};
  k[kMilitants] = killed;
  k[kArmy] = poisson_small(d, p_.engage_army_losses);
  k[kCivilians] = poisson_small(d, p_.engage_collateral);
  add_event(step, c, "army_operation", cells_[cells_.faction][i], "militants", k,
            std::llround(static_cast<double>(k[kArmy] + k[kCivilians]) * p_.injured_per_killed), 0,
            false);
  const double harmed = static_cast<double>(killed) * p_.operations.collateral_per_kill +
                        static_cast<double>(k[kCivilians]);
  if (harmed > 0) add_fields(c, p_.effect_radius_km, p_.grievance_collateral * harmed, 0.0);
  if (geo_.protest_region[c]) protests_.harmed_today += harmed;
}

void World::phase_army(std::int64_t step) {
  // Heat of recent attacks fades (army.heat_decay: about a 30-day time constant).
  for (auto& h : fields_.heat) h *= static_cast<float>(p_.heat_decay);
  const auto intensity = clearance_intensity();
  const auto clearing_xy = deploy_units(intensity);
  const ArmyEngagement engagement = engagement_weights(clearing_xy);
  const ArmyOperations ops = regional_operations(intensity, engagement.in_region);
  actors_.provoke_share = 0;
  engage_cells(step, engagement, ops);
  provoke(static_cast<std::int64_t>(std::lround(actors_.provoke_share)));
  actors_.command.killed_today +=
      actors_.provoke_share;  // the command's losses to offensives (strategy.*)
}

}  // namespace borderland::ttp
