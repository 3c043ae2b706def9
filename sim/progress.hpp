#pragma once
// Progress on a terminal (done/total, rate, time left); silent otherwise.
#include <chrono>
#include <cstdint>
#include <string>

namespace borderland::sim {

class Progress {
 public:
  // enabled: usually stderr_is_terminal(); the unit names what is counted ("days", "runs").
  Progress(std::int64_t total, std::string unit, bool enabled);
  ~Progress();
  void update(std::int64_t done, std::int64_t failures = 0);
  void finish();
  static bool stderr_is_terminal();

 private:
  std::int64_t total_;
  std::string unit_;
  bool enabled_;
  bool printed_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace borderland::sim
