#include "models/civil_violence/model.hpp"

#include "models/civil_violence/parameters.hpp"
#include "models/civil_violence/world.hpp"

namespace borderland::civil_violence {

Model::Model() : spec_(make_spec()) {}

std::unique_ptr<sim::Simulation> Model::create(const sim::Scenario& scenario) const {
  return std::make_unique<World>(scenario, Parameters::from(scenario.parameters));
}

}  // namespace borderland::civil_violence
