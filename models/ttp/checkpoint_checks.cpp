// A TTP checkpoint is input: after load_state() has read it, every value the
// phases use as an index (a map cell, a sanctuary, a faction, a force, a
// region) must lie in its range, every count must be 0 or more and every real
// number finite, or the next step would read out of bounds, divide by nothing
// or carry NaN into the outputs. The agent stores' ids must be what AgentStore
// keeps (strictly increasing, below the store's next id). Each failure is an
// InputError naming the checkpoint file, the dataset or attribute, the row and
// what was expected (exit 2), like the civil violence model's checks.
//
// Kept apart from checkpoint.cpp (which lists what is saved) so that adding
// state there and adding a check here stay separate edits.
#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <span>
#include <string>

#include "models/ttp/world.hpp"
#include "sim/error.hpp"
#include "sim/h5.hpp"

namespace borderland::ttp {

namespace {
// phase_army deploys units in two theatres, KP (0) and Balochistan (1).
constexpr std::int32_t kArmyRegions = 2;
}  // namespace

// Values of one checkpoint group, checked against ranges; `where` is
// "FILE:/checkpoint/state", map_cells the number of map cells and on_map what
// an index of one is.
struct StateChecker {
  std::string where;
  std::int64_t map_cells;
  std::string on_map;

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw sim::InputError(fmt::format("{}/{}: error: checkpoint {}", where, path, what));
  }

  // Every row of a store's column satisfies `ok`; `expected` says what ok means.
  template <class T, class Ok>
  void rows(const std::string& store, const std::string& column, std::span<const T> values, Ok ok,
            const std::string& expected) const {
    for (std::size_t i = 0; i < values.size(); ++i)
      if (!ok(values[i]))
        fail(store + "/" + column, fmt::format("{} row {} has {} {}; expected {}", store, i, column,
                                               +values[i], expected));
  }
  template <class T>
  void index_rows(const std::string& store, const std::string& column, std::span<const T> values,
                  std::int64_t first, std::int64_t count, const std::string& of) const {
    rows(
        store, column, values,
        [&](T v) {
          return static_cast<std::int64_t>(v) >= first && static_cast<std::int64_t>(v) < count;
        },
        fmt::format("{}{} to {} ({})", first < 0 ? "-1 (none) or " : "", first < 0 ? 0 : first,
                    count - 1, of));
  }
  template <class T>
  void counts(const std::string& store, const std::string& column,
              std::span<const T> values) const {
    rows(
        store, column, values, [](T v) { return v >= 0; }, "0 or more");
  }
  void reals(const std::string& store, const std::string& column, std::span<const double> values,
             double low) const {
    rows(
        store, column, values, [&](double v) { return std::isfinite(v) && v >= low; },
        fmt::format("a finite number, {} or more", low));
  }

  void shares(const std::string& store, const std::string& column,
              std::span<const double> values) const {
    rows(
        store, column, values, [](double v) { return v >= 0 && v <= 1; }, "0 to 1");
  }

  void ids(const sim::AgentStore& s) const {
    const auto ids = s.ids();
    for (std::size_t i = 0; i < ids.size(); ++i)
      if ((i > 0 && ids[i] <= ids[i - 1]) || ids[i] >= s.next_id())
        fail(s.type_name() + "/id",
             fmt::format("{} row {} has id {}; expected ids in increasing order, each below the "
                         "store's next_id {}",
                         s.type_name(), i, ids[i], s.next_id()));
  }

  // World members (one attribute or dataset of /checkpoint/state/world each).
  void finite(const std::string& name, double v) const {
    if (!std::isfinite(v))
      fail("world/" + name, fmt::format("value is {}; expected a finite number", v));
  }
  void positive(const std::string& name, double v) const {
    if (!(std::isfinite(v) && v > 0))
      fail("world/" + name, fmt::format("value is {}; expected a finite number above 0", v));
  }
  void share(const std::string& name, double v) const {
    if (!(v >= 0 && v <= 1)) fail("world/" + name, fmt::format("value is {}; expected 0 to 1", v));
  }
  void count(const std::string& name, std::int64_t v) const {
    if (v < 0) fail("world/" + name, fmt::format("value is {}; expected 0 or more", v));
  }
  template <class T>
  void all(const std::string& name, std::span<const T> values, double low) const {
    for (std::size_t i = 0; i < values.size(); ++i)
      if (!(std::isfinite(static_cast<double>(values[i])) && static_cast<double>(values[i]) >= low))
        fail("world/" + name, fmt::format("entry {} is {}; expected a finite number, {} or more", i,
                                          +values[i], low));
  }
  template <class T>
  void all_finite(const std::string& name, std::span<const T> values) const {
    for (std::size_t i = 0; i < values.size(); ++i)
      if (!std::isfinite(static_cast<double>(values[i])))
        fail("world/" + name,
             fmt::format("entry {} is {}; expected a finite number", i, values[i]));
  }
};

void World::check_loaded_state(const sim::h5::Group& g) const {
  const StateChecker c{g.location().where(), static_cast<std::int64_t>(nx_) * ny_,
                       fmt::format("a cell of the {}x{} map", nx_, ny_)};
  check_loaded_cells(c);
  check_loaded_posts(c);
  check_loaded_army(c);
  c.ids(sanctuaries_);
  c.index_rows(sanctuaries_.type_name(), "cell", sanctuaries_[s_cell_], 0, c.map_cells, c.on_map);
  check_loaded_fields(c);
  check_loaded_counters(c);
  check_loaded_actors(c);
  check_loaded_totals(c);
}

// The militant cells: ids, indices, counts and shares, and a sanctuary for each cell in or
// bound for one.
void World::check_loaded_cells(const StateChecker& c) const {
  const auto sanctuaries = static_cast<std::int64_t>(sanctuaries_.size());
  const std::string mc = cells_.type_name();
  c.ids(cells_);
  c.index_rows(mc, "faction", cells_[c_faction_], 0, kFactions, "a faction");
  c.index_rows(mc, "cell", cells_[c_cell_], 0, c.map_cells, c.on_map);
  c.index_rows(mc, "destination", cells_[c_dest_], -1, c.map_cells, c.on_map);
  c.index_rows(mc, "sanctuary", cells_[c_sanctuary_], -1, sanctuaries, "a sanctuary row");
  c.index_rows(mc, "state", cells_[c_state_], 0, kLocal + 1, "a cell state");
  c.counts(mc, "fighters", cells_[c_fighters_]);
  c.counts(mc, "stuck", cells_[c_stuck_]);
  c.reals(mc, "arms", cells_[c_arms_], 0);
  // Morale and exposure are shares the phases keep within 0..1 (recruitment, attacks).
  c.shares(mc, "morale", cells_[c_morale_]);
  c.shares(mc, "exposure", cells_[c_exposure_]);
  // A cell in or bound for a sanctuary must have one (sanctuary_cell() indexes it).
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    const auto state = cells_[c_state_][i];
    if ((state == kInSanctuary || state == kReturning) && cells_[c_sanctuary_][i] < 0)
      c.fail(mc + "/sanctuary",
             fmt::format("{} row {} is in state {} (in or returning to a sanctuary) with sanctuary "
                         "{}; expected a sanctuary row 0 to {}",
                         mc, i, int{state}, cells_[c_sanctuary_][i], sanctuaries - 1));
  }
}

// The police posts: ids, indices, counts, and officers within their establishment.
void World::check_loaded_posts(const StateChecker& c) const {
  const std::string pp = posts_.type_name();
  c.ids(posts_);
  c.index_rows(pp, "cell", posts_[q_cell_], 0, c.map_cells, c.on_map);
  c.index_rows(pp, "force", posts_[q_force_], 0, kForces, "a police force");
  c.index_rows(pp, "headquarters", posts_[q_hq_], 0, 2, "0 or 1");
  c.counts(pp, "officers", posts_[q_officers_]);
  c.counts(pp, "present", posts_[q_present_]);
  c.reals(pp, "hardness", posts_[q_hardness_], 0);
  // Posts lose officers and are reinforced up to what setup gave them, never beyond
  // (post_strength.hpp).
  for (std::size_t q = 0; q < posts_.size(); ++q)
    if (posts_[q_officers_][q] > post_establishment_[q])
      c.fail(pp + "/officers",
             fmt::format("{} row {} has officers {}; expected at most its establishment {}", pp, q,
                         posts_[q_officers_][q], post_establishment_[q]));
  c.shares(pp, "alertness", posts_[q_alert_]);  // capped at 1 when raised (world.cpp)
}

// The army units: ids, cells, regions and missions.
void World::check_loaded_army(const StateChecker& c) const {
  const std::string au = army_.type_name();
  c.ids(army_);
  c.index_rows(au, "cell", army_[a_cell_], 0, c.map_cells, c.on_map);
  c.index_rows(au, "base", army_[a_base_], 0, c.map_cells, c.on_map);
  c.index_rows(au, "target", army_[a_target_], -1, c.map_cells, c.on_map + " or -1: none");
  c.index_rows(au, "region", army_[a_region_], 0, kArmyRegions, "0 KP or 1 Balochistan");
  c.index_rows(au, "mission", army_[a_mission_], 0, 2, "0 or 1");
  c.counts(au, "strength", army_[a_strength_]);
}

// The population fields (deviations, decay scales), attack heat, faction morale, the killed
// tally, the protest share, host tolerance and tension.
void World::check_loaded_fields(const StateChecker& c) const {
  c.all_finite<double>("g_dev_", g_dev_);
  c.all_finite<double>("f_dev_", f_dev_);
  c.all_finite<double>("o_dev_", o_dev_);
  c.positive("o_scale_", o_scale_);
  c.finite("o_dev_pop_sum_", o_dev_pop_sum_);
  c.all<float>("heat_", heat_, 0);
  for (const double m : faction_morale_) c.share("faction_morale_", m);
  c.all<std::int64_t>("cumulative_killed_", cumulative_killed_, 0);
  c.positive("g_scale_", g_scale_);
  c.positive("f_scale_", f_scale_);
  c.share("protest_share_", protest_share_);
  // Tolerance and tension are shares: each moves within 0..1 (phases/actors.cpp, host.cpp).
  c.share("host_tolerance_", host_tolerance_);
  c.share("tension_", tension_);
}

// The world's running sums (finite) and counters (0 or more): field sums, the tolerance target,
// arms, provocations, those due back, the detained, cells and the fighter ledger.
void World::check_loaded_counters(const StateChecker& c) const {
  for (const auto& [name, v] : {std::pair{"g_dev_pop_sum_", g_dev_pop_sum_},
                                {"f_dev_pop_sum_", f_dev_pop_sum_},
                                {"tolerance_target_override_", tolerance_target_override_},
                                {"arms_available_", arms_available_},
                                {"retaliation_", retaliation_},
                                {"banked_provocations_", banked_provocations_},
                                {"provoke_share_", provoke_share_},
                                {"prisoners_due_", prisoners_due_},
                                {"returns_due_", returns_due_},
                                {"tension_sum_", tension_sum_}})
    c.finite(name, v);
  for (const auto& [name, v] : {std::pair{"detained_", detained_},
                                {"convicted_", convicted_},
                                {"fighters_pk_cache_", fighters_pk_cache_},
                                {"cells_spawned_", cells_spawned_},
                                {"cells_removed_", cells_removed_},
                                {"ledger_.initial", ledger_.initial},
                                {"ledger_.recruits", ledger_.recruits},
                                {"ledger_.released", ledger_.released},
                                {"ledger_.joined", ledger_.joined},
                                {"ledger_.killed", ledger_.killed},
                                {"ledger_.arrested", ledger_.arrested},
                                {"ledger_.deserted", ledger_.deserted},
                                {"cur_step_", cur_step_}})
    c.count(name, v);
}

// The actors' parts (actors_state.hpp: command, Kabul, theatre), protests and the suicide
// pipeline (its own group).
void World::check_loaded_actors(const StateChecker& c) const {
  for (const auto& [name, v] : {std::pair{"command/recent_losses", command_.recent_losses},
                                {"command/killed_today", command_.killed_today},
                                {"command/stalled_days", command_.stalled_days},
                                {"kabul/deported_recent", kabul_.deported_recent}})
    c.all<double>(name, std::span<const double>(&v, 1), 0);
  for (const auto& [name, v] :
       {std::pair{"command/resolve", command_.resolve}, {"command/tempo", command_.tempo}})
    c.finite(name, v);
  for (const auto& [name, v] : {std::pair{"protests/victims_today", protests_.victims_today},
                                {"protests/harmed_today", protests_.harmed_today}})
    c.all<double>(name, std::span<const double>(&v, 1), 0);
  c.share("protests/pressure", protests_.pressure);
  for (const auto& [name, v] : {std::pair{"command/end_probability", command_.end_probability},
                                {"kabul/restraint", kabul_.restraint},
                                {"kabul/cohesion", kabul_.cohesion}})
    c.share(name, v);
  if (command_.review < -1)  // a step to come, or -1: none
    c.fail("world/command/review",
           fmt::format("value is {}; expected a step, or -1 for none", command_.review));
  if (command_.holding_since < -1 || command_.holding_since > cur_step_)  // a step gone, or -1
    c.fail("world/command/holding_since",
           fmt::format("value is {}; expected a step 0 to {}, or -1 for none",
                       command_.holding_since, cur_step_));
  c.all<double>("kabul/undocumented", std::span<const double>(&kabul_.undocumented, 1), -1);
  for (double network : theatre_.network) c.share("theatre/network", network);
  const std::vector<double> pipeline = suicide_.state();
  c.all<double>("suicide_pipeline/state", pipeline, 0);
}

// The daily totals: one entry a day in every series, each 0 or more.
void World::check_loaded_totals(const StateChecker& c) const {
  // The daily totals grow by one entry a day, all together (DailyTotals::add_day).
  for (const auto& [name, v] :
       {std::pair{"totals_.attacks_kp", &totals_.attacks_kp},
        {"totals_.police_killed", &totals_.police_killed},
        {"totals_.police_killed_kp", &totals_.police_killed_kp},
        {"totals_.police_incidents_kp", &totals_.police_incidents_kp},
        {"totals_.attack_victims", &totals_.attack_victims},
        {"totals_.max_attack_deaths", &totals_.max_attack_deaths},
        {"totals_.attacks_over_threshold", &totals_.attacks_over_threshold}}) {
    if (v->size() != totals_.attacks.size())
      c.fail(std::string("world/") + name,
             fmt::format("has {} days, totals_.attacks {}; expected the same number", v->size(),
                         totals_.attacks.size()));
    c.all<std::int64_t>(name, *v, 0);
  }
  c.all<std::int64_t>("totals_.attacks", totals_.attacks, 0);
}

}  // namespace borderland::ttp
