#pragma once
// The state of the model's collective actors between days, one struct per
// actor, each with its own save and load into the checkpoint (a subgroup of
// /checkpoint/world named after the actor):
//   Command   the TTP command: the memory strategy.* reads (losses, concessions
//             owed) and what it decided today (resolve, tempo, the ceasefire)
//   Kabul     the Afghan Taliban government: restraint, cohesion, the Afghans Pakistan holds
//   Theatre   the army's operation areas (KP, Balochistan): the militants'
//             local networks that operations.* disrupts, displaced fighters due
// Written by phases/actors.cpp and phases/army.cpp.
#include <array>
#include <cstdint>

#include "sim/h5.hpp"

namespace borderland::ttp {

struct Command {
  double recent_losses = 0;  // militants killed by the state, decayed (strategy::decay_losses)
  double killed_today = 0;   // killed by the state since the last actors phase
  double stalled_days = 0;   // days concessions have been owed and not delivered
  std::int64_t review = -1;  // step on which the offer in force is (re)considered; -1: none
  std::int64_t holding_since = -1;  // step the ceasefire holding now was accepted
  double resolve = 0, tempo = 1, end_probability = 0;  // today's
  void save(sim::h5::Group& parent) const;
  void load(const sim::h5::Group& parent);
};

// The Afghan Taliban government (kabul.hpp).
struct Kabul {
  double restraint = 0;      // 0..1, how far it restrains the TTP (relocation, disarmament, truce)
  double cohesion = 1;       // 0..1, its own cohesion; caps restraint
  double undocumented = -1;  // undocumented Afghans still in Pakistan; -1: not yet set
  double deported_recent = 0;  // deportees, decayed memory
  void save(sim::h5::Group& parent) const;
  void load(const sim::h5::Group& parent);
};

// Operation areas of the army, in the order of World::region_of: 0 KP, 1 Balochistan.
inline constexpr int kRegions = 2;

struct Theatre {
  std::array<double, kRegions> network{1, 1};  // 0..1, the militants' local network
  void save(sim::h5::Group& parent) const;
  void load(const sim::h5::Group& parent);
};

}  // namespace borderland::ttp
