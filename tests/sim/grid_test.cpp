#include "sim/grid.hpp"

#include <gtest/gtest.h>

#include "sim/error.hpp"

namespace borderland::sim {

TEST(Grid, IndexesRowMajorWithRowZeroSouth) {
  const Grid g(4, 3);
  EXPECT_EQ(g.cells(), 12u);
  EXPECT_EQ(g.index(1, 2), 9u);
  EXPECT_EQ(g.x_of(9), 1);
  EXPECT_EQ(g.y_of(9), 2);
}

TEST(Grid, LocatesWrappingOnATorusAndClippingOtherwise) {
  const Grid torus(5, 4, Edges::kTorus), bounded(5, 4);
  EXPECT_EQ(*torus.locate(-1, 0), torus.index(4, 0));
  EXPECT_EQ(*torus.locate(5, -1), torus.index(0, 3));
  EXPECT_FALSE(bounded.locate(-1, 0));
  EXPECT_FALSE(bounded.locate(0, 4));
  EXPECT_EQ(*bounded.locate(4, 3), bounded.index(4, 3));
}

TEST(Grid, GeoreferencesCellCentresAndLooksUpCoordinates) {
  const Grid g(360, 300, Edges::kBounded, GeoRef{60.0, 23.0, 0.05, 0.05});
  EXPECT_DOUBLE_EQ(g.lon_of(0), 60.025);
  EXPECT_DOUBLE_EQ(g.lat_of(1), 23.075);
  const auto peshawar = g.cell_at(71.578, 34.008);
  ASSERT_TRUE(peshawar);
  EXPECT_EQ(g.x_of(*peshawar), 231);
  EXPECT_EQ(g.y_of(*peshawar), 220);
  EXPECT_FALSE(g.cell_at(59.9, 30.0));
  EXPECT_FALSE(g.cell_at(70.0, 38.01));
}

TEST(Grid, HoldsNamedTypedLayers) {
  Grid g(3, 2);
  auto& pop = g.add_layer<float>("population", "persons", "people per cell", 1.5f);
  pop.values[4] = 10.0f;
  g.add_layer<std::int32_t>("province", "1", "province id", -1);
  EXPECT_TRUE(g.has_layer("population"));
  EXPECT_EQ(g.layer<float>("population").values[4], 10.0f);
  EXPECT_EQ(g.layer<std::int32_t>("province").values[0], -1);
  EXPECT_THROW((void)g.layer<float>("missing"), RunError);
  EXPECT_THROW((void)g.layer<std::int32_t>("population"), std::bad_variant_access);
}

TEST(Grid, RejectsEmptySizes) {
  EXPECT_THROW(Grid(0, 3), InputError);
}

}  // namespace borderland::sim
