#pragma once
// What every checkpoint must satisfy before a model reads its state (the
// model then checks its own arrays): it resumes at a step inside the run, at
// the date that step has, and the file holds the series of every earlier step.
#include <string>

#include "sim/h5.hpp"
#include "sim/scenario.hpp"

namespace borderland::sim {

// InputError naming `from` and /checkpoint when the checkpoint in `file`
// (a copy of `from`) cannot be resumed for `scenario`.
void check_checkpoint_step(const h5::File& file, const Scenario& scenario, const std::string& from);

}  // namespace borderland::sim
