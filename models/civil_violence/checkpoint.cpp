// Checkpoints of the civil violence model (save_state, load_state).
#include <fmt/format.h>

#include <algorithm>
#include <type_traits>

#include "models/civil_violence/cells.hpp"
#include "models/civil_violence/world.hpp"
#include "sim/error.hpp"
#include "sim/h5.hpp"

namespace borderland::civil_violence {

// Checkpoint: agents (ids and every column), the occupancy raster and the
// running counters. Scratch (claims, proposals, window sums) is rebuilt or
// reset within each step, and legitimacy is recomputed at the start of a step.
void World::save_state(sim::h5::Group& g) const {
  auto n = [](std::size_t size) { return std::vector<hsize_t>{size}; };
  auto vec = [](auto span) {
    return std::vector<typename decltype(span)::value_type>(span.begin(), span.end());
  };
  const std::size_t nc = citizens_.size(), nk = cops_.size();
  g.write("citizen_id", vec(citizens_.ids()), n(nc));
  g.write("arrest_x", vec(citizens_[arrest_x_]), n(nc));
  g.write("arrest_y", vec(citizens_[arrest_y_]), n(nc));
  g.write("hardship", vec(citizens_[hardship_]), n(nc));
  g.write("risk_aversion", vec(citizens_[risk_aversion_]), n(nc));
  // State and days left in jail per citizen, as the model's rules see them.
  std::vector<std::uint8_t> state(nc, kQuiet);
  std::vector<std::int32_t> jail_left(nc, 0);
  const auto jailed = citizens_[jailed_];
  const auto release_day = citizens_[release_day_];
  for (std::size_t i = 0; i < nc; ++i)
    if (jailed[i] != 0) {
      state[i] = kJailed;
      jail_left[i] = static_cast<std::int32_t>(release_day[i] - steps_done_);
    }
  for (std::size_t c = 0; c < occupant_.size(); ++c)
    if (occupant_[c] >= 0 && kind_of(kind_[c]) == kActiveCell)
      state[static_cast<std::size_t>(occupant_[c])] = kActive;
  g.write("state", state, n(nc));
  g.write("jail_left", jail_left, n(nc));
  g.write("cop_id", vec(cops_.ids()), n(nk));
  g.write("occupant", occupant_, n(occupant_.size()));
  g.set_attr("citizen_next_id", static_cast<std::int64_t>(citizens_.next_id()));
  g.set_attr("cop_next_id", static_cast<std::int64_t>(cops_.next_id()));
  g.set_attr("arrests_total", arrests_total_);
  g.set_attr("released", released_);
  g.set_attr("active_count", active_count_);
  g.set_attr("jailed_count", jailed_count_);
  g.set_attr("peak_active", peak_active_);
  g.set_attr("sum_active", sum_active_);
  g.set_attr("steps_done", steps_done_);
  g.set_attr("legitimacy", legitimacy_);
}

void World::load_state(const sim::h5::Group& g) {
  auto read = [&](const char* name, auto& out, std::size_t expected) {
    using T = typename std::decay_t<decltype(out)>::value_type;
    const sim::h5::Dataset ds = g.open_dataset(name);
    auto values = ds.read<T>();
    if (values.size() != expected)
      throw sim::InputError(
          fmt::format("{}: error: checkpoint has {} values, this scenario needs {}",
                      ds.location().where(), values.size(), expected));
    std::copy(values.begin(), values.end(), out.begin());
  };
  const std::size_t nc = citizens_.size(), nk = cops_.size();
  std::vector<sim::AgentId> cit_ids(nc), cop_ids(nk);
  read("citizen_id", cit_ids, nc);
  read("cop_id", cop_ids, nk);
  citizens_.restore(cit_ids, static_cast<sim::AgentId>(g.attr_int("citizen_next_id")));
  cops_.restore(cop_ids, static_cast<sim::AgentId>(g.attr_int("cop_next_id")));
  auto arrest_x = citizens_[arrest_x_], arrest_y = citizens_[arrest_y_];
  auto hardship = citizens_[hardship_], risk = citizens_[risk_aversion_];
  std::vector<std::uint8_t> state(nc);
  std::vector<std::int32_t> jail_left(nc);
  read("arrest_x", arrest_x, nc);
  read("arrest_y", arrest_y, nc);
  read("hardship", hardship, nc);
  read("risk_aversion", risk, nc);
  read("state", state, nc);
  read("jail_left", jail_left, nc);
  read("occupant", occupant_, occupant_.size());
  steps_done_ = g.attr_int("steps_done");
  auto jailed = citizens_[jailed_];
  auto release_day = citizens_[release_day_];
  std::vector<std::uint8_t> active(nc, 0);
  for (std::size_t i = 0; i < nc; ++i) {
    if (state[i] > kJailed || jail_left[i] < 0 || jail_left[i] > p_.max_jail_term)
      throw sim::InputError(fmt::format(
          "{}: error: checkpoint citizen {} has state {} and {} days left in jail; expected a "
          "state 0..2 and 0..{} days",
          g.location().where(), i, int{state[i]}, jail_left[i], p_.max_jail_term));
    jailed[i] = state[i] == kJailed ? 1 : 0;
    release_day[i] = static_cast<std::int32_t>(steps_done_ + jail_left[i]);
    active[i] = state[i] == kActive ? 1 : 0;
  }
  rebuild_cell_kinds(active);  // kind_ is derived from occupant_ and the states
  rebuild_release_queue();
  arrests_.clear();
  arrests_total_ = g.attr_int("arrests_total");
  released_ = g.attr_int("released");
  active_count_ = g.attr_int("active_count");
  jailed_count_ = g.attr_int("jailed_count");
  peak_active_ = g.attr_int("peak_active");
  sum_active_ = g.attr_double("sum_active");
  legitimacy_ = g.attr_double("legitimacy");
}

}  // namespace borderland::civil_violence
