// Checkpoints of the TTP model: save_state() writes everything a later step,
// record() or summary() reads, load_state() puts it back into a World built
// from the same scenario, so a restarted run is bit-identical to an unbroken one.
//
// What is saved: every agent store (ids, id counter, every column, checked
// against the store's column count so a new column cannot be forgotten); the
// grievance, fear and opinion (support) deviations with their global decay
// factors and population-weighted sums; the heat raster; the protest share (updated
// weekly); the suicide pipeline (its own group: in training, stock, totals); the actors
// (host tolerance, tension, arms,
// retaliation, ceasefire, concessions due, faction morale; protest pressure,
// protests.hpp); custody; the
// ledger; the cell counters; the daily totals, tension sum and cumulative
// deaths behind summary(). Doubles are stored as float64, so
// they are exact. Not saved: what the constructor derives from the scenario
// and map (geography, destinations, rest levels, post buckets: the post store
// is checked to keep its size), the per-phase intent buffers (rebuilt every
// step), the day's tally (reset at the start of every step; record() has read
// it before the checkpoint) and the policies in force (read again from the
// scenario's timeline for the saved day).
#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "models/ttp/world.hpp"
#include "sim/error.hpp"
#include "sim/h5.hpp"

namespace borderland::ttp {

namespace {
using H5Group = sim::h5::Group;

// ---- writing
void put(H5Group& g, const std::string& name, double v) {
  g.set_attr(name, v);
}
void put(H5Group& g, const std::string& name, std::int64_t v) {
  g.set_attr(name, v);
}
void put(H5Group& g, const std::string& name, bool v) {
  g.set_attr(name, std::int64_t{v ? 1 : 0});
}
template <class T>
void put(H5Group& g, const std::string& name, const std::vector<T>& v) {
  g.write(name, v, {static_cast<hsize_t>(v.size())});
}
template <class T>
void put(H5Group& g, const std::string& name, std::span<const T> v) {
  put(g, name, std::vector<T>(v.begin(), v.end()));
}
template <class T, std::size_t N>
void put(H5Group& g, const std::string& name, const std::array<T, N>& v) {
  put(g, name, std::vector<T>(v.begin(), v.end()));
}

// ---- reading
template <class T>
std::vector<T> read_values(const H5Group& g, const std::string& name, std::ptrdiff_t expected) {
  const sim::h5::Dataset ds = g.open_dataset(name);
  auto values = ds.read<T>();
  if (expected >= 0 && values.size() != static_cast<std::size_t>(expected))
    throw sim::InputError(fmt::format("{}: error: checkpoint has {} values, this scenario needs {}",
                                      ds.location().where(), values.size(), expected));
  return values;
}
void get(const H5Group& g, const std::string& name, double& v) {
  v = g.attr_double(name);
}
void get(const H5Group& g, const std::string& name, std::int64_t& v) {
  v = g.attr_int(name);
}
void get(const H5Group& g, const std::string& name, bool& v) {
  v = g.attr_int(name) != 0;
}
// A vector whose size the scenario fixes (rasters, per-province counts).
template <class T>
void get(const H5Group& g, const std::string& name, std::vector<T>& v) {
  v = read_values<T>(g, name, static_cast<std::ptrdiff_t>(v.size()));
}
template <class T, std::size_t N>
void get(const H5Group& g, const std::string& name, std::array<T, N>& v) {
  const auto values = read_values<T>(g, name, static_cast<std::ptrdiff_t>(N));
  std::copy(values.begin(), values.end(), v.begin());
}
// A vector that grows with the run (one entry per day done).
template <class T>
void get_growing(const H5Group& g, const std::string& name, std::vector<T>& v) {
  v = read_values<T>(g, name, -1);
}

// ---- agent stores: ids, id counter, then the given columns (all of them).
void check_columns(const sim::AgentStore& s, std::size_t listed) {
  if (listed != s.column_count())
    throw sim::RunError(fmt::format("internal: checkpoint of {} lists {} columns of {}",
                                    s.type_name(), listed, s.column_count()));
}

template <class... T>
void put_store(H5Group& parent, const sim::AgentStore& s, sim::Column<T>... columns) {
  check_columns(s, sizeof...(T));
  H5Group g = parent.create_group(s.type_name());
  put(g, "id", s.ids());
  g.set_attr("next_id", static_cast<std::int64_t>(s.next_id()));
  (put(g, s.column_name(columns.slot), s[columns]), ...);
}

// fixed_size: the store never grows or shrinks during a run (posts, army,
// sanctuaries); its count must then match the one the scenario builds.
template <class... T>
void get_store(const H5Group& parent, sim::AgentStore& s, bool fixed_size,
               sim::Column<T>... columns) {
  check_columns(s, sizeof...(T));
  const H5Group g = parent.open_group(s.type_name());
  auto ids =
      read_values<sim::AgentId>(g, "id", fixed_size ? static_cast<std::ptrdiff_t>(s.size()) : -1);
  const auto n = static_cast<std::ptrdiff_t>(ids.size());
  s.restore(std::move(ids), static_cast<sim::AgentId>(g.attr_int("next_id")));
  auto fill = [&](const std::string& name, auto span) {
    using V = typename decltype(span)::value_type;
    const auto values = read_values<V>(g, name, n);
    std::copy(values.begin(), values.end(), span.begin());
  };
  (fill(s.column_name(columns.slot), s[columns]), ...);
}
}  // namespace

// Every scalar, array and vector of the World that persists between steps,
// listed once for both directions. X(member) for a fixed size, G(member) for
// vectors that grow by one entry a day.
// (clang-format would re-pack this list on every run, so it is left as written.)
// clang-format off
#define BORDERLAND_TTP_STATE(X, G)                                                         \
  /* fields */                                                                             \
  X(g_dev_) X(f_dev_) X(g_scale_) X(f_scale_) X(g_dev_pop_sum_) X(f_dev_pop_sum_)          \
  X(protest_share_) X(heat_)                                                               \
  /* the opinion shift of support (opinion.hpp) */                                         \
  X(o_dev_) X(o_scale_) X(o_dev_pop_sum_)                                                  \
  /* global actors */                                                                      \
  X(taliban_rule_) X(tolerance_target_override_) X(host_tolerance_) X(tension_)            \
  X(arms_available_) X(retaliation_) X(banked_provocations_) X(provoke_share_)             \
  X(ceasefire_holding_)                                                                     \
  X(prisoners_due_) X(returns_due_) X(faction_morale_) X(detained_) X(convicted_)          \
  X(fighters_pk_cache_) X(ledger_.initial) X(ledger_.recruits) X(ledger_.released)         \
  X(ledger_.joined) X(ledger_.killed) X(ledger_.arrested) X(ledger_.deserted)              \
  X(cells_spawned_) X(cells_removed_) X(cur_step_)                                         \
  /* running totals behind summary() and the calibration targets */                       \
  G(totals_.attacks) G(totals_.attacks_kp) G(totals_.police_killed)                        \
  G(totals_.police_killed_kp) G(totals_.police_incidents_kp) G(totals_.attack_victims) G(totals_.max_attack_deaths)  \
  G(totals_.attacks_over_threshold) X(tension_sum_) X(cumulative_killed_)
// clang-format on

void World::save_state(sim::h5::Group& g) const {
  put_store(g, cells_, c_faction_, c_cell_, c_fighters_, c_dest_, c_sanctuary_, c_timer_, c_stuck_,
            c_arms_, c_morale_, c_exposure_, c_state_);
  put_store(g, posts_, q_cell_, q_force_, q_officers_, q_present_, q_alert_step_, q_hq_,
            q_hardness_, q_alert_);
  put_store(g, army_, a_cell_, a_base_, a_strength_, a_region_, a_target_, a_mission_);
  put_store(g, sanctuaries_, s_cell_);
  {  // the suicide pipeline, a part with its own group
    H5Group sp = g.create_group("suicide_pipeline");
    put(sp, "state", suicide_.state());
  }
  H5Group w = g.create_group("world");
#define BORDERLAND_TTP_PUT(member) put(w, #member, member);
  BORDERLAND_TTP_STATE(BORDERLAND_TTP_PUT, BORDERLAND_TTP_PUT)
#undef BORDERLAND_TTP_PUT
  command_.save(w);  // the collective actors (actors_state.cpp)
  theatre_.save(w);
  kabul_.save(w);
  protests_.save(w);  // protests.hpp
}

void World::load_state(const sim::h5::Group& g) {
  get_store(g, cells_, false, c_faction_, c_cell_, c_fighters_, c_dest_, c_sanctuary_, c_timer_,
            c_stuck_, c_arms_, c_morale_, c_exposure_, c_state_);
  // Posts keep their rows: posts_by_tile_ and hq_posts_ (built by the constructor) index them.
  get_store(g, posts_, true, q_cell_, q_force_, q_officers_, q_present_, q_alert_step_, q_hq_,
            q_hardness_, q_alert_);
  get_store(g, army_, true, a_cell_, a_base_, a_strength_, a_region_, a_target_, a_mission_);
  get_store(g, sanctuaries_, true, s_cell_);
  suicide_.restore(read_values<double>(g.open_group("suicide_pipeline"), "state",
                                       static_cast<std::ptrdiff_t>(suicide_.state().size())));
  const H5Group w = g.open_group("world");
#define BORDERLAND_TTP_GET(member) get(w, #member, member);
#define BORDERLAND_TTP_GET_GROWING(member) get_growing(w, #member, member);
  BORDERLAND_TTP_STATE(BORDERLAND_TTP_GET, BORDERLAND_TTP_GET_GROWING)
#undef BORDERLAND_TTP_GET
#undef BORDERLAND_TTP_GET_GROWING
  command_.load(w);
  theatre_.load(w);
  kabul_.load(w);
  protests_.load(w);
  check_loaded_state(g);  // a checkpoint is input (checkpoint_checks.cpp)
  // The policies in force are a function of the date (policies.cpp): read again, not saved.
  pol_ = read_policies(policies_, start_.plus_days(static_cast<int>(cur_step_)), p_);
}

#undef BORDERLAND_TTP_STATE

}  // namespace borderland::ttp
