#pragma once
// The state of one TTP run and its phases.
//
// One step is one day. Phases, in order (each in its own file under phases/):
//   actors       global actors: scripted events, policies in force, host
//                tolerance and tension, the TTP command's posture, ceasefire
//                and talks (concessions)                  phases/actors.cpp
//   recruitment  recruits, training and rearming, desertion  phases/recruitment.cpp
//   movement     departures, destinations, steps over terrain  phases/movement.cpp
//   border       crossings of the Durand Line resolved        phases/border.cpp
//   attacks      target choice, tactic, success, casualties,
//                alertness, withdrawal                        phases/attacks.cpp
//   policing     detection, arrests, custody and courts,
//                posts reinforced                             phases/policing.cpp
//   army         clearance operations                         phases/army.cpp
//   strikes      cross-border strikes                         phases/strikes.cpp
//   host         relocation and disarmament of sanctuaries    phases/host.cpp
//   population   grievance, fear, support, protests           phases/population.cpp
//   bookkeeping  cells split and empty cells removed          phases/bookkeeping.cpp
// Per-agent decisions run in parallel and write only the agent's own row
// (plus its own slot of an intent buffer); everything that touches another
// agent, a field or a counter is applied afterwards in id order. Every draw
// is keyed by (seed, stream, step, subject), so runs are bit-identical for
// any thread count.
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/ttp/actors_state.hpp"
#include "models/ttp/afpak_map.hpp"
#include "models/ttp/constants.hpp"
#include "models/ttp/insurgency_map.hpp"
#include "models/ttp/map_schema.hpp"
#include "models/ttp/metrics.hpp"
#include "models/ttp/operations.hpp"
#include "models/ttp/parameters.hpp"
#include "models/ttp/policies.hpp"
#include "models/ttp/strategy.hpp"
#include "sim/agents.hpp"
#include "sim/model.hpp"
#include "sim/policy_timeline.hpp"
#include "sim/rng.hpp"
#include "sim/schedule.hpp"

namespace borderland::ttp {

struct StateChecker;  // checkpoint_checks.cpp: a loaded checkpoint's values against their ranges

enum CellState : std::uint8_t {  // stored in the `state` column; the order is the code
  kInSanctuary = 0,
  kMoving,
  kOperating,
  kReturning,
  kLocal
};

// One row of the event table, as the phases fill it; the columns are declared
// in outputs.cpp (World::event_columns).
struct EventRecord {
  std::int64_t x = 0, y = 0;  // cell
  double lon = 0, lat = 0;
  std::int64_t province = -1;
  std::string district;  // /map/districts name, empty outside
  std::string place, tactic, faction, target;
  std::array<std::int64_t, kGroups> killed{};
  std::int64_t injured = 0, attacker_losses = 0;
};

// What the phases count during one step: reset at its start, read by record().
struct DayTally {
  std::int64_t attacks = 0, recruits = 0, arrests = 0, crossings = 0;
  std::array<std::int64_t, tactics::kKinds> by_tactic{};
  std::vector<std::int64_t> by_province;  // sized once from the map
  std::vector<std::int64_t> by_district;  // the same, per /map/districts row
  std::array<std::int64_t, kGroups> killed{}, injured{};
  // Attacks only (killed above also holds deaths in operations, strikes and at the border).
  std::array<std::int64_t, kGroups> attack_killed{};
  std::vector<std::int64_t> attack_killed_by_province;  // victims, sized once from the map
  std::array<std::int64_t, kArmedGroups> by_group{};
  std::vector<EventRecord> events;
  std::int64_t operations = 0;  // security operations that removed militants (phases/army.cpp)
  void reset() {
    const std::size_t provinces = by_province.size(), districts = by_district.size();
    *this = DayTally{};
    by_province.assign(provinces, 0);
    by_district.assign(districts, 0);
    attack_killed_by_province.assign(provinces, 0);
  }
};

class World final : public sim::Simulation {
 public:
  World(const sim::Scenario& scenario, const Parameters& params);

  const sim::Grid& grid() const override { return map_->grid; }
  const sim::OutputSchema& schema() const override { return schema_; }
  void step(std::int64_t step) override;
  void record(sim::StepRecord& out) const override;
  void snapshot(const std::string& field, std::vector<double>& out) const override;
  void write_map_tables(sim::h5::Group& map) const override;
  std::map<std::string, double> summary() const override;
  void save_state(sim::h5::Group& g) const override;  // checkpoint.cpp
  void load_state(const sim::h5::Group& g) override;
  void check_loaded_state(const sim::h5::Group& g) const;  // checkpoint_checks.cpp

  // For tests and benchmarks.
  struct Ledger {  // every fighter who enters or leaves, cumulative
    std::int64_t initial = 0, recruits = 0, released = 0, joined = 0;  // in
    std::int64_t killed = 0, arrested = 0, deserted = 0;               // out
  };
  const Ledger& ledger() const { return ledger_; }
  std::int64_t fighters_total() const;
  std::int64_t detained() const { return detained_; }
  std::int64_t convicted() const { return convicted_; }
  std::size_t cell_count() const { return cells_.size(); }
  std::int64_t cells_spawned() const { return cells_spawned_; }
  std::int64_t cells_removed() const { return cells_removed_; }
  double mean_sanctuary_distance_km() const;
  const DailyTotals& totals() const { return totals_; }
  const sim::Schedule& schedule() const { return schedule_; }

  // The scripted events, one row each (events.cpp).
  struct EventKind {
    sim::SwitchSpec spec;  // name, doc, details
    void (World::*apply)(const SwitchValues& details, std::int64_t step);
  };
  static const std::vector<EventKind>& event_kinds();

  // The outputs, one row each (outputs.cpp).
  enum class SeriesLabels {
    kNone,
    kTactics,
    kProvinces,
    kDistricts,
    kGroups,
    kArmedGroups
  };  // the k of [T, k]
  struct OutputSeries {
    std::string name;
    sim::ValueKind kind;
    std::string units, description;
    SeriesLabels labels;
    void (*value)(const World& world, std::vector<double>& out);  // out: one value per label
  };
  static const std::vector<OutputSeries>& output_series();
  struct EventColumn {
    sim::EventColumnSpec spec;
    sim::EventValue (*value)(const EventRecord& event);
  };
  static const std::vector<EventColumn>& event_columns();
  struct SnapshotField {
    sim::FieldSpec spec;
    void (*fill)(const World& world, std::vector<double>& out);  // out: zeros, one per cell
  };
  static const std::vector<SnapshotField>& snapshot_fields();
  static std::vector<sim::FieldSpec> snapshot_field_specs();

 private:
  // setup.cpp
  void derive_geography();
  void derive_police_forces();
  void derive_rest_and_destinations();
  void derive_border_cells();
  void derive_protest_region();
  void place_posts();
  void place_sanctuaries();
  void place_cells();
  void place_army();
  void build_schema();    // outputs.cpp
  void build_schedule();  // world.cpp: the day's phases and what each reads and writes
  std::size_t spawn_cell(int faction, std::size_t cell, int fighters, double arms, CellState state,
                         int sanctuary);

  // checkpoint_checks.cpp: check_loaded_state's parts, each an InputError on the first bad value.
  void check_loaded_cells(const StateChecker& c) const;     // militant cells
  void check_loaded_posts(const StateChecker& c) const;     // police posts
  void check_loaded_army(const StateChecker& c) const;      // army units
  void check_loaded_fields(const StateChecker& c) const;    // population fields, heat, morale
  void check_loaded_counters(const StateChecker& c) const;  // running sums and counts, ledger
  void check_loaded_actors(const StateChecker& c) const;    // command, Kabul, protests, pipeline
  void check_loaded_totals(const StateChecker& c) const;    // the daily totals

  // phases
  void phase_actors(std::int64_t step);
  void on_kabul_falls(const SwitchValues& details, std::int64_t step);  // events.cpp
  void on_prisoners_freed(const SwitchValues& details, std::int64_t step);
  void on_leader_killed(const SwitchValues& details, std::int64_t step);
  void on_splinters_rejoin(const SwitchValues& details, std::int64_t step);
  void add_fighters(double total, int faction, bool sanctuary, std::int64_t step);
  void phase_recruitment(std::int64_t step);
  void phase_movement(std::int64_t step);
  void walk(sim::RandomDraws& d, std::size_t row);
  std::size_t next_step(sim::RandomDraws& d, std::size_t here, int tx, int ty) const;
  void phase_border(std::int64_t step);
  void phase_attacks(std::int64_t step);  // phases/attacks.cpp, with:
  struct AttackDay {                      // what every cell's plan shares on a day
    double base_rate, revenge, leaders_weight, suicide_stock;
  };
  struct Defence {
    std::size_t where;  // cell hit
    double defence, present;
  };
  void plan_attack(std::size_t row, sim::RandomDraws& d, const AttackDay& day);
  std::size_t posts_near(std::size_t cell) const;
  std::int32_t nth_post_near(std::size_t cell, std::size_t pick) const;
  int choose_target(sim::RandomDraws& d, std::size_t cell, bool posts_nearby,
                    double leaders_weight) const;
  int choose_tactic(sim::RandomDraws& d, std::size_t row, int target_type, double suicide_stock,
                    double revenge) const;
  int target_type(std::size_t row) const;  // of the planned target (tactics::kTargetTypeNames)
  std::int32_t choose_post(sim::RandomDraws& d, std::size_t cell, int tactic,
                           std::size_t candidates, double revenge) const;
  void resolve_attack(std::size_t row, std::int64_t step);
  Defence defence_of(sim::RandomDraws& d, std::size_t row, int target, std::int64_t step) const;
  void attack_consequences(sim::RandomDraws& d, std::size_t row, std::int64_t step,
                           std::size_t where, int tactic, std::int64_t deaths,
                           std::int64_t civilians);
  void derive_destinations();  // setup.cpp
  void phase_policing(std::int64_t step);
  void phase_army(std::int64_t step);  // phases/army.cpp, with:
  struct ArmyEngagement {              // how exposed each cell is to the day's operations
    std::vector<double> weight;        // per cell row (0: not engaged)
    std::array<double, kRegions> in_region, weight_sum;  // fighters and weights per region
  };
  struct ArmyOperations {  // each region's operations for the day
    std::array<operations::Effect, kRegions> effect;
    std::array<double, kRegions> offensive;  // the share of clearance above routine
  };
  std::array<std::vector<std::pair<float, int>>, 2> hottest_tiles() const;
  std::array<double, kRegions> clearance_intensity() const;  // share of units on clearance
  // Units to their targets; the cells (x, y) of those on clearance.
  std::vector<std::pair<int, int>> deploy_units(const std::array<double, kRegions>& intensity);
  std::pair<int, int> move_unit(std::size_t unit, int target);  // a day's march; its cell (x, y)
  ArmyEngagement engagement_weights(const std::vector<std::pair<int, int>>& clearing_xy) const;
  // operations::apply per region (updates the networks).
  ArmyOperations regional_operations(const std::array<double, kRegions>& intensity,
                                     const std::array<double, kRegions>& in_region);
  void engage_cells(std::int64_t step, const ArmyEngagement& e, const ArmyOperations& ops);
  // One cell's losses, withdrawal and their consequences.
  void engage_cell(std::size_t i, sim::RandomDraws& d, std::int64_t step, const ArmyEngagement& e,
                   const ArmyOperations& ops);
  // An operation that removed militants from a cell: its event and collateral harm.
  void record_operation(sim::RandomDraws& d, std::int64_t step, std::size_t i, int killed);
  void phase_strikes(std::int64_t step);
  void phase_host(std::int64_t step);
  void phase_population(std::int64_t step);
  void phase_bookkeeping(std::int64_t step);

  // helpers
  std::size_t pick_destination(sim::RandomDraws& draws, int faction, bool local) const;
  static std::size_t pick_weighted(sim::RandomDraws& draws, const std::vector<std::int32_t>& cells,
                                   const std::vector<double>& cumulative);
  std::size_t sanctuary_cell(int sanctuary) const;
  bool in_pakistan(std::size_t cell) const { return country_[cell] == kPakistan; }
  bool in_model_area(std::size_t cell) const {  // Pakistan or Afghanistan
    return country_[cell] == kPakistan || country_[cell] == kAfghanistan;
  }
  int force_of(std::size_t cell) const;
  bool is_kp(std::size_t cell) const;
  double grievance(std::size_t cell) const;
  double fear(std::size_t cell) const;
  double support(std::size_t cell) const;
  // Grievance and fear around a cell. add_fields: the state's action (operations, strikes,
  // deportations), whose grievance also raises support (opinion::backlash);
  // add_attack_fields: an attack, whose civilian victims lower support (opinion::blame).
  void add_fields(std::size_t cell, double radius_km, double grievance, double fear);
  void add_attack_fields(std::size_t cell, double radius_km, double grievance, double fear,
                         double civilian_victims);
  void spread_fields(std::size_t cell, double radius_km, double grievance, double fear,
                     double opinion);
  double post_alert(std::size_t post, std::int64_t step) const;
  // Posts losing and regaining officers (post_strength.hpp; world.cpp, phases/policing.cpp).
  std::int32_t post_present(std::size_t post) const;  // officers on duty at a moment
  void post_loses(std::size_t post, std::int64_t killed);
  void reinforce_posts(std::int64_t step);
  // Officers and establishment summed over each post tile's posts, for strength_near: one pass
  // over the posts a day instead of one per cell looked at.
  struct TileOfficers {
    double officers = 0, establishment = 0;
  };
  std::vector<TileOfficers> officers_by_tile() const;
  // Officers / establishment of the posts in the 3 x 3 tiles around a cell.
  double strength_near(std::size_t cell, const std::vector<TileOfficers>& by_tile) const;
  double frontier_police_strength() const;  // the same for the KP and Balochistan forces
  void raise_alert(std::size_t cell, double radius_km, std::int64_t step);
  void kill_fighters(std::size_t row, int n);  // from a cell, into the ledger
  void add_event(std::int64_t step, std::size_t cell, const std::string& tactic, int faction,
                 const std::string& target, const std::array<std::int64_t, kGroups>& killed,
                 std::int64_t injured, std::int64_t attacker_losses, bool is_attack);
  void provoke(std::int64_t militants_killed);  // state action kills militants: command reacts
  double tempo() const;
  // The TTP command's strategy and the army's operation areas (actors_state.hpp).
  strategy::Situation situation() const;  // phases/actors.cpp
  void command_decides(std::int64_t step);
  int region_of(std::size_t cell) const {  // 0 KP, 1 Balochistan, -1 elsewhere (phases/army.cpp)
    return region_[cell];
  }
  void derive_regions();                      // the table region_of reads
  double network_of(std::size_t cell) const;  // the local network there (1 outside the regions)
  double sanctuary_open() const;              // how open the sanctuary is to the displaced
  void kabul_responds(std::int64_t step);     // phases/host.cpp
  bool crossing_closed_near(std::size_t cell) const;
  double compliance() const;
  std::int64_t fighters_in(bool pakistan) const;
  double mean_grievance() const;  // population-weighted, Pakistan
  double mean_support() const;
  double sanctuary_strength() const;

  // Configuration.
  Parameters p_;
  sim::Date start_;
  std::uint64_t seed_ = 0;
  sim::PolicyTimeline policies_;
  std::map<std::int64_t, std::vector<std::pair<const EventKind*, sim::ScriptedEvent>>>
      events_by_step_;
  std::shared_ptr<const AfPakMap> map_;
  sim::OutputSchema schema_;
  sim::Schedule schedule_;

  // Geography (derived from the map once per run).
  int nx_ = 0, ny_ = 0;
  double km_x_ = 1, km_y_ = 1;  // km per cell east-west and north-south
  const std::int32_t* country_ = nullptr;
  const std::int32_t* province_ = nullptr;
  const std::int32_t* urban_ = nullptr;
  const std::int32_t* nearest_place_ = nullptr;
  const float* rugged_ = nullptr;
  const float* pop_ = nullptr;
  const float* border_km_ = nullptr;
  std::vector<std::int8_t> province_force_;    // per province id
  std::vector<std::uint8_t> province_kp_;      // KP or merged into KP
  std::vector<std::uint8_t> province_baloch_;  // Balochistan
  std::vector<std::uint8_t> near_crossing_;    // per cell
  std::vector<std::int32_t> pk_cells_;         // every Pakistani cell
  std::vector<std::int32_t> dest_ttp_, dest_far_, dest_baloch_,
      dest_home_;  // destination candidates
  std::vector<double> dest_ttp_w_, dest_far_w_, dest_baloch_w_, dest_home_w_;  // cumulative weights
  std::vector<std::int32_t> af_deep_;  // Afghan cells, sorted by border distance (deepest first)
  int tile_ = 1;                       // cells per side of a bucket tile (attacks.post_tile_cells)
  int tiles_x_ = 0, tiles_y_ = 0;
  std::vector<std::vector<std::int32_t>> posts_by_tile_;
  std::vector<std::int32_t> hq_posts_;               // rows of headquarters posts
  std::vector<std::int32_t> post_establishment_;     // officers setup assigned, by post row
  std::vector<std::uint8_t> protest_region_;         // per cell (protests.hpp)
  std::shared_ptr<const InsurgencyMap> insurgency_;  // presence, targets, access, districts
  double pop_pk_ = 0;
  std::vector<double> step_cost_;    // per cell: the terrain part of a step's cost (next_step)
  std::vector<std::int8_t> region_;  // per cell: region_of (derive_regions, phases/army.cpp)

  // Agents.
  sim::AgentStore cells_{"militant_cell"};
  sim::Column<std::int32_t> c_faction_, c_cell_, c_fighters_, c_dest_, c_sanctuary_, c_timer_,
      c_stuck_;
  sim::Column<double> c_arms_, c_morale_, c_exposure_;
  sim::Column<std::uint8_t> c_state_;
  // Intents (one slot per cell row, filled in parallel phases).
  std::vector<std::int32_t> i_recruits_, i_deserters_, i_cross_to_;
  std::vector<std::int8_t> i_attack_tactic_, i_attack_target_;
  std::vector<std::int32_t> i_attack_post_, i_arrests_;

  sim::AgentStore posts_{"police_post"};
  sim::Column<std::int32_t> q_cell_, q_force_, q_officers_, q_present_, q_alert_step_;
  sim::Column<std::uint8_t> q_hq_;
  sim::Column<double> q_hardness_, q_alert_;

  sim::AgentStore army_{"army_unit"};
  sim::Column<std::int32_t> a_cell_, a_base_, a_strength_, a_region_, a_target_;
  sim::Column<std::uint8_t> a_mission_;

  sim::AgentStore sanctuaries_{"sanctuary"};
  sim::Column<std::int32_t> s_cell_;

  // Per-cell fields: deviations from rest, stored divided by the global decay
  // factor so that decay costs nothing per cell (see README, update semantics).
  std::vector<float> g_rest_, s_rest_;
  std::vector<double> g_dev_, f_dev_;
  double g_scale_ = 1, f_scale_ = 1;  // current decay factors
  double g_dev_pop_sum_ = 0, f_dev_pop_sum_ = 0, g_rest_pop_mean_ = 0, s_rest_pop_mean_ = 0;
  // The opinion shift of support (opinion.hpp), kept the same way.
  std::vector<double> o_dev_;
  double o_scale_ = 1, o_dev_pop_sum_ = 0;
  double protest_share_ = 0;
  std::vector<float> heat_;  // recent attacks per tile (army targeting)

  // The suicide-attacker pipeline: candidates in training and the trained stock (a part with its
  // own checkpoint group, suicide_pipeline.hpp).
  suicide::Pipeline suicide_;

  // Global actors.
  PolicyState pol_;
  bool taliban_rule_ = false;
  double tolerance_target_override_ = -1;
  double host_tolerance_ = 0, tension_ = 0;
  double arms_available_ = 0;
  double retaliation_ = 0, banked_provocations_ = 0, provoke_share_ = 0;
  bool ceasefire_holding_ = false;
  Command command_;
  Theatre theatre_;
  Kabul kabul_;
  protests::State protests_;  // protest pressure in the protest region (protests.hpp)
  double prisoners_due_ = 0, returns_due_ = 0;
  std::array<double, kFactions> faction_morale_{1, 1, 1, 1};
  std::int64_t detained_ = 0, convicted_ = 0;
  std::int64_t fighters_pk_cache_ = 0;
  Ledger ledger_;
  std::int64_t cells_spawned_ = 0, cells_removed_ = 0;

  // What happened in the last step.
  DayTally day_;
  std::int64_t cur_step_ = 0;
  DailyTotals totals_;
  double tension_sum_ = 0;
  std::int64_t score_from_ = 0;  // first step counted in summary totals
  std::array<std::int64_t, kGroups> cumulative_killed_{};
};

}  // namespace borderland::ttp
