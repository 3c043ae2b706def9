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
  double target = actors_.taliban_rule
                      ? (actors_.tolerance_target_override >= 0 ? actors_.tolerance_target_override
                                                                : p_.tolerance_taliban)
                      : p_.tolerance_republic;
  kabul_responds(step);
  target *= 1.0 - p_.pressure_effect * actors_.kabul.restraint;
  // Tension above its rest turns Kabul towards the TTP (its leverage on Islamabad).
  target += p_.kabul.tension_tolerance * std::max(0.0, actors_.tension - p_.tension_base) *
            (1.0 - target);
  actors_.host_tolerance += (target - actors_.host_tolerance) / p_.tolerance_adjust_days;
  // Tension relaxes to its rest level; diplomatic pressure itself adds a little.
  actors_.tension += (p_.tension_base - actors_.tension) / p_.tension_decay_days +
                     p_.pressure_tension * pol_.host.intensity * (1.0 - actors_.tension);
  actors_.tension = std::clamp(actors_.tension, 0.0, 1.0);

  actors_.retaliation *= std::exp(-1.0 / p_.retaliation_days);
  counts_.fighters_pk = fighters_in(true);
  command_decides(step);

  // Talks: concessions spread over the switch. Prisoners come out of custody
  // (convicted first); fighters in sanctuary are allowed home with their arms.
  if (pol_.talks.on) {
    // Protests against the TTP's return cut what the government dares deliver (protests.hpp).
    const double dared = protests::concession_factor(p_.protests, protests_.pressure);
    actors_.prisoners_due += pol_.talks.prisoners_per_day * dared;
    actors_.returns_due += pol_.talks.returns_per_day * dared;
    auto release = static_cast<std::int64_t>(actors_.prisoners_due);
    actors_.prisoners_due -= static_cast<double>(release);
    release = std::min(release, custody_.convicted + custody_.detained);
    if (release > 0) {
      const std::int64_t from_convicted = std::min(release, custody_.convicted);
      custody_.convicted -= from_convicted;
      custody_.detained -= release - from_convicted;
      counts_.ledger.released += release;
      sim::RandomDraws d(seed_, Stream::kTalks, static_cast<std::uint64_t>(step), 0);
      spawn_cell(static_cast<int>(d.below(kTtpFactions)),
                 pick_weighted(d, geo_.dest_home, geo_.dest_home_w), static_cast<int>(release),
                 p_.recruit_arms, kLocal, -1);
    }
    // Whole sanctuary cells come home, lowest id first, while the quota lasts.
    auto states = cells_[cells_.state];
    for (std::size_t r = 0; r < cells_.size() && actors_.returns_due >= 1.0; ++r) {
      if (states[r] != kInSanctuary || cells_[cells_.faction][r] == kBaloch) continue;
      sim::RandomDraws d(seed_, Stream::kTalks, static_cast<std::uint64_t>(step),
                         cells_.ids()[r] + 1);
      cells_[cells_.cell][r] =
          static_cast<std::int32_t>(pick_weighted(d, geo_.dest_home, geo_.dest_home_w));
      states[r] = kLocal;
      cells_[cells_.sanctuary][r] = -1;
      actors_.returns_due -= cells_[cells_.fighters][r];
      day_.crossings += cells_[cells_.fighters][r];
    }
  } else {
    actors_.prisoners_due = actors_.returns_due = 0;
  }
}

// The command's view of its situation today (strategy.hpp): its strength and arms, the
// militants the state has killed lately, concessions owed, the host's restraint, local support.
strategy::Situation World::situation() const {
  double fighters = 0, arms = 0;
  for (std::size_t r = 0; r < cells_.size(); ++r) {
    if (cells_[cells_.faction][r] >= kTtpFactions) continue;
    fighters += cells_[cells_.fighters][r];
    arms += cells_[cells_.fighters][r] * cells_[cells_.arms][r];
  }
  strategy::Situation s;
  s.fighters = fighters;
  s.arms = fighters > 0 ? arms / fighters : 0.0;
  s.recent_losses = actors_.command.recent_losses;
  s.stalled_days = actors_.command.stalled_days;
  s.host_pressure = actors_.kabul.restraint;
  s.support = fields_.mean_support(geo_.pop_pk, p_.support_from_fear);
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
  actors_.command.recent_losses = strategy::decay_losses(p_.strategy, actors_.command.recent_losses,
                                                         actors_.command.killed_today);
  actors_.command.killed_today = 0;
  const bool owed = pol_.talks.on || actors_.ceasefire_holding;
  if (owed && !pol_.talks.delivering)
    actors_.command.stalled_days += 1.0;
  else if (!owed)
    actors_.command.stalled_days *= std::exp(-1.0 / p_.strategy.stall_memory_days);

  const strategy::Situation s = situation();
  actors_.command.resolve = strategy::resolve(p_.strategy, s);
  actors_.command.tempo = strategy::tempo(p_.strategy, s);
  actors_.command.end_probability = strategy::ceasefire_end_probability(p_.strategy, s);
  sim::RandomDraws d(seed_, Stream::kCommand, static_cast<std::uint64_t>(step), 0);

  if (!pol_.ceasefire.on) actors_.command.review = -1;  // no offer stands
  if (pol_.ceasefire.on && pol_.ceasefire.days == 0) actors_.command.review = step;  // a new offer
  if (actors_.ceasefire_holding) {
    const bool term_over =
        pol_.ceasefire.term_days > 0 &&
        static_cast<double>(step - actors_.command.holding_since) >= pol_.ceasefire.term_days;
    if (!pol_.ceasefire.on || term_over || d.bernoulli(actors_.command.end_probability)) {
      actors_.ceasefire_holding = false;
      actors_.command.review = -1;
      actors_.retaliation =
          std::min(p_.retaliation_max,
                   actors_.retaliation + p_.retaliation_per_death * actors_.banked_provocations);
      actors_.banked_provocations = 0;
    }
  } else if (actors_.command.review >= 0 && step >= actors_.command.review) {
    if (d.bernoulli(strategy::accept_probability(p_.strategy, s))) {
      actors_.ceasefire_holding = true;
      actors_.command.holding_since = step;
      actors_.command.review = -1;
    } else {
      actors_.command.review = step + static_cast<std::int64_t>(p_.strategy.reconsider_days);
    }
  }
}

}  // namespace borderland::ttp
