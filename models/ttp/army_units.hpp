#pragma once
// The army units: the agent store (one row a unit), its columns: where it is, its base, its
// strength, its operation area (0 KP, 1 Balochistan), its target cell and whether it is on
// clearance. Units never come or go during a run; the store is checkpointed (its own group,
// "army_unit", of the size the scenario builds).
#include <cstdint>

#include "sim/agents.hpp"
#include "sim/h5.hpp"

namespace borderland::ttp {

struct StateChecker;

struct ArmyUnits : sim::AgentStore {
  ArmyUnits();  // the columns, in checkpoint order
  sim::Column<std::int32_t> cell, base, strength, region, target;
  sim::Column<std::uint8_t> mission;  // 1: on clearance

  void save(sim::h5::Group& checkpoint) const;
  void load(const sim::h5::Group& checkpoint);
  void check(const StateChecker& c) const;  // ids, cells, regions and missions
};

}  // namespace borderland::ttp
