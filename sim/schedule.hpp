#pragma once
// A step is a fixed, named list of phases run in order. Each phase may run in
// parallel inside (sim/parallel.hpp); phases never overlap, so a phase sees
// everything the previous one wrote. The schedule keeps wall time per phase
// for profiling; timings are never written to outputs (they are not deterministic).
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace borderland::sim {

class Schedule {
 public:
  using PhaseFn = std::function<void(std::int64_t step)>;

  void add(std::string name, PhaseFn fn) {
    phases_.push_back({std::move(name), std::move(fn), 0.0});
  }

  void run_step(std::int64_t step) {
    for (auto& phase : phases_) {
      const auto t0 = std::chrono::steady_clock::now();
      phase.fn(step);
      phase.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
  }

  struct Phase {
    std::string name;
    PhaseFn fn;
    double seconds;  // accumulated wall time
  };
  const std::vector<Phase>& phases() const { return phases_; }

 private:
  std::vector<Phase> phases_;
};

}  // namespace borderland::sim
