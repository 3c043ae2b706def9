#pragma once
// Parallel loops and reductions whose results never depend on the thread count.
//
// parallel_for splits [begin, end) into fixed chunks of `grain` items
// (simple_partitioner), so which items share a chunk is fixed; callers must
// still only write to their own items' rows. Reductions combine the chunk
// results in a fixed tree (parallel_deterministic_reduce), so floating-point
// sums are identical for 1, 2 or 64 threads.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/partitioner.h>

#include <cstddef>

namespace borderland::sim {

template <class Body>
void parallel_for(std::size_t begin, std::size_t end, std::size_t grain, const Body& body) {
  if (begin >= end) return;
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(begin, end, grain),
      [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) body(i);
      },
      tbb::simple_partitioner());
}

// Like parallel_for, but the body receives whole chunks [lo, hi).
template <class Body>
void parallel_chunks(std::size_t begin, std::size_t end, std::size_t grain, const Body& body) {
  if (begin >= end) return;
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(begin, end, grain),
      [&](const tbb::blocked_range<std::size_t>& r) { body(r.begin(), r.end()); },
      tbb::simple_partitioner());
}

// Sum of value(i) over [begin, end), identical for every thread count.
template <class T, class Value>
T deterministic_sum(std::size_t begin, std::size_t end, std::size_t grain, const Value& value) {
  if (begin >= end) return T{};
  return tbb::parallel_deterministic_reduce(
      tbb::blocked_range<std::size_t>(begin, end, grain), T{},
      [&](const tbb::blocked_range<std::size_t>& r, T acc) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) acc += value(i);
        return acc;
      },
      [](T a, const T& b) { return a += b; }, tbb::simple_partitioner());
}

}  // namespace borderland::sim
