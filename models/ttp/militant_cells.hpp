#pragma once
// The militant cells: the agent store (one row a cell of fighters), its columns, and the intent
// buffers the parallel phases fill, one slot per row (recruitment, movement, attacks, policing),
// before the phase applies them in row order. The store is checkpointed (its own group,
// "militant_cell"); the intents are not: each phase sizes and fills them anew.
#include <cstdint>
#include <vector>

#include "sim/agents.hpp"
#include "sim/h5.hpp"

namespace borderland::ttp {

struct StateChecker;

enum CellState : std::uint8_t {  // stored in the `state` column; the order is the code
  kInSanctuary = 0,
  kMoving,
  kOperating,
  kReturning,
  kLocal
};

struct MilitantCells : sim::AgentStore {
  MilitantCells();  // the columns, in checkpoint order
  sim::Column<std::int32_t> faction, cell, fighters, dest, sanctuary, timer, stuck;
  sim::Column<double> arms, morale, exposure;
  sim::Column<std::uint8_t> state;  // CellState

  struct Intents {  // one slot per row, filled in parallel phases
    std::vector<std::int32_t> recruits, deserters, cross_to;  // recruitment, movement
    std::vector<std::int8_t> attack_tactic, attack_target;    // attacks
    std::vector<std::int32_t> attack_post, arrests;           // attacks, policing
  } intent;

  void save(sim::h5::Group& checkpoint) const;
  void load(const sim::h5::Group& checkpoint);
  // Ids, indices, counts and shares, and a sanctuary for each cell in or bound for one.
  void check(const StateChecker& c, std::int64_t sanctuaries) const;
};

}  // namespace borderland::ttp
