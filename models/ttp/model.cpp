#include "models/ttp/model.hpp"

#include "models/ttp/parameters.hpp"
#include "models/ttp/world.hpp"

namespace borderland::ttp {

Model::Model() : spec_(make_spec()) {}

std::unique_ptr<sim::Simulation> Model::create(const sim::Scenario& scenario) const {
  return std::make_unique<World>(scenario, Parameters::from(scenario.parameters));
}

}  // namespace borderland::ttp
