#pragma once
// Counts in a window around a cell in O(1), from prefix sums.
//
// SummedAreaTable answers square (Moore) windows; CrossSums answers the
// "north, south, east and west up to r cells" cross that Epstein's agents see.
// Both honour the grid's edges: clipped on a bounded grid, wrapped on a torus.
// Building is O(cells) and parallel over rows/columns with fixed partitions,
// so results never depend on the thread count.
#include <cstdint>
#include <span>
#include <vector>

#include "sim/grid.hpp"

namespace borderland::sim {

class SummedAreaTable {
 public:
  // values: one entry per cell of grid, row-major.
  void build(const Grid& grid, std::span<const std::int32_t> values);
  // Sum over the (2r+1) x (2r+1) square centred on (x, y), the centre included.
  std::int64_t square(int x, int y, int r) const;
  // Sum over the rectangle [x0, x1] x [y0, y1] (inclusive, inside the grid).
  std::int64_t rect(int x0, int y0, int x1, int y1) const;

 private:
  const Grid* grid_ = nullptr;
  int w_ = 0;                        // nx + 1
  std::vector<std::int64_t> table_;  // (nx + 1) * (ny + 1), zero first row and column
};

class CrossSums {
 public:
  void build(const Grid& grid, std::span<const std::int32_t> values);
  // Sum over the cells up to r steps north, south, east and west of (x, y),
  // the centre excluded (4r cells on a torus, fewer near a bounded edge).
  std::int64_t cross(int x, int y, int r) const;

 private:
  std::int64_t row_range(int y, int x0, int x1) const;  // inclusive, inside
  std::int64_t col_range(int x, int y0, int y1) const;  // inclusive, inside
  std::int64_t axis_sum(bool along_row, int fixed, int centre, int r) const;
  const Grid* grid_ = nullptr;
  std::vector<std::int64_t> rows_;  // per row: nx + 1 prefix entries
  std::vector<std::int64_t> cols_;  // (ny + 1) rows of nx: column prefix sums, row-major
};

// Splits the inclusive range [lo, hi] on an axis of length n into at most two
// in-range pieces: wrapped on a torus, clipped otherwise. Returns the count.
int split_range(int lo, int hi, int n, bool torus, int out_lo[2], int out_hi[2]);

}  // namespace borderland::sim
