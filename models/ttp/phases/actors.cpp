// Phase "actors": scripted events (events.cpp), the policies in force (policies.cpp), the Afghan
// host's tolerance and tension with Pakistan, the TTP command's posture, the ceasefire and the
// concessions of talks. Global state only; sequential.
#include <algorithm>
#include <cmath>

#include "models/ttp/streams.hpp"
#include "models/ttp/world.hpp"

namespace borderland::ttp {

void World::phase_actors(std::int64_t step) {
  const sim::Date date = start_.plus_days(static_cast<int>(step));
  if (auto it = events_by_step_.find(step); it != events_by_step_.end())
    for (const auto& [kind, e] : it->second)
      (this->*kind->apply)(SwitchValues(kind->spec, e.fields), step);
  pol_ = read_policies(policies_, date, p_);

  // Host tolerance relaxes towards its target; pressure lowers the target as
  // far as Kabul complies.
  double target = taliban_rule_ ? (tolerance_target_override_ >= 0 ? tolerance_target_override_
                                                                   : p_.tolerance_taliban)
                                : p_.tolerance_republic;
  target *= 1.0 - p_.pressure_effect * pol_.host.intensity * compliance();
  host_tolerance_ += (target - host_tolerance_) / p_.tolerance_adjust_days;
  // Tension relaxes to its rest level; diplomatic pressure itself adds a little.
  tension_ += (p_.tension_base - tension_) / p_.tension_decay_days +
              0.002 * pol_.host.intensity * (1.0 - tension_);
  tension_ = std::clamp(tension_, 0.0, 1.0);

  // Ceasefire: starts holding when its switch starts; collapses when state
  // action has killed too many militants; when it ends, the banked
  // provocations turn into retaliation ('now our retaliatory attacks will start', seed).
  if (pol_.ceasefire.on && !was_ceasefire_switch_) {
    ceasefire_holding_ = true;
    ceasefire_killed_ = 0;
  }
  if (ceasefire_holding_ &&
      (!pol_.ceasefire.on || ceasefire_killed_ > pol_.ceasefire.provocation_limit)) {
    ceasefire_holding_ = false;
    retaliation_ = std::min(p_.retaliation_max,
                            retaliation_ + p_.retaliation_per_death * banked_provocations_);
    banked_provocations_ = 0;
  }
  was_ceasefire_switch_ = pol_.ceasefire.on;
  retaliation_ *= std::exp(-1.0 / p_.retaliation_days);
  fighters_pk_cache_ = fighters_in(true);

  // Talks: concessions spread over the switch. Prisoners come out of custody
  // (convicted first); fighters in sanctuary are allowed home with their arms.
  if (pol_.talks.on) {
    prisoners_due_ += pol_.talks.prisoners_per_day;
    returns_due_ += pol_.talks.returns_per_day;
    auto release = static_cast<std::int64_t>(prisoners_due_);
    prisoners_due_ -= static_cast<double>(release);
    release = std::min(release, convicted_ + detained_);
    if (release > 0) {
      const std::int64_t from_convicted = std::min(release, convicted_);
      convicted_ -= from_convicted;
      detained_ -= release - from_convicted;
      ledger_.released += release;
      sim::RandomDraws d(seed_, Stream::kTalks, static_cast<std::uint64_t>(step), 0);
      spawn_cell(static_cast<int>(d.below(3)), pick_weighted(d, dest_home_, dest_home_w_),
                 static_cast<int>(release), p_.recruit_arms, kLocal, -1);
    }
    // Whole sanctuary cells come home, lowest id first, while the quota lasts.
    auto states = cells_[c_state_];
    for (std::size_t r = 0; r < cells_.size() && returns_due_ >= 1.0; ++r) {
      if (states[r] != kInSanctuary || cells_[c_faction_][r] == kBaloch) continue;
      sim::RandomDraws d(seed_, Stream::kTalks, static_cast<std::uint64_t>(step),
                         cells_.ids()[r] + 1);
      cells_[c_cell_][r] = static_cast<std::int32_t>(pick_weighted(d, dest_home_, dest_home_w_));
      states[r] = kLocal;
      cells_[c_sanctuary_][r] = -1;
      returns_due_ -= cells_[c_fighters_][r];
      day_.crossings += cells_[c_fighters_][r];
    }
  } else {
    prisoners_due_ = returns_due_ = 0;
  }
}

}  // namespace borderland::ttp
