#include "sim/text.hpp"

#include <chrono>
#include <ctime>

namespace borderland::sim {

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string all;
  for (const auto& p : parts) all += (all.empty() ? "" : sep) + p;
  return all;
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

}  // namespace borderland::sim
