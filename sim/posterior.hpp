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

// A list design whose rows are draws of a posterior (a sweep's `posterior: FILE`): every column
// must be one of the file's model parameters and every row one of its draws, so that analysis may
// pool the runs as one scenario over parameter and seed uncertainty (docs/analysis.md). Returns
// the first problem as a message ("" when the design is such draws); throws InputError naming
// `where` for a missing or foreign file.
std::string check_posterior_design(const std::string& path, const std::string& where,
                                   const std::vector<std::string>& keys,
                                   const std::vector<double>& rows);

}  // namespace borderland::sim
