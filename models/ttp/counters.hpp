#pragma once
// The run's counters: what the phases add up from day to day and summary() and the
// calibration targets read - the daily totals (one entry a day, metrics.hpp), the tension
// summed over the scored days, deaths by group since the start, the ledger of every fighter
// who entered or left, the cells spawned and removed, and the fighters in Pakistan at the last
// actors phase. (The day's own tally is DayTally, reset every step.) Checkpointed as
// attributes and datasets of /checkpoint/state/world, named as the World members they once
// were ("totals_.attacks", "ledger_.killed", ...).
#include <array>
#include <cstdint>

#include "models/ttp/metrics.hpp"
#include "models/ttp/parameters.hpp"
#include "sim/h5.hpp"

namespace borderland::ttp {

struct StateChecker;

struct Ledger {  // every fighter who enters or leaves, cumulative
  std::int64_t initial = 0, recruits = 0, released = 0, joined = 0;  // in
  std::int64_t killed = 0, arrested = 0, deserted = 0;               // out
};

struct Counters {
  DailyTotals daily;
  double tension_sum = 0;  // over the scored days (summary's mean_tension)
  std::array<std::int64_t, kGroups> cumulative_killed{};
  Ledger ledger;
  std::int64_t cells_spawned = 0, cells_removed = 0;
  std::int64_t fighters_pk = 0;  // fighters in Pakistan at the last actors phase

  void save(sim::h5::Group& world) const;
  void load(const sim::h5::Group& world);
  // Counts 0 or more; the daily series all of one length.
  void check(const StateChecker& c) const;
};

}  // namespace borderland::ttp
