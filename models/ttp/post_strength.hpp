#pragma once
// Police posts lose the officers killed in attacks on them and are reinforced back towards their
// establishment (the officers the force assigned them at the start):
//   loss           officers -= police killed in an attack on the post
//   reinforcement  officers += (establishment - officers) / reinforce_days a day (a whole number
//                  of officers with that mean: transfers and recruits arrive one by one)
//   present        officers on duty at a moment: officers x present share, capped (as at the start)
//   defence        a post short of officers defends worse:
//                      defence -= defence_loss x (1 - officers / establishment)
//   detection      the police locate cells less where the posts around are short of officers:
//                      detection x (1 - detection_loss x (1 - officers / establishment)),
//                  officers and establishment summed over the posts near the cell
// The officers live in the post store (column `officers`, saved with it); the establishment is
// what setup assigned (World::post_establishment_, rebuilt from the scenario). Called from
// phases/attacks.cpp (loss, defence), phases/policing.cpp (reinforcement, detection).
#include <vector>

#include "sim/params.hpp"

namespace borderland::ttp::post_strength {

struct Parameters {
  double reinforce_days = 1, defence_loss = 0, detection_loss = 0;
  static Parameters from(const sim::ParamValues& values);
};

// Every parameter of this unit, with units, default, range and reason.
std::vector<sim::ParamSpec> parameter_specs();

// Share of the establishment at the post(s), 0..1 (1 when the establishment is 0).
double strength(double officers, double establishment);

// Expected officers arriving today at a post short of its establishment.
double expected_reinforcements(const Parameters& p, double officers, double establishment);

// Defence lost by a post at `strength` (0 or more).
double defence_penalty(const Parameters& p, double strength);

// Factor on the police's detection near posts at `strength` (0..1).
double detection_factor(const Parameters& p, double strength);

}  // namespace borderland::ttp::post_strength
