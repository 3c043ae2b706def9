// Unit tests of the civil violence world: set-up, invariants, conservation, rules.
#include "models/civil_violence/world.hpp"

#include <gtest/gtest.h>

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
}

TEST(CivilViolenceWorld, EveryBandLayoutKeepsInvariantsAndIsThreadCountFree) {
  // Vision 7: bands are at least 14 rows. 15 rows: one band (swept whole);
  // 28: two bands, two colours; 42: three bands, a third colour for the last;
  // 70: five bands. Each must keep the invariants (one agent per cell, every
  // agent moved once a day) and give the same run on 1 and 4 threads.
  for (const int height : {15, 28, 42, 70}) {
    const auto s = small({"parameters.grid.height=" + std::to_string(height),
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

TEST(CivilViolenceWorld, SameSeedSameRunAnyThreadCountDifferentSeedDifferentRun) {
  const auto s = small({"parameters.legitimacy=0.75"});
  const auto one = testing::active_series(s, 1);
  EXPECT_EQ(one, testing::active_series(s, 2));
  EXPECT_EQ(one, testing::active_series(s, 4));
  const auto other = small({"parameters.legitimacy=0.75", "seed=2"});
  EXPECT_NE(one, testing::active_series(other, 2));
}

}  // namespace borderland::civil_violence
