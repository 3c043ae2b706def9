#include "sim/philox_batch.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "sim/error.hpp"

namespace borderland::sim {
namespace {

using Implementation = std::function<bool(std::uint64_t, StreamId, std::uint64_t, std::uint64_t,
                                          std::size_t, const BlockWords&)>;

// Words for `count` blocks, each list one word longer: that last word is a
// sentinel no implementation may touch.
struct BlockLists {
  std::vector<std::uint32_t> w[4];
  explicit BlockLists(std::size_t count) {
    for (auto& v : w) v.assign(count + 1, kSentinel);
  }
  BlockWords words() { return {w[0], w[1], w[2], w[3]}; }
  static constexpr std::uint32_t kSentinel = 0xDEADBEEFu;
};

// Block i must be the first four words of RandomDraws(seed, stream, step,
// subject(i)), and nothing past the count written.
template <class Subject>
void expect_blocks(const BlockLists& lists, std::size_t count, std::uint64_t seed, StreamId stream,
                   std::uint64_t step, const Subject& subject, const std::string& name) {
  for (std::size_t i = 0; i < count; ++i) {
    RandomDraws expected(seed, stream, step, subject(i));
    for (std::size_t k = 0; k < 4; ++k)
      ASSERT_EQ(lists.w[k][i], expected.next_u32())
          << name << " seed " << seed << " subject " << subject(i) << " word " << k;
  }
  for (const auto& v : lists.w)
    ASSERT_EQ(v[count], BlockLists::kSentinel) << name << " wrote past the last block";
}

// Every word of every block against RandomDraws itself, for runs of many
// lengths (the vector paths work 8 or 16 subjects at a time, then a tail) and
// subjects around the 2^32 boundary, where the counter's high word changes.
void expect_same_as_random_draws(const Implementation& blocks, const std::string& name) {
  const std::uint64_t seeds[] = {0, 42, 0xFFFFFFFFFFFFFFFFull, 0x123456789ABCDEFull};
  const std::uint64_t firsts[] = {0, 1000, (std::uint64_t{1} << 32) - 20,
                                  (std::uint64_t{7} << 32) + 3};
  const std::size_t counts[] = {0, 1, 7, 8, 9, 15, 16, 17, 33, 100};
  for (const std::uint64_t seed : seeds)
    for (const std::uint64_t first : firsts)
      for (const std::size_t count : counts) {
        BlockLists lists(count);
        const std::uint64_t step = seed % 1000 + (std::uint64_t{1} << 33);  // high step bits
        if (!blocks(seed, 107, step, first, count, lists.words()))
          GTEST_SKIP() << name << ": no CPU support";
        expect_blocks(
            lists, count, seed, 107, step, [&](std::size_t i) { return first + i; }, name);
        if (testing::Test::HasFatalFailure()) return;
      }
}

TEST(FirstBlocks, PlainPathMatchesRandomDraws) {
  expect_same_as_random_draws(
      [](auto... a) {
        detail::first_blocks_plain(a...);
        return true;
      },
      "plain");
}

TEST(FirstBlocks, Avx2PathMatchesRandomDraws) {
  expect_same_as_random_draws([](auto... a) { return detail::first_blocks_avx2(a...); }, "avx2");
}

TEST(FirstBlocks, Avx512PathMatchesRandomDraws) {
  expect_same_as_random_draws([](auto... a) { return detail::first_blocks_avx512(a...); },
                              "avx512");
}

TEST(FirstBlocks, DispatchedPathMatchesRandomDraws) {
  expect_same_as_random_draws(
      [](auto... a) {
        first_blocks(a...);
        return true;
      },
      "dispatched");
}

TEST(FirstBlocks, PresetFirstBlockContinuesLikeAFreshGenerator) {
  // The first-block constructor gives the same stream as the plain one, past
  // the first block too.
  std::vector<std::uint32_t> w[4];
  for (auto& v : w) v.assign(5, 0);
  first_blocks(9, 3, 11, 20, 5, {w[0], w[1], w[2], w[3]});
  for (std::size_t i = 0; i < 5; ++i) {
    RandomDraws plain(9, StreamId{3}, 11, 20 + i);
    RandomDraws preset(9, StreamId{3}, 11, 20 + i, {w[0][i], w[1][i], w[2][i], w[3][i]});
    for (int k = 0; k < 12; ++k) ASSERT_EQ(preset.next_u32(), plain.next_u32()) << i << " " << k;
  }
}

using ListedImplementation = std::function<bool(std::uint64_t, StreamId, std::uint64_t,
                                                std::span<const std::uint32_t>, const BlockWords&)>;

// Listed subjects: any order, repeats, and the ends of the 32-bit range.
void expect_listed_same_as_random_draws(const ListedImplementation& blocks,
                                        const std::string& name) {
  std::vector<std::uint32_t> pool = {0, 1, 0xFFFFFFFFu, 7, 7, 123456789u, 0x80000000u};
  for (std::uint32_t i = 0; pool.size() < 120; ++i) pool.push_back(i * 2654435761u);
  const std::size_t counts[] = {0, 1, 7, 8, 9, 15, 16, 17, 33, 100};
  for (const std::uint64_t seed : {std::uint64_t{0}, std::uint64_t{0x123456789ABCDEFull}})
    for (const std::size_t count : counts) {
      const std::span<const std::uint32_t> subjects(pool.data() + 3, count);
      BlockLists lists(count);
      const std::uint64_t step = 5 + (std::uint64_t{1} << 33);
      if (!blocks(seed, 211, step, subjects, lists.words()))
        GTEST_SKIP() << name << ": no CPU support";
      expect_blocks(
          lists, count, seed, 211, step, [&](std::size_t i) { return subjects[i]; }, name);
      if (testing::Test::HasFatalFailure()) return;
    }
}

TEST(ListedBlocks, PlainPathMatchesRandomDraws) {
  expect_listed_same_as_random_draws(
      [](auto... a) {
        detail::listed_blocks_plain(a...);
        return true;
      },
      "plain");
}

TEST(ListedBlocks, Avx2PathMatchesRandomDraws) {
  expect_listed_same_as_random_draws([](auto... a) { return detail::listed_blocks_avx2(a...); },
                                     "avx2");
}

TEST(ListedBlocks, Avx512PathMatchesRandomDraws) {
  expect_listed_same_as_random_draws([](auto... a) { return detail::listed_blocks_avx512(a...); },
                                     "avx512");
}

TEST(ListedBlocks, DispatchedPathMatchesRandomDraws) {
  expect_listed_same_as_random_draws(
      [](auto... a) {
        listed_blocks(a...);
        return true;
      },
      "dispatched");
}

// Later blocks (block b: words 4b .. 4b + 3 of RandomDraws) on every path.
TEST(ListedBlocks, LaterBlocksMatchRandomDraws) {
  std::vector<std::uint32_t> subjects;
  for (std::uint32_t i = 0; i < 37; ++i) subjects.push_back(i * 2654435761u + 5);
  using Listed = bool (*)(std::uint64_t, StreamId, std::uint64_t, std::span<const std::uint32_t>,
                          const BlockWords&, std::uint32_t);
  const std::pair<Listed, const char*> paths[] = {
      {[](std::uint64_t a, StreamId b, std::uint64_t c, std::span<const std::uint32_t> d,
          const BlockWords& e, std::uint32_t f) {
         detail::listed_blocks_plain(a, b, c, d, e, f);
         return true;
       },
       "plain"},
      {&detail::listed_blocks_avx2, "avx2"},
      {&detail::listed_blocks_avx512, "avx512"},
      {[](std::uint64_t a, StreamId b, std::uint64_t c, std::span<const std::uint32_t> d,
          const BlockWords& e, std::uint32_t f) {
         listed_blocks(a, b, c, d, e, f);
         return true;
       },
       "dispatched"}};
  for (const auto& [blocks, name] : paths)
    for (const std::uint32_t block : {1u, 2u, 5u})
      for (const std::size_t count : {std::size_t{3}, std::size_t{8}, std::size_t{37}}) {
        BlockLists lists(count);
        if (!blocks(77, 211, 9, std::span<const std::uint32_t>(subjects.data(), count),
                    lists.words(), block))
          continue;  // no CPU support
        for (std::size_t i = 0; i < count; ++i) {
          RandomDraws expected(77, StreamId{211}, 9, subjects[i]);
          for (std::uint32_t k = 0; k < 4 * block; ++k) expected.next_u32();
          for (std::size_t k = 0; k < 4; ++k)
            ASSERT_EQ(lists.w[k][i], expected.next_u32())
                << name << " block " << block << " subject " << i << " word " << k;
        }
        for (const auto& v : lists.w) ASSERT_EQ(v[count], BlockLists::kSentinel) << name;
      }
}

}  // namespace
}  // namespace borderland::sim

namespace borderland::sim {

TEST(VectorPath, EnvironmentChoosesAPathTheCpuHas) {
  using detail::parse_vector_path;
  // Unset or empty: the widest the CPU has.
  EXPECT_EQ(parse_vector_path(nullptr, true, true), VectorPath::kAvx512);
  EXPECT_EQ(parse_vector_path("", true, false), VectorPath::kAvx2);
  EXPECT_EQ(parse_vector_path(nullptr, false, false), VectorPath::kPlain);
  // Forced: any path the CPU has, the plain one always.
  EXPECT_EQ(parse_vector_path("plain", true, true), VectorPath::kPlain);
  EXPECT_EQ(parse_vector_path("avx2", true, true), VectorPath::kAvx2);
  EXPECT_EQ(parse_vector_path("avx512", true, true), VectorPath::kAvx512);
  EXPECT_THROW(parse_vector_path("avx512", true, false), InputError);
  EXPECT_THROW(parse_vector_path("avx2", false, false), InputError);
  EXPECT_THROW(parse_vector_path("sse", true, true), InputError);
#if defined(__x86_64__)
  // Unforced, the dispatch takes the CPU's widest.
  if (std::getenv("BORDERLAND_VECTOR_PATH") == nullptr) {
    EXPECT_EQ(vector_path(), parse_vector_path(nullptr, __builtin_cpu_supports("avx2") != 0,
                                               __builtin_cpu_supports("avx512f") != 0));
  }
#endif
  for (const VectorPath path : {VectorPath::kPlain, VectorPath::kAvx2, VectorPath::kAvx512})
    EXPECT_EQ(parse_vector_path(vector_path_name(path), true, true), path);
}

}  // namespace borderland::sim
