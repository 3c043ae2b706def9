// Phase "recruitment": recruits join from local support and grievance (in
// Pakistan) or from the camps (in sanctuary, as far as the host tolerates);
// sanctuary training raises arms towards what is available (the windfall
// after August 2021); morale recovers; some fighters desert. Parallel: each
// cell writes only its own row.
#include <algorithm>
#include <cmath>

#include "models/ttp/draws.hpp"
#include "models/ttp/streams.hpp"
#include "models/ttp/world.hpp"
#include "sim/parallel.hpp"
#include "sim/row_draws.hpp"

namespace borderland::ttp {

void World::phase_recruitment(std::int64_t step) {
  const std::size_t n = cells_.size();
  cells_.intent.recruits.assign(n, 0);
  cells_.intent.deserters.assign(n, 0);
  auto fighters = cells_[cells_.fighters];
  auto arms = cells_[cells_.arms];
  auto morale = cells_[cells_.morale];
  auto exposure = cells_[cells_.exposure];
  const auto state = cells_[cells_.state];
  const auto cell = cells_[cells_.cell];
  const auto faction = cells_[cells_.faction];
  const auto ids = cells_.ids();
  const double disarm = pol_.host.disarmament * actors_.kabul.restraint;
  // Deportees in the camps are recruits for the sanctuaries (kabul.deport_recruit).
  const double camps =
      1.0 + p_.kabul.deport_recruit * actors_.kabul.deported_recent / kabul::kDeportUnit;
  const double sanctuary_cap =
      actors_.arms_available *
      (p_.sanctuary_arms_floor + (1.0 - p_.sanctuary_arms_floor) * actors_.host_tolerance) *
      (1.0 - disarm);
  const double pk_cap = p_.pakistan_arms_share *
                        (p_.initial_arms + actors_.arms_available);  // arms bought or smuggled in
  const double amnesty = pol_.talks.amnesty;

  const auto recruit = [&](std::size_t i, sim::RandomDraws& d) {
    const auto c = static_cast<std::size_t>(cell[i]);
    const double f = fighters[i];
    double rate = 0, cap = pk_cap, rearm_days = p_.pakistan_rearm_factor * p_.rearm_days;
    if (state[i] == kInSanctuary) {
      rate = p_.recruit_sanctuary_rate * actors_.host_tolerance * camps;
      cap = sanctuary_cap;
      rearm_days = p_.rearm_days;
      exposure[i] *= p_.sanctuary_exposure_decay;  // out of sight of Pakistani intelligence
    } else if (geo_.in_pakistan(c)) {
      const double pull =
          fields_.support(c, p_.support_from_fear) +
          p_.recruit_grievance_weight * std::max(0.0, fields_.grievance(c) - fields_.g_rest[c]);
      // The local network (safe houses, facilitators) that operations disrupt carries recruitment.
      rate = p_.recruit_local_rate * std::min(1.0, pull) * network_of(c);
    }
    const int recruits = integer_with_mean(d, f * rate);
    const double faction_morale = actors_.faction_morale[static_cast<std::size_t>(faction[i])];
    const double leave = p_.desertion_rate + p_.desertion_low_morale * (1.0 - morale[i]) +
                         (geo_.in_pakistan(c) ? p_.amnesty_desertion * amnesty : 0.0);
    const int deserters = std::min(fighters[i], integer_with_mean(d, f * leave));
    arms[i] += (cap - arms[i]) / rearm_days;
    if (recruits > 0) arms[i] = (arms[i] * f + p_.recruit_arms * recruits) / (f + recruits);
    morale[i] = std::min(faction_morale, morale[i] + (1.0 - morale[i]) / p_.morale_recovery_days);
    fighters[i] += recruits - deserters;
    cells_.intent.recruits[i] = recruits;
    cells_.intent.deserters[i] = deserters;
  };
  const auto active = [&](std::size_t i) { return fighters[i] > 0; };
  sim::parallel_chunks(0, n, kChunk, [&](std::size_t lo, std::size_t hi) {
    const sim::RowDraws draws(seed_, Stream::kRecruit, static_cast<std::uint64_t>(step), ids, lo,
                              hi, active);
    for (std::size_t i = lo; i < hi; ++i) {
      if (!active(i)) continue;
      sim::RandomDraws d = draws.at(i);
      recruit(i, d);
    }
  });
  for (std::size_t i = 0; i < n; ++i) {
    day_.recruits += cells_.intent.recruits[i];
    counts_.ledger.recruits += cells_.intent.recruits[i];
    counts_.ledger.deserted += cells_.intent.deserters[i];
  }
  for (auto& m : actors_.faction_morale) m = std::min(1.0, m + (1.0 - m) / p_.morale_recovery_days);
}

}  // namespace borderland::ttp
