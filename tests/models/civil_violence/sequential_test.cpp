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
  for (const char* shape : {"von_neumann", "disc", "cross", "square"}) {
    const auto s = sequential({std::string("parameters.vision_shape=") + shape});
    World w(s, Parameters::from(s.parameters));
    std::int64_t arrests = 0;
    for (std::int64_t step = 0; step < 100; ++step) {
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
    EXPECT_EQ(testing::active_series(s, 1), testing::active_series(s, 4)) << shape;
  }
  EXPECT_NE(testing::active_series(sequential(), 1),
            testing::active_series(sequential({"seed=2"}), 1));
}
}  // namespace borderland::civil_violence
