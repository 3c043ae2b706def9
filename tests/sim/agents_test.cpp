#include "sim/agents.hpp"

#include <gtest/gtest.h>

namespace borderland::sim {

TEST(AgentStore, SpawnsRowsWithInitialValuesAndIncreasingIds) {
  AgentStore cells("cell");
  const auto fighters = cells.add_column<std::int32_t>("fighters", 10);
  const auto morale = cells.add_column<double>("morale", 0.5);
  for (int i = 0; i < 3; ++i) cells.spawn();
  ASSERT_EQ(cells.size(), 3u);
  EXPECT_EQ(cells.ids()[2], 2u);
  EXPECT_EQ(cells[fighters][1], 10);
  EXPECT_DOUBLE_EQ(cells[morale][2], 0.5);
}

TEST(AgentStore, RemovalKeepsIdOrderAndNeverReusesIds) {
  AgentStore s("a");
  const auto tag = s.add_column<std::int64_t>("tag");
  for (int i = 0; i < 6; ++i) {
    const std::size_t row = s.spawn();  // spawn first: it invalidates spans
    s[tag][row] = 100 + i;
  }
  s.mark_removed(1);
  s.mark_removed(4);
  EXPECT_EQ(s.commit_removals(), 2u);
  ASSERT_EQ(s.size(), 4u);
  const std::vector<AgentId> expected{0, 2, 3, 5};
  EXPECT_EQ(std::vector<AgentId>(s.ids().begin(), s.ids().end()), expected);
  EXPECT_EQ(s[tag][1], 102);  // columns moved with their rows
  EXPECT_EQ(s[tag][3], 105);
  const std::size_t row = s.spawn();
  EXPECT_EQ(s.ids()[row], 6u);  // id 1 and 4 are never handed out again
  EXPECT_EQ(s.commit_removals(), 0u);
}

TEST(AgentStore, FindsRowsById) {
  AgentStore s("a");
  for (int i = 0; i < 5; ++i) s.spawn();
  s.mark_removed(0);
  s.commit_removals();
  EXPECT_EQ(s.index_of(3), std::optional<std::size_t>(2));
  EXPECT_FALSE(s.index_of(0));
  EXPECT_FALSE(s.index_of(99));
}

}  // namespace borderland::sim
