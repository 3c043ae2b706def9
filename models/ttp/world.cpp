// The step loop, shared helpers and outputs of the TTP model.
#include "models/ttp/world.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/h5.hpp"
#include "sim/parallel.hpp"

namespace borderland::ttp {

void World::step(std::int64_t step) {
  cur_step_ = step;
  day_.reset();
  counts_.daily.add_day();

  schedule_.run_step(step);
  if (step >= score_from_) counts_.tension_sum += actors_.tension;
}

// The day's phases, in order, with the parts of the state each reads and writes: the day's
// data flow in one list. The parts are World's members of those names (world.hpp), each a type
// in its own header:
//   scenario          the scripted events and policy timeline (configuration)
//   geography         geo_: the map and what setup derives from it, read-only
//   policy            pol_: the levers in force, read from the timeline by the actors phase
//   actors            actors_: host, tension, the TTP command, ceasefire, concessions due,
//                     faction morale, Kabul, the army's theatre
//   cells, posts, army, sanctuaries   the agent stores (cells_ with its intent buffers)
//   crossing intents  cells_.intent.cross_to, handed from movement to border
//   fields            fields_: grievance, fear, opinion, protest share, attack heat
//   protests          protests_: protest pressure and today's inputs
//   suicide pipeline  suicide_
//   custody           custody_: detained, convicted
//   counters          counts_: daily totals, deaths since the start, the ledger, cell counts
//   tally             day_: the day's tally (add_event writes it and the daily totals)
void World::build_schedule() {
  auto phase = [this](const char* name, void (World::*fn)(std::int64_t),
                      std::vector<std::string> reads, std::vector<std::string> writes) {
    schedule_.add(name, [this, fn](std::int64_t step) { (this->*fn)(step); },
                  {std::move(reads), std::move(writes)});
  };
  phase(
      "actors", &World::phase_actors,
      {"scenario", "geography", "actors", "fields", "protests", "cells", "sanctuaries", "custody"},
      {"policy", "actors", "cells", "custody", "counters", "tally"});
  phase("recruitment", &World::phase_recruitment,
        {"policy", "actors", "geography", "fields", "cells"},
        {"cells", "actors", "counters", "tally"});
  phase("movement", &World::phase_movement,
        {"policy", "actors", "geography", "cells", "sanctuaries"}, {"cells", "crossing intents"});
  phase("border", &World::phase_border,
        {"policy", "geography", "crossing intents", "cells", "sanctuaries"},
        {"cells", "custody", "counters", "tally"});
  phase(
      "attacks", &World::phase_attacks,
      {"policy", "actors", "geography", "fields", "cells", "posts", "sanctuaries",
       "suicide pipeline"},
      {"cells", "posts", "actors", "fields", "protests", "suicide pipeline", "counters", "tally"});
  phase("policing", &World::phase_policing,
        {"policy", "geography", "fields", "protests", "cells", "posts", "custody"},
        {"cells", "posts", "custody", "counters", "tally"});
  phase("army", &World::phase_army,
        {"policy", "actors", "geography", "fields", "cells", "army", "sanctuaries"},
        {"army", "cells", "custody", "actors", "fields", "protests", "counters", "tally"});
  phase("strikes", &World::phase_strikes, {"policy", "actors", "geography", "cells", "sanctuaries"},
        {"cells", "actors", "fields", "counters", "tally"});
  phase("host", &World::phase_host, {"policy", "actors", "geography", "sanctuaries", "cells"},
        {"sanctuaries", "cells", "actors", "fields"});
  phase("population", &World::phase_population, {"geography", "fields", "protests"},
        {"fields", "protests"});
  phase("bookkeeping", &World::phase_bookkeeping, {"cells", "tally"}, {"cells", "counters"});
}

// ------------------------------------------------------------------ helpers

void World::add_fields(std::size_t cell, double radius_km, double grievance_add, double fear_add) {
  fields_.spread(geo_, cell, radius_km, grievance_add, fear_add,
                 opinion::backlash(p_.opinion, grievance_add));
}

void World::add_attack_fields(std::size_t cell, double radius_km, double grievance_add,
                              double fear_add, double civilian_victims) {
  fields_.spread(geo_, cell, radius_km, grievance_add, fear_add,
                 opinion::blame(p_.opinion, civilian_victims));
}

double World::post_alert(std::size_t post, std::int64_t step) const {
  const double a = posts_[posts_.alert][post];
  if (a <= 0) return 0;
  return a * std::exp(-static_cast<double>(step - posts_[posts_.alert_step][post]) /
                      p_.alert_decay_days);
}

// Officers on duty at a moment: a share of the post's officers, capped (an ordinary post by
// casualties.post_present_max, every post by casualties.max_present).
std::int32_t World::post_present(std::size_t post) const {
  const double officers = posts_[posts_.officers][post];
  const double cap =
      posts_[posts_.hq][post] ? p_.max_present : std::min(p_.post_present_max, p_.max_present);
  return static_cast<std::int32_t>(std::lround(std::min(officers * p_.post_present_share, cap)));
}

// The officers killed in an attack on a post leave it (post_strength.hpp).
void World::post_loses(std::size_t post, std::int64_t killed) {
  if (killed <= 0) return;
  auto officers = posts_[posts_.officers];
  officers[post] = static_cast<std::int32_t>(
      std::max<std::int64_t>(0, static_cast<std::int64_t>(officers[post]) - killed));
  posts_[posts_.present][post] = post_present(post);
}

std::vector<World::TileOfficers> World::officers_by_tile() const {
  std::vector<TileOfficers> by_tile(posts_.by_tile.size());
  const auto officers = posts_[posts_.officers];
  for (std::size_t t = 0; t < posts_.by_tile.size(); ++t)
    for (std::int32_t q : posts_.by_tile[t]) {
      by_tile[t].officers += officers[static_cast<std::size_t>(q)];
      by_tile[t].establishment += posts_.establishment[static_cast<std::size_t>(q)];
    }
  return by_tile;
}

// The sums are of whole numbers of officers, exact in double, so adding them tile by tile
// gives what adding them post by post gives. Officers over establishment (1 with none there).
double World::strength_near(std::size_t cell, const std::vector<TileOfficers>& by_tile) const {
  const int cx = static_cast<int>(cell) % geo_.nx / geo_.tile,
            cy = static_cast<int>(cell) / geo_.nx / geo_.tile;
  double officers = 0, establishment = 0;
  for (int ty = std::max(0, cy - 1); ty <= std::min(geo_.tiles_y - 1, cy + 1); ++ty)
    for (int tx = std::max(0, cx - 1); tx <= std::min(geo_.tiles_x - 1, cx + 1); ++tx) {
      const TileOfficers& t = by_tile[static_cast<std::size_t>(ty * geo_.tiles_x + tx)];
      officers += t.officers;
      establishment += t.establishment;
    }
  return post_strength::strength(officers, establishment);
}

double World::frontier_police_strength() const {
  double officers = 0, establishment = 0;
  for (std::size_t q = 0; q < posts_.size(); ++q) {
    const int force = posts_[posts_.force][q];
    if (force != kForceKP && force != kForceBalochistan) continue;
    officers += posts_[posts_.officers][q];
    establishment += posts_.establishment[q];
  }
  return post_strength::strength(officers, establishment);
}

void World::raise_alert(std::size_t cell, double radius_km, std::int64_t step) {
  const int cx = static_cast<int>(cell) % geo_.nx, cy = static_cast<int>(cell) / geo_.nx;
  const int rx = static_cast<int>(radius_km / geo_.km_x),
            ry = static_cast<int>(radius_km / geo_.km_y);
  const int tx0 = std::max(0, (cx - rx) / geo_.tile),
            tx1 = std::min(geo_.tiles_x - 1, (cx + rx) / geo_.tile);
  const int ty0 = std::max(0, (cy - ry) / geo_.tile),
            ty1 = std::min(geo_.tiles_y - 1, (cy + ry) / geo_.tile);
  for (int ty = ty0; ty <= ty1; ++ty)
    for (int tx = tx0; tx <= tx1; ++tx)
      for (std::int32_t post : posts_.by_tile[static_cast<std::size_t>(ty * geo_.tiles_x + tx)]) {
        const auto q = static_cast<std::size_t>(post);
        const int c = posts_[posts_.cell][q];
        if (std::abs(c % geo_.nx - cx) > rx || std::abs(c / geo_.nx - cy) > ry) continue;
        posts_[posts_.alert][q] = std::min(1.0, post_alert(q, step) + p_.alert_jump);
        posts_[posts_.alert_step][q] = static_cast<std::int32_t>(step);
      }
}

void World::kill_fighters(std::size_t row, int n) {
  auto fighters = cells_[cells_.fighters];
  n = std::min(n, fighters[row]);
  if (n <= 0) return;
  fighters[row] -= n;
  counts_.ledger.killed += n;
}

void World::add_event(std::int64_t step, std::size_t cell, const std::string& tactic, int faction,
                      const std::string& target, const std::array<std::int64_t, kGroups>& killed,
                      std::int64_t injured, std::int64_t attacker_losses, bool is_attack) {
  const int x = static_cast<int>(cell) % geo_.nx, y = static_cast<int>(cell) / geo_.nx;
  const int prov = geo_.province[cell];
  const int place = geo_.nearest_place[cell];
  for (int g = 0; g < kGroups; ++g)
    day_.killed[static_cast<std::size_t>(g)] += killed[static_cast<std::size_t>(g)];
  const std::int64_t victims = killed[kPolice] + killed[kArmy] + killed[kCivilians];
  if (is_attack) {
    ++day_.attacks;
    if (prov >= 0) ++day_.by_province[static_cast<std::size_t>(prov)];
    if (const std::int32_t district = geo_.insurgency->district[cell]; district >= 0)
      ++day_.by_district[static_cast<std::size_t>(district)];
    // Deaths in attacks only, and attacks by armed group (IS-K and others: not modelled).
    for (int g = 0; g < kGroups; ++g)
      day_.attack_killed[static_cast<std::size_t>(g)] += killed[static_cast<std::size_t>(g)];
    if (prov >= 0) day_.attack_killed_by_province[static_cast<std::size_t>(prov)] += victims;
    ++day_.by_group[faction == kBaloch ? kGroupBaloch : kGroupTtp];
    const auto s = static_cast<std::size_t>(step);
    ++counts_.daily.attacks[s];
    if (geo_.is_kp(cell)) {
      ++counts_.daily.attacks_kp[s];
      counts_.daily.police_killed_kp[s] += killed[kPolice];
      if (target == "police") ++counts_.daily.police_incidents_kp[s];
    }
    // T7 counts the victims of an attack ("more than 80 people, of whom all but three were police
    // officers", calibration/targets.yaml), not the attackers.
    counts_.daily.max_attack_deaths[s] = std::max(counts_.daily.max_attack_deaths[s], victims);
    counts_.daily.attack_victims[s] += victims;
    if (victims >= mass_casualty_threshold()) ++counts_.daily.attacks_over_threshold[s];
  }
  counts_.daily.police_killed[static_cast<std::size_t>(step)] += killed[kPolice];
  // Injured go to the group hit hardest (civilians when no one died).
  int hit = kCivilians;
  std::int64_t most = 0;
  for (int g = 0; g < kGroups; ++g)
    if (killed[static_cast<std::size_t>(g)] > most)
      most = killed[static_cast<std::size_t>(g)], hit = g;
  if (most == 0 && target == "police") hit = kPolice;
  if (most == 0 && target == "army") hit = kArmy;
  day_.injured[static_cast<std::size_t>(hit)] += injured;
  const std::int32_t district = geo_.insurgency->district[cell];
  day_.events.push_back(EventRecord{
      x, y, map_->grid.lon_of(x), map_->grid.lat_of(y), prov,
      district >= 0 ? geo_.insurgency->district_names[static_cast<std::size_t>(district)]
                    : std::string(),
      place >= 0 ? map_->places[static_cast<std::size_t>(place)].name : std::string(), tactic,
      std::string(faction >= 0 ? kFactionNames[static_cast<std::size_t>(faction)] : "none"), target,
      killed, injured, attacker_losses});
}

void World::provoke(std::int64_t militants_killed) {
  // Losses to state offensives feed the command's retaliation motive (the tactics of revenge);
  // during a ceasefire they are banked instead and turn into retaliation when it ends.
  if (actors_.ceasefire_holding) {
    actors_.banked_provocations += static_cast<double>(militants_killed);
  } else {
    actors_.retaliation = std::min(
        p_.retaliation_max,
        actors_.retaliation + p_.retaliation_per_death * static_cast<double>(militants_killed));
  }
}

// The command's tempo: strategy::tempo of today's situation (phases/actors.cpp), no clamp.
double World::tempo() const {
  return actors_.command.tempo;
}

double World::compliance() const {
  // How far Kabul goes along with Pakistani demands: more when paid, less when
  // relations are tense (seed: 'only if Islamabad bears the cost'; warnings against strikes).
  return (p_.compliance_unpaid + p_.compliance_per_payment * pol_.host.payment) *
         (1.0 - actors_.tension);
}

std::int64_t World::fighters_in(bool pakistan) const {
  const auto f = cells_[cells_.fighters];
  const auto cell = cells_[cells_.cell];
  std::int64_t n = 0;
  for (std::size_t i = 0; i < cells_.size(); ++i)
    if (geo_.in_pakistan(static_cast<std::size_t>(cell[i])) == pakistan) n += f[i];
  return n;
}

std::int64_t World::fighters_total() const {
  std::int64_t n = 0;
  for (auto f : cells_[cells_.fighters]) n += f;
  return n;
}

std::size_t World::sanctuary_cell(int sanctuary) const {
  return static_cast<std::size_t>(
      sanctuaries_[sanctuaries_.cell][static_cast<std::size_t>(sanctuary)]);
}

double World::mean_sanctuary_distance_km() const {
  double s = 0;
  for (auto c : sanctuaries_[sanctuaries_.cell])
    s += std::abs(static_cast<double>(geo_.border_km[c]));
  return sanctuaries_.size() ? s / static_cast<double>(sanctuaries_.size()) : 0.0;
}

// ------------------------------------------------------------------ outputs

double World::sanctuary_strength() const {
  double strength = 0;
  for (std::size_t r = 0; r < cells_.size(); ++r)
    if (cells_[cells_.state][r] == kInSanctuary)
      strength += cells_[cells_.fighters][r] * cells_[cells_.arms][r];
  return strength;
}

void World::write_map_tables(sim::h5::Group& map) const {
  auto table = [](sim::h5::Group g, const std::string& columns) {
    g.set_attr("kind", std::string("table"));
    g.set_attr("columns", columns);
  };
  const auto& pr = map_->provinces;
  {
    sim::h5::Group g = map.create_group("provinces");
    std::vector<std::int64_t> id, country, merged;
    std::vector<std::string> name, hasc, date, force;
    std::vector<double> area;
    for (std::size_t i = 0; i < pr.size(); ++i) {
      id.push_back(pr[i].id), country.push_back(pr[i].country), merged.push_back(pr[i].merged_into);
      name.push_back(pr[i].name), hasc.push_back(pr[i].hasc), date.push_back(pr[i].merged_date),
          area.push_back(pr[i].area_km2);
      force.push_back(geo_.province_force[i] >= 0
                          ? kForceNames[static_cast<std::size_t>(geo_.province_force[i])]
                          : "");
    }
    const hsize_t n = pr.size();
    g.write("id", id, {n}, "1", "province id (row)");
    g.write_strings("name", name, "province name");
    g.write("country", country, {n}, "1", "0 sea, 1 PK, 2 AF, 3 other land");
    g.write_strings("hasc", hasc, "HASC code");
    g.write("area_km2", area, {n}, "km2", "area");
    g.write("merged_into", merged, {n}, "1", "id of the province it merged into, or -1");
    g.write_strings("merged_date", date, "date of the merger, or empty");
    g.write_strings(
        "police_force", force,
        "police force the model assigns (kp, balochistan, sindh, punjab, islamabad, other)");
    table(std::move(g), "id,name,country,hasc,area_km2,merged_into,merged_date,police_force");
  }
  {
    sim::h5::Group g = map.create_group("places");
    std::vector<std::int64_t> id, country, province, ix, iy;
    std::vector<std::string> name;
    std::vector<double> lon, lat, pop;
    for (const auto& p : map_->places) {
      id.push_back(p.id), country.push_back(p.country), province.push_back(p.province),
          ix.push_back(p.ix), iy.push_back(p.iy);
      name.push_back(p.name), lon.push_back(p.lon), lat.push_back(p.lat),
          pop.push_back(p.population);
    }
    const hsize_t n = map_->places.size();
    g.write("id", id, {n}, "1", "place id");
    g.write_strings("name", name, "place name");
    g.write("country", country, {n}, "1", "0 sea, 1 PK, 2 AF, 3 other land");
    g.write("province", province, {n}, "1", "row of /map/provinces");
    g.write("lon", lon, {n}, "degree_east", "longitude");
    g.write("lat", lat, {n}, "degree_north", "latitude");
    g.write("population", pop, {n}, "persons", "population");
    g.write("ix", ix, {n}, "cell", "column");
    g.write("iy", iy, {n}, "cell", "row");
    table(std::move(g), "id,name,country,province,lon,lat,population,ix,iy");
  }
  {
    sim::h5::Group g = map.create_group("crossings");
    std::vector<std::int64_t> id, ix, iy;
    std::vector<std::string> name, source;
    std::vector<double> lon, lat;
    for (const auto& x : map_->crossings) {
      id.push_back(x.id), ix.push_back(x.ix), iy.push_back(x.iy), name.push_back(x.name),
          source.push_back(x.source);
      lon.push_back(x.lon), lat.push_back(x.lat);
    }
    const hsize_t n = map_->crossings.size();
    g.write("id", id, {n}, "1", "crossing id");
    g.write_strings("name", name, "crossing name");
    g.write("lon", lon, {n}, "degree_east", "longitude");
    g.write("lat", lat, {n}, "degree_north", "latitude");
    g.write("ix", ix, {n}, "cell", "column");
    g.write("iy", iy, {n}, "cell", "row");
    g.write_strings("source", source, "where the crossing comes from");
    table(std::move(g), "id,name,lon,lat,ix,iy,source");
  }
}

std::map<std::string, double> World::summary() const {
  std::map<std::string, double> s = calibration_targets(counts_.daily);
  double attacks = 0;
  for (std::size_t d = static_cast<std::size_t>(score_from_); d < counts_.daily.attacks.size(); ++d)
    attacks += static_cast<double>(counts_.daily.attacks[d]);
  s["total_attacks"] = attacks;
  s["police_killed"] = static_cast<double>(counts_.cumulative_killed[kPolice]);
  s["army_killed"] = static_cast<double>(counts_.cumulative_killed[kArmy]);
  s["civilians_killed"] = static_cast<double>(counts_.cumulative_killed[kCivilians]);
  s["militants_killed"] = static_cast<double>(counts_.cumulative_killed[kMilitants]);
  const auto scored = static_cast<std::int64_t>(counts_.daily.attacks.size()) - score_from_;
  s["mean_tension"] =
      scored <= 0 ? actors_.tension : counts_.tension_sum / static_cast<double>(scored);
  s["final_fighters"] = static_cast<double>(fighters_total());
  return s;
}

}  // namespace borderland::ttp
