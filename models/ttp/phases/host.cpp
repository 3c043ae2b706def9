// Phase "host": what Kabul does under Pakistani pressure, as far as its
// restraint goes (kabul.hpp: it follows the demand as far as Kabul complies -
// more when paid, less when relations are tense - and its cohesion allows).
// Sanctuaries near the border are moved away from it, cells in them with
// them; disarmament strips arms from cells in sanctuary. Partial and costly
// (the Crisis Group commentary (2023)). Also Kabul's day (kabul_responds).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "models/ttp/streams.hpp"
#include "models/ttp/world.hpp"

namespace borderland::ttp {

namespace {
// "angoor_adda" -> "angoor adda": the choice names the map's crossing by its lower-case start.
bool names(const std::string& choice, const std::string& crossing) {
  if (choice == "all") return true;
  if (crossing.size() < choice.size()) return false;
  for (std::size_t i = 0; i < choice.size(); ++i) {
    const char want = choice[i] == '_' ? ' ' : choice[i];
    if (std::tolower(static_cast<unsigned char>(crossing[i])) != want) return false;
  }
  return true;
}
}  // namespace

// Whether the crossing point nearest to `cell` is closed today (crossing_closure).
bool World::crossing_closed_near(std::size_t cell) const {
  if (pol_.closure.crossing.empty() || map_->crossings.empty()) return false;
  const int cx = static_cast<int>(cell) % geo_.nx, cy = static_cast<int>(cell) / geo_.nx;
  const MapCrossing* nearest = nullptr;
  double best = std::numeric_limits<double>::infinity();
  for (const auto& x : map_->crossings) {
    const double dx = (x.ix - cx) * geo_.km_x, dy = (x.iy - cy) * geo_.km_y;
    if (dx * dx + dy * dy < best) best = dx * dx + dy * dy, nearest = &x;
  }
  return names(pol_.closure.crossing, nearest->name);
}

// Kabul's day (kabul.hpp), run from phase "actors" before tolerance and tension move:
// restraint follows Pakistan's demand as far as Kabul complies and its cohesion allows, and
// costs cohesion; deportations and closed crossings raise tension (strikes do so in
// phases/strikes.cpp); deportees add grievance where they cross and recruits in the camps.
void World::kabul_responds(std::int64_t) {
  const kabul::Parameters& k = p_.kabul;
  if (actors_.kabul.undocumented < 0) actors_.kabul.undocumented = k.undocumented_afghans;
  const double demand = pol_.host.intensity * compliance();
  actors_.kabul.restraint +=
      (std::min(demand, actors_.kabul.cohesion) - actors_.kabul.restraint) / k.restraint_days;
  actors_.kabul.cohesion += -k.cohesion_cost * actors_.kabul.restraint +
                            (1.0 - actors_.kabul.cohesion) / k.cohesion_recovery_days;
  actors_.kabul.cohesion = std::clamp(actors_.kabul.cohesion, 0.0, 1.0);
  // Deportation.
  const double deported = std::min(actors_.kabul.undocumented, pol_.deportation.per_day);
  actors_.kabul.undocumented -= deported;
  actors_.kabul.deported_recent =
      actors_.kabul.deported_recent * std::exp(-1.0 / k.deport_memory_days) + deported;
  if (deported > 0) {
    actors_.tension += k.deport_tension * deported / kabul::kDeportUnit * (1.0 - actors_.tension);
    const double g = k.deport_grievance * deported / kabul::kDeportUnit /
                     static_cast<double>(std::max<std::size_t>(1, map_->crossings.size()));
    for (const auto& x : map_->crossings)
      add_fields(static_cast<std::size_t>(x.iy) * static_cast<std::size_t>(geo_.nx) +
                     static_cast<std::size_t>(x.ix),
                 p_.effect_radius_km, g, 0.0);
  }
  // Closed crossings: trade and transit lost.
  if (!pol_.closure.crossing.empty()) {
    int closed = 0;
    for (const auto& x : map_->crossings) closed += names(pol_.closure.crossing, x.name) ? 1 : 0;
    for (int c = 0; c < closed; ++c) actors_.tension += k.closure_tension * (1.0 - actors_.tension);
  }
  actors_.tension = std::clamp(actors_.tension, 0.0, 1.0);
}

void World::phase_host(std::int64_t step) {
  if (actors_.kabul.restraint <= 0) return;
  const double comply = actors_.kabul.restraint;
  // Disarmament.
  auto arms = cells_[cells_.arms];
  const double strip = p_.disarm_rate_scale * pol_.host.disarmament * comply;
  for (std::size_t i = 0; i < cells_.size(); ++i)
    if (cells_[cells_.state][i] == kInSanctuary) arms[i] *= 1.0 - strip;
  // Relocation, sanctuary by sanctuary in id order.
  for (std::size_t s = 0; s < sanctuaries_.size(); ++s) {
    const auto here = static_cast<std::size_t>(sanctuaries_[sanctuaries_.cell][s]);
    if (-geo_.border_km[here] >= pol_.host.relocation_km) continue;
    sim::RandomDraws d(seed_, Stream::kHost, static_cast<std::uint64_t>(step),
                       sanctuaries_.ids()[s]);
    if (!d.bernoulli(p_.relocation_rate * comply)) continue;
    // geo_.af_deep is sorted deepest first: candidates are its prefix beyond the distance.
    const auto end = std::partition_point(
        geo_.af_deep.begin(), geo_.af_deep.end(),
        [&](std::int32_t c) { return -geo_.border_km[c] >= pol_.host.relocation_km; });
    const auto count = static_cast<std::size_t>(end - geo_.af_deep.begin());
    if (count == 0) continue;
    // The nearest of a few random candidates.
    const int hx = static_cast<int>(here) % geo_.nx, hy = static_cast<int>(here) / geo_.nx;
    std::int32_t best = -1;
    double best_d = std::numeric_limits<double>::infinity();
    for (int k = 0; k < static_cast<int>(p_.relocation_candidates); ++k) {
      const std::int32_t c = geo_.af_deep[d.below(static_cast<std::uint32_t>(count))];
      const double dx = (c % geo_.nx - hx) * geo_.km_x, dy = (c / geo_.nx - hy) * geo_.km_y;
      if (dx * dx + dy * dy < best_d) best_d = dx * dx + dy * dy, best = c;
    }
    sanctuaries_[sanctuaries_.cell][s] = best;
    for (std::size_t i = 0; i < cells_.size(); ++i)
      if (cells_[cells_.state][i] == kInSanctuary &&
          cells_[cells_.sanctuary][i] == static_cast<std::int32_t>(s))
        cells_[cells_.cell][i] = best;
  }
}

}  // namespace borderland::ttp
