// The sanctuaries' column, checkpoint and checks (sanctuaries.hpp).
#include "models/ttp/sanctuaries.hpp"

#include "models/ttp/checkpoint_io.hpp"
#include "models/ttp/state_checker.hpp"

namespace borderland::ttp {

Sanctuaries::Sanctuaries() : sim::AgentStore("sanctuary") {
  cell = add_column<std::int32_t>("cell");
}

void Sanctuaries::save(sim::h5::Group& checkpoint) const {
  checkpoint::put_store(checkpoint, *this, cell);
}

void Sanctuaries::load(const sim::h5::Group& checkpoint) {
  checkpoint::get_store(checkpoint, *this, true, cell);
}

void Sanctuaries::check(const StateChecker& c) const {
  c.ids(*this);
  c.index_rows(type_name(), "cell", (*this)[cell], 0, c.map_cells, c.on_map);
}

}  // namespace borderland::ttp
