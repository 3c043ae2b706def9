#pragma once
// Structural constants of the TTP model: numbers that are not assumptions
// about the world (those are parameters, parameters.cpp) but guards of the
// arithmetic, calendar and geodesy, and sizes of the engine's work units.
// Each says why it has its value. Phase code holds no other number than 0, 1
// and 2 (tests/models/ttp/literals_test.py checks it).
#include <cstddef>
#include <cstdint>

namespace borderland::ttp {

// Smallest rate used as a divisor, so that a parameter set to 0 gives a very
// large (not infinite) result.
inline constexpr double kTinyRate = 1e-9;
// Smallest uniform draw fed to a logarithm or a negative power (u = 0 would give infinity).
inline constexpr double kTinyUniform = 1e-12;
// Agents per chunk of a parallel loop: fixed, so chunking never depends on
// the thread count (determinism); the size only affects speed.
inline constexpr std::size_t kChunk = 256;
// Bits of a cell id in the army's draw key (unit id << kIdBits | cell id).
inline constexpr int kIdBits = 32;
// Poisson draws by inversion stop after this many terms; the means used
// (collateral deaths, army losses per engagement or strike) are far below it.
inline constexpr std::int64_t kPoissonMaxTerms = 1000;
// The field decay factors are folded back into the cells when they drop below
// this, long before a double loses precision.
inline constexpr double kFoldBelow = 1e-3;
// Distance used for cells without a border distance (outside the two countries).
inline constexpr double kNoBorderKm = 1e9;
// Cells tried as sanctuary sites on a map with no Afghan cell in the
// parameter's distance band: the deepest this many.
inline constexpr std::ptrdiff_t kFallbackSanctuaryCells = 50;
// Geodesy (WGS84, spherical approximation at the grid's middle latitude):
// km per degree of latitude, and of longitude at the equator; degrees in a half turn.
inline constexpr double kKmPerDegreeLat = 110.574;
inline constexpr double kKmPerDegreeLonAtEquator = 111.320;
inline constexpr double kDegreesPerHalfTurn = 180.0;

}  // namespace borderland::ttp
