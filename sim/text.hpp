#pragma once
// Small text helpers shared by the writers and the loaders.
#include <string>
#include <vector>

namespace borderland::sim {

// "a<sep>b<sep>c"
std::string join(const std::vector<std::string>& parts, const std::string& sep);
// The current UTC time as 2026-11-24T13:04:05Z (provenance only: never in datasets).
std::string utc_now();

}  // namespace borderland::sim
