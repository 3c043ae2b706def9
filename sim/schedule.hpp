#pragma once
// A step is a fixed, named list of phases run in order. Each phase may run in
// parallel inside (sim/parallel.hpp); phases never overlap, so a phase sees
// everything the previous one wrote. A phase may declare the parts of the
// model's state it reads and writes (names the model chooses), so that the
// list of phases is also the day's data flow; the schedule does not check
// them, it carries them for readers, tests and `describe()`. The schedule
// keeps wall time per phase for profiling; timings are never written to
// outputs (they are not deterministic).
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace borderland::sim {

class Schedule {
 public:
  using PhaseFn = std::function<void(std::int64_t step)>;
  struct Access {
    std::vector<std::string> reads, writes;  // parts of the state, by the model's names
  };

  void add(std::string name, PhaseFn fn, Access access = {}) {
    phases_.push_back({std::move(name), std::move(fn), std::move(access), 0.0});
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
    Access access;
    double seconds;  // accumulated wall time
  };
  const std::vector<Phase>& phases() const { return phases_; }

  // One line per phase: "name: reads a, b -> writes c".
  std::string describe() const {
    std::string out;
    auto join = [](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
      return s.empty() ? std::string("-") : s;
    };
    for (const auto& p : phases_)
      out +=
          p.name + ": reads " + join(p.access.reads) + " -> writes " + join(p.access.writes) + "\n";
    return out;
  }

 private:
  std::vector<Phase> phases_;
};

}  // namespace borderland::sim
