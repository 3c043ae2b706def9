// The fast step against the plain reference step (reference_step.cpp): the
// same scenario must give bit-identical output, step by step (every series
// value, every event row, the occupancy and state rasters), across visions,
// every shape of vision, cop vision unlike citizen vision, odd and non-square
// grids, low and high densities, both roundings and several seeds.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/civil_violence/world.hpp"
#include "run_helpers.hpp"

namespace borderland::civil_violence {

namespace {

struct Case {
  int width, height, citizen_vision, cop_vision;
  std::string shape, rounding;
  double citizens, cops;
  int seed, steps;
};

std::string describe(const Case& c) {
  return std::to_string(c.width) + "x" + std::to_string(c.height) + " " + c.shape + " v" +
         std::to_string(c.citizen_vision) + "/" + std::to_string(c.cop_vision) + " density " +
         std::to_string(c.citizens) + "/" + std::to_string(c.cops) + " " + c.rounding + " seed " +
         std::to_string(c.seed);
}

sim::Scenario scenario_of(const Case& c) {
  // Legitimacy 0.7 keeps the arrest and jail phases busy; short terms make
  // releases frequent.
  return sim::parse_scenario(
      "model: civil_violence\nstart: 2000-01-01\nend: 2000-12-31\n", "reference.yaml",
      {"seed=" + std::to_string(c.seed), "parameters.grid.width=" + std::to_string(c.width),
       "parameters.grid.height=" + std::to_string(c.height),
       "parameters.citizens.vision=" + std::to_string(c.citizen_vision),
       "parameters.cops.vision=" + std::to_string(c.cop_vision),
       "parameters.citizens.density=" + std::to_string(c.citizens),
       "parameters.cops.density=" + std::to_string(c.cops), "parameters.vision_shape=" + c.shape,
       "parameters.arrest_rounding=" + c.rounding, "parameters.legitimacy=0.7",
       "parameters.max_jail_term=8"},
      {&testing::model().spec()});
}

// Steps the fast and the reference world side by side; returns the arrests seen.
std::int64_t expect_same_runs(const Case& c) {
  SCOPED_TRACE(describe(c));
  const sim::Scenario s = scenario_of(c);
  World fast(s, Parameters::from(s.parameters)), plain(s, Parameters::from(s.parameters));
  plain.use_reference_step(true);
  std::int64_t arrests = 0;
  std::vector<double> fast_state, plain_state;
  for (std::int64_t step = 0; step < c.steps; ++step) {
    fast.step(step);
    plain.step(step);
    sim::StepRecord a, b;
    a.reset(fast.schema());
    b.reset(plain.schema());
    fast.record(a);
    plain.record(b);
    EXPECT_EQ(a.series, b.series) << "step " << step;
    EXPECT_EQ(a.events, b.events) << "step " << step;
    EXPECT_EQ(fast.occupancy(), plain.occupancy()) << "step " << step;
    fast.snapshot("state", fast_state);
    plain.snapshot("state", plain_state);
    EXPECT_EQ(fast_state, plain_state) << "step " << step;
    if (::testing::Test::HasFailure()) return arrests;
    arrests += static_cast<std::int64_t>(a.series[3][0]);
  }
  EXPECT_EQ(fast.check_invariants(), "");
  EXPECT_EQ(plain.check_invariants(), "");
  EXPECT_EQ(fast.summary(), plain.summary());
  return arrests;
}

const char* const kShapes[] = {"von_neumann", "disc", "cross", "square"};

}  // namespace

TEST(CivilViolenceReference, SmallSquareGridEveryShapeAndVision) {
  // 10 x 10: visions 1 and 2 (vision 4 fills the torus but for one row).
  for (const char* shape : kShapes)
    for (const int vision : {1, 2, 4})
      for (const int seed : {1, 2}) {
        const std::int64_t arrests =
            expect_same_runs({10, 10, vision, vision, shape, "floor", 0.7, 0.04, seed, 40});
        ASSERT_FALSE(HasFailure());
        (void)arrests;
      }
}

TEST(CivilViolenceReference, OddGridEveryShapeVisionAndDensity) {
  // 37 x 53: visions 1, 2, 5, 7, 9; low and high densities; both roundings.
  std::int64_t arrests = 0;
  for (const char* shape : kShapes)
    for (const int vision : {1, 2, 5, 7, 9})
      for (const auto& [citizens, cops] : {std::pair{0.3, 0.02}, std::pair{0.8, 0.1}}) {
        const char* rounding = vision % 2 == 0 ? "round" : "floor";
        arrests +=
            expect_same_runs({37, 53, vision, vision, shape, rounding, citizens, cops, vision, 30});
        ASSERT_FALSE(HasFailure());
      }
  EXPECT_GT(arrests, 1000) << "the comparisons must cover busy arrest and jail phases";
}

TEST(CivilViolenceReference, CopVisionUnlikeCitizenVision) {
  for (const char* shape : kShapes)
    for (const auto& [citizen, cop] : {std::pair{2, 7}, std::pair{9, 5}, std::pair{7, 1}})
      for (const char* rounding : {"floor", "round"}) {
        expect_same_runs({37, 53, citizen, cop, shape, rounding, 0.7, 0.04, 3, 30});
        ASSERT_FALSE(HasFailure());
      }
}

TEST(CivilViolenceReference, LargeNonSquareGrid) {
  // 300 x 200: several bands of each colour, rows longer than a vector.
  for (const char* shape : kShapes) {
    expect_same_runs({300, 200, 9, 9, shape, "floor", 0.7, 0.04, 4, 8});
    ASSERT_FALSE(HasFailure());
  }
  expect_same_runs({300, 200, 7, 5, "von_neumann", "round", 0.8, 0.1, 5, 8});
}

}  // namespace borderland::civil_violence
