// Checkpoints of the civil violence model (save_state, load_state).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <utility>

#include "models/civil_violence/cells.hpp"
#include "models/civil_violence/world.hpp"
#include "sim/error.hpp"
#include "sim/h5.hpp"

namespace borderland::civil_violence {
namespace {
// The most steps a checkpoint may claim to have run: far beyond any scenario
// (a century of days is 36,525), and small enough that the day counters and
// the release days computed from it cannot overflow.
constexpr std::int64_t kMaxStepsDone = std::int64_t{1} << 31;

// Reads dataset `name` of g into out, which must get exactly `expected` values.
template <class Out>
void read_exactly(const sim::h5::Group& g, const char* name, Out& out, std::size_t expected) {
  using T = typename std::decay_t<decltype(out)>::value_type;
  const sim::h5::Dataset ds = g.open_dataset(name);
  auto values = ds.read<T>();
  if (values.size() != expected)
    throw sim::InputError(fmt::format("{}: error: checkpoint has {} values, this scenario needs {}",
                                      ds.location().where(), values.size(), expected));
  std::copy(values.begin(), values.end(), out.begin());
}
}  // namespace

// Checkpoint: agents (ids and every column), the jailed (state, days left,
// arrest cell and place in their day's release list), the occupancy raster
// and the running counters. Scratch (band lists, window sums, random blocks)
// is rebuilt within each step, and legitimacy is recomputed at its start.
void World::save_state(sim::h5::Group& g) const {
  auto n = [](std::size_t size) { return std::vector<hsize_t>{size}; };
  auto vec = [](auto span) {
    return std::vector<typename decltype(span)::value_type>(span.begin(), span.end());
  };
  const std::size_t nc = citizens_.size(), nk = cops_.size();
  g.write("citizen_id", vec(citizens_.ids()), n(nc));
  g.write("hardship", vec(citizens_[hardship_]), n(nc));
  g.write("risk_aversion", vec(citizens_[risk_aversion_]), n(nc));
  // State, days left in jail and, for the jailed, the cell of the arrest and
  // the place in the list of its release day per citizen (-1 for the free), as
  // the model's rules see them (the order of a day's list is the order of the
  // releases).
  std::vector<std::uint8_t> state(nc, kQuiet);
  std::vector<std::int32_t> jail_left(nc, 0), arrest_x(nc, -1), arrest_y(nc, -1),
      jail_order(nc, -1);
  const auto slots = static_cast<std::int64_t>(release_queue_.size());
  for (std::int64_t slot = 0; slot < slots; ++slot) {
    const auto& due = release_queue_[static_cast<std::size_t>(slot)];
    for (std::size_t k = 0; k < due.size(); ++k) {
      const auto i = static_cast<std::size_t>(due[k].citizen);
      state[i] = kJailed;
      // The slot's day is the first from steps_done_ on that falls in it.
      jail_left[i] = static_cast<std::int32_t>(((slot - steps_done_) % slots + slots) % slots);
      arrest_x[i] = due[k].x;
      arrest_y[i] = due[k].y;
      jail_order[i] = static_cast<std::int32_t>(k);
    }
  }
  g.write("arrest_x", arrest_x, n(nc));
  g.write("arrest_y", arrest_y, n(nc));
  g.write("jail_order", jail_order, n(nc));
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

// A checkpoint is input: every agent is on exactly one cell unless jailed,
// every cell holds a real agent, and draws lie where the model draws them.
void World::check_loaded_agents(const sim::h5::Group& g, std::span<const double> hardship,
                                std::span<const double> risk,
                                const std::vector<std::uint8_t>& state) const {
  const std::string where = g.location().where();
  const auto nc = static_cast<std::int64_t>(citizens_.size());
  const auto nk = static_cast<std::int64_t>(cops_.size());
  for (std::size_t i = 0; i < hardship.size(); ++i)
    if (!(hardship[i] >= 0.0 && hardship[i] <= 1.0) || !(risk[i] >= 0.0 && risk[i] <= 1.0))
      throw sim::InputError(fmt::format(
          "{}: error: checkpoint citizen {} has hardship {} and risk aversion {}; expected both "
          "in [0, 1]",
          where, i, hardship[i], risk[i]));
  std::vector<std::uint8_t> seen(static_cast<std::size_t>(nc + nk), 0);
  for (std::size_t c = 0; c < occupant_.size(); ++c) {
    const std::int64_t who = occupant_[c];
    if (who == -1) continue;
    const std::int64_t slot = who >= 0 ? who : nc + (-2 - who);
    if (who < -1 - nk || who >= nc)
      throw sim::InputError(fmt::format(
          "{}: error: checkpoint occupant of cell {} is {}; expected -1 (empty), a citizen row "
          "0..{} or a cop -2..{}",
          where, c, who, nc - 1, -1 - nk));
    if (seen[static_cast<std::size_t>(slot)]++ != 0)
      throw sim::InputError(
          fmt::format("{}: error: checkpoint {} {} occupies more than one cell (again at cell {})",
                      where, who >= 0 ? "citizen" : "cop", who >= 0 ? who : -2 - who, c));
    if (who >= 0 && state[static_cast<std::size_t>(who)] == kJailed)
      throw sim::InputError(fmt::format(
          "{}: error: checkpoint citizen {} is jailed but occupies cell {}", where, who, c));
  }
  for (std::int64_t i = 0; i < nc + nk; ++i) {
    const bool jailed = i < nc && state[static_cast<std::size_t>(i)] == kJailed;
    if (!jailed && seen[static_cast<std::size_t>(i)] == 0)
      throw sim::InputError(fmt::format("{}: error: checkpoint {} {} is on no cell", where,
                                        i < nc ? "citizen" : "cop", i < nc ? i : i - nc));
  }
}

void World::load_state(const sim::h5::Group& g) {
  restore_agent_ids(g);
  const SavedCitizens saved = read_citizen_rows(g);
  check_loaded_agents(g, citizens_[hardship_], citizens_[risk_aversion_], saved.state);
  restore_steps_done(g);
  std::vector<std::uint8_t> active(citizens_.size(), 0);
  const std::vector<std::size_t> jailed = check_citizen_rows(g, saved, active);
  queue_jailed(saved, jailed);
  rebuild_cell_kinds(active);  // kind_ is derived from occupant_ and the states
  restore_counters(g);
  check_loaded_counts(g);
}

// The agent stores' ids and next ids, which must be the rows (ids_are_rows).
void World::restore_agent_ids(const sim::h5::Group& g) {
  const std::size_t nc = citizens_.size(), nk = cops_.size();
  std::vector<sim::AgentId> cit_ids(nc), cop_ids(nk);
  read_exactly(g, "citizen_id", cit_ids, nc);
  read_exactly(g, "cop_id", cop_ids, nk);
  citizens_.restore(cit_ids, static_cast<sim::AgentId>(g.attr_int("citizen_next_id")));
  cops_.restore(cop_ids, static_cast<sim::AgentId>(g.attr_int("cop_next_id")));
  if (!ids_are_rows())
    throw sim::InputError(fmt::format(
        "{}: error: checkpoint agent ids are not 0, 1, 2, ... in order (this model never "
        "removes an agent)",
        g.location().where()));
}

// The citizens' rows: their draws (hardship and risk aversion, into the store), states and jail
// records, and the occupancy raster.
World::SavedCitizens World::read_citizen_rows(const sim::h5::Group& g) {
  const std::size_t nc = citizens_.size();
  auto hardship = citizens_[hardship_], risk = citizens_[risk_aversion_];
  SavedCitizens saved(nc);
  read_exactly(g, "arrest_x", saved.arrest_x, nc);
  read_exactly(g, "arrest_y", saved.arrest_y, nc);
  read_exactly(g, "hardship", hardship, nc);
  read_exactly(g, "risk_aversion", risk, nc);
  read_exactly(g, "state", saved.state, nc);
  read_exactly(g, "jail_left", saved.jail_left, nc);
  read_exactly(g, "jail_order", saved.jail_order, nc);
  read_exactly(g, "occupant", occupant_, occupant_.size());
  return saved;
}

// steps_done, within what the day counters and release days can hold (kMaxStepsDone).
void World::restore_steps_done(const sim::h5::Group& g) {
  steps_done_ = g.attr_int("steps_done");
  if (steps_done_ < 0 || steps_done_ > kMaxStepsDone)
    throw sim::InputError(fmt::format("{}: error: checkpoint steps_done is {}; expected 0..{}",
                                      g.location().where(), steps_done_, kMaxStepsDone));
}

// Each citizen's state and jail record must be one the model makes; marks the active in
// `active` and returns the rows of the jailed, in row order.
std::vector<std::size_t> World::check_citizen_rows(const sim::h5::Group& g,
                                                   const SavedCitizens& saved,
                                                   std::vector<std::uint8_t>& active) const {
  const auto& state = saved.state;
  const auto &jail_left = saved.jail_left, &arrest_x = saved.arrest_x, &arrest_y = saved.arrest_y,
             &jail_order = saved.jail_order;
  std::vector<std::size_t> jailed;
  for (std::size_t i = 0; i < state.size(); ++i) {
    if (state[i] > kJailed || jail_left[i] < 0 || jail_left[i] > p_.max_jail_term)
      throw sim::InputError(fmt::format(
          "{}: error: checkpoint citizen {} has state {} and {} days left in jail; expected a "
          "state 0..2 and 0..{} days",
          g.location().where(), i, int{state[i]}, jail_left[i], p_.max_jail_term));
    active[i] = state[i] == kActive ? 1 : 0;
    if (state[i] != kJailed) continue;
    if (arrest_x[i] < 0 || arrest_x[i] >= grid_.nx() || arrest_y[i] < 0 ||
        arrest_y[i] >= grid_.ny())
      throw sim::InputError(fmt::format(
          "{}: error: checkpoint citizen {} is jailed after an arrest at ({}, {}), off the {}x{} "
          "grid",
          g.location().where(), i, arrest_x[i], arrest_y[i], grid_.nx(), grid_.ny()));
    if (jail_order[i] < 0)
      throw sim::InputError(
          fmt::format("{}: error: checkpoint citizen {} is jailed with place {} in its day's "
                      "release list; expected 0 or more",
                      g.location().where(), i, jail_order[i]));
    jailed.push_back(i);
  }
  return jailed;
}

// The jailed back into the release queue, by release day and, within a day, by their place in
// its list (the order of the releases).
void World::queue_jailed(const SavedCitizens& saved, std::vector<std::size_t> jailed) {
  const auto &jail_left = saved.jail_left, &jail_order = saved.jail_order;
  std::stable_sort(jailed.begin(), jailed.end(), [&](std::size_t a, std::size_t b) {
    return std::pair{jail_left[a], jail_order[a]} < std::pair{jail_left[b], jail_order[b]};
  });
  for (auto& due : release_queue_) due.clear();
  // Bound 0 for now: the next decide phase works out every bound (see rebuild_cell_kinds).
  for (const std::size_t i : jailed)
    queue_release({static_cast<std::int32_t>(i), saved.arrest_x[i], saved.arrest_y[i], 0},
                  steps_done_ + jail_left[i]);
}

// The running counters as saved; the day's arrests start empty (none yet in the step to come).
void World::restore_counters(const sim::h5::Group& g) {
  for (auto& arrests : band_arrests_) arrests.clear();
  arrests_today_ = 0;
  arrests_total_ = g.attr_int("arrests_total");
  released_ = g.attr_int("released");
  active_count_ = g.attr_int("active_count");
  jailed_count_ = g.attr_int("jailed_count");
  peak_active_ = g.attr_int("peak_active");
  sum_active_ = g.attr_double("sum_active");
  legitimacy_ = g.attr_double("legitimacy");
}

// The running counts are saved beside the rows they summarise; a file whose
// counts disagree with its rows (or lie outside what the rows allow) is
// refused, since the next steps would count from a wrong start.
void World::check_loaded_counts(const sim::h5::Group& g) const {
  const auto nc = static_cast<std::int64_t>(citizens_.size());
  // From the restored cells and release queue, as a step counts them.
  const std::int64_t actives = count_state(kActive), jailed = count_state(kJailed);
  const auto where = g.location().where();
  auto expect = [&](const char* name, std::int64_t value, std::int64_t lo, std::int64_t hi) {
    if (value < lo || value > hi)
      throw sim::InputError(
          fmt::format("{}: error: checkpoint {} is {}; its citizens' rows allow {}..{}", where,
                      name, value, lo, hi));
  };
  expect("active_count", active_count_, actives, actives);
  expect("jailed_count", jailed_count_, jailed, jailed);
  expect("peak_active", peak_active_, actives, nc);
  // At most every citizen is arrested once a step (steps_done is checked to be small enough).
  expect("arrests_total", arrests_total_, jailed_count_,
         steps_done_ * std::max<std::int64_t>(nc, 1));
  expect("released", released_, 0, arrests_total_);
  if (!std::isfinite(sum_active_) || sum_active_ < 0.0)
    throw sim::InputError(
        fmt::format("{}: error: checkpoint sum_active is {}; expected a finite count of 0 or more",
                    where, sum_active_));
  if (!std::isfinite(legitimacy_) || legitimacy_ < 0.0 || legitimacy_ > 1.0)
    throw sim::InputError(
        fmt::format("{}: error: checkpoint legitimacy is {}; expected 0..1", where, legitimacy_));
}

}  // namespace borderland::civil_violence
