// Building a run: geography derived from the map, then posts, sanctuaries,
// militant cells and army units placed with seeded draws.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <memory>
#include <numbers>
#include <utility>

#include "models/ttp/destinations.hpp"
#include "models/ttp/shared_geography.hpp"
#include "models/ttp/streams.hpp"
#include "models/ttp/world.hpp"
#include "sim/error.hpp"

namespace borderland::ttp {

namespace {
std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}
bool has(const std::string& s, const char* word) {
  return s.find(word) != std::string::npos;
}

void cumulate(std::vector<double>& w) {
  double acc = 0;
  for (auto& v : w) v = (acc += v);
}
}  // namespace

World::World(const sim::Scenario& scenario, const Parameters& params)
    : p_(params),
      start_(scenario.start),
      seed_(scenario.seed),
      policies_(scenario.policies),
      suicide_(params.suicide) {
  map_ = load_afpak_map_cached(scenario.resolve_path(p_.map).string());
  geo_.insurgency = load_insurgency_map_cached(map_->path);
  for (const auto& e : scenario.events) {
    const int step = scenario.start.days_until(e.date);
    const auto kind = std::find_if(event_kinds().begin(), event_kinds().end(),
                                   [&](const EventKind& k) { return k.spec.name == e.name; });
    if (kind == event_kinds().end())  // the scenario loader checks names against the same rows
      throw sim::RunError("internal: no row for scripted event '" + e.name + "'");
    if (step >= 0) events_by_step_[step].emplace_back(&*kind, e);
  }
  const double share_sum =
      p_.ttp_faction_share[0] + p_.ttp_faction_share[1] + p_.ttp_faction_share[2];
  if (share_sum <= 0)
    throw sim::InputError(scenario.source +
                          ": error: parameters.militants: faction shares must not all be zero");

  // The map's derived tables: once per process for a map and the parameters they read.
  std::vector<double> inputs = geography_inputs(p_);
  if (const auto shared = find_geography(map_.get(), inputs)) {
    geo_ = shared->geo;
    fields_.g_rest = shared->g_rest, fields_.s_rest = shared->s_rest;
    fields_.g_rest_pop_mean = shared->g_rest_pop_mean;
    fields_.s_rest_pop_mean = shared->s_rest_pop_mean;
  } else {
    derive_geography();
    keep_geography(std::move(inputs), std::make_shared<const SharedGeography>(SharedGeography{
                                          map_, geo_, fields_.g_rest, fields_.s_rest,
                                          fields_.g_rest_pop_mean, fields_.s_rest_pop_mean}));
  }
  size_state();
  place_posts();
  place_sanctuaries();
  place_cells();
  place_army();
  build_schema();
  build_schedule();

  actors_.host_tolerance = p_.tolerance_republic;
  actors_.tension = p_.tension_base;
  actors_.arms_available = p_.initial_arms;
  counts_.daily.start = start_;
  score_from_ = std::max(0, start_.days_until(p_.metrics_from));
  counts_.ledger.initial = fighters_total();
  counts_.fighters_pk = fighters_in(true);
}

void World::derive_geography() {
  const sim::Grid& g = map_->grid;
  geo_.nx = g.nx();
  geo_.ny = g.ny();
  const double lat_mid = g.geo().lat0 + geo_.ny / 2.0 * g.geo().dlat;
  geo_.km_y = g.geo().dlat * kKmPerDegreeLat;
  geo_.km_x = g.geo().dlon * kKmPerDegreeLonAtEquator *
              std::cos(lat_mid * std::numbers::pi / kDegreesPerHalfTurn);
  geo_.country = g.layer<std::int32_t>("country").values.data();
  geo_.province = g.layer<std::int32_t>("province").values.data();
  geo_.urban = g.layer<std::int32_t>("urban").values.data();
  geo_.nearest_place = g.layer<std::int32_t>("nearest_place").values.data();
  geo_.rugged = g.layer<float>("ruggedness").values.data();
  geo_.pop = g.layer<float>("population").values.data();
  geo_.border_km = g.layer<float>("border_distance").values.data();

  derive_police_forces();
  derive_regions();
  derive_rest_and_destinations();
  derive_border_cells();

  // The fixed part of a step's cost into each cell (World::next_step): ruggedness slows,
  // population (roads, towns) attracts. Computed once: it is most of a walk's arithmetic.
  geo_.step_cost.resize(g.cells());
  for (std::size_t c = 0; c < g.cells(); ++c)
    geo_.step_cost[c] =
        geo_.rugged[c] / p_.ruggedness_ref_m -
        p_.urban_pull * std::log10(1.0 + std::max(0.0f, geo_.pop[c])) / p_.urban_pull_scale;
  derive_protest_region();
}

// The protest region (protests.hpp): Khyber Pakhtunkhwa's cells (merged tribal districts
// included) where the TTP's presence is at least protests.min_presence.
void World::derive_protest_region() {
  geo_.protest_region.assign(map_->grid.cells(), 0);
  for (std::int32_t c : geo_.pk_cells) {
    const auto cc = static_cast<std::size_t>(c);
    geo_.protest_region[cc] =
        geo_.is_kp(cc) && geo_.insurgency->presence_ttp[cc] >= p_.protests.min_presence ? 1 : 0;
  }
}

// Police forces and regions by province name (merged FATA counts as KP).
void World::derive_police_forces() {
  const auto& provinces = map_->provinces;
  geo_.province_force.assign(provinces.size(), -1);
  geo_.province_kp.assign(provinces.size(), 0);
  geo_.province_baloch.assign(provinces.size(), 0);
  for (std::size_t i = 0; i < provinces.size(); ++i) {
    if (provinces[i].country != kPakistan) continue;
    const std::string n = lower(provinces[i].name);
    int force = kForceOther;
    if (has(n, "khyber") || has(n, "tribal") || has(n, "fata") || has(n, "f.a.t.a") ||
        has(n, "n.w.f.p"))
      force = kForceKP;
    else if (has(n, "baloch") || has(n, "baluch"))
      force = kForceBalochistan;
    else if (has(n, "sindh"))
      force = kForceSindh;
    else if (has(n, "punjab"))
      force = kForcePunjab;
    else if (has(n, "islamabad") || has(n, "capital"))
      force = kForceIslamabad;
    geo_.province_force[i] = static_cast<std::int8_t>(force);
  }
  for (std::size_t i = 0; i < provinces.size(); ++i) {
    const int m = provinces[i].merged_into;
    if (m >= 0 && m < static_cast<int>(provinces.size()) &&
        geo_.province_force[static_cast<std::size_t>(m)] == kForceKP)
      geo_.province_force[i] = kForceKP;
    geo_.province_kp[i] = geo_.province_force[i] == kForceKP;
    geo_.province_baloch[i] = geo_.province_force[i] == kForceBalochistan;
  }
}

// Rest levels of grievance and support.
void World::derive_rest_and_destinations() {
  const sim::Grid& g = map_->grid;
  const std::size_t n = g.cells();
  const auto bkm = [&](std::size_t c) {
    return std::isnan(geo_.border_km[c]) ? kNoBorderKm : static_cast<double>(geo_.border_km[c]);
  };
  fields_.g_rest.assign(n, 0.0f);
  fields_.s_rest.assign(n, 0.0f);
  double pop_sum = 0, g_sum = 0, s_sum = 0;
  for (std::size_t c = 0; c < n; ++c) {
    if (!geo_.in_model_area(c)) continue;
    const double near = std::exp(-std::abs(bkm(c)) / p_.border_scale_km);
    fields_.g_rest[c] =
        static_cast<float>(std::min(1.0, p_.grievance_base + p_.grievance_border * near));
    fields_.s_rest[c] =
        static_cast<float>(std::min(1.0, p_.support_base + p_.support_border * near));
    if (geo_.country[c] != kPakistan) continue;
    geo_.pk_cells.push_back(static_cast<std::int32_t>(c));
    const double pop = std::max(0.0f, geo_.pop[c]);
    pop_sum += pop, g_sum += pop * fields_.g_rest[c], s_sum += pop * fields_.s_rest[c];
  }
  geo_.pop_pk = pop_sum;
  fields_.g_rest_pop_mean = pop_sum > 0 ? g_sum / pop_sum : 0;
  fields_.s_rest_pop_mean = pop_sum > 0 ? s_sum / pop_sum : 0;
  derive_destinations();
}

// Where missions go (destinations.hpp): a weight per Pakistani cell from the
// group's presence (/map/presence_ttp, /map/presence_baloch), what there is to
// attack (/map/targets and the people) and the travel time from the Durand
// Line (/map/access_border_hours); area counts for nothing. Resident TTP cells
// keep to the TTP cells of KP within militants.home_zone_km of the border; the
// far missions go to the biggest cities (a place's own population,
// /map/place_info). Cumulative weights, for pick_weighted.
void World::derive_destinations() {
  const sim::Grid& g = map_->grid;
  const std::size_t n = g.cells();
  std::vector<std::uint8_t> pakistan(n, 0);
  for (std::int32_t c : geo_.pk_cells) pakistan[static_cast<std::size_t>(c)] = 1;
  const auto& pop = g.layer<float>("population").values;
  const auto ttp = destinations::cell_weights(p_.destinations, *geo_.insurgency,
                                              geo_.insurgency->presence_ttp, pop, pakistan);
  const auto bal = destinations::cell_weights(p_.destinations, *geo_.insurgency,
                                              geo_.insurgency->presence_baloch, pop, pakistan);
  for (std::int32_t c : geo_.pk_cells) {
    const auto ci = static_cast<std::size_t>(c);
    const double b = std::isnan(geo_.border_km[ci]) ? kNoBorderKm : geo_.border_km[ci];
    if (ttp[ci] > 0) {
      geo_.dest_ttp.push_back(c), geo_.dest_ttp_w.push_back(ttp[ci]);
      if (geo_.is_kp(ci) && b <= p_.home_zone_km)
        geo_.dest_home.push_back(c), geo_.dest_home_w.push_back(ttp[ci]);
    }
    if (bal[ci] > 0) geo_.dest_baloch.push_back(c), geo_.dest_baloch_w.push_back(bal[ci]);
  }
  if (geo_.insurgency->place_population.size() != map_->places.size())
    throw sim::InputError(fmt::format("{}:/map/place_info: error: {} rows, /map/places has {}",
                                      map_->path, geo_.insurgency->place_population.size(),
                                      map_->places.size()));
  for (std::size_t k = 0; k < map_->places.size(); ++k) {
    const auto& place = map_->places[k];
    const auto own = static_cast<double>(geo_.insurgency->place_population[k]);
    if (place.country != kPakistan || own < p_.far_city_population) continue;
    geo_.dest_far.push_back(static_cast<std::int32_t>(map_->grid.index(place.ix, place.iy)));
    geo_.dest_far_w.push_back(own);
  }
  if (geo_.dest_ttp.empty() || geo_.dest_home.empty())
    throw sim::InputError(fmt::format(
        "{}: error: /map/presence_ttp gives the TTP no presence near the Afghan border in KP",
        map_->path));
  if (geo_.dest_baloch.empty())
    geo_.dest_baloch = geo_.dest_ttp, geo_.dest_baloch_w = geo_.dest_ttp_w;
  if (geo_.dest_far.empty()) geo_.dest_far = geo_.dest_ttp, geo_.dest_far_w = geo_.dest_ttp_w;
  for (auto* w : {&geo_.dest_ttp_w, &geo_.dest_home_w, &geo_.dest_baloch_w, &geo_.dest_far_w})
    cumulate(*w);
}

// Afghan cells by depth, cells near a crossing point, post and heat tiles.
void World::derive_border_cells() {
  const sim::Grid& g = map_->grid;
  const std::size_t n = g.cells();
  for (std::size_t c = 0; c < n; ++c)
    if (geo_.country[c] == kAfghanistan && !std::isnan(geo_.border_km[c]))
      geo_.af_deep.push_back(static_cast<std::int32_t>(c));
  std::stable_sort(geo_.af_deep.begin(), geo_.af_deep.end(), [&](std::int32_t a, std::int32_t b) {
    return geo_.border_km[a] < geo_.border_km[b];
  });
  if (geo_.af_deep.empty())
    throw sim::InputError(fmt::format("{}: error: the map has no Afghan cells", map_->path));

  // Cells within crossing_point_radius_km of a crossing point.
  geo_.near_crossing.assign(n, 0);
  const int rx = static_cast<int>(p_.crossing_point_radius_km / geo_.km_x),
            ry = static_cast<int>(p_.crossing_point_radius_km / geo_.km_y);
  for (const auto& x : map_->crossings)
    for (int y = std::max(0, x.iy - ry); y <= std::min(geo_.ny - 1, x.iy + ry); ++y)
      for (int xx = std::max(0, x.ix - rx); xx <= std::min(geo_.nx - 1, x.ix + rx); ++xx)
        geo_.near_crossing[g.index(xx, y)] = 1;

  geo_.tile = static_cast<int>(p_.post_tile_cells);
  geo_.tiles_x = (geo_.nx + geo_.tile - 1) / geo_.tile;
  geo_.tiles_y = (geo_.ny + geo_.tile - 1) / geo_.tile;
}

// The state sized from the geography: every run's own (derive_geography's tables are shared).
void World::size_state() {
  const std::size_t n = map_->grid.cells();
  fields_.g_dev.assign(n, 0.0);
  fields_.f_dev.assign(n, 0.0);
  fields_.o_dev.assign(n, 0.0);
  posts_.by_tile.assign(static_cast<std::size_t>(geo_.tiles_x * geo_.tiles_y), {});
  fields_.heat.assign(static_cast<std::size_t>(geo_.tiles_x * geo_.tiles_y), 0.0f);
  day_.by_province.assign(map_->provinces.size(), 0);
  day_.by_district.assign(geo_.insurgency->district_names.size(), 0);
  day_.attack_killed_by_province.assign(map_->provinces.size(), 0);
}

void World::place_posts() {
  // One post per people_per_post residents, placed cell by cell; officers of a
  // force shared evenly among its posts; a headquarters in every big city.
  std::array<std::int64_t, kForces> posts_per_force{};
  std::vector<std::pair<std::int32_t, int>> planned;  // cell, force
  for (std::int32_t c : geo_.pk_cells) {
    const int prov = geo_.province[c];
    if (prov < 0) continue;
    const int force = geo_.province_force[static_cast<std::size_t>(prov)];
    const double expected = std::max(0.0f, geo_.pop[c]) / p_.people_per_post;
    sim::RandomDraws draws(seed_, Stream::kSetupPosts, 0, static_cast<std::uint64_t>(c));
    auto n = static_cast<int>(expected);
    if (draws.bernoulli(expected - n)) ++n;
    for (int k = 0; k < n; ++k)
      planned.emplace_back(c, force), ++posts_per_force[static_cast<std::size_t>(force)];
  }
  for (const auto& [c, force] : planned) {
    const std::size_t row = posts_.spawn();
    const double officers = p_.officers[static_cast<std::size_t>(force)] /
                            static_cast<double>(posts_per_force[static_cast<std::size_t>(force)]);
    posts_[posts_.cell][row] = c;
    posts_[posts_.force][row] = force;
    posts_[posts_.officers][row] = static_cast<std::int32_t>(std::lround(officers));
    posts_[posts_.present][row] = post_present(row);
    posts_[posts_.hardness][row] = p_.post_hardness;
  }
  // Headquarters (police lines, CTD) where /map/place_info flags one: every
  // district seat and the provincial capitals (not a district's population
  // read as a city's).
  for (std::size_t k = 0; k < map_->places.size(); ++k) {
    const auto& place = map_->places[k];
    const int level = geo_.insurgency->place_police_hq[k];
    if (place.country != kPakistan || level == 0) continue;
    const double officers =
        level == kProvincialPoliceHqLevel ? p_.hq_officers : p_.district_hq_officers;
    const std::size_t c = map_->grid.index(place.ix, place.iy);
    if (geo_.country[c] != kPakistan || geo_.province[c] < 0) continue;
    const std::size_t row = posts_.spawn();
    posts_[posts_.cell][row] = static_cast<std::int32_t>(c);
    posts_[posts_.force][row] = geo_.province_force[static_cast<std::size_t>(geo_.province[c])];
    posts_[posts_.officers][row] = static_cast<std::int32_t>(std::lround(officers));
    posts_[posts_.hardness][row] = p_.hq_hardness;
    posts_[posts_.hq][row] = 1;
    posts_[posts_.present][row] = post_present(row);
    posts_.hq_rows.push_back(static_cast<std::int32_t>(row));
  }
  // The establishment: what each post was given; losses are reinforced back towards it.
  const auto officers = posts_[posts_.officers];
  posts_.establishment.assign(officers.begin(), officers.end());
  for (std::size_t i = 0; i < posts_.size(); ++i) {
    const std::size_t c = static_cast<std::size_t>(posts_[posts_.cell][i]);
    const int t = (static_cast<int>(c) / geo_.nx / geo_.tile) * geo_.tiles_x +
                  (static_cast<int>(c) % geo_.nx) / geo_.tile;
    posts_.by_tile[static_cast<std::size_t>(t)].push_back(static_cast<std::int32_t>(i));
  }
}

void World::place_sanctuaries() {
  std::vector<std::int32_t> cand;
  std::vector<double> w;
  for (std::int32_t c : geo_.af_deep) {
    const double b = geo_.border_km[c];
    if (b <= -p_.sanctuary_min_km && b >= -p_.sanctuary_max_km)
      cand.push_back(c), w.push_back(1.0 + geo_.rugged[c] / p_.ruggedness_ref_m);
  }
  if (cand.empty())
    cand.assign(geo_.af_deep.end() -
                    std::min<std::ptrdiff_t>(kFallbackSanctuaryCells,
                                             static_cast<std::ptrdiff_t>(geo_.af_deep.size())),
                geo_.af_deep.end()),
        w.assign(cand.size(), 1.0);
  cumulate(w);
  const auto n = static_cast<int>(p_.sanctuaries);
  for (int k = 0; k < n; ++k) {
    sim::RandomDraws draws(seed_, Stream::kSetupSanctuaries, 0, static_cast<std::uint64_t>(k));
    const std::size_t row = sanctuaries_.spawn();
    sanctuaries_[sanctuaries_.cell][row] = static_cast<std::int32_t>(pick_weighted(draws, cand, w));
  }
}

std::size_t World::spawn_cell(int faction, std::size_t cell, int fighters, double arms,
                              CellState state, int sanctuary) {
  const std::size_t row = cells_.spawn();
  cells_[cells_.faction][row] = faction;
  cells_[cells_.cell][row] = static_cast<std::int32_t>(cell);
  cells_[cells_.fighters][row] = fighters;
  cells_[cells_.arms][row] = arms;
  cells_[cells_.state][row] = state;
  cells_[cells_.sanctuary][row] = sanctuary;
  cells_[cells_.morale][row] = p_.new_cell_morale;
  cells_[cells_.exposure][row] = state == kInSanctuary ? 0.0 : p_.new_cell_exposure;
  ++counts_.cells_spawned;
  return row;
}

void World::place_cells() {
  const double shares = p_.ttp_faction_share[0] + p_.ttp_faction_share[1] + p_.ttp_faction_share[2];
  std::uint64_t k = 0;
  auto ttp_faction = [&](sim::RandomDraws& d) {
    const double u = d.uniform() * shares;
    return u < p_.ttp_faction_share[0]                             ? kMehsud
           : u < p_.ttp_faction_share[0] + p_.ttp_faction_share[1] ? kMohmand
                                                                   : kOtherTtp;
  };
  auto split = [&](double total, auto&& make) {
    const auto size = static_cast<int>(p_.cell_size);
    auto left = static_cast<std::int64_t>(std::llround(total));
    while (left > 0) {
      const int f = static_cast<int>(std::min<std::int64_t>(left, size));
      sim::RandomDraws d(seed_, Stream::kSetupCells, 0, k++);
      make(d, f);
      left -= f;
    }
  };
  const auto ns = static_cast<std::uint32_t>(sanctuaries_.size());
  // Start near the cycle's balance: a cell is away on a mission with the share
  // of time a cycle spends there (mission over mission plus wait in sanctuary).
  const double wait = 1.0 / std::max(kTinyRate, p_.infiltrate_rate * p_.tolerance_republic);
  const double away = p_.mission_days / (p_.mission_days + wait);
  split(p_.sanctuary_fighters, [&](sim::RandomDraws& d, int f) {
    const auto s = static_cast<int>(d.below(ns));
    if (d.bernoulli(away)) {
      const std::size_t row =
          spawn_cell(ttp_faction(d), pick_weighted(d, geo_.dest_ttp, geo_.dest_ttp_w), f,
                     p_.initial_arms, kOperating, s);
      cells_[cells_.timer][row] =
          1 + static_cast<std::int32_t>(
                  d.below(static_cast<std::uint32_t>(std::max(1.0, 2.0 * p_.mission_days))));
      cells_[cells_.dest][row] = cells_[cells_.cell][row];
    } else {
      spawn_cell(ttp_faction(d), sanctuary_cell(s), f, p_.initial_arms, kInSanctuary, s);
    }
  });
  split(p_.pakistan_fighters, [&](sim::RandomDraws& d, int f) {
    const int faction = ttp_faction(d);
    spawn_cell(faction, pick_weighted(d, geo_.dest_home, geo_.dest_home_w), f, p_.initial_arms,
               kLocal, -1);
  });
  split(p_.baloch_fighters, [&](sim::RandomDraws& d, int f) {
    spawn_cell(kBaloch, pick_weighted(d, geo_.dest_baloch, geo_.dest_baloch_w), f, p_.initial_arms,
               kLocal, -1);
  });
}

void World::place_army() {
  std::vector<std::int32_t> kp, bal;
  std::vector<double> kpw, balw;
  for (std::int32_t c : geo_.pk_cells) {
    const int prov = geo_.province[c];
    if (prov < 0 || std::isnan(geo_.border_km[c]) || geo_.border_km[c] > p_.base_within_km)
      continue;
    const double w = std::sqrt(std::max(0.0f, geo_.pop[c]) + p_.base_pop_offset);
    if (geo_.province_kp[static_cast<std::size_t>(prov)]) kp.push_back(c), kpw.push_back(w);
    if (geo_.province_baloch[static_cast<std::size_t>(prov)]) bal.push_back(c), balw.push_back(w);
  }
  if (kp.empty())
    kp = geo_.dest_home, kpw = geo_.dest_home_w;
  else
    cumulate(kpw);
  if (bal.empty())
    bal = kp, balw = kpw;
  else
    cumulate(balw);
  const auto n = static_cast<int>(p_.army_units);
  const auto n_kp = static_cast<int>(std::lround(n * p_.army_kp_share));
  for (int u = 0; u < n; ++u) {
    sim::RandomDraws d(seed_, Stream::kSetupArmy, 0, static_cast<std::uint64_t>(u));
    const bool in_kp = u < n_kp;
    const std::size_t c = in_kp ? pick_weighted(d, kp, kpw) : pick_weighted(d, bal, balw);
    const std::size_t row = army_.spawn();
    army_[army_.cell][row] = static_cast<std::int32_t>(c);
    army_[army_.base][row] = static_cast<std::int32_t>(c);
    army_[army_.strength][row] = static_cast<std::int32_t>(p_.unit_strength);
    army_[army_.region][row] = in_kp ? 0 : 1;
  }
}

std::size_t World::pick_weighted(sim::RandomDraws& draws, const std::vector<std::int32_t>& cells,
                                 const std::vector<double>& cumulative) {
  const double u = draws.uniform() * cumulative.back();
  const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
  const auto i =
      std::min<std::size_t>(static_cast<std::size_t>(it - cumulative.begin()), cells.size() - 1);
  return static_cast<std::size_t>(cells[i]);
}

}  // namespace borderland::ttp
