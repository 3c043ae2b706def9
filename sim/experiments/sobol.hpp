#pragma once
// Sobol low-discrepancy points with the Joe-Kuo direction numbers.
//
// Direction numbers: S. Joe and F. Y. Kuo, "Constructing Sobol sequences with
// better two-dimensional projections", SIAM J. Sci. Comput. 30 (2008) 2635-2654,
// the table new-joe-kuo-6.21201 (the first kSobolMaxDims dimensions, written out
// in sobol.cpp). Points are generated in Gray-code order, unscrambled, so point 0
// is the origin, point 1 is (0.5, ..., 0.5), and so on: the sequence that
// published tables and other implementations list.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace borderland::sim::experiments {

inline constexpr std::size_t kSobolMaxDims = 21;

// Points first .. first + count - 1 of the `dims`-dimensional sequence,
// row-major (count rows of dims values), each coordinate in [0, 1).
// Throws InputError when dims exceeds kSobolMaxDims.
std::vector<double> sobol_points(std::size_t count, std::size_t dims, std::size_t first = 0);

}  // namespace borderland::sim::experiments
