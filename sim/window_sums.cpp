#include "sim/window_sums.hpp"

#include <algorithm>

#include "sim/parallel.hpp"

namespace borderland::sim {

namespace {
// Columns per task in the vertical passes: long enough rows for vector code,
// enough blocks for every thread.
constexpr std::size_t kColumnBlock = 512;
}  // namespace

int split_range(int lo, int hi, int n, bool torus, int out_lo[2], int out_hi[2]) {
  if (hi - lo + 1 >= n) {  // the window covers the whole axis
    out_lo[0] = torus ? 0 : std::max(lo, 0);
    out_hi[0] = torus ? n - 1 : std::min(hi, n - 1);
    return 1;
  }
  if (!torus) {
    out_lo[0] = std::max(lo, 0);
    out_hi[0] = std::min(hi, n - 1);
    return out_lo[0] <= out_hi[0] ? 1 : 0;
  }
  if (lo < 0) {
    out_lo[0] = lo + n, out_hi[0] = n - 1;
    out_lo[1] = 0, out_hi[1] = hi;
    return 2;
  }
  if (hi >= n) {
    out_lo[0] = lo, out_hi[0] = n - 1;
    out_lo[1] = 0, out_hi[1] = hi - n;
    return 2;
  }
  out_lo[0] = lo, out_hi[0] = hi;
  return 1;
}

void SummedAreaTable::build(const Grid& grid, std::span<const std::int32_t> values) {
  grid_ = &grid;
  const std::size_t nx = grid.nx(), ny = grid.ny();
  w_ = grid.nx() + 1;
  const std::size_t w = nx + 1;
  table_.resize(w * (ny + 1));
  std::fill(table_.begin(), table_.begin() + static_cast<std::ptrdiff_t>(w), 0);
  // Pass 1: prefix sums along each row (rows are independent).
  parallel_for(0, ny, 16, [&](std::size_t y) {
    std::int64_t run = 0;
    std::int64_t* out = &table_[(y + 1) * w];
    const std::int32_t* in = &values[y * nx];
    out[0] = 0;
    for (std::size_t x = 0; x < nx; ++x) out[x + 1] = run += in[x];
  });
  // Pass 2: add each row to the one above it, walking rows in order but
  // splitting the columns into independent blocks: memory is read row-major.
  parallel_chunks(1, w, kColumnBlock, [&](std::size_t x0, std::size_t x1) {
    for (std::size_t y = 2; y <= ny; ++y) {
      std::int64_t* row = &table_[y * w];
      const std::int64_t* above = &table_[(y - 1) * w];
      for (std::size_t x = x0; x < x1; ++x) row[x] += above[x];
    }
  });
}

std::int64_t SummedAreaTable::rect(int x0, int y0, int x1, int y1) const {
  auto at = [&](int x, int y) { return table_[static_cast<std::size_t>(y) * w_ + x]; };
  return at(x1 + 1, y1 + 1) - at(x0, y1 + 1) - at(x1 + 1, y0) + at(x0, y0);
}

std::int64_t SummedAreaTable::square(int x, int y, int r) const {
  // Fast path: the window lies inside the grid (no clipping, no wrapping).
  if (x - r >= 0 && y - r >= 0 && x + r < grid_->nx() && y + r < grid_->ny())
    return rect(x - r, y - r, x + r, y + r);
  const bool torus = grid_->edges() == Edges::kTorus;
  int xl[2], xh[2], yl[2], yh[2];
  const int nxs = split_range(x - r, x + r, grid_->nx(), torus, xl, xh);
  const int nys = split_range(y - r, y + r, grid_->ny(), torus, yl, yh);
  std::int64_t sum = 0;
  for (int i = 0; i < nxs; ++i)
    for (int j = 0; j < nys; ++j) sum += rect(xl[i], yl[j], xh[i], yh[j]);
  return sum;
}

void CrossSums::build(const Grid& grid, std::span<const std::int32_t> values) {
  grid_ = &grid;
  const std::size_t nx = grid.nx(), ny = grid.ny();
  rows_.resize(ny * (nx + 1));
  cols_.resize((ny + 1) * nx);
  parallel_for(0, ny, 16, [&](std::size_t y) {
    std::int64_t run = 0;
    std::int64_t* out = &rows_[y * (nx + 1)];
    out[0] = 0;
    for (std::size_t x = 0; x < nx; ++x) out[x + 1] = run += values[y * nx + x];
  });
  // Column prefix sums stored row-major (entry (y, x) = sum of rows < y in
  // column x), built row after row over independent column blocks.
  parallel_chunks(0, nx, kColumnBlock, [&](std::size_t x0, std::size_t x1) {
    for (std::size_t x = x0; x < x1; ++x) cols_[x] = 0;
    for (std::size_t y = 0; y < ny; ++y) {
      std::int64_t* next = &cols_[(y + 1) * nx];
      const std::int64_t* prev = &cols_[y * nx];
      const std::int32_t* in = &values[y * nx];
      for (std::size_t x = x0; x < x1; ++x) next[x] = prev[x] + in[x];
    }
  });
}

std::int64_t CrossSums::row_range(int y, int x0, int x1) const {
  const std::size_t base = static_cast<std::size_t>(y) * (grid_->nx() + 1);
  return rows_[base + x1 + 1] - rows_[base + x0];
}

std::int64_t CrossSums::col_range(int x, int y0, int y1) const {
  const auto nx = static_cast<std::size_t>(grid_->nx());
  return cols_[static_cast<std::size_t>(y1 + 1) * nx + x] -
         cols_[static_cast<std::size_t>(y0) * nx + x];
}

std::int64_t CrossSums::axis_sum(bool along_row, int fixed, int centre, int r) const {
  const bool torus = grid_->edges() == Edges::kTorus;
  const int n = along_row ? grid_->nx() : grid_->ny();
  int lo[2], hi[2];
  const int pieces = split_range(centre - r, centre + r, n, torus, lo, hi);
  std::int64_t sum = 0;
  for (int i = 0; i < pieces; ++i)
    sum += along_row ? row_range(fixed, lo[i], hi[i]) : col_range(fixed, lo[i], hi[i]);
  return sum;
}

std::int64_t CrossSums::cross(int x, int y, int r) const {
  // Row segment and column segment both include the centre: count it once, then drop it.
  const std::int64_t centre = row_range(y, x, x);
  return axis_sum(true, y, x, r) + axis_sum(false, x, y, r) - 2 * centre;
}

}  // namespace borderland::sim
