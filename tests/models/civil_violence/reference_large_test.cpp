// The fast step against the reference step on a large non-square grid (see
// reference_test.cpp): in the slow suite, as it counts every window cell by cell.
#include "reference_compare.hpp"

namespace borderland::civil_violence {

using testing::expect_same_runs;
using testing::kShapes;

TEST(CivilViolenceReferenceLarge, NonSquareGridWithManyBands) {
  // 300 x 200: several bands of each colour, rows longer than a vector.
  for (const char* shape : kShapes) {
    expect_same_runs({300, 200, 9, 9, shape, "floor", 0.7, 0.04, 4, 6});
    ASSERT_FALSE(HasFailure());
  }
  expect_same_runs({300, 200, 7, 5, "von_neumann", "round", 0.8, 0.1, 5, 6});
  for (const char* shape : kShapes) {  // the same, bounded
    expect_same_runs({300, 200, 9, 9, shape, "floor", 0.7, 0.04, 4, 6, "bounded"});
    ASSERT_FALSE(HasFailure());
  }
}

}  // namespace borderland::civil_violence
