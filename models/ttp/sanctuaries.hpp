#pragma once
// The sanctuaries in Afghanistan: the agent store (one row a sanctuary) and its one column, the
// cell it is in (the host phase relocates them). Sanctuaries never come or go during a run; the
// store is checkpointed (its own group, "sanctuary", of the size the scenario builds).
#include <cstdint>

#include "sim/agents.hpp"
#include "sim/h5.hpp"

namespace borderland::ttp {

struct StateChecker;

struct Sanctuaries : sim::AgentStore {
  Sanctuaries();
  sim::Column<std::int32_t> cell;

  void save(sim::h5::Group& checkpoint) const;
  void load(const sim::h5::Group& checkpoint);
  void check(const StateChecker& c) const;  // ids and cells
};

}  // namespace borderland::ttp
