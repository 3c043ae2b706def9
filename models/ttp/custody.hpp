#pragma once
// Custody: the militants the state holds - detained (arrested, awaiting trial or serving) and
// of those, convicted by the courts (phases/policing.cpp); releases in talks and prison breaks
// draw on them (phases/actors.cpp, events.cpp). Checkpointed as attributes of
// /checkpoint/state/world ("detained_", "convicted_").
#include <cstdint>

#include "sim/h5.hpp"

namespace borderland::ttp {

struct StateChecker;

struct Custody {
  std::int64_t detained = 0, convicted = 0;

  void save(sim::h5::Group& world) const;
  void load(const sim::h5::Group& world);
  void check(const StateChecker& c) const;  // 0 or more
};

}  // namespace borderland::ttp
