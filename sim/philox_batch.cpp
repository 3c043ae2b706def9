#include "sim/philox_batch.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "sim/error.hpp"

#if defined(__x86_64__)
// GCC 12's AVX-512 headers start results from _mm512_undefined_epi32(), which
// -Wmaybe-uninitialized flags wrongly inside the headers (GCC bug 105593).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#define BORDERLAND_X86 1
#endif

namespace borderland::sim {

#if defined(BORDERLAND_X86)
namespace {

// Philox4x32-10 as Random123 defines it (Salmon et al. 2011): ten rounds of
// two 32 x 32 -> 64-bit products, the key bumped by the Weyl constants between
// rounds. The vector versions below apply the same round to 8 or 16 counters.
constexpr std::uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;  // multipliers
constexpr std::uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;  // key bumps
constexpr int kRounds = 10;

// The counter of a subject's first block, as RandomDraws builds it.
struct Counter {
  std::uint32_t stream, step, subject_low, subject_high;
};
Counter counter_of(StreamId stream, std::uint64_t step, std::uint64_t subject) {
  return {stream, static_cast<std::uint32_t>(step), static_cast<std::uint32_t>(subject),
          static_cast<std::uint32_t>((subject >> 32) & 0xFFFFu) << 16};
}

// Vectorised runs need one subject_high for the whole run.
bool one_high_part(std::uint64_t first, std::size_t count) {
  return count == 0 || (first >> 32) == ((first + count - 1) >> 32);
}

}  // namespace
#endif

namespace detail {

VectorPath parse_vector_path(const char* value, bool has_avx2, bool has_avx512) {
  const VectorPath best = has_avx512 ? VectorPath::kAvx512
                          : has_avx2 ? VectorPath::kAvx2
                                     : VectorPath::kPlain;
  if (value == nullptr || *value == '\0') return best;
  const std::string name(value);
  const std::string has = std::string("this CPU's widest is ") + vector_path_name(best);
  if (name == "plain") return VectorPath::kPlain;
  if (name == "avx2") {
    if (!has_avx2)
      throw InputError("error: BORDERLAND_VECTOR_PATH=avx2: the CPU lacks AVX2 (" + has + ")");
    return VectorPath::kAvx2;
  }
  if (name == "avx512") {
    if (!has_avx512)
      throw InputError("error: BORDERLAND_VECTOR_PATH=avx512: the CPU lacks AVX-512F (" + has +
                       ")");
    return VectorPath::kAvx512;
  }
  throw InputError("error: BORDERLAND_VECTOR_PATH=" + name + ": expected plain, avx2 or avx512");
}

void first_blocks_plain(std::uint64_t seed, StreamId stream, std::uint64_t step,
                        std::uint64_t first, std::size_t count, const BlockWords& words) {
  for (std::size_t i = 0; i < count; ++i) {
    RandomDraws draws(seed, stream, step, first + i);
    for (std::size_t w = 0; w < 4; ++w) words[w][i] = draws.next_u32();
  }
}

void listed_blocks_plain(std::uint64_t seed, StreamId stream, std::uint64_t step,
                         std::span<const std::uint32_t> subjects, const BlockWords& words,
                         std::uint32_t block) {
  for (std::size_t i = 0; i < subjects.size(); ++i) {
    RandomDraws draws(seed, stream, step, subjects[i]);
    for (std::uint32_t skip = 0; skip < 4 * block; ++skip) draws.next_u32();
    for (std::size_t w = 0; w < 4; ++w) words[w][i] = draws.next_u32();
  }
}

#if defined(BORDERLAND_X86)

// The lo and hi halves of a * m in each 32-bit lane: even lanes from one
// widening multiply, odd lanes from a second on the shifted values.
static inline __attribute__((target("avx2"), always_inline)) void mulhilo8(const __m256i& a,
                                                                           const __m256i& m,
                                                                           __m256i& lo,
                                                                           __m256i& hi) {
  const __m256i even = _mm256_mul_epu32(a, m);
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);
  lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}
static inline __attribute__((target("avx512f"), always_inline)) void mulhilo16(const __m512i& a,
                                                                               const __m512i& m,
                                                                               __m512i& lo,
                                                                               __m512i& hi) {
  constexpr __mmask16 kOdd = 0xAAAA;
  const __m512i even = _mm512_mul_epu32(a, m);
  const __m512i odd = _mm512_mul_epu32(_mm512_srli_epi64(a, 32), m);
  lo = _mm512_mask_blend_epi32(kOdd, even, _mm512_slli_epi64(odd, 32));
  hi = _mm512_mask_blend_epi32(kOdd, _mm512_srli_epi64(even, 32), odd);
}

// Philox's ten rounds on 8 or 16 counters at once, in place.
static inline __attribute__((target("avx2"), always_inline)) void rounds8(std::uint64_t seed,
                                                                          __m256i& x0, __m256i& x1,
                                                                          __m256i& x2,
                                                                          __m256i& x3) {
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(kM0));
  const __m256i m1 = _mm256_set1_epi32(static_cast<int>(kM1));
  auto k0 = static_cast<std::uint32_t>(seed), k1 = static_cast<std::uint32_t>(seed >> 32);
  for (int round = 0; round < kRounds; ++round) {
    if (round > 0) k0 += kW0, k1 += kW1;
    __m256i lo0, hi0, lo1, hi1;
    mulhilo8(x0, m0, lo0, hi0);
    mulhilo8(x2, m1, lo1, hi1);
    x0 = _mm256_xor_si256(_mm256_xor_si256(hi1, x1), _mm256_set1_epi32(static_cast<int>(k0)));
    x1 = lo1;
    x2 = _mm256_xor_si256(_mm256_xor_si256(hi0, x3), _mm256_set1_epi32(static_cast<int>(k1)));
    x3 = lo0;
  }
}
static inline __attribute__((target("avx512f"), always_inline)) void rounds16(
    std::uint64_t seed, __m512i& x0, __m512i& x1, __m512i& x2, __m512i& x3) {
  const __m512i m0 = _mm512_set1_epi32(static_cast<int>(kM0));
  const __m512i m1 = _mm512_set1_epi32(static_cast<int>(kM1));
  auto k0 = static_cast<std::uint32_t>(seed), k1 = static_cast<std::uint32_t>(seed >> 32);
  for (int round = 0; round < kRounds; ++round) {
    if (round > 0) k0 += kW0, k1 += kW1;
    __m512i lo0, hi0, lo1, hi1;
    mulhilo16(x0, m0, lo0, hi0);
    mulhilo16(x2, m1, lo1, hi1);
    x0 = _mm512_xor_si512(_mm512_xor_si512(hi1, x1), _mm512_set1_epi32(static_cast<int>(k0)));
    x1 = lo1;
    x2 = _mm512_xor_si512(_mm512_xor_si512(hi0, x3), _mm512_set1_epi32(static_cast<int>(k1)));
    x3 = lo0;
  }
}

// The counters' subject words, 8 or 16 at a time from position i of a run:
// consecutive subjects (first + i, ...) or listed ones (subjects[i], ...).
struct Consecutive {
  Counter c;
  __attribute__((target("avx2"))) __m256i low8(std::size_t i) const {
    return _mm256_add_epi32(
        _mm256_set1_epi32(static_cast<int>(c.subject_low + static_cast<std::uint32_t>(i))),
        _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  __attribute__((target("avx512f"))) __m512i low16(std::size_t i) const {
    return _mm512_add_epi32(
        _mm512_set1_epi32(static_cast<int>(c.subject_low + static_cast<std::uint32_t>(i))),
        _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
  }
  std::uint32_t high() const { return c.subject_high; }
};
struct Listed {
  const std::uint32_t* subjects;
  std::uint32_t block;  // the counter's last word: subjects below 2^32 leave it the block index
  __attribute__((target("avx2"))) __m256i low8(std::size_t i) const {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(subjects + i));
  }
  __attribute__((target("avx512f"))) __m512i low16(std::size_t i) const {
    return _mm512_loadu_si512(subjects + i);
  }
  std::uint32_t high() const { return block; }
};

// Called only once the CPU is known to have the instructions (the compiler may
// use them anywhere in a function built for them). Returns how many blocks it
// computed, the caller doing the rest plainly: all of them when there are at
// least 8 or 16, the last vector then overlapping the one before (its lanes
// computed twice, to the same values) rather than leaving a tail of up to 15
// plain Philox calls.
template <class Subjects>
static __attribute__((target("avx2"))) std::size_t avx2_blocks(std::uint64_t seed, StreamId stream,
                                                               std::uint64_t step,
                                                               const Subjects& subjects,
                                                               std::size_t count,
                                                               const BlockWords& words) {
  if (count < 8) return 0;
  for (std::size_t i = 0;; i += 8) {
    i = std::min(i, count - 8);  // the last vector ends at count
    __m256i x0 = _mm256_set1_epi32(static_cast<int>(stream));
    __m256i x1 = _mm256_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(step)));
    __m256i x2 = subjects.low8(i);
    __m256i x3 = _mm256_set1_epi32(static_cast<int>(subjects.high()));
    rounds8(seed, x0, x1, x2, x3);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(&words[0][i]), x0);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(&words[1][i]), x1);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(&words[2][i]), x2);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(&words[3][i]), x3);
    if (i + 8 == count) return count;
  }
}

template <class Subjects>
static __attribute__((target("avx512f"))) std::size_t avx512_blocks(
    std::uint64_t seed, StreamId stream, std::uint64_t step, const Subjects& subjects,
    std::size_t count, const BlockWords& words) {
  if (count < 16) return 0;
  for (std::size_t i = 0;; i += 16) {
    i = std::min(i, count - 16);  // the last vector ends at count
    __m512i x0 = _mm512_set1_epi32(static_cast<int>(stream));
    __m512i x1 = _mm512_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(step)));
    __m512i x2 = subjects.low16(i);
    __m512i x3 = _mm512_set1_epi32(static_cast<int>(subjects.high()));
    rounds16(seed, x0, x1, x2, x3);
    _mm512_storeu_si512(&words[0][i], x0);
    _mm512_storeu_si512(&words[1][i], x1);
    _mm512_storeu_si512(&words[2][i], x2);
    _mm512_storeu_si512(&words[3][i], x3);
    if (i + 16 == count) return count;
  }
}

static BlockWords tail(const BlockWords& words, std::size_t i) {
  return {words[0].subspan(i), words[1].subspan(i), words[2].subspan(i), words[3].subspan(i)};
}

bool first_blocks_avx2(std::uint64_t seed, StreamId stream, std::uint64_t step, std::uint64_t first,
                       std::size_t count, const BlockWords& words) {
  if (!__builtin_cpu_supports("avx2")) return false;
  const std::size_t done =
      one_high_part(first, count)
          ? avx2_blocks(seed, stream, step, Consecutive{counter_of(stream, step, first)}, count,
                        words)
          : 0;
  first_blocks_plain(seed, stream, step, first + done, count - done, tail(words, done));
  return true;
}

bool first_blocks_avx512(std::uint64_t seed, StreamId stream, std::uint64_t step,
                         std::uint64_t first, std::size_t count, const BlockWords& words) {
  if (!__builtin_cpu_supports("avx512f")) return false;
  const std::size_t done =
      one_high_part(first, count)
          ? avx512_blocks(seed, stream, step, Consecutive{counter_of(stream, step, first)}, count,
                          words)
          : 0;
  first_blocks_plain(seed, stream, step, first + done, count - done, tail(words, done));
  return true;
}

bool listed_blocks_avx2(std::uint64_t seed, StreamId stream, std::uint64_t step,
                        std::span<const std::uint32_t> subjects, const BlockWords& words,
                        std::uint32_t block) {
  if (!__builtin_cpu_supports("avx2")) return false;
  const std::size_t done =
      avx2_blocks(seed, stream, step, Listed{subjects.data(), block}, subjects.size(), words);
  listed_blocks_plain(seed, stream, step, subjects.subspan(done), tail(words, done), block);
  return true;
}

bool listed_blocks_avx512(std::uint64_t seed, StreamId stream, std::uint64_t step,
                          std::span<const std::uint32_t> subjects, const BlockWords& words,
                          std::uint32_t block) {
  if (!__builtin_cpu_supports("avx512f")) return false;
  const std::size_t done =
      avx512_blocks(seed, stream, step, Listed{subjects.data(), block}, subjects.size(), words);
  listed_blocks_plain(seed, stream, step, subjects.subspan(done), tail(words, done), block);
  return true;
}

#pragma GCC diagnostic pop

#else  // not x86-64: the plain path only

bool first_blocks_avx2(std::uint64_t, StreamId, std::uint64_t, std::uint64_t, std::size_t,
                       const BlockWords&) {
  return false;
}
bool first_blocks_avx512(std::uint64_t, StreamId, std::uint64_t, std::uint64_t, std::size_t,
                         const BlockWords&) {
  return false;
}
bool listed_blocks_avx2(std::uint64_t, StreamId, std::uint64_t, std::span<const std::uint32_t>,
                        const BlockWords&, std::uint32_t) {
  return false;
}
bool listed_blocks_avx512(std::uint64_t, StreamId, std::uint64_t, std::span<const std::uint32_t>,
                          const BlockWords&, std::uint32_t) {
  return false;
}

#endif

}  // namespace detail

const char* vector_path_name(VectorPath path) {
  switch (path) {
    case VectorPath::kAvx512:
      return "avx512";
    case VectorPath::kAvx2:
      return "avx2";
    case VectorPath::kPlain:
      break;
  }
  return "plain";
}

VectorPath vector_path() {
  static const VectorPath path = [] {
#if defined(BORDERLAND_X86)
    const bool avx2 = __builtin_cpu_supports("avx2") != 0;
    const bool avx512 = __builtin_cpu_supports("avx512f") != 0;
#else
    const bool avx2 = false, avx512 = false;
#endif
    return detail::parse_vector_path(std::getenv("BORDERLAND_VECTOR_PATH"), avx2, avx512);
  }();
  return path;
}

void first_blocks(std::uint64_t seed, StreamId stream, std::uint64_t step, std::uint64_t first,
                  std::size_t count, const BlockWords& words) {
  const VectorPath path = vector_path();
  if (path == VectorPath::kAvx512 &&
      detail::first_blocks_avx512(seed, stream, step, first, count, words))
    return;
  if (path == VectorPath::kAvx2 &&
      detail::first_blocks_avx2(seed, stream, step, first, count, words))
    return;
  detail::first_blocks_plain(seed, stream, step, first, count, words);
}

void listed_blocks(std::uint64_t seed, StreamId stream, std::uint64_t step,
                   std::span<const std::uint32_t> subjects, const BlockWords& words,
                   std::uint32_t block) {
  const VectorPath path = vector_path();
  if (path == VectorPath::kAvx512 &&
      detail::listed_blocks_avx512(seed, stream, step, subjects, words, block))
    return;
  if (path == VectorPath::kAvx2 &&
      detail::listed_blocks_avx2(seed, stream, step, subjects, words, block))
    return;
  detail::listed_blocks_plain(seed, stream, step, subjects, words, block);
}

}  // namespace borderland::sim
