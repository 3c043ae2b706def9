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

#include "models/ttp/afpak_map.hpp"
#include "models/ttp/army_units.hpp"
#include "models/ttp/constants.hpp"
#include "models/ttp/counters.hpp"
#include "models/ttp/custody.hpp"
#include "models/ttp/geography.hpp"
#include "models/ttp/global_actors.hpp"
#include "models/ttp/insurgency_map.hpp"
#include "models/ttp/map_schema.hpp"
#include "models/ttp/metrics.hpp"
#include "models/ttp/militant_cells.hpp"
#include "models/ttp/operations.hpp"
#include "models/ttp/parameters.hpp"
#include "models/ttp/police_posts.hpp"
#include "models/ttp/policies.hpp"
#include "models/ttp/population_fields.hpp"
#include "models/ttp/protests.hpp"
#include "models/ttp/sanctuaries.hpp"
#include "models/ttp/strategy.hpp"
#include "models/ttp/suicide_pipeline.hpp"
#include "sim/agents.hpp"
#include "sim/model.hpp"
#include "sim/policy_timeline.hpp"
#include "sim/rng.hpp"
#include "sim/schedule.hpp"

namespace borderland::ttp {

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
  using Ledger = ttp::Ledger;
  const Ledger& ledger() const { return counts_.ledger; }
  std::int64_t fighters_total() const;
  std::int64_t detained() const { return custody_.detained; }
  std::int64_t convicted() const { return custody_.convicted; }
  std::size_t cell_count() const { return cells_.size(); }
  std::int64_t cells_spawned() const { return counts_.cells_spawned; }
  std::int64_t cells_removed() const { return counts_.cells_removed; }
  double mean_sanctuary_distance_km() const;
  const DailyTotals& totals() const { return counts_.daily; }
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
  void size_state();  // the state sized from the geography (per run)
  void place_posts();
  void place_sanctuaries();
  void place_cells();
  void place_army();
  void build_schema();    // outputs.cpp
  void build_schedule();  // world.cpp: the day's phases and what each reads and writes
  std::size_t spawn_cell(int faction, std::size_t cell, int fighters, double arms, CellState state,
                         int sanctuary);

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
  // Grievance and fear around a cell. add_fields: the state's action (operations, strikes,
  // deportations), whose grievance also raises support (opinion::backlash);
  // add_attack_fields: an attack, whose civilian victims lower support (opinion::blame).
  void add_fields(std::size_t cell, double radius_km, double grievance, double fear);
  void add_attack_fields(std::size_t cell, double radius_km, double grievance, double fear,
                         double civilian_victims);
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
  void derive_regions();                      // geo_.region, which Geography::region_of reads
  double network_of(std::size_t cell) const;  // the local network there (1 outside the regions)
  double sanctuary_open() const;              // how open the sanctuary is to the displaced
  void kabul_responds(std::int64_t step);     // phases/host.cpp
  bool crossing_closed_near(std::size_t cell) const;
  double compliance() const;
  std::int64_t fighters_in(bool pakistan) const;
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

  // The state, in named parts, each a type in its own header; the parts kept between days save,
  // load and check themselves (checkpoint.cpp, checkpoint_checks.cpp). build_schedule() names
  // them in each phase's reads and writes.
  Geography geo_;  // derived from the map once per run, then read-only
  // The agent stores, with their columns (the cells also with their intent buffers, the posts
  // with the posts per tile and their establishment).
  MilitantCells cells_;
  PolicePosts posts_;
  ArmyUnits army_;
  Sanctuaries sanctuaries_;
  PopulationFields fields_;    // grievance, fear, opinion, protest share, heat
  protests::State protests_;   // protest pressure in the protest region (protests.hpp)
  suicide::Pipeline suicide_;  // suicide attackers in training and the trained stock
  PolicyState pol_;            // the policies in force (read from the scenario, not saved)
  GlobalActors actors_;        // host, tension, the command, ceasefire, concessions, Kabul
  Custody custody_;            // detained, convicted
  Counters counts_;            // daily totals, the ledger, cells spawned and removed
  DayTally day_;               // what happened in the last step (reset every step)
  std::int64_t cur_step_ = 0;
  std::int64_t score_from_ = 0;  // first step counted in summary totals
};

}  // namespace borderland::ttp
