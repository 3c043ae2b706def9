// Invariants of the TTP model: fighters and agents are conserved, the event
// table adds up to the series, and every shipped scenario loads.
#include <gtest/gtest.h>

#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "sim/error.hpp"
#include "sim/h5.hpp"
#include "ttp_helpers.hpp"

namespace borderland::ttp {

namespace {
// A window with talks, a ceasefire, strikes, operations, host pressure and
// events: every flow of fighters is exercised.
const std::string kBusy = R"(policies:
  - {policy: talks, start: 2021-10-01, end: 2022-06-30, prisoners_released: 200, fighters_returning: 500}
  - {policy: ceasefire, start: 2021-11-09, end: 2021-12-09, observance: 0.85}
  - {policy: cross_border_strikes, start: 2022-01-01, end: 2022-03-31, per_month: 6}
  - {policy: military_operations, start: 2022-07-01, end: 2022-12-31, intensity: 0.6, region: both}
  - {policy: host_pressure, start: 2022-03-01, end: 2022-12-31, intensity: 0.8}
  - {policy: rule_of_law, start: 2022-01-01, end: 2022-12-31}
events:
  - {event: kabul_falls, date: 2021-08-15}
  - {event: prisoners_freed, date: 2021-08-15, fighters: 300}
  - {event: splinters_rejoin, date: 2021-09-01}
  - {event: leader_killed, date: 2022-08-07}
)";
}  // namespace

TEST(TtpProperties, FightersAndAgentsAreConserved) {
  const auto s = testing::scenario_from_text("2021-06-01", "2022-12-31", kBusy);
  auto sim = testing::model().create(s);
  auto& w = dynamic_cast<World&>(*sim);
  for (std::int64_t step = 0; step < s.steps(); ++step) {
    w.step(step);
    const auto& l = w.ledger();
    const std::int64_t in = l.initial + l.recruits + l.released + l.joined;
    const std::int64_t out = l.killed + l.arrested + l.deserted;
    ASSERT_EQ(w.fighters_total(), in - out)
        << "step " << step << ": every fighter who leaves is accounted for";
    // Everyone arrested is still held or was released (by courts, talks or a prison break).
    ASSERT_EQ(w.detained() + w.convicted(), l.arrested - l.released) << "step " << step;
    ASSERT_GE(w.detained(), 0);
    ASSERT_EQ(static_cast<std::int64_t>(w.cell_count()), w.cells_spawned() - w.cells_removed())
        << "step " << step;
  }
  const auto& l = w.ledger();
  EXPECT_GT(l.recruits, 0);
  EXPECT_GT(l.killed, 0);
  EXPECT_GT(l.arrested, 0);
  EXPECT_GT(l.deserted, 0);
  EXPECT_GT(l.released, 0);
  EXPECT_GT(l.joined, 0);
  EXPECT_GT(w.cells_removed(), 0) << "cells are wiped out";
}

// The day's data flow (World::build_schedule): the phases in order, each reading and writing
// parts of the state by the names world.cpp documents, every phase writing one at least.
TEST(TtpProperties, TheScheduleNamesThePartsOfTheState) {
  const auto s = testing::scenario_from_text("2021-06-01", "2021-06-02", "");
  auto sim = testing::model().create(s);
  const auto& w = dynamic_cast<const World&>(*sim);
  const std::set<std::string> parts{
      "scenario", "geography", "policy",      "actors", "cells",    "crossing intents",
      "posts",    "army",      "sanctuaries", "fields", "protests", "suicide pipeline",
      "custody",  "counters",  "tally"};
  std::vector<std::string> names;
  for (const auto& phase : w.schedule().phases()) {
    names.push_back(phase.name);
    EXPECT_FALSE(phase.access.writes.empty()) << phase.name;
    for (const auto* list : {&phase.access.reads, &phase.access.writes})
      for (const auto& part : *list)
        EXPECT_TRUE(parts.contains(part)) << phase.name << ": " << part;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"actors", "recruitment", "movement", "border",
                                             "attacks", "policing", "army", "strikes", "host",
                                             "population", "bookkeeping"}));
}

TEST(TtpProperties, DeathsInTheEventTableAddUpToTheSeries) {
  const auto dir = testing::fresh_dir("events_sum");
  const auto out = (dir / "run.h5").string();
  const auto s = testing::scenario_from_text("2021-06-01", "2022-12-31", kBusy);
  testing::run(s, 2, out);
  sim::h5::File f(out, sim::h5::File::Mode::kReadOnly);
  const auto killed = f.open_dataset("timeseries/killed").read<std::int64_t>();
  const auto attacks = f.open_dataset("timeseries/attacks").read<std::int64_t>();
  const auto by_tactic = f.open_dataset("timeseries/attacks_by_tactic").read<std::int64_t>();
  const auto injured = f.open_dataset("timeseries/injured").read<std::int64_t>();
  const char* columns[] = {"killed_police", "killed_army", "killed_civilians", "killed_militants"};
  for (int g = 0; g < 4; ++g) {
    const auto ev = f.open_dataset(std::string("events/") + columns[g]).read<std::int64_t>();
    std::int64_t series = 0;
    for (std::size_t t = 0; t < killed.size() / 4; ++t)
      series += killed[t * 4 + static_cast<std::size_t>(g)];
    EXPECT_EQ(std::accumulate(ev.begin(), ev.end(), std::int64_t{0}), series) << columns[g];
    EXPECT_GT(series, 0) << columns[g];
  }
  const auto inj = f.open_dataset("events/injured").read<std::int64_t>();
  EXPECT_EQ(std::accumulate(inj.begin(), inj.end(), std::int64_t{0}),
            std::accumulate(injured.begin(), injured.end(), std::int64_t{0}));
  // Attack rows (tactic is one of the seven) = the attacks series = the tactic breakdown.
  const auto tactic = f.open_dataset("events/tactic").read_strings();
  std::int64_t attack_rows = 0;
  for (const auto& t : tactic)
    for (const char* name : tactics::kKindNames) attack_rows += t == name ? 1 : 0;
  EXPECT_EQ(attack_rows, std::accumulate(attacks.begin(), attacks.end(), std::int64_t{0}));
  EXPECT_EQ(attack_rows, std::accumulate(by_tactic.begin(), by_tactic.end(), std::int64_t{0}));
  // Every event carries the nearest named place.
  for (const auto& place : f.open_dataset("events/place").read_strings())
    ASSERT_FALSE(place.empty());
  // The map tables are written.
  EXPECT_EQ(f.open_group("map/places").attr_string("kind"), "table");
  EXPECT_TRUE(f.has("map/provinces/name"));
  EXPECT_TRUE(f.has("map/crossings/name"));
}

TEST(TtpProperties, EveryShippedScenarioLoads) {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(testing::source("scenarios/ttp"))) {
    if (entry.path().extension() != ".yaml") continue;
    EXPECT_NO_THROW(sim::load_scenario(entry.path().string(), {}, {&testing::model().spec()}))
        << entry.path();
    ++n;
  }
  EXPECT_GE(n, 11);
}

TEST(TtpProperties, UnknownPolicyAndBadStrengthAreInputErrors) {
  EXPECT_THROW(testing::scenario_from_text("2022-01-01", "2022-02-01",
                                           "policies:\n  - {policy: talkz, start: 2022-01-05}\n"),
               sim::InputError);
  EXPECT_THROW(testing::scenario_from_text(
                   "2022-01-01", "2022-02-01",
                   "policies:\n  - {policy: ceasefire, start: 2022-01-05, observance: 2.0}\n"),
               sim::InputError);
  EXPECT_THROW(testing::scenario_from_text("2022-01-01", "2022-02-01",
                                           "events:\n  - {event: kabul_fell, date: 2022-01-05}\n"),
               sim::InputError);
}

}  // namespace borderland::ttp
