// The decide phase's window counts (prefix sums along the diagonals for the
// von Neumann diamond, row spans for the disc, running sums for the cross and
// the square) against brute-force counts, cell by cell, on torus and bounded
// grids of odd and non-square sizes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "models/civil_violence/world.hpp"
#include "run_helpers.hpp"

namespace borderland::civil_violence {

namespace {

struct Shape {
  const char* name;
  bool (*sees)(int dx, int dy, int v);  // the shape's definition, as the README gives it
};
const Shape kShapes[] = {
    {"von_neumann", [](int dx, int dy, int v) { return std::abs(dx) + std::abs(dy) <= v; }},
    {"disc", [](int dx, int dy, int v) { return dx * dx + dy * dy <= v * v; }},
    {"cross", [](int dx, int dy, int) { return dx == 0 || dy == 0; }},
    {"square", [](int, int, int) { return true; }},
};

// Cops and actives in the window of (x, y), its centre included, from the
// state snapshot (0 empty, 1 quiescent, 2 active, 3 cop): wrapped on a torus,
// clipped on a bounded grid.
World::WindowCount brute_count(const std::vector<double>& state, int nx, int ny, bool torus,
                               const Shape& shape, int v, int x, int y) {
  World::WindowCount count;
  for (int dy = -v; dy <= v; ++dy)
    for (int dx = -v; dx <= v; ++dx) {
      if (!shape.sees(dx, dy, v)) continue;
      int cx = x + dx, cy = y + dy;
      if (torus) {
        cx = (cx + nx) % nx, cy = (cy + ny) % ny;
      } else if (cx < 0 || cy < 0 || cx >= nx || cy >= ny) {
        continue;
      }
      const double s = state[static_cast<std::size_t>(cy) * static_cast<std::size_t>(nx) +
                             static_cast<std::size_t>(cx)];
      count.cops += s == 3.0 ? 1 : 0;
      count.actives += s == 2.0 ? 1 : 0;
    }
  return count;
}

}  // namespace

TEST(CivilViolenceWindowCounts, AgreeWithBruteForceOnTorusAndBoundedGrids) {
  // A low legitimacy and many cops make both counts vary from cell to cell;
  // counted after a few steps (moves, arrests, releases). Vision 9 of the
  // square and the disc takes the 32-bit packing, the rest the 16-bit one.
  int checked = 0;
  for (const char* boundary : {"torus", "bounded"})
    for (const Shape& shape : kShapes)
      for (const auto& [nx, ny] : {std::pair{23, 17}, std::pair{19, 41}, std::pair{64, 45}})
        for (const int v : {1, 2, 3, 5, 7, 9}) {
          if (2 * v + 1 > std::min(nx, ny)) continue;
          SCOPED_TRACE(std::string(boundary) + " " + shape.name + " " + std::to_string(nx) + "x" +
                       std::to_string(ny) + " v" + std::to_string(v));
          const auto s = sim::parse_scenario(
              "model: civil_violence\nstart: 2000-01-01\nend: 2000-12-31\n", "counts.yaml",
              {"parameters.grid.width=" + std::to_string(nx),
               "parameters.grid.height=" + std::to_string(ny),
               std::string("parameters.grid.boundary=") + boundary,
               std::string("parameters.vision_shape=") + shape.name,
               "parameters.citizens.vision=" + std::to_string(v), "parameters.legitimacy=0.2",
               "parameters.cops.density=0.05", "seed=" + std::to_string(v)},
              {&testing::model().spec()});
          World w(s, Parameters::from(s.parameters));
          for (std::int64_t step = 0; step < 3; ++step) w.step(step);
          std::vector<double> state;
          w.snapshot("state", state);
          const std::vector<World::WindowCount> fast = w.window_counts();
          std::int64_t actives = 0;
          for (int y = 0; y < ny; ++y)
            for (int x = 0; x < nx; ++x) {
              const auto expected =
                  brute_count(state, nx, ny, std::string(boundary) == "torus", shape, v, x, y);
              const auto& got = fast[static_cast<std::size_t>(y * nx + x)];
              ASSERT_EQ(got.cops, expected.cops) << "cops at " << x << "," << y;
              ASSERT_EQ(got.actives, expected.actives) << "actives at " << x << "," << y;
              actives += expected.actives;
              ++checked;
            }
          EXPECT_GT(actives, 0) << "some windows must hold actives";
        }
  EXPECT_GT(checked, 50000);
}

}  // namespace borderland::civil_violence
