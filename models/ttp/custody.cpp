// Custody's checkpoint and checks (custody.hpp).
#include "models/ttp/custody.hpp"

#include "models/ttp/checkpoint_io.hpp"
#include "models/ttp/state_checker.hpp"

namespace borderland::ttp {

void Custody::save(sim::h5::Group& world) const {
  checkpoint::put(world, "detained_", detained);
  checkpoint::put(world, "convicted_", convicted);
}

void Custody::load(const sim::h5::Group& world) {
  checkpoint::get(world, "detained_", detained);
  checkpoint::get(world, "convicted_", convicted);
}

void Custody::check(const StateChecker& c) const {
  c.count("detained_", detained);
  c.count("convicted_", convicted);
}

}  // namespace borderland::ttp
