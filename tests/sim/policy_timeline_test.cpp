#include "sim/policy_timeline.hpp"

#include <gtest/gtest.h>

#include "test_spec.hpp"

namespace borderland::sim {

TEST(PolicyTimeline, KnowsWhatIsActiveOnEachDay) {
  const auto spec = testing::toy_spec();
  const Scenario s = parse_scenario(R"(
model: toy
start: 2021-01-01
end: 2021-12-31
policies:
  - {policy: talks, start: 2021-10-01, end: 2021-11-30, concessions: 0.4}
  - {policy: talks, start: 2021-12-10, concessions: 0.1}
)",
                                    "t.yaml", {}, {&spec});
  const PolicyTimeline timeline(s.policies);
  EXPECT_FALSE(timeline.is_active("talks", *Date::parse("2021-09-30")));
  EXPECT_DOUBLE_EQ(timeline.strength("talks", "concessions", *Date::parse("2021-10-01")), 0.4);
  EXPECT_DOUBLE_EQ(timeline.strength("talks", "concessions", *Date::parse("2021-11-30")), 0.4);
  EXPECT_DOUBLE_EQ(timeline.strength("talks", "concessions", *Date::parse("2021-12-01"), -1), -1);
  EXPECT_DOUBLE_EQ(timeline.strength("talks", "concessions", *Date::parse("2021-12-31")),
                   0.1);  // open end = scenario end
  EXPECT_EQ(timeline.days_active("talks", *Date::parse("2021-10-05")), 4);
  EXPECT_EQ(timeline.days_active("strikes", *Date::parse("2021-10-05")), -1);
}

}  // namespace borderland::sim
