#pragma once
// Parameters of Epstein's civil violence model ("Model II", Epstein 2002,
// PNAS 99 suppl. 3, 7243-7250), with the paper's values as defaults.
#include <cstdint>

#include "sim/params.hpp"

namespace borderland::civil_violence {

enum class Neighbourhood { kCross, kSquare };

struct Parameters {
  int width = 40;
  int height = 40;
  double citizen_density = 0.7;
  double cop_density = 0.04;
  int citizen_vision = 7;
  int cop_vision = 7;
  Neighbourhood neighbourhood = Neighbourhood::kSquare;
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
