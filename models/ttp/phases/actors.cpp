// Phase "actors": scripted events (events.cpp), the policies in force (policies.cpp), the Afghan
// host's tolerance and tension with Pakistan, the TTP command's strategy (strategy.*: its
// resolve, tempo, whether it accepts a ceasefire offered and when it ends one), and the
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
  kabul_responds(step);
  target *= 1.0 - p_.pressure_effect * kabul_.restraint;
  // Tension above its rest turns Kabul towards the TTP (its leverage on Islamabad).
  target += p_.kabul.tension_tolerance * std::max(0.0, tension_ - p_.tension_base) * (1.0 - target);
  host_tolerance_ += (target - host_tolerance_) / p_.tolerance_adjust_days;
  // Tension relaxes to its rest level; diplomatic pressure itself adds a little.
  tension_ += (p_.tension_base - tension_) / p_.tension_decay_days +
              p_.pressure_tension * pol_.host.intensity * (1.0 - tension_);
  tension_ = std::clamp(tension_, 0.0, 1.0);

  retaliation_ *= std::exp(-1.0 / p_.retaliation_days);
  fighters_pk_cache_ = fighters_in(true);
  command_decides(step);

  // Talks: concessions spread over the switch. Prisoners come out of custody
  // (convicted first); fighters in sanctuary are allowed home with their arms.
  if (pol_.talks.on) {
    // Protests against the TTP's return cut what the government dares deliver (protests.hpp).
    const double dared = protests::concession_factor(p_.protests, protests_.pressure);
    prisoners_due_ += pol_.talks.prisoners_per_day * dared;
    returns_due_ += pol_.talks.returns_per_day * dared;
    auto release = static_cast<std::int64_t>(prisoners_due_);
    prisoners_due_ -= static_cast<double>(release);
    release = std::min(release, convicted_ + detained_);
    if (release > 0) {
      const std::int64_t from_convicted = std::min(release, convicted_);
      convicted_ -= from_convicted;
      detained_ -= release - from_convicted;
      ledger_.released += release;
      sim::RandomDraws d(seed_, Stream::kTalks, static_cast<std::uint64_t>(step), 0);
      spawn_cell(static_cast<int>(d.below(kTtpFactions)),
                 pick_weighted(d, dest_home_, dest_home_w_), static_cast<int>(release),
                 p_.recruit_arms, kLocal, -1);
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

// The command's view of its situation today (strategy.hpp): its strength and arms, the
// militants the state has killed lately, concessions owed, the host's restraint, local support.
strategy::Situation World::situation() const {
  double fighters = 0, arms = 0;
  for (std::size_t r = 0; r < cells_.size(); ++r) {
    if (cells_[c_faction_][r] >= kTtpFactions) continue;
    fighters += cells_[c_fighters_][r];
    arms += cells_[c_fighters_][r] * cells_[c_arms_][r];
  }
  strategy::Situation s;
  s.fighters = fighters;
  s.arms = fighters > 0 ? arms / fighters : 0.0;
  s.recent_losses = command_.recent_losses;
  s.stalled_days = command_.stalled_days;
  s.host_pressure = kabul_.restraint;
  s.support = mean_support();
  s.concessions = pol_.talks.delivering ? 1.0 : 0.0;
  return s;
}

// One day of the command's strategy. Its memory moves first (losses decay and
// yesterday's dead are added; concessions owed and undelivered add a day of stall,
// which fades once nothing is owed), then it decides on today's situation:
//   an offer made (the ceasefire switch's first day) is answered at once; a declined
//   offer is reconsidered every strategy.reconsider_days while it stands;
//   a truce holding ends with the day's hazard, when its agreed term runs out, or when
//   Pakistan withdraws the offer; it is never taken up again under the same offer.
// When it ends, the losses banked while it held turn into retaliation ('now our
// retaliatory attacks will start', seed).
void World::command_decides(std::int64_t step) {
  command_.recent_losses =
      strategy::decay_losses(p_.strategy, command_.recent_losses, command_.killed_today);
  command_.killed_today = 0;
  const bool owed = pol_.talks.on || ceasefire_holding_;
  if (owed && !pol_.talks.delivering)
    command_.stalled_days += 1.0;
  else if (!owed)
    command_.stalled_days *= std::exp(-1.0 / p_.strategy.stall_memory_days);

  const strategy::Situation s = situation();
  command_.resolve = strategy::resolve(p_.strategy, s);
  command_.tempo = strategy::tempo(p_.strategy, s);
  command_.end_probability = strategy::ceasefire_end_probability(p_.strategy, s);
  sim::RandomDraws d(seed_, Stream::kCommand, static_cast<std::uint64_t>(step), 0);

  if (!pol_.ceasefire.on) command_.review = -1;                               // no offer stands
  if (pol_.ceasefire.on && pol_.ceasefire.days == 0) command_.review = step;  // a new offer
  if (ceasefire_holding_) {
    const bool term_over =
        pol_.ceasefire.term_days > 0 &&
        static_cast<double>(step - command_.holding_since) >= pol_.ceasefire.term_days;
    if (!pol_.ceasefire.on || term_over || d.bernoulli(command_.end_probability)) {
      ceasefire_holding_ = false;
      command_.review = -1;
      retaliation_ = std::min(p_.retaliation_max,
                              retaliation_ + p_.retaliation_per_death * banked_provocations_);
      banked_provocations_ = 0;
    }
  } else if (command_.review >= 0 && step >= command_.review) {
    if (d.bernoulli(strategy::accept_probability(p_.strategy, s))) {
      ceasefire_holding_ = true;
      command_.holding_since = step;
      command_.review = -1;
    } else {
      command_.review = step + static_cast<std::int64_t>(p_.strategy.reconsider_days);
    }
  }
}

}  // namespace borderland::ttp
