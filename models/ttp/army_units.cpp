// The army units' columns, checkpoint and checks (army_units.hpp).
#include "models/ttp/army_units.hpp"

#include "models/ttp/actors_state.hpp"
#include "models/ttp/checkpoint_io.hpp"
#include "models/ttp/state_checker.hpp"

namespace borderland::ttp {

ArmyUnits::ArmyUnits() : sim::AgentStore("army_unit") {
  cell = add_column<std::int32_t>("cell");
  base = add_column<std::int32_t>("base");
  strength = add_column<std::int32_t>("strength");
  region = add_column<std::int32_t>("region");
  target = add_column<std::int32_t>("target", -1);
  mission = add_column<std::uint8_t>("mission", 0);
}

void ArmyUnits::save(sim::h5::Group& checkpoint) const {
  checkpoint::put_store(checkpoint, *this, cell, base, strength, region, target, mission);
}

void ArmyUnits::load(const sim::h5::Group& checkpoint) {
  checkpoint::get_store(checkpoint, *this, true, cell, base, strength, region, target, mission);
}

void ArmyUnits::check(const StateChecker& c) const {
  const auto& self = *this;
  const std::string au = type_name();
  c.ids(self);
  c.index_rows(au, "cell", self[cell], 0, c.map_cells, c.on_map);
  c.index_rows(au, "base", self[base], 0, c.map_cells, c.on_map);
  c.index_rows(au, "target", self[target], -1, c.map_cells, c.on_map + " or -1: none");
  // phase_army deploys units in the two operation areas (actors_state.hpp).
  c.index_rows(au, "region", self[region], 0, kRegions, "0 KP or 1 Balochistan");
  c.index_rows(au, "mission", self[mission], 0, 2, "0 or 1");
  c.counts(au, "strength", self[strength]);
}

}  // namespace borderland::ttp
