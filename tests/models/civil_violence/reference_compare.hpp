#pragma once
// Steps the fast and the plain reference step (reference_step.cpp) side by
// side and expects bit-identical output: every series value, every event row,
// the occupancy and state rasters, step by step.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/civil_violence/world.hpp"
#include "run_helpers.hpp"

namespace borderland::civil_violence::testing {

struct Case {
  int width, height, citizen_vision, cop_vision;
  std::string shape, rounding;
  double citizens, cops;
  int seed, steps;
  std::string boundary = "torus";
};

inline std::string describe(const Case& c) {
  return std::to_string(c.width) + "x" + std::to_string(c.height) + " " + c.shape + " v" +
         std::to_string(c.citizen_vision) + "/" + std::to_string(c.cop_vision) + " density " +
         std::to_string(c.citizens) + "/" + std::to_string(c.cops) + " " + c.rounding + " seed " +
         std::to_string(c.seed) + " " + c.boundary;
}

inline sim::Scenario scenario_of(const Case& c) {
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
       "parameters.arrest_rounding=" + c.rounding, "parameters.grid.boundary=" + c.boundary,
       "parameters.legitimacy=0.7", "parameters.max_jail_term=8"},
      {&model().spec()});
}

// Steps the fast and the reference world side by side; returns the arrests seen.
inline std::int64_t expect_same_runs(const Case& c) {
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

inline const char* const kShapes[] = {"von_neumann", "disc", "cross", "square"};

}  // namespace borderland::civil_violence::testing
