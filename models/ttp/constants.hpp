#pragma once
// Structural constants of the TTP model: numbers that are not assumptions
// about the world (those are parameters, parameters.cpp) but guards of the
// arithmetic. Each says why it has its value.
namespace borderland::ttp {

// Smallest rate or probability used as a divisor or a log argument, so that a
// parameter set to 0 gives a very large (not infinite) result.
inline constexpr double kTinyRate = 1e-9;

}  // namespace borderland::ttp
