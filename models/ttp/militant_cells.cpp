// The militant cells' columns, checkpoint and checks (militant_cells.hpp).
#include "models/ttp/militant_cells.hpp"

#include "models/ttp/checkpoint_io.hpp"
#include "models/ttp/parameters.hpp"
#include "models/ttp/state_checker.hpp"

namespace borderland::ttp {

MilitantCells::MilitantCells() : sim::AgentStore("militant_cell") {
  faction = add_column<std::int32_t>("faction");
  cell = add_column<std::int32_t>("cell");
  fighters = add_column<std::int32_t>("fighters");
  dest = add_column<std::int32_t>("destination", -1);
  sanctuary = add_column<std::int32_t>("sanctuary", -1);
  timer = add_column<std::int32_t>("timer", 0);
  stuck = add_column<std::int32_t>("stuck", 0);
  arms = add_column<double>("arms");
  morale = add_column<double>("morale", 1.0);
  exposure = add_column<double>("exposure", 0.0);
  state = add_column<std::uint8_t>("state", kInSanctuary);
}

void MilitantCells::save(sim::h5::Group& checkpoint) const {
  checkpoint::put_store(checkpoint, *this, faction, cell, fighters, dest, sanctuary, timer, stuck,
                        arms, morale, exposure, state);
}

void MilitantCells::load(const sim::h5::Group& checkpoint) {
  checkpoint::get_store(checkpoint, *this, false, faction, cell, fighters, dest, sanctuary, timer,
                        stuck, arms, morale, exposure, state);
}

void MilitantCells::check(const StateChecker& c, std::int64_t sanctuaries) const {
  const auto& self = *this;
  const std::string mc = type_name();
  c.ids(self);
  c.index_rows(mc, "faction", self[faction], 0, kFactions, "a faction");
  c.index_rows(mc, "cell", self[cell], 0, c.map_cells, c.on_map);
  c.index_rows(mc, "destination", self[dest], -1, c.map_cells, c.on_map);
  c.index_rows(mc, "sanctuary", self[sanctuary], -1, sanctuaries, "a sanctuary row");
  c.index_rows(mc, "state", self[state], 0, kLocal + 1, "a cell state");
  c.counts(mc, "fighters", self[fighters]);
  c.counts(mc, "stuck", self[stuck]);
  c.reals(mc, "arms", self[arms], 0);
  // Morale and exposure are shares the phases keep within 0..1 (recruitment, attacks).
  c.shares(mc, "morale", self[morale]);
  c.shares(mc, "exposure", self[exposure]);
  // A cell in or bound for a sanctuary must have one (sanctuary_cell() indexes it).
  for (std::size_t i = 0; i < size(); ++i) {
    const auto s = self[state][i];
    if ((s == kInSanctuary || s == kReturning) && self[sanctuary][i] < 0)
      c.fail(mc + "/sanctuary",
             fmt::format("{} row {} is in state {} (in or returning to a sanctuary) with sanctuary "
                         "{}; expected a sanctuary row 0 to {}",
                         mc, i, int{s}, self[sanctuary][i], sanctuaries - 1));
  }
}

}  // namespace borderland::ttp
