#pragma once
// One exception hierarchy for the whole engine. The command line maps
// InputError to exit code 2 (the user can fix it) and every other Error to 1.
#include <stdexcept>
#include <string>
#include <vector>

namespace borderland::sim {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A mistake in what the user gave us: a scenario, a flag, a map, an input file.
// Carries every diagnostic found, so the user can fix them all in one go.
class InputError : public Error {
 public:
  explicit InputError(std::string message) : Error(message), messages_{std::move(message)} {}
  explicit InputError(std::vector<std::string> messages)
      : Error(join(messages)), messages_(std::move(messages)) {}
  const std::vector<std::string>& messages() const { return messages_; }

 private:
  static std::string join(const std::vector<std::string>& lines) {
    std::string all;
    for (const auto& line : lines) all += (all.empty() ? "" : "\n") + line;
    return all;
  }
  std::vector<std::string> messages_;
};

// A failure while running that is not the user's input: I/O, HDF5, internal checks.
class RunError : public Error {
 public:
  using Error::Error;
};

}  // namespace borderland::sim
