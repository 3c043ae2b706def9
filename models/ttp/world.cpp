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
  totals_.add_day();

  schedule_.run_step(step);
  if (step >= score_from_) tension_sum_ += tension_;
}

// The day's phases, in order, with the parts of the state each reads and
// writes: the day's data flow in one list. Parts: scenario (policies, events),
// geography (the map, read-only), policy (the levers in force), actors (host,
// tension, the TTP command, ceasefire, concessions due), cells, posts, army,
// sanctuaries (the agent stores), custody (detained, convicted), fields
// (grievance, fear, protests, heat), tally (the day's tally, daily totals,
// ledger; written by most phases through add_event and kill_fighters).
void World::build_schedule() {
  auto phase = [this](const char* name, void (World::*fn)(std::int64_t),
                      std::vector<std::string> reads, std::vector<std::string> writes) {
    schedule_.add(name, [this, fn](std::int64_t step) { (this->*fn)(step); },
                  {std::move(reads), std::move(writes)});
  };
  phase("actors", &World::phase_actors, {"scenario", "actors", "fields", "cells", "custody"},
        {"policy", "actors", "cells", "custody", "tally"});
  phase("recruitment", &World::phase_recruitment,
        {"policy", "actors", "geography", "fields", "cells"}, {"cells", "actors", "tally"});
  phase("movement", &World::phase_movement,
        {"policy", "actors", "geography", "cells", "sanctuaries"}, {"cells", "crossing intents"});
  phase("border", &World::phase_border,
        {"policy", "geography", "crossing intents", "cells", "sanctuaries"},
        {"cells", "custody", "tally"});
  phase("attacks", &World::phase_attacks,
        {"policy", "actors", "geography", "fields", "cells", "posts", "sanctuaries", "custody"},
        {"cells", "posts", "custody", "actors", "fields", "tally"});
  phase("policing", &World::phase_policing,
        {"policy", "geography", "fields", "cells", "posts", "custody"},
        {"cells", "posts", "custody", "tally"});
  phase("army", &World::phase_army, {"policy", "actors", "geography", "fields", "cells", "army"},
        {"army", "cells", "custody", "actors", "fields", "tally"});
  phase("strikes", &World::phase_strikes, {"policy", "actors", "cells", "sanctuaries"},
        {"cells", "actors", "fields", "tally"});
  phase("host", &World::phase_host, {"policy", "actors", "geography", "sanctuaries", "cells"},
        {"sanctuaries", "cells"});
  phase("population", &World::phase_population, {"geography", "fields"}, {"fields"});
  phase("bookkeeping", &World::phase_bookkeeping, {"cells", "tally"}, {"cells", "tally"});
}

// ------------------------------------------------------------------ helpers

int World::force_of(std::size_t cell) const {
  const int prov = province_[cell];
  return prov < 0 ? kForceOther : std::max<int>(0, province_force_[static_cast<std::size_t>(prov)]);
}

bool World::is_kp(std::size_t cell) const {
  const int prov = province_[cell];
  return prov >= 0 && province_kp_[static_cast<std::size_t>(prov)] != 0;
}

double World::grievance(std::size_t cell) const {
  return std::clamp(static_cast<double>(g_rest_[cell]) + g_dev_[cell] * g_scale_, 0.0, 1.0);
}
double World::fear(std::size_t cell) const {
  return std::clamp(f_dev_[cell] * f_scale_, 0.0, 1.0);
}
// Support: rest, the opinion shift (opinion.hpp: the militants' civilian victims lower it, the
// state's harm raises it), less the short-run effect of fear.
double World::support(std::size_t cell) const {
  const double s = s_rest_[cell] + o_dev_[cell] * o_scale_ - p_.support_from_fear * fear(cell);
  return std::clamp(s, 0.0, 1.0);
}

void World::add_fields(std::size_t cell, double radius_km, double grievance_add, double fear_add) {
  spread_fields(cell, radius_km, grievance_add, fear_add,
                opinion::backlash(p_.opinion, grievance_add));
}

void World::add_attack_fields(std::size_t cell, double radius_km, double grievance_add,
                              double fear_add, double civilian_victims) {
  spread_fields(cell, radius_km, grievance_add, fear_add,
                opinion::blame(p_.opinion, civilian_victims));
}

void World::spread_fields(std::size_t cell, double radius_km, double grievance_add, double fear_add,
                          double opinion_add) {
  const int cx = static_cast<int>(cell) % nx_, cy = static_cast<int>(cell) / nx_;
  const int rx = static_cast<int>(radius_km / km_x_), ry = static_cast<int>(radius_km / km_y_);
  const double g = grievance_add / g_scale_, f = fear_add / f_scale_, o = opinion_add / o_scale_;
  for (int y = std::max(0, cy - ry); y <= std::min(ny_ - 1, cy + ry); ++y)
    for (int x = std::max(0, cx - rx); x <= std::min(nx_ - 1, cx + rx); ++x) {
      const std::size_t c =
          static_cast<std::size_t>(y) * static_cast<std::size_t>(nx_) + static_cast<std::size_t>(x);
      if (!in_model_area(c)) continue;
      g_dev_[c] += g;
      f_dev_[c] += f;
      o_dev_[c] += o;
      if (country_[c] == kPakistan) {
        const double pop = std::max(0.0f, pop_[c]);
        g_dev_pop_sum_ += pop * g;
        f_dev_pop_sum_ += pop * f;
        o_dev_pop_sum_ += pop * o;
      }
    }
}

double World::post_alert(std::size_t post, std::int64_t step) const {
  const double a = posts_[q_alert_][post];
  if (a <= 0) return 0;
  return a *
         std::exp(-static_cast<double>(step - posts_[q_alert_step_][post]) / p_.alert_decay_days);
}

// Officers on duty at a moment: a share of the post's officers, capped (an ordinary post by
// casualties.post_present_max, every post by casualties.max_present).
std::int32_t World::post_present(std::size_t post) const {
  const double officers = posts_[q_officers_][post];
  const double cap =
      posts_[q_hq_][post] ? p_.max_present : std::min(p_.post_present_max, p_.max_present);
  return static_cast<std::int32_t>(std::lround(std::min(officers * p_.post_present_share, cap)));
}

// The officers killed in an attack on a post leave it (post_strength.hpp).
void World::post_loses(std::size_t post, std::int64_t killed) {
  if (killed <= 0) return;
  auto officers = posts_[q_officers_];
  officers[post] = static_cast<std::int32_t>(
      std::max<std::int64_t>(0, static_cast<std::int64_t>(officers[post]) - killed));
  posts_[q_present_][post] = post_present(post);
}

// Officers over establishment of the posts in the 3x3 tiles around a cell (1 with none there).
std::vector<World::TileOfficers> World::officers_by_tile() const {
  std::vector<TileOfficers> by_tile(posts_by_tile_.size());
  const auto officers = posts_[q_officers_];
  for (std::size_t t = 0; t < posts_by_tile_.size(); ++t)
    for (std::int32_t q : posts_by_tile_[t]) {
      by_tile[t].officers += officers[static_cast<std::size_t>(q)];
      by_tile[t].establishment += post_establishment_[static_cast<std::size_t>(q)];
    }
  return by_tile;
}

// The sums are of whole numbers of officers, exact in double, so adding them tile by tile
// gives what adding them post by post gives.
double World::strength_near(std::size_t cell, const std::vector<TileOfficers>& by_tile) const {
  const int cx = static_cast<int>(cell) % nx_ / tile_, cy = static_cast<int>(cell) / nx_ / tile_;
  double officers = 0, establishment = 0;
  for (int ty = std::max(0, cy - 1); ty <= std::min(tiles_y_ - 1, cy + 1); ++ty)
    for (int tx = std::max(0, cx - 1); tx <= std::min(tiles_x_ - 1, cx + 1); ++tx) {
      const TileOfficers& t = by_tile[static_cast<std::size_t>(ty * tiles_x_ + tx)];
      officers += t.officers;
      establishment += t.establishment;
    }
  return post_strength::strength(officers, establishment);
}

double World::frontier_police_strength() const {
  double officers = 0, establishment = 0;
  for (std::size_t q = 0; q < posts_.size(); ++q) {
    const int force = posts_[q_force_][q];
    if (force != kForceKP && force != kForceBalochistan) continue;
    officers += posts_[q_officers_][q];
    establishment += post_establishment_[q];
  }
  return post_strength::strength(officers, establishment);
}

void World::raise_alert(std::size_t cell, double radius_km, std::int64_t step) {
  const int cx = static_cast<int>(cell) % nx_, cy = static_cast<int>(cell) / nx_;
  const int rx = static_cast<int>(radius_km / km_x_), ry = static_cast<int>(radius_km / km_y_);
  const int tx0 = std::max(0, (cx - rx) / tile_), tx1 = std::min(tiles_x_ - 1, (cx + rx) / tile_);
  const int ty0 = std::max(0, (cy - ry) / tile_), ty1 = std::min(tiles_y_ - 1, (cy + ry) / tile_);
  for (int ty = ty0; ty <= ty1; ++ty)
    for (int tx = tx0; tx <= tx1; ++tx)
      for (std::int32_t post : posts_by_tile_[static_cast<std::size_t>(ty * tiles_x_ + tx)]) {
        const auto q = static_cast<std::size_t>(post);
        const int c = posts_[q_cell_][q];
        if (std::abs(c % nx_ - cx) > rx || std::abs(c / nx_ - cy) > ry) continue;
        posts_[q_alert_][q] = std::min(1.0, post_alert(q, step) + p_.alert_jump);
        posts_[q_alert_step_][q] = static_cast<std::int32_t>(step);
      }
}

void World::kill_fighters(std::size_t row, int n) {
  auto fighters = cells_[c_fighters_];
  n = std::min(n, fighters[row]);
  if (n <= 0) return;
  fighters[row] -= n;
  ledger_.killed += n;
}

void World::add_event(std::int64_t step, std::size_t cell, const std::string& tactic, int faction,
                      const std::string& target, const std::array<std::int64_t, kGroups>& killed,
                      std::int64_t injured, std::int64_t attacker_losses, bool is_attack) {
  const int x = static_cast<int>(cell) % nx_, y = static_cast<int>(cell) / nx_;
  const int prov = province_[cell];
  const int place = nearest_place_[cell];
  for (int g = 0; g < kGroups; ++g)
    day_.killed[static_cast<std::size_t>(g)] += killed[static_cast<std::size_t>(g)];
  const std::int64_t victims = killed[kPolice] + killed[kArmy] + killed[kCivilians];
  if (is_attack) {
    ++day_.attacks;
    if (prov >= 0) ++day_.by_province[static_cast<std::size_t>(prov)];
    if (const std::int32_t district = insurgency_->district[cell]; district >= 0)
      ++day_.by_district[static_cast<std::size_t>(district)];
    // Deaths in attacks only, and attacks by armed group (IS-K and others: not modelled).
    for (int g = 0; g < kGroups; ++g)
      day_.attack_killed[static_cast<std::size_t>(g)] += killed[static_cast<std::size_t>(g)];
    if (prov >= 0) day_.attack_killed_by_province[static_cast<std::size_t>(prov)] += victims;
    ++day_.by_group[faction == kBaloch ? kGroupBaloch : kGroupTtp];
    const auto s = static_cast<std::size_t>(step);
    ++totals_.attacks[s];
    if (is_kp(cell)) {
      ++totals_.attacks_kp[s];
      totals_.police_killed_kp[s] += killed[kPolice];
      if (target == "police") ++totals_.police_incidents_kp[s];
    }
    // T7 counts the victims of an attack ("more than 80 people, of whom all but three were police
    // officers", calibration/targets.yaml), not the attackers.
    totals_.max_attack_deaths[s] = std::max(totals_.max_attack_deaths[s], victims);
    totals_.attack_victims[s] += victims;
    if (victims >= mass_casualty_threshold()) ++totals_.attacks_over_threshold[s];
  }
  totals_.police_killed[static_cast<std::size_t>(step)] += killed[kPolice];
  // Injured go to the group hit hardest (civilians when no one died).
  int hit = kCivilians;
  std::int64_t most = 0;
  for (int g = 0; g < kGroups; ++g)
    if (killed[static_cast<std::size_t>(g)] > most)
      most = killed[static_cast<std::size_t>(g)], hit = g;
  if (most == 0 && target == "police") hit = kPolice;
  if (most == 0 && target == "army") hit = kArmy;
  day_.injured[static_cast<std::size_t>(hit)] += injured;
  const std::int32_t district = insurgency_->district[cell];
  day_.events.push_back(EventRecord{
      x, y, map_->grid.lon_of(x), map_->grid.lat_of(y), prov,
      district >= 0 ? insurgency_->district_names[static_cast<std::size_t>(district)]
                    : std::string(),
      place >= 0 ? map_->places[static_cast<std::size_t>(place)].name : std::string(), tactic,
      std::string(faction >= 0 ? kFactionNames[static_cast<std::size_t>(faction)] : "none"), target,
      killed, injured, attacker_losses});
}

void World::provoke(std::int64_t militants_killed) {
  // Losses to state offensives feed the command's retaliation motive (the tactics of revenge);
  // during a ceasefire they are banked instead and turn into retaliation when it ends.
  if (ceasefire_holding_) {
    banked_provocations_ += static_cast<double>(militants_killed);
  } else {
    retaliation_ =
        std::min(p_.retaliation_max,
                 retaliation_ + p_.retaliation_per_death * static_cast<double>(militants_killed));
  }
}

// The command's tempo: strategy::tempo of today's situation (phases/actors.cpp), no clamp.
double World::tempo() const {
  return command_.tempo;
}

double World::compliance() const {
  // How far Kabul goes along with Pakistani demands: more when paid, less when
  // relations are tense (seed: 'only if Islamabad bears the cost'; warnings against strikes).
  return (p_.compliance_unpaid + p_.compliance_per_payment * pol_.host.payment) * (1.0 - tension_);
}

std::int64_t World::fighters_in(bool pakistan) const {
  const auto f = cells_[c_fighters_];
  const auto cell = cells_[c_cell_];
  std::int64_t n = 0;
  for (std::size_t i = 0; i < cells_.size(); ++i)
    if (in_pakistan(static_cast<std::size_t>(cell[i])) == pakistan) n += f[i];
  return n;
}

std::int64_t World::fighters_total() const {
  std::int64_t n = 0;
  for (auto f : cells_[c_fighters_]) n += f;
  return n;
}

std::size_t World::sanctuary_cell(int sanctuary) const {
  return static_cast<std::size_t>(sanctuaries_[s_cell_][static_cast<std::size_t>(sanctuary)]);
}

double World::mean_sanctuary_distance_km() const {
  double s = 0;
  for (auto c : sanctuaries_[s_cell_]) s += std::abs(static_cast<double>(border_km_[c]));
  return sanctuaries_.size() ? s / static_cast<double>(sanctuaries_.size()) : 0.0;
}

// ------------------------------------------------------------------ outputs

double World::mean_grievance() const {
  const double pop = pop_pk_ > 0 ? pop_pk_ : 1.0;
  return g_rest_pop_mean_ + g_scale_ * g_dev_pop_sum_ / pop;
}

double World::mean_support() const {
  const double pop = pop_pk_ > 0 ? pop_pk_ : 1.0;
  const double mf = f_scale_ * f_dev_pop_sum_ / pop;
  return std::clamp(s_rest_pop_mean_ + o_scale_ * o_dev_pop_sum_ / pop - p_.support_from_fear * mf,
                    0.0, 1.0);
}

double World::sanctuary_strength() const {
  double strength = 0;
  for (std::size_t r = 0; r < cells_.size(); ++r)
    if (cells_[c_state_][r] == kInSanctuary)
      strength += cells_[c_fighters_][r] * cells_[c_arms_][r];
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
      force.push_back(
          province_force_[i] >= 0 ? kForceNames[static_cast<std::size_t>(province_force_[i])] : "");
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
  std::map<std::string, double> s = calibration_targets(totals_);
  double attacks = 0;
  for (std::size_t d = static_cast<std::size_t>(score_from_); d < totals_.attacks.size(); ++d)
    attacks += static_cast<double>(totals_.attacks[d]);
  s["total_attacks"] = attacks;
  s["police_killed"] = static_cast<double>(cumulative_killed_[kPolice]);
  s["army_killed"] = static_cast<double>(cumulative_killed_[kArmy]);
  s["civilians_killed"] = static_cast<double>(cumulative_killed_[kCivilians]);
  s["militants_killed"] = static_cast<double>(cumulative_killed_[kMilitants]);
  const auto scored = static_cast<std::int64_t>(totals_.attacks.size()) - score_from_;
  s["mean_tension"] = scored <= 0 ? tension_ : tension_sum_ / static_cast<double>(scored);
  s["final_fighters"] = static_cast<double>(fighters_total());
  return s;
}

}  // namespace borderland::ttp
