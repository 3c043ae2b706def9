#include "models/civil_violence/parameters.hpp"

#include <string>

namespace borderland::civil_violence {

using sim::ParamSpec;

sim::ModelSpec make_spec() {
  sim::ModelSpec spec;
  spec.name = "civil_violence";
  spec.summary =
      "Epstein (2002) civil violence: citizens rebel when grievance minus risk exceeds a "
      "threshold; "
      "cops jail active citizens. The engine's reference model.";
  spec.parameters = {
      ParamSpec::integer("grid.width", 40, 3, 100000, "cell",
                         "lattice width; 40 as in the classic Rebellion setting"),
      ParamSpec::integer("grid.height", 40, 3, 100000, "cell", "lattice height"),
      ParamSpec::choice("grid.boundary", "torus", {"torus", "bounded"},
                        "torus: the edges wrap round (Epstein 2002's runs, NetLogo's Rebellion "
                        "and Mesa's example all use one); bounded: nothing lies beyond the "
                        "edges, windows near them are clipped"),
      ParamSpec::real("citizens.density", 0.7, 0.0, 1.0, "1",
                      "share of cells holding a citizen at the start (Epstein 2002: 0.7)"),
      ParamSpec::real("cops.density", 0.04, 0.0, 1.0, "1",
                      "share of cells holding a cop (Epstein 2002: 0.04); citizens + cops must "
                      "leave cells empty"),
      ParamSpec::integer("citizens.vision", 7, 1, 127, "cell",
                         "how far a citizen sees along each direction (Epstein 2002: v = 7)"),
      ParamSpec::integer("cops.vision", 7, 1, 127, "cell",
                         "how far a cop sees (Epstein 2002: v* = 7)"),
      ParamSpec::choice(
          "vision_shape", "von_neumann", {"von_neumann", "disc", "cross", "square"},
          "the cells an agent sees within its vision v: von_neumann |dx| + |dy| <= v (Mesa's "
          "Epstein example; 112 cells at v = 7), disc dx^2 + dy^2 <= v^2 (NetLogo's Rebellion, "
          "in-radius; 148), cross up to v cells north, south, east and west (the letter of "
          "Epstein 2002; 28), square the (2v+1)^2 box (224). See README, Neighbourhoods"),
      ParamSpec::choice("activation", "parallel", {"parallel", "sequential"},
                        "parallel: banded sweeps, any thread count, same run (README, Update "
                        "semantics); sequential: every agent once a day in a random order, one "
                        "at a time, as NetLogo and Mesa (one thread)"),
      ParamSpec::choice("turn_order", "move_first", {"move_first", "act_first"},
                        "sequential activation only: an agent moves and then acts (decides, or "
                        "arrests and takes the arrested citizen's cell), as Epstein 2002 and "
                        "NetLogo; act_first: it acts and then moves, the cop leaving the cell "
                        "of the arrest, as Mesa's example"),
      ParamSpec::choice("arrest_rounding", "floor", {"floor", "round"},
                        "how C/(A+1) becomes the integer n of P = 1 - exp(-k n): floor as "
                        "Epstein 2002 and NetLogo; round (ties to even) as Mesa 3"),
      ParamSpec::real("legitimacy", 0.82, 0.0, 1.0, "1",
                      "L, the regime's perceived legitimacy (classic Rebellion setting: 0.82)"),
      ParamSpec::real("threshold", 0.1, 0.0, 1.0, "1",
                      "T: a citizen turns active when G - R*P > T (Epstein 2002: 0.1)"),
      ParamSpec::real("arrest_constant", 2.3, 0.0, 100.0, "1",
                      "k in P = 1 - exp(-k floor(C/(A+1))); 2.3 makes P = 0.9 when C = 1, A = 0 "
                      "(Epstein 2002)"),
      ParamSpec::integer(
          "max_jail_term", 30, 0, 100000, "day",
          "Jmax: jail terms are uniform integers on [0, Jmax] (classic setting: 30)"),
      ParamSpec::boolean(
          "movement", true,
          "agents move to a random empty cell within vision each step (Epstein's rule M)"),
      ParamSpec::integer(
          "move_attempts", 16, 1, 1000, "1",
          "random probes for an empty cell in vision before staying put; with ~26 % empty cells, "
          "16 probes fail with probability < 0.01 (see README: uniform over empties, O(1) per "
          "agent)"),
  };
  spec.policies = {
      {"legitimacy_shift",
       "changes legitimacy while active: L = base + delta * min(1, days active / ramp_days); "
       "ramp_days = 0 is a jump",
       {ParamSpec::real("delta", -0.1, -1.0, 1.0, "1", "change of legitimacy once fully ramped"),
        ParamSpec::integer("ramp_days", 0, 0, 100000, "day",
                           "days over which the change is phased in linearly")}},
  };
  spec.snapshot_fields = {"state", "grievance"};
  return spec;
}

Parameters Parameters::from(const sim::ParamValues& v) {
  Parameters p;
  p.width = static_cast<int>(v.integer("grid.width"));
  p.height = static_cast<int>(v.integer("grid.height"));
  p.boundary = v.text("grid.boundary") == "bounded" ? Boundary::kBounded : Boundary::kTorus;
  p.citizen_density = v.real("citizens.density");
  p.cop_density = v.real("cops.density");
  p.citizen_vision = static_cast<int>(v.integer("citizens.vision"));
  p.cop_vision = static_cast<int>(v.integer("cops.vision"));
  const std::string& shape = v.text("vision_shape");
  p.neighbourhood = shape == "square"  ? Neighbourhood::kSquare
                    : shape == "cross" ? Neighbourhood::kCross
                    : shape == "disc"  ? Neighbourhood::kDisc
                                       : Neighbourhood::kVonNeumann;
  p.activation =
      v.text("activation") == "sequential" ? Activation::kSequential : Activation::kParallel;
  p.turn_order = v.text("turn_order") == "act_first" ? TurnOrder::kActFirst : TurnOrder::kMoveFirst;
  p.rounding =
      v.text("arrest_rounding") == "round" ? ArrestRounding::kRound : ArrestRounding::kFloor;
  p.legitimacy = v.real("legitimacy");
  p.threshold = v.real("threshold");
  p.arrest_constant = v.real("arrest_constant");
  p.max_jail_term = static_cast<int>(v.integer("max_jail_term"));
  p.movement = v.boolean("movement");
  p.move_attempts = static_cast<int>(v.integer("move_attempts"));
  return p;
}

}  // namespace borderland::civil_violence
