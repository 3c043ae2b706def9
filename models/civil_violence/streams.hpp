#pragma once
// Every random stream of the civil violence model, in one list. A stream is
// one purpose; never reuse a stream id for a second purpose, or two kinds of
// decision would share the same random numbers.
#include "sim/rng.hpp"

namespace borderland::civil_violence {

enum class Stream : sim::StreamId {
  kSetupPlacement = sim::kFirstModelStream,  // initial positions
  kSetupTraits,                              // hardship and risk aversion
  kMoveTarget,       // where an agent moves (keyed by the cell it starts from)
  kArrestChoice,     // which active citizen a cop picks (keyed by the cop's cell)
  kJailTerm,         // length of a sentence (keyed by the cell of the arrest)
  kRelease,          // where a released citizen reappears
  kMoveOrder,        // the order of rows in a band's move sweep (keyed by band)
  kArrestOrder,      // the order of rows in a band's arrest sweep (keyed by band)
  kActivationOrder,  // sequential activation: the day's order (keyed by position)
  kAgentMove,        // sequential activation: where an agent moves (keyed by agent)
  kAgentArrest,      // sequential activation: whom a cop jails, and the term (by cop)
};

}  // namespace borderland::civil_violence
