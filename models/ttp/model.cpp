#include "models/ttp/model.hpp"

#include "models/ttp/parameters.hpp"
#include "models/ttp/policies.hpp"
#include "models/ttp/world.hpp"

namespace borderland::ttp {

namespace {
// The model's description, assembled from the tables that declare each part once:
// parameters (parameters.cpp), levers (policies.cpp), events (events.cpp),
// snapshot fields (outputs.cpp).
sim::ModelSpec make_spec() {
  check_levers();  // a lever reading an undeclared strength fails here, at start-up
  sim::ModelSpec spec;
  spec.name = "ttp";
  spec.summary =
      "The TTP insurgency on the Pakistan-Afghanistan map: militant cells infiltrate from Afghan "
      "sanctuaries, strike "
      "police, army and officials, and withdraw; police, army, strikes, talks and host politics "
      "push back (the Crisis Group commentary (2023)).";
  spec.parameters = parameter_specs();
  for (const Lever& lever : levers()) spec.policies.push_back(lever.spec);
  for (const World::EventKind& kind : World::event_kinds()) spec.events.push_back(kind.spec);
  for (const sim::FieldSpec& field : World::snapshot_field_specs())
    spec.snapshot_fields.push_back(field.name);
  return spec;
}
}  // namespace

Model::Model() : spec_(make_spec()) {}

std::unique_ptr<sim::Simulation> Model::create(const sim::Scenario& scenario) const {
  return std::make_unique<World>(scenario, Parameters::from(scenario.parameters));
}

}  // namespace borderland::ttp
