#pragma once
// The Af-Pak map schema of the TTP model: what its map asset's layers and
// tables mean.
#include <cstdint>

namespace borderland::ttp {

// Codes of the /map/country layer and of the `country` columns of the tables.
inline constexpr std::int32_t kSea = 0;
inline constexpr std::int32_t kPakistan = 1;
inline constexpr std::int32_t kAfghanistan = 2;
inline constexpr std::int32_t kOtherLand = 3;

}  // namespace borderland::ttp
