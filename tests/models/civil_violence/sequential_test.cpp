// Sequential activation: every agent once a day in a random order.
#include <gtest/gtest.h>

#include "models/civil_violence/world.hpp"
#include "run_helpers.hpp"

namespace borderland::civil_violence {

namespace {
sim::Scenario sequential(const std::vector<std::string>& extra = {}) {
  std::vector<std::string> overrides{"parameters.activation=sequential",
                                     "parameters.legitimacy=0.7"};
  overrides.insert(overrides.end(), extra.begin(), extra.end());
  return sim::parse_scenario("model: civil_violence\nstart: 2000-01-01\nend: 2000-04-30\n",
                             "sequential.yaml", overrides, {&testing::model().spec()});
}
}  // namespace

TEST(CivilViolenceSequential, KeepsInvariantsAndIsDeterministicBySeed) {
  for (const char* shape : {"von_neumann", "disc", "cross", "square"})
    for (const char* order : {"move_first", "act_first"})
      for (const char* boundary : {"torus", "bounded"}) {
        SCOPED_TRACE(std::string(order) + " " + boundary);
        const auto s = sequential({std::string("parameters.vision_shape=") + shape,
                                   std::string("parameters.turn_order=") + order,
                                   std::string("parameters.grid.boundary=") + boundary});
        World w(s, Parameters::from(s.parameters));
        std::int64_t arrests = 0;
        for (std::int64_t step = 0; step < 60; ++step) {
          w.step(step);
          ASSERT_EQ(w.check_invariants(), "") << shape << " step " << step;
          sim::StepRecord record;
          record.reset(w.schema());
          w.record(record);
          ASSERT_EQ(record.series[0][0] + record.series[1][0] + record.series[2][0], 1120.0);
          ASSERT_EQ(record.events.size(), static_cast<std::size_t>(record.series[3][0]));
          ASSERT_EQ(static_cast<std::int64_t>(record.series[1][0]), w.count_state(kActive));
          arrests += static_cast<std::int64_t>(record.series[3][0]);
        }
        EXPECT_GT(arrests, 0) << shape;
      }
  // One thread or four: the same run (the activation is serial, by design).
  EXPECT_EQ(testing::active_series(sequential(), 1), testing::active_series(sequential(), 4));
  EXPECT_NE(testing::active_series(sequential(), 1),
            testing::active_series(sequential({"seed=2"}), 1));
}
TEST(CivilViolenceSequential, ActingFirstLeavesTheCellOfTheArrestEmpty) {
  // turn_order act_first (Mesa's example): a cop arrests from where it stands
  // and then moves; move_first (Epstein, NetLogo): it moves, then takes the
  // arrested citizen's cell. Either way the day's arrests are events whose
  // cell the cop took (move_first) or may have left empty (act_first).
  for (const char* order : {"move_first", "act_first"}) {
    const auto s = sequential({std::string("parameters.turn_order=") + order,
                               "parameters.movement=false", "parameters.legitimacy=0.5"});
    World w(s, Parameters::from(s.parameters));
    w.step(0);
    sim::StepRecord record;
    record.reset(w.schema());
    w.record(record);
    ASSERT_GT(record.events.size(), 0u) << order;
    std::int64_t taken = 0;
    for (const auto& e : record.events) {
      const auto x = static_cast<int>(std::get<std::int64_t>(e[2]));
      const auto y = static_cast<int>(std::get<std::int64_t>(e[3]));
      const std::int32_t who = w.occupancy()[w.grid().index(x, y)];
      taken += who == -2 - static_cast<std::int32_t>(std::get<std::int64_t>(e[0])) ? 1 : 0;
    }
    // Without movement a cop acting first never enters the cell of its arrest.
    if (std::string(order) == "move_first")
      EXPECT_EQ(taken, static_cast<std::int64_t>(record.events.size()));
    else
      EXPECT_EQ(taken, 0);
    EXPECT_EQ(w.check_invariants(), "");
  }
}

}  // namespace borderland::civil_violence
