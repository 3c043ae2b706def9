// Unit tests of the civil violence world: set-up, invariants, conservation, rules.
#include "models/civil_violence/world.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <variant>

#include "run_helpers.hpp"
#include "sim/error.hpp"

namespace borderland::civil_violence {

using testing::model;

namespace {
sim::Scenario small(const std::vector<std::string>& overrides = {}) {
  return sim::parse_scenario("model: civil_violence\nstart: 2000-01-01\nend: 2000-12-31\n",
                             "small.yaml", overrides, {&model().spec()});
}
}  // namespace

TEST(CivilViolenceWorld, PlacesExactCountsOnDistinctCells) {
  const auto s = small();
  const World w(s, Parameters::from(s.parameters));
  EXPECT_EQ(w.citizen_count(), 1120u);  // 0.7 * 1600
  EXPECT_EQ(w.cop_count(), 64u);        // 0.04 * 1600
  EXPECT_EQ(w.check_invariants(), "");
}

TEST(CivilViolenceWorld, KeepsInvariantsAndConservesCitizensEveryStep) {
  for (const char* shape : {"square", "cross"}) {
    const auto s =
        small({std::string("parameters.vision_shape=") + shape, "parameters.legitimacy=0.7"});
    World w(s, Parameters::from(s.parameters));
    sim::StepRecord record;
    std::int64_t arrests = 0, jailed_before = 0;
    for (std::int64_t step = 0; step < 300; ++step) {
      w.step(step);
      ASSERT_EQ(w.check_invariants(), "") << shape << " step " << step;
      record.reset(w.schema());
      w.record(record);
      const double total = record.series[0][0] + record.series[1][0] + record.series[2][0];
      ASSERT_EQ(total, 1120.0) << "citizens are neither created nor lost";
      ASSERT_EQ(record.events.size(), static_cast<std::size_t>(record.series[3][0]))
          << "one event per arrest";
      arrests += static_cast<std::int64_t>(record.series[3][0]);
      jailed_before = static_cast<std::int64_t>(record.series[2][0]);
    }
    EXPECT_GT(arrests, 0) << shape << ": a legitimacy of 0.7 must provoke arrests";
    EXPECT_LE(jailed_before, arrests);
  }
}

TEST(CivilViolenceWorld, FullLegitimacyMeansNobodyRebels) {
  // G = H (1 - L) = 0 < T: Epstein's rule admits no activity at all.
  const auto s = small({"parameters.legitimacy=1.0"});
  World w(s, Parameters::from(s.parameters));
  for (std::int64_t step = 0; step < 50; ++step) w.step(step);
  EXPECT_EQ(w.count_state(kActive), 0);
  EXPECT_EQ(w.count_state(kJailed), 0);
}

TEST(CivilViolenceWorld, WithoutCopsEveryAggrievedCitizenRebels) {
  // No cops: P = 0, so exactly the citizens with H (1 - L) > T are active.
  const auto s = small({"parameters.cops.density=0", "parameters.legitimacy=0.5"});
  World w(s, Parameters::from(s.parameters));
  w.step(0);
  const double expected_share = 0.8;  // P(H * 0.5 > 0.1) = P(H > 0.2)
  EXPECT_NEAR(static_cast<double>(w.count_state(kActive)) / 1120.0, expected_share, 0.05);
}

TEST(CivilViolenceWorld, AmongManyCopsAFreeArrestStillLetsEveryAggrievedCitizenRebel) {
  // k = 0: P = 0 whatever the count, so again exactly the citizens with
  // H (1 - L) > T turn active, although about 112 cops are in every window
  // (n = floor(C / (A + 1)) far beyond where P saturates for k > 0: the quiet
  // bound of World::quiet_at must reach the end of its table).
  const auto s = small({"parameters.arrest_constant=0", "parameters.cops.density=0.5",
                        "parameters.citizens.density=0.45", "parameters.legitimacy=0.5",
                        "parameters.movement=false"});
  World w(s, Parameters::from(s.parameters));
  std::vector<double> grievance;
  w.snapshot("grievance", grievance);
  std::int64_t aggrieved = 0;
  for (const double g : grievance) aggrieved += g > 0.1 ? 1 : 0;
  ASSERT_GT(aggrieved, 400);
  w.step(0);
  sim::StepRecord record;
  record.reset(w.schema());
  w.record(record);
  // Each cop jails one of them the same day: active now, or arrested.
  EXPECT_EQ(w.count_state(kActive) + static_cast<std::int64_t>(record.series[3][0]), aggrieved);
  EXPECT_EQ(w.check_invariants(), "");
}

TEST(CivilViolenceWorld, LegitimacyShiftRampsLinearlyAndJumps) {
  const auto s = small(
      {"policies=[{policy: legitimacy_shift, start: 2000-01-11, delta: -0.2, ramp_days: 10}]"});
  World w(s, Parameters::from(s.parameters));
  std::vector<double> seen;
  for (std::int64_t step = 0; step < 25; ++step) {
    w.step(step);
    seen.push_back(w.legitimacy());
  }
  EXPECT_DOUBLE_EQ(seen[9], 0.82);           // before the start
  EXPECT_DOUBLE_EQ(seen[10], 0.82);          // first day: nothing phased in yet
  EXPECT_NEAR(seen[15], 0.82 - 0.1, 1e-12);  // half way
  EXPECT_NEAR(seen[24], 0.62, 1e-12);        // fully phased in
}

TEST(CivilViolenceWorld, RejectsImpossibleCombinations) {
  const auto crowded = small({"parameters.citizens.density=0.97", "parameters.cops.density=0.05"});
  EXPECT_THROW(World(crowded, Parameters::from(crowded.parameters)), sim::InputError);
  const auto wide = small({"parameters.citizens.vision=25"});
  EXPECT_THROW(World(wide, Parameters::from(wide.parameters)), sim::InputError);
  const auto bounded_wide =
      small({"parameters.citizens.vision=25", "parameters.grid.boundary=bounded"});
  EXPECT_THROW(World(bounded_wide, Parameters::from(bounded_wide.parameters)), sim::InputError);
  const auto parallel_act_first = small({"parameters.turn_order=act_first"});
  EXPECT_THROW(World(parallel_act_first, Parameters::from(parallel_act_first.parameters)),
               sim::InputError);
}

TEST(CivilViolenceWorld, EveryBandLayoutKeepsInvariantsAndIsThreadCountFree) {
  // Vision 7: bands are at least 14 rows, an even number of them. 15 rows: one
  // band (swept whole); 28: two bands; 42: two bands of 21 rows (three would
  // fit, but an odd count cannot alternate two colours round the torus); 70:
  // four bands. Each must keep the invariants (one agent per cell, every agent
  // moved once a day) and give the same run on 1 and 4 threads, on a torus
  // and on a bounded grid.
  for (const char* boundary : {"torus", "bounded"})
    for (const int height : {15, 28, 42, 70}) {
      SCOPED_TRACE(boundary);
      const auto s = small({"parameters.grid.height=" + std::to_string(height),
                            std::string("parameters.grid.boundary=") + boundary,
                            "parameters.legitimacy=0.7", "end=2000-03-01"});
      World w(s, Parameters::from(s.parameters));
      std::int64_t arrests = 0;
      for (std::int64_t step = 0; step < 60; ++step) {
        w.step(step);
        ASSERT_EQ(w.check_invariants(), "") << height << " rows, step " << step;
        sim::StepRecord record;
        record.reset(w.schema());
        w.record(record);
        arrests += static_cast<std::int64_t>(record.series[3][0]);
      }
      EXPECT_GT(arrests, 0) << height << " rows";
      EXPECT_EQ(testing::active_series(s, 1), testing::active_series(s, 4)) << height << " rows";
    }
}

TEST(CivilViolenceWorld, ReleasedCitizensReappearWithinVisionOfTheirArrestWhenDue) {
  // Movement off: a citizen is where the jail phase put it until it is
  // arrested again. Every arrest event gives the cell and the term; the citizen
  // must be back on the grid after the step of its release day (or, when no
  // cell was free, a later one), at most `vision` cells from its arrest.
  const auto s = small(
      {"parameters.legitimacy=0.7", "parameters.movement=false", "parameters.max_jail_term=5"});
  World w(s, Parameters::from(s.parameters));
  const int side = 40, vision = 7;
  struct Sentence {
    int x, y;
    std::int64_t due;
  };
  std::map<std::int64_t, Sentence> in_jail;  // by citizen id (= row)
  std::int64_t released = 0, late = 0;
  auto wrapped = [&](int d) { return (d + side + side / 2) % side - side / 2; };
  for (std::int64_t step = 0; step < 200; ++step) {
    w.step(step);
    sim::StepRecord record;
    record.reset(w.schema());
    w.record(record);
    for (const auto& e : record.events) {  // cop, citizen, x, y, jail_term
      const auto citizen = std::get<std::int64_t>(e[1]);
      ASSERT_EQ(in_jail.count(citizen), 0u) << "citizen " << citizen << " arrested while in jail";
      in_jail[citizen] = {static_cast<int>(std::get<std::int64_t>(e[2])),
                          static_cast<int>(std::get<std::int64_t>(e[3])),
                          step + std::get<std::int64_t>(e[4])};
    }
    const auto& occupant = w.occupancy();
    std::map<std::int64_t, int> on_grid;
    for (std::size_t c = 0; c < occupant.size(); ++c)
      if (occupant[c] >= 0) on_grid[occupant[c]] = static_cast<int>(c);
    for (auto it = in_jail.begin(); it != in_jail.end();) {
      const auto cell = on_grid.find(it->first);
      if (cell == on_grid.end()) {  // still in jail: its day has not come, or no cell was free
        late += it->second.due < step ? 1 : 0;
        ++it;
        continue;
      }
      ASSERT_GE(step, it->second.due) << "citizen " << it->first << " released early";
      ASSERT_LE(std::abs(wrapped(cell->second % side - it->second.x)), vision);
      ASSERT_LE(std::abs(wrapped(cell->second / side - it->second.y)), vision);
      ++released;
      it = in_jail.erase(it);
    }
    ASSERT_EQ(static_cast<std::int64_t>(in_jail.size()), w.count_state(kJailed));
  }
  std::printf("%lld releases, %lld citizen-days past the release day\n",
              static_cast<long long>(released), static_cast<long long>(late));
  EXPECT_GT(released, 100) << "a legitimacy of 0.7 must keep the jail busy";
  EXPECT_LT(late, released / 20) << "with ~26 % of cells empty nearly everyone leaves on time";
}

TEST(CivilViolenceWorld, MovesStayInVisionAndFavourNoDirection) {
  // Agents move one at a time, so a fixed scan order would push them towards
  // the rows already swept (a row-by-row sweep: 1.2 cells a day). The sweep
  // visits rows in a random order, each in a random direction: neither over
  // the run nor on any one day may the crowd drift. Full legitimacy: nobody
  // rebels, everybody moves.
  const auto s = small({"parameters.legitimacy=1.0"});
  World w(s, Parameters::from(s.parameters));
  const int side = 40, vision = 7, days = 200;
  auto positions = [&] {
    std::vector<int> where(w.citizen_count(), -1);
    const auto& occupant = w.occupancy();
    for (std::size_t c = 0; c < static_cast<std::size_t>(side * side); ++c)
      if (occupant[c] >= 0) where[static_cast<std::size_t>(occupant[c])] = static_cast<int>(c);
    return where;
  };
  auto wrapped = [&](int d) { return (d + side + side / 2) % side - side / 2; };
  double sum_x = 0, sum_y = 0, sum_sq = 0, sway_x = 0, sway_y = 0;
  std::int64_t moves = 0, stays = 0;
  std::vector<int> before = positions();
  for (std::int64_t step = 0; step < days; ++step) {
    w.step(step);
    const std::vector<int> after = positions();
    double day_x = 0, day_y = 0;
    for (std::size_t i = 0; i < before.size(); ++i) {
      const int dx = wrapped(after[i] % side - before[i] % side);
      const int dy = wrapped(after[i] / side - before[i] / side);
      ASSERT_LE(std::abs(dx), vision);
      ASSERT_LE(std::abs(dy), vision);
      if (dx == 0 && dy == 0) {
        ++stays;
        continue;
      }
      day_x += dx, day_y += dy, sum_sq += dx * dx + dy * dy;
      ++moves;
    }
    sum_x += day_x, sum_y += day_y;
    const auto citizens = static_cast<double>(before.size());
    sway_x += std::abs(day_x) / citizens, sway_y += std::abs(day_y) / citizens;
    before = after;
  }
  // 26 % of cells are empty, so 16 probes nearly always find one (0.74^16 < 1 %).
  EXPECT_LT(static_cast<double>(stays), 0.02 * static_cast<double>(moves + stays));
  const double n = static_cast<double>(moves);
  const double standard_error = std::sqrt(sum_sq / 2.0 / n / n);  // per axis, whole run
  EXPECT_LT(std::abs(sum_x / n), 4 * standard_error) << "drift east-west";
  EXPECT_LT(std::abs(sum_y / n), 4 * standard_error) << "drift north-south";
  // A day's mean step along an axis is noise of about 0.13 cells (sd 4.3 over
  // 1120 moves), so its mean size is about 0.1; a sway would be near 1.
  EXPECT_LT(sway_x / days, 0.25) << "day-to-day sway east-west";
  EXPECT_LT(sway_y / days, 0.25) << "day-to-day sway north-south";
}

TEST(CivilViolenceWorld, SameSeedSameRunAnyThreadCountDifferentSeedDifferentRun) {
  const auto s = small({"parameters.legitimacy=0.75"});
  const auto one = testing::active_series(s, 1);
  EXPECT_EQ(one, testing::active_series(s, 2));
  EXPECT_EQ(one, testing::active_series(s, 4));
  const auto other = small({"parameters.legitimacy=0.75", "seed=2"});
  EXPECT_NE(one, testing::active_series(other, 2));
}

}  // namespace borderland::civil_violence

namespace borderland::civil_violence {

TEST(CivilViolenceWorld, OnABoundedGridMovesNeverWrapAndCornersMoveAsOften) {
  // Nothing lies beyond a bounded grid's edges: no move crosses one, and a
  // probe off the grid is no attempt, so an agent in a corner, whose window
  // is about a quarter of the diamond, still finds an empty cell nearly
  // always (were such probes failed attempts, about a quarter would stay put).
  const auto s = small({"parameters.legitimacy=1.0", "parameters.grid.boundary=bounded"});
  World w(s, Parameters::from(s.parameters));
  const int side = 40, vision = 7;
  auto positions = [&] {
    std::vector<int> where(w.citizen_count(), -1);
    const auto& occupant = w.occupancy();
    for (std::size_t c = 0; c < occupant.size(); ++c)
      if (occupant[c] >= 0) where[static_cast<std::size_t>(occupant[c])] = static_cast<int>(c);
    return where;
  };
  auto in_corner = [&](int c) {
    const int x = c % side, y = c / side;
    return (x < 2 || x >= side - 2) && (y < 2 || y >= side - 2);
  };
  std::int64_t corner_turns = 0, corner_stays = 0, edge_moves = 0;
  std::vector<int> before = positions();
  for (std::int64_t step = 0; step < 200; ++step) {
    w.step(step);
    ASSERT_EQ(w.check_invariants(), "") << "step " << step;
    const std::vector<int> after = positions();
    for (std::size_t i = 0; i < before.size(); ++i) {
      const int dx = after[i] % side - before[i] % side, dy = after[i] / side - before[i] / side;
      ASSERT_LE(std::abs(dx) + std::abs(dy), vision) << "a move within the diamond, unwrapped";
      if (in_corner(before[i])) {
        ++corner_turns;
        corner_stays += dx == 0 && dy == 0 ? 1 : 0;
      }
      const int x = before[i] % side, y = before[i] / side;
      edge_moves += (x < vision || y < vision || x >= side - vision || y >= side - vision) ? 1 : 0;
    }
    before = after;
  }
  ASSERT_GT(corner_turns, 1000);
  EXPECT_GT(edge_moves, 10000);
  EXPECT_LT(static_cast<double>(corner_stays), 0.05 * static_cast<double>(corner_turns))
      << corner_stays << " of " << corner_turns << " turns in a corner stayed put";
}

}  // namespace borderland::civil_violence
