// A TTP checkpoint is input (state_checker.hpp): after load_state() has read
// it, each part of the state checks its own values, and the parts kept here
// (protests, the suicide pipeline, the day reached) are checked here.
//
// Kept apart from checkpoint.cpp (which lists what is saved) so that adding
// state there and adding a check here stay separate edits.
#include <fmt/format.h>

#include <cstdint>
#include <span>
#include <vector>

#include "models/ttp/state_checker.hpp"
#include "models/ttp/world.hpp"
#include "sim/h5.hpp"

namespace borderland::ttp {

void World::check_loaded_state(const sim::h5::Group& g) const {
  const StateChecker c{g.location().where(), geo_.cells(),
                       fmt::format("a cell of the {}x{} map", geo_.nx, geo_.ny)};
  cells_.check(c, static_cast<std::int64_t>(sanctuaries_.size()));
  posts_.check(c);
  army_.check(c);
  sanctuaries_.check(c);
  fields_.check(c);
  custody_.check(c);
  counts_.check(c);
  c.count("cur_step_", cur_step_);
  actors_.check(c, cur_step_);
  for (const auto& [name, v] : {std::pair{"protests/victims_today", protests_.victims_today},
                                {"protests/harmed_today", protests_.harmed_today}})
    c.all<double>(name, std::span<const double>(&v, 1), 0);
  c.share("protests/pressure", protests_.pressure);
  const std::vector<double> pipeline = suicide_.state();
  c.all<double>("suicide_pipeline/state", pipeline, 0);
}

}  // namespace borderland::ttp
