#pragma once
// The global actors: the state that belongs to no agent and no cell - the Afghan host's
// tolerance of the TTP and Pakistan-Afghanistan tension, the arms on the market, the TTP
// command's retaliation motive and ceasefire, the concessions of talks still due (prisoners to
// release, fighters to let home), each faction's morale, and the collective actors with their
// own checkpoint subgroups (actors_state.hpp: the TTP command, the army's theatre, Kabul).
// Checkpointed as attributes and datasets of /checkpoint/state/world, named as the World
// members they once were (tension_, host_tolerance_, ...).
#include <array>
#include <cstdint>

#include "models/ttp/actors_state.hpp"
#include "models/ttp/parameters.hpp"
#include "sim/h5.hpp"

namespace borderland::ttp {

struct StateChecker;

struct GlobalActors {
  bool taliban_rule = false;               // the Afghan Taliban rule Kabul (events.cpp)
  double tolerance_target_override = -1;   // set by scripted events; -1: none
  double host_tolerance = 0, tension = 0;  // 0..1 each
  double arms_available = 0;               // arms on the market
  double retaliation = 0, banked_provocations = 0, provoke_share = 0;  // the command's motive
  bool ceasefire_holding = false;
  double prisoners_due = 0, returns_due = 0;  // concessions of talks still to deliver
  std::array<double, kFactions> faction_morale{1, 1, 1, 1};
  Command command;
  Theatre theatre;
  Kabul kabul;

  void save(sim::h5::Group& world) const;
  void load(const sim::h5::Group& world);
  // Shares within 0..1, sums finite, the command's steps (holding_since: not after `step`).
  void check(const StateChecker& c, std::int64_t step) const;
};

}  // namespace borderland::ttp
