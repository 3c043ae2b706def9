#pragma once
// Parameters of Epstein's civil violence model ("Model II", Epstein 2002,
// PNAS 99 suppl. 3, 7243-7250), with the paper's values as defaults.
#include <cstdint>

#include "sim/params.hpp"

namespace borderland::civil_violence {

// What an agent sees within its vision v (see README, "Neighbourhoods"):
// von_neumann |dx| + |dy| <= v (Mesa's example), disc dx^2 + dy^2 <= v^2
// (NetLogo's in-radius), cross the cells up to v north, south, east and west
// (Epstein's text), square the (2v+1)^2 box.
enum class Neighbourhood { kVonNeumann, kDisc, kCross, kSquare };
// How n = C / (A + 1) becomes an integer in P = 1 - exp(-k n): floor (Epstein
// 2002, NetLogo's Rebellion) or round, ties to even (Mesa 3's Python round).
enum class ArrestRounding { kFloor, kRound };
// parallel: the banded sweeps of the README; sequential: every agent once a
// day in a random order, one at a time, as NetLogo and Mesa (one thread).
enum class Activation { kParallel, kSequential };
// In the sequential activation, what an agent does on its turn first: move
// and then act (decide, or arrest and take the arrested citizen's cell), as
// Epstein (2002) and NetLogo's Rebellion; or act and then move (a cop leaves
// the arrested citizen's cell alone), as Mesa's example.
enum class TurnOrder { kMoveFirst, kActFirst };

// What lies beyond the grid's edge: the opposite edge (a torus, as Epstein
// 2002's runs, NetLogo's Rebellion and Mesa's example) or nothing (bounded:
// windows are clipped at the edges).
enum class Boundary { kTorus, kBounded };

struct Parameters {
  int width = 40;
  int height = 40;
  Boundary boundary = Boundary::kTorus;
  double citizen_density = 0.7;
  double cop_density = 0.04;
  int citizen_vision = 7;
  int cop_vision = 7;
  Neighbourhood neighbourhood = Neighbourhood::kVonNeumann;
  ArrestRounding rounding = ArrestRounding::kFloor;
  Activation activation = Activation::kParallel;
  TurnOrder turn_order = TurnOrder::kMoveFirst;
  double legitimacy = 0.82;
  double threshold = 0.1;
  double arrest_constant = 2.3;
  int max_jail_term = 30;
  bool movement = true;
  int move_attempts = 16;

  static Parameters from(const sim::ParamValues& values);
};

sim::ModelSpec make_spec();

}  // namespace borderland::civil_violence
