#include "sim/schedule.hpp"

#include <gtest/gtest.h>

namespace borderland::sim {

TEST(Schedule, RunsPhasesInOrderWithTheStepAndKeepsTheirNames) {
  Schedule schedule;
  std::vector<std::string> log;
  schedule.add("move", [&](std::int64_t step) { log.push_back("move " + std::to_string(step)); });
  schedule.add("attack",
               [&](std::int64_t step) { log.push_back("attack " + std::to_string(step)); });
  schedule.run_step(0);
  schedule.run_step(1);
  EXPECT_EQ(log, (std::vector<std::string>{"move 0", "attack 0", "move 1", "attack 1"}));
  ASSERT_EQ(schedule.phases().size(), 2u);
  EXPECT_EQ(schedule.phases()[1].name, "attack");
  EXPECT_GE(schedule.phases()[0].seconds, 0.0);
}

}  // namespace borderland::sim
