#pragma once
// Draw K of a posterior file (written by `python3 -m borderland.calibration
// calibrate`, layout in docs/calibration.md) as scenario overrides.
//
// The file's /draws hold equal-weight parameter draws: value [M, d], key [d]
// (key paths as for --set) and kind [d] ("model" or "observation"). Draw K's
// model parameters become "key=value" overrides, applied and validated like
// --set; the observation parameters (the sources' reporting rates) belong to
// the data, not the model, and are left out.
#include <cstdint>
#include <string>
#include <vector>

namespace borderland::sim {

// The overrides of draw `draw` (0-based). Throws InputError naming the flag and
// the file for a missing or foreign file, a damaged /draws group or a draw out
// of range.
std::vector<std::string> posterior_overrides(const std::string& path, std::int64_t draw);

}  // namespace borderland::sim
