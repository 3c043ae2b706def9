// The run's counters: checkpoint and checks (counters.hpp).
#include "models/ttp/counters.hpp"

#include <array>
#include <string>
#include <utility>

#include "models/ttp/checkpoint_io.hpp"
#include "models/ttp/state_checker.hpp"

namespace borderland::ttp {

namespace {
// The daily series under their checkpoint names, totals_.attacks first.
template <class Totals>
auto daily_series(Totals& t) {
  using Entry = std::pair<const char*, decltype(&t.attacks)>;
  return std::to_array<Entry>({{"totals_.attacks", &t.attacks},
                               {"totals_.attacks_kp", &t.attacks_kp},
                               {"totals_.police_killed", &t.police_killed},
                               {"totals_.police_killed_kp", &t.police_killed_kp},
                               {"totals_.police_incidents_kp", &t.police_incidents_kp},
                               {"totals_.attack_victims", &t.attack_victims},
                               {"totals_.max_attack_deaths", &t.max_attack_deaths},
                               {"totals_.attacks_over_threshold", &t.attacks_over_threshold}});
}

template <class L>
auto ledger_entries(L& l) {
  using Entry = std::pair<const char*, decltype(&l.initial)>;
  return std::to_array<Entry>({{"ledger_.initial", &l.initial},
                               {"ledger_.recruits", &l.recruits},
                               {"ledger_.released", &l.released},
                               {"ledger_.joined", &l.joined},
                               {"ledger_.killed", &l.killed},
                               {"ledger_.arrested", &l.arrested},
                               {"ledger_.deserted", &l.deserted}});
}
}  // namespace

void Counters::save(sim::h5::Group& world) const {
  using checkpoint::put;
  put(world, "fighters_pk_cache_", fighters_pk);
  for (const auto& [name, v] : ledger_entries(ledger)) put(world, name, *v);
  put(world, "cells_spawned_", cells_spawned);
  put(world, "cells_removed_", cells_removed);
  for (const auto& [name, v] : daily_series(daily)) put(world, name, *v);
  put(world, "tension_sum_", tension_sum);
  put(world, "cumulative_killed_", cumulative_killed);
}

void Counters::load(const sim::h5::Group& world) {
  using checkpoint::get;
  get(world, "fighters_pk_cache_", fighters_pk);
  for (const auto& [name, v] : ledger_entries(ledger)) get(world, name, *v);
  get(world, "cells_spawned_", cells_spawned);
  get(world, "cells_removed_", cells_removed);
  for (const auto& [name, v] : daily_series(daily)) checkpoint::get_growing(world, name, *v);
  get(world, "tension_sum_", tension_sum);
  get(world, "cumulative_killed_", cumulative_killed);
}

void Counters::check(const StateChecker& c) const {
  c.all<std::int64_t>("cumulative_killed_", cumulative_killed, 0);
  c.finite("tension_sum_", tension_sum);
  for (const auto& [name, v] : {std::pair{"fighters_pk_cache_", fighters_pk},
                                {"cells_spawned_", cells_spawned},
                                {"cells_removed_", cells_removed}})
    c.count(name, v);
  for (const auto& [name, v] : ledger_entries(ledger)) c.count(name, *v);
  // The daily totals grow by one entry a day, all together (DailyTotals::add_day).
  for (const auto& [name, v] : daily_series(daily)) {
    if (v->size() != daily.attacks.size())
      c.fail(std::string("world/") + name,
             fmt::format("has {} days, totals_.attacks {}; expected the same number", v->size(),
                         daily.attacks.size()));
    c.all<std::int64_t>(name, *v, 0);
  }
}

}  // namespace borderland::ttp
