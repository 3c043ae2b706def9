#include "sim/row_draws.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace borderland::sim {
namespace {

// Whatever a row asks for (no block, one, several, more than kMaxBlocks), and
// however far it draws past them, its draws are those of RandomDraws(seed,
// stream, step, id); so are those of rows past kMaxRows and of ids of 2^32 or more.
TEST(RowDraws, EveryRowDrawsAsRandomDraws) {
  std::vector<AgentId> ids;
  for (AgentId i = 0; i < RowDraws::kMaxRows + 20; ++i) ids.push_back(3 * i + 1);
  ids[5] = (AgentId{1} << 32) + 9;  // above the batched range
  const auto need = [](std::size_t i) { return static_cast<int>(i % 7); };  // 0 .. 6 blocks
  for (const std::size_t lo : {std::size_t{0}, std::size_t{17}}) {
    const std::size_t hi = ids.size();
    const RowDraws draws(123, StreamId{150}, 44, ids, lo, hi, need);
    for (std::size_t i = lo; i < hi; ++i) {
      RandomDraws got = draws.at(i);
      RandomDraws expected(123, StreamId{150}, 44, ids[i]);
      for (int k = 0; k < 40; ++k) ASSERT_EQ(got.next_u32(), expected.next_u32()) << i << " " << k;
    }
  }
}

TEST(RowDraws, ChunksCoverTheRangeInOrder) {
  std::vector<std::pair<std::size_t, std::size_t>> chunks;
  for_row_chunks(3, 3 + 2 * RowDraws::kMaxRows + 5,
                 [&](std::size_t lo, std::size_t hi) { chunks.emplace_back(lo, hi); });
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].first, 3u);
  EXPECT_EQ(chunks[1].first, chunks[0].second);
  EXPECT_EQ(chunks[2].first, chunks[1].second);
  EXPECT_EQ(chunks[2].second, 3 + 2 * RowDraws::kMaxRows + 5);
  for (const auto& [lo, hi] : chunks) EXPECT_LE(hi - lo, RowDraws::kMaxRows);
}

}  // namespace
}  // namespace borderland::sim
