#pragma once
// Every random stream of the TTP model, in one list. One purpose per stream.
#include "sim/rng.hpp"

namespace borderland::ttp {

enum class Stream : sim::StreamId {
  kSetupPosts = sim::kFirstModelStream,  // how many posts in each cell
  kSetupSanctuaries,                     // where sanctuaries are
  kSetupCells,                           // where cells start, faction
  kSetupArmy,                            // where units are based
  kRecruit,                              // recruits and desertions of a cell
  kMove,                                 // departures, destinations, steps
  kBorder,                               // detection at the border
  kAttackPlan,                           // whether, whom and how a cell attacks
  kAttackResolve,                        // success and casualties
  kDetection,                            // police locating cells
  kCustody,                              // releases from custody
  kArmy,                                 // army engagements
  kStrike,                               // cross-border strikes
  kHost,                                 // relocation of sanctuaries
  kTalks,                                // concessions: who comes home
  kEvents,                               // scripted events
  kSplit,                                // cells splitting
  kCommand,                              // the TTP command's decisions (ceasefire)
  kReinforce,                            // officers arriving at posts short of strength
};

}  // namespace borderland::ttp
