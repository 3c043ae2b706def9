#include "sim/experiments/sobol.hpp"

#include <fmt/format.h>

#include <array>

#include "sim/error.hpp"

namespace borderland::sim::experiments {

namespace {
constexpr int kBits = 32;  // 32-bit direction numbers: up to 2^32 points

// One line of new-joe-kuo-6.21201: dimension d, degree s of the primitive
// polynomial, its inner coefficients a (bits of x^{s-1} .. x^1), initial m_1..m_s.
struct JoeKuoLine {
  int d;
  int s;
  unsigned a;
  std::array<unsigned, 7> m;
};

// Dimension 1 is the van der Corput sequence (all m = 1); the table starts at d = 2.
constexpr std::array<JoeKuoLine, kSobolMaxDims - 1> kTable = {{
    {2, 1, 0, {1}},
    {3, 2, 1, {1, 3}},
    {4, 3, 1, {1, 3, 1}},
    {5, 3, 2, {1, 1, 1}},
    {6, 4, 1, {1, 1, 3, 3}},
    {7, 4, 4, {1, 3, 5, 13}},
    {8, 5, 2, {1, 1, 5, 5, 17}},
    {9, 5, 4, {1, 1, 5, 5, 5}},
    {10, 5, 7, {1, 1, 7, 11, 19}},
    {11, 5, 11, {1, 1, 5, 1, 1}},
    {12, 5, 13, {1, 1, 1, 3, 11}},
    {13, 5, 14, {1, 3, 5, 5, 31}},
    {14, 6, 1, {1, 3, 3, 9, 7, 49}},
    {15, 6, 13, {1, 1, 1, 15, 21, 21}},
    {16, 6, 16, {1, 3, 1, 13, 27, 49}},
    {17, 6, 19, {1, 1, 1, 15, 7, 5}},
    {18, 6, 22, {1, 3, 1, 15, 13, 25}},
    {19, 6, 25, {1, 1, 5, 5, 19, 61}},
    {20, 7, 1, {1, 3, 7, 11, 23, 15, 103}},
    {21, 7, 4, {1, 3, 7, 13, 13, 15, 69}},
}};

// Direction numbers v_1..v_32 of one dimension (dim 0 = van der Corput).
std::array<std::uint32_t, kBits> directions(std::size_t dim) {
  std::array<std::uint32_t, kBits> v{};
  if (dim == 0) {
    for (int i = 0; i < kBits; ++i) v[i] = std::uint32_t{1} << (kBits - 1 - i);
    return v;
  }
  const JoeKuoLine& line = kTable[dim - 1];
  const int s = line.s;
  for (int i = 0; i < s && i < kBits; ++i) v[i] = line.m[i] << (kBits - 1 - i);
  // v_i = a_1 v_{i-1} ^ a_2 v_{i-2} ^ ... ^ a_{s-1} v_{i-s+1} ^ v_{i-s} ^ (v_{i-s} >> s)
  for (int i = s; i < kBits; ++i) {
    std::uint32_t value = v[i - s] ^ (v[i - s] >> s);
    for (int k = 1; k < s; ++k)
      if ((line.a >> (s - 1 - k)) & 1u) value ^= v[i - k];
    v[i] = value;
  }
  return v;
}

int lowest_zero_bit(std::uint64_t n) {
  int c = 0;
  while (n & 1u) n >>= 1, ++c;
  return c;
}
}  // namespace

std::vector<double> sobol_points(std::size_t count, std::size_t dims, std::size_t first) {
  if (dims == 0 || dims > kSobolMaxDims)
    throw InputError(fmt::format(
        "error: a Sobol sequence of {} dimensions was asked for; this build has direction "
        "numbers for 1 to {} (a Saltelli design needs 2 per parameter)",
        dims, kSobolMaxDims));
  if (first + count > (std::uint64_t{1} << kBits))
    throw InputError("error: more than 2^32 Sobol points were asked for");
  std::vector<std::array<std::uint32_t, kBits>> v(dims);
  for (std::size_t j = 0; j < dims; ++j) v[j] = directions(j);
  // Gray-code recursion: x_{n+1} = x_n ^ v_{c(n)}, c = index of the lowest zero bit of n.
  std::vector<std::uint32_t> x(dims, 0);
  std::vector<double> out;
  out.reserve(count * dims);
  const std::size_t last = first + count;
  for (std::size_t n = 0; n < last; ++n) {
    if (n >= first)
      for (std::size_t j = 0; j < dims; ++j) out.push_back(static_cast<double>(x[j]) * 0x1.0p-32);
    const int c = lowest_zero_bit(n);
    for (std::size_t j = 0; j < dims; ++j) x[j] ^= v[j][c];
  }
  return out;
}

}  // namespace borderland::sim::experiments
