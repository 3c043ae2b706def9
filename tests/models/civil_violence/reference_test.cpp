// The fast step against the plain reference step (reference_step.cpp): the
// same scenario must give bit-identical output across visions, every shape of
// vision, cop vision unlike citizen vision, odd and non-square grids, low and
// high densities, both roundings and several seeds.
#include "reference_compare.hpp"

namespace borderland::civil_violence {

using testing::expect_same_runs;
using testing::kShapes;

TEST(CivilViolenceReference, SmallSquareGridEveryShapeAndVision) {
  // 10 x 10: visions 1, 2 and 4 (the widest a 10-cell torus allows: 2v + 1 <= 10).
  std::int64_t arrests = 0;
  for (const char* shape : kShapes)
    for (const int vision : {1, 2, 4})
      for (const int seed : {1, 2}) {
        arrests += expect_same_runs({10, 10, vision, vision, shape, "floor", 0.7, 0.04, seed, 40});
        ASSERT_FALSE(HasFailure());
      }
  EXPECT_GT(arrests, 100);
}

TEST(CivilViolenceReference, OddGridEveryShapeVisionAndDensity) {
  // 37 x 53: visions 1, 2, 5, 7, 9; low and high densities; both roundings.
  std::int64_t arrests = 0;
  for (const char* shape : kShapes)
    for (const int vision : {1, 2, 5, 7, 9})
      for (const auto& [citizens, cops] : {std::pair{0.3, 0.02}, std::pair{0.8, 0.1}}) {
        const char* rounding = vision % 2 == 0 ? "round" : "floor";
        arrests +=
            expect_same_runs({37, 53, vision, vision, shape, rounding, citizens, cops, vision, 30});
        ASSERT_FALSE(HasFailure());
      }
  EXPECT_GT(arrests, 1000) << "the comparisons must cover busy arrest and jail phases";
}

TEST(CivilViolenceReference, CopVisionUnlikeCitizenVision) {
  for (const char* shape : kShapes)
    for (const auto& [citizen, cop] : {std::pair{2, 7}, std::pair{9, 5}, std::pair{7, 1}})
      for (const char* rounding : {"floor", "round"}) {
        expect_same_runs({37, 53, citizen, cop, shape, rounding, 0.7, 0.04, 3, 30});
        ASSERT_FALSE(HasFailure());
      }
}

TEST(CivilViolenceReference, BoundedGridsEveryShapeVisionAndDensity) {
  // Windows clipped at the edges: moves, counts, arrests and releases near
  // them. 10 x 10 (visions up to 4), 37 x 53 (up to 9), low and high
  // densities, both roundings, cop vision unlike citizen vision.
  std::int64_t arrests = 0;
  for (const char* shape : kShapes) {
    for (const int vision : {1, 2, 4})
      arrests += expect_same_runs(
          {10, 10, vision, vision, shape, "floor", 0.7, 0.04, vision, 30, "bounded"});
    for (const int vision : {1, 2, 5, 7, 9})
      for (const auto& [citizens, cops] : {std::pair{0.3, 0.02}, std::pair{0.8, 0.1}}) {
        const char* rounding = vision % 2 == 0 ? "round" : "floor";
        arrests += expect_same_runs(
            {37, 53, vision, vision, shape, rounding, citizens, cops, vision, 25, "bounded"});
        ASSERT_FALSE(HasFailure());
      }
    for (const auto& [citizen, cop] : {std::pair{2, 7}, std::pair{9, 5}})
      expect_same_runs({53, 37, citizen, cop, shape, "floor", 0.7, 0.04, 3, 25, "bounded"});
    ASSERT_FALSE(HasFailure());
  }
  EXPECT_GT(arrests, 1000) << "the comparisons must cover busy arrest and jail phases";
}

}  // namespace borderland::civil_violence
