// The TTP model's outputs, each declared once: the daily series (name, kind,
// units, description, labels of [T, k], and how the value is taken from the
// state), the columns of the event table (and how each is taken from an
// event), and the snapshot fields (and how each is filled). The schema, the
// daily record, the event rows and the model's list of snapshot fields are
// all derived from these three tables; nothing refers to a series or a column
// by its position.
//
// The day's tally (DayTally, world.hpp) is what the phases count during a
// step; it is reset at the start of every step and read only by record() of
// that step, so a checkpoint does not need it.
#include <algorithm>

#include "models/ttp/summary.hpp"
#include "models/ttp/world.hpp"

namespace borderland::ttp {

using sim::ValueKind;

namespace {
template <std::size_t N>
void put_counts(const std::array<std::int64_t, N>& counts, std::vector<double>& out) {
  for (std::size_t i = 0; i < N; ++i) out[i] = static_cast<double>(counts[i]);
}
}  // namespace

const std::vector<World::OutputSeries>& World::output_series() {
  using L = SeriesLabels;
  static const std::vector<OutputSeries> all{
      {"attacks", ValueKind::kCount, "count", "militant attacks this day", L::kNone,
       [](const World& w, std::vector<double>& out) {
         out[0] = static_cast<double>(w.day_.attacks);
       }},
      {"attacks_by_tactic", ValueKind::kCount, "count", "attacks by tactic", L::kTactics,
       [](const World& w, std::vector<double>& out) { put_counts(w.day_.by_tactic, out); }},
      {"attacks_by_province", ValueKind::kCount, "count", "attacks by province of /map/provinces",
       L::kProvinces,
       [](const World& w, std::vector<double>& out) {
         for (std::size_t p = 0; p < w.day_.by_province.size(); ++p)
           out[p] = static_cast<double>(w.day_.by_province[p]);
       }},
      {"attacks_by_district", ValueKind::kCount, "count",
       "attacks by district of /map/districts (the 2017 census districts of Pakistan; attacks "
       "outside them are not counted here)",
       L::kDistricts,
       [](const World& w, std::vector<double>& out) {
         for (std::size_t d = 0; d < w.day_.by_district.size(); ++d)
           out[d] = static_cast<double>(w.day_.by_district[d]);
       }},
      {"killed", ValueKind::kCount, "count",
       "deaths by group (attacks, operations, strikes, border)", L::kGroups,
       [](const World& w, std::vector<double>& out) { put_counts(w.day_.killed, out); }},
      {"attack_killed", ValueKind::kCount, "count",
       "deaths in militant attacks only, by group (victims; militants: the attackers' own losses)",
       L::kGroups,
       [](const World& w, std::vector<double>& out) { put_counts(w.day_.attack_killed, out); }},
      {"attack_killed_by_province", ValueKind::kCount, "count",
       "victims of militant attacks (police, soldiers, civilians; not the attackers) by province "
       "of /map/provinces",
       L::kProvinces,
       [](const World& w, std::vector<double>& out) {
         for (std::size_t p = 0; p < w.day_.attack_killed_by_province.size(); ++p)
           out[p] = static_cast<double>(w.day_.attack_killed_by_province[p]);
       }},
      {"attacks_by_group", ValueKind::kCount, "count",
       "attacks by armed group: ttp (every TTP faction), baloch (BLA, BLF), other (IS-K and "
       "sectarian groups: not modelled, always 0)",
       L::kArmedGroups,
       [](const World& w, std::vector<double>& out) { put_counts(w.day_.by_group, out); }},
      {"injured", ValueKind::kCount, "count", "injured by group", L::kGroups,
       [](const World& w, std::vector<double>& out) { put_counts(w.day_.injured, out); }},
      {"fighters_pakistan", ValueKind::kCount, "count",
       "militant fighters inside Pakistan (moving, operating, resident)", L::kNone,
       [](const World& w, std::vector<double>& out) {
         out[0] = static_cast<double>(w.fighters_in(true));
       }},
      {"fighters_sanctuary", ValueKind::kCount, "count",
       "militant fighters in Afghan sanctuaries or on the way", L::kNone,
       [](const World& w, std::vector<double>& out) {
         out[0] = static_cast<double>(w.fighters_in(false));
       }},
      {"recruits", ValueKind::kCount, "count", "new recruits this day", L::kNone,
       [](const World& w, std::vector<double>& out) {
         out[0] = static_cast<double>(w.day_.recruits);
       }},
      {"arrests", ValueKind::kCount, "count", "fighters arrested or captured this day", L::kNone,
       [](const World& w, std::vector<double>& out) {
         out[0] = static_cast<double>(w.day_.arrests);
       }},
      {"crossings", ValueKind::kCount, "count",
       "fighters crossing the border undetected this day (both ways)", L::kNone,
       [](const World& w, std::vector<double>& out) {
         out[0] = static_cast<double>(w.day_.crossings);
       }},
      {"tension", ValueKind::kReal, "1", "tension between Pakistan and the Afghan Taliban (0..1)",
       L::kNone, [](const World& w, std::vector<double>& out) { out[0] = w.actors_.tension; }},
      {"host_tolerance", ValueKind::kReal, "1", "the Afghan host's tolerance of the TTP (0..1)",
       L::kNone,
       [](const World& w, std::vector<double>& out) { out[0] = w.actors_.host_tolerance; }},
      {"mean_grievance", ValueKind::kReal, "1", "population-weighted mean grievance in Pakistan",
       L::kNone,
       [](const World& w, std::vector<double>& out) {
         out[0] = w.fields_.mean_grievance(w.geo_.pop_pk);
       }},
      {"mean_support", ValueKind::kReal, "1",
       "population-weighted mean support for militants in Pakistan", L::kNone,
       [](const World& w, std::vector<double>& out) {
         out[0] = w.fields_.mean_support(w.geo_.pop_pk, w.p_.support_from_fear);
       }},
      {"ceasefire", ValueKind::kCount, "1", "1 while a ceasefire holds", L::kNone,
       [](const World& w, std::vector<double>& out) {
         out[0] = w.actors_.ceasefire_holding ? 1.0 : 0.0;
       }},
      {"sanctuary_strength", ValueKind::kReal, "count",
       "fighters in sanctuaries weighted by arms quality", L::kNone,
       [](const World& w, std::vector<double>& out) { out[0] = w.sanctuary_strength(); }},
      {"tempo", ValueKind::kReal, "1", "TTP command tempo (multiplies the attack rate)", L::kNone,
       [](const World& w, std::vector<double>& out) { out[0] = w.tempo(); }},
      {"protests", ValueKind::kReal, "1", "share of Pakistan's population in protesting cells",
       L::kNone,
       [](const World& w, std::vector<double>& out) { out[0] = w.fields_.protest_share; }},
      {"sanctuary_distance", ValueKind::kReal, "km", "mean distance of sanctuaries from the border",
       L::kNone,
       [](const World& w, std::vector<double>& out) { out[0] = w.mean_sanctuary_distance_km(); }},
      {"detained", ValueKind::kCount, "count", "fighters in custody (awaiting trial or convicted)",
       L::kNone,
       [](const World& w, std::vector<double>& out) {
         out[0] = static_cast<double>(w.custody_.detained + w.custody_.convicted);
       }},
      {"protest_pressure", ValueKind::kReal, "1",
       "protest pressure in the protest region (KP where the TTP is present): fed by civilians "
       "killed there by militants and harmed by operations; cuts talks' concessions and raises "
       "police detection there (protests.hpp)",
       L::kNone, [](const World& w, std::vector<double>& out) { out[0] = w.protests_.pressure; }},
      {"police_strength", ValueKind::kReal, "1",
       "officers at the posts of the KP and Balochistan police as a share of their establishment "
       "(post_strength.hpp: the officers killed leave, reinforcements refill them)",
       L::kNone,
       [](const World& w, std::vector<double>& out) { out[0] = w.frontier_police_strength(); }},
      // ---- the command's strategy and the army's operations (phases/actors.cpp, army.cpp)
      {"ceasefire_offered", ValueKind::kCount, "1",
       "1 while Pakistan's ceasefire offer (the ceasefire switch) stands; `ceasefire` says whether "
       "the TTP holds to one",
       L::kNone, [](const World& w, std::vector<double>& out) { out[0] = w.pol_.ceasefire.on; }},
      {"resolve", ValueKind::kReal, "1",
       "the TTP command's resolve to fight (strategy.hpp): drives tempo, acceptance and the end "
       "of ceasefires",
       L::kNone,
       [](const World& w, std::vector<double>& out) { out[0] = w.actors_.command.resolve; }},
      {"ceasefire_end_probability", ValueKind::kReal, "1/day",
       "daily chance that a holding ceasefire ends at today's resolve", L::kNone,
       [](const World& w, std::vector<double>& out) {
         out[0] = w.actors_.command.end_probability;
       }},
      {"security_operations", ValueKind::kCount, "count",
       "operations by the security forces that killed or arrested militants this day (one per "
       "militant cell hit)",
       L::kNone,
       [](const World& w, std::vector<double>& out) {
         out[0] = static_cast<double>(w.day_.operations);
       }},
      {"undocumented_afghans", ValueKind::kReal, "persons",
       "undocumented Afghans still in Pakistan (deportation lowers it)", L::kNone,
       [](const World& w, std::vector<double>& out) {
         out[0] = w.actors_.kabul.undocumented < 0 ? w.p_.kabul.undocumented_afghans
                                                   : w.actors_.kabul.undocumented;
       }},
      {"kabul_restraint", ValueKind::kReal, "1",
       "how far Kabul restrains the TTP (0..1): relocation, disarmament, pressure to keep a truce",
       L::kNone,
       [](const World& w, std::vector<double>& out) { out[0] = w.actors_.kabul.restraint; }},
      {"kabul_cohesion", ValueKind::kReal, "1",
       "the Afghan Taliban's own cohesion (0..1): restraint costs it and it caps restraint",
       L::kNone,
       [](const World& w, std::vector<double>& out) { out[0] = w.actors_.kabul.cohesion; }},
      {"network_kp", ValueKind::kReal, "1",
       "the militants' local network in KP (0..1; operations disrupt it, it recovers)", L::kNone,
       [](const World& w, std::vector<double>& out) { out[0] = w.actors_.theatre.network[0]; }},
      {"network_balochistan", ValueKind::kReal, "1",
       "the militants' local network in Balochistan (0..1)", L::kNone,
       [](const World& w, std::vector<double>& out) { out[0] = w.actors_.theatre.network[1]; }},
  };
  return all;
}

const std::vector<World::EventColumn>& World::event_columns() {
  using sim::ColumnKind;
  using E = EventRecord;
  static const std::vector<EventColumn> all{
      {{"x", ColumnKind::kInteger, "cell", "column of the map cell"},
       [](const E& e) -> sim::EventValue { return e.x; }},
      {{"y", ColumnKind::kInteger, "cell", "row of the map cell (0 south)"},
       [](const E& e) -> sim::EventValue { return e.y; }},
      {{"lon", ColumnKind::kReal, "degree_east", "longitude of the cell centre"},
       [](const E& e) -> sim::EventValue { return e.lon; }},
      {{"lat", ColumnKind::kReal, "degree_north", "latitude of the cell centre"},
       [](const E& e) -> sim::EventValue { return e.lat; }},
      {{"province", ColumnKind::kInteger, "1", "row of /map/provinces, -1 outside"},
       [](const E& e) -> sim::EventValue { return e.province; }},
      {{"district", ColumnKind::kText, "",
        "district of the cell (/map/districts name; empty outside Pakistan's districts)"},
       [](const E& e) -> sim::EventValue { return e.district; }},
      {{"place", ColumnKind::kText, "", "nearest named place"},
       [](const E& e) -> sim::EventValue { return e.place; }},
      {{"tactic", ColumnKind::kText, "",
        "attack tactic, or army_operation, cross_border_strike, border_interdiction"},
       [](const E& e) -> sim::EventValue { return e.tactic; }},
      {{"faction", ColumnKind::kText, "", "militant faction involved"},
       [](const E& e) -> sim::EventValue { return e.faction; }},
      {{"target", ColumnKind::kText, "",
        "TTP targets: police, army, officials, leaders, civilians; Baloch targets: "
        "security_forces, settlers, chinese_cpec, infrastructure, police; or militants"},
       [](const E& e) -> sim::EventValue { return e.target; }},
      {{"killed_police", ColumnKind::kInteger, "count", "police killed"},
       [](const E& e) -> sim::EventValue { return e.killed[kPolice]; }},
      {{"killed_army", ColumnKind::kInteger, "count", "soldiers killed"},
       [](const E& e) -> sim::EventValue { return e.killed[kArmy]; }},
      {{"killed_civilians", ColumnKind::kInteger, "count",
        "civilians (and officials, leaders) killed"},
       [](const E& e) -> sim::EventValue { return e.killed[kCivilians]; }},
      {{"killed_militants", ColumnKind::kInteger, "count", "militants killed"},
       [](const E& e) -> sim::EventValue { return e.killed[kMilitants]; }},
      {{"injured", ColumnKind::kInteger, "count", "injured"},
       [](const E& e) -> sim::EventValue { return e.injured; }},
      {{"attacker_losses", ColumnKind::kInteger, "count",
        "attacking militants killed (in attacks)"},
       [](const E& e) -> sim::EventValue { return e.attacker_losses; }},
  };
  return all;
}

const std::vector<World::SnapshotField>& World::snapshot_fields() {
  // Per-person fields are 0 outside the two countries of the model.
  static const std::vector<SnapshotField> all{
      {{"population", "persons", "residents per cell"},
       [](const World& w, std::vector<double>& out) {
         for (std::size_t c = 0; c < out.size(); ++c) out[c] = w.geo_.pop[c];
       }},
      {{"grievance", "1", "grievance (0..1)"},
       [](const World& w, std::vector<double>& out) {
         for (std::size_t c = 0; c < out.size(); ++c)
           out[c] = w.geo_.in_model_area(c) ? w.fields_.grievance(c) : 0.0;
       }},
      {{"support", "1", "support for militants (0..1)"},
       [](const World& w, std::vector<double>& out) {
         for (std::size_t c = 0; c < out.size(); ++c)
           out[c] = w.geo_.in_model_area(c) ? w.fields_.support(c, w.p_.support_from_fear) : 0.0;
       }},
      {{"fear", "1", "fear (0..1)"},
       [](const World& w, std::vector<double>& out) {
         for (std::size_t c = 0; c < out.size(); ++c)
           out[c] = w.geo_.in_model_area(c) ? w.fields_.fear(c) : 0.0;
       }},
      {{"fighters", "count", "militant fighters in the cell"},
       [](const World& w, std::vector<double>& out) {
         for (std::size_t r = 0; r < w.cells_.size(); ++r)
           out[static_cast<std::size_t>(w.cells_[w.cells_.cell][r])] +=
               w.cells_[w.cells_.fighters][r];
       }},
      {{"police", "count", "police officers based in the cell"},
       [](const World& w, std::vector<double>& out) {
         for (std::size_t r = 0; r < w.posts_.size(); ++r)
           out[static_cast<std::size_t>(w.posts_[w.posts_.cell][r])] +=
               w.posts_[w.posts_.officers][r];
       }},
  };
  return all;
}

std::vector<sim::FieldSpec> World::snapshot_field_specs() {
  std::vector<sim::FieldSpec> specs;
  for (const auto& f : snapshot_fields()) specs.push_back(f.spec);
  return specs;
}

void World::build_schema() {
  const std::vector<std::string> tactics(tactics::kKindNames.begin(), tactics::kKindNames.end());
  const std::vector<std::string> armed_groups(kArmedGroupNames.begin(), kArmedGroupNames.end());
  const std::vector<std::string> groups(kGroupNames.begin(), kGroupNames.end());
  std::vector<std::string> provinces;
  for (const auto& p : map_->provinces) provinces.push_back(p.name);
  for (const OutputSeries& s : output_series()) {
    const auto& labels = s.labels == SeriesLabels::kTactics       ? tactics
                         : s.labels == SeriesLabels::kGroups      ? groups
                         : s.labels == SeriesLabels::kProvinces   ? provinces
                         : s.labels == SeriesLabels::kDistricts   ? geo_.insurgency->district_names
                         : s.labels == SeriesLabels::kArmedGroups ? armed_groups
                                                                  : std::vector<std::string>{};
    schema_.series.push_back({s.name, s.kind, s.units, s.description, labels});
  }
  for (const EventColumn& c : event_columns()) schema_.event_columns.push_back(c.spec);
  schema_.fields = snapshot_field_specs();
  schema_.summary = summary_specs();  // models/ttp/summary.cpp
}

void World::record(sim::StepRecord& out) const {
  const auto& series = output_series();
  for (std::size_t i = 0; i < series.size(); ++i)
    if (out.reads_series(i)) series[i].value(*this, out.series[i]);
  if (!out.events_read) return;
  const auto& columns = event_columns();
  for (const EventRecord& e : day_.events) {
    sim::EventRow row;
    row.reserve(columns.size());
    for (const EventColumn& c : columns) row.push_back(c.value(e));
    out.events.push_back(std::move(row));
  }
}

void World::snapshot(const std::string& field, std::vector<double>& out) const {
  out.assign(map_->grid.cells(), 0.0);
  for (const SnapshotField& f : snapshot_fields())
    if (f.spec.name == field) f.fill(*this, out);
}

}  // namespace borderland::ttp
