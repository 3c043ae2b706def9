#include "sim/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace borderland::sim {

namespace {
constexpr auto kRedrawInterval = std::chrono::milliseconds(200);  // ~5 redraws a second
}

Progress::Progress(std::int64_t total, std::string unit, bool enabled)
    : total_(total), unit_(std::move(unit)), enabled_(enabled) {
  start_ = last_ = std::chrono::steady_clock::now();
}

Progress::~Progress() {
  finish();
}

bool Progress::stderr_is_terminal() {
  return isatty(STDERR_FILENO) == 1;
}

void Progress::update(std::int64_t done, std::int64_t failures) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < kRedrawInterval && done < total_) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  const double left = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
  std::string line =
      fmt::format("\r{}/{} {}  {:.1f} {}/s  {:.0f} s left", done, total_, unit_, rate, unit_, left);
  if (failures > 0) line += fmt::format("  {} failed", failures);
  std::fputs((line + "\033[K").c_str(), stderr);
  printed_ = true;
}

void Progress::finish() {
  if (printed_) std::fputs("\n", stderr);
  printed_ = false;
}

}  // namespace borderland::sim
