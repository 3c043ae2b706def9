// Building a run: geography derived from the map, then posts, sanctuaries,
// militant cells and army units placed with seeded draws.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numbers>

#include "models/ttp/destinations.hpp"
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
  insurgency_ = load_insurgency_map_cached(map_->path);
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

  c_faction_ = cells_.add_column<std::int32_t>("faction");
  c_cell_ = cells_.add_column<std::int32_t>("cell");
  c_fighters_ = cells_.add_column<std::int32_t>("fighters");
  c_dest_ = cells_.add_column<std::int32_t>("destination", -1);
  c_sanctuary_ = cells_.add_column<std::int32_t>("sanctuary", -1);
  c_timer_ = cells_.add_column<std::int32_t>("timer", 0);
  c_stuck_ = cells_.add_column<std::int32_t>("stuck", 0);
  c_arms_ = cells_.add_column<double>("arms");
  c_morale_ = cells_.add_column<double>("morale", 1.0);
  c_exposure_ = cells_.add_column<double>("exposure", 0.0);
  c_state_ = cells_.add_column<std::uint8_t>("state", kInSanctuary);

  q_cell_ = posts_.add_column<std::int32_t>("cell");
  q_force_ = posts_.add_column<std::int32_t>("force");
  q_officers_ = posts_.add_column<std::int32_t>("officers");
  q_present_ = posts_.add_column<std::int32_t>("present");
  q_alert_step_ = posts_.add_column<std::int32_t>("alert_step", 0);
  q_hq_ = posts_.add_column<std::uint8_t>("headquarters", 0);
  q_hardness_ = posts_.add_column<double>("hardness");
  q_alert_ = posts_.add_column<double>("alertness", 0.0);

  a_cell_ = army_.add_column<std::int32_t>("cell");
  a_base_ = army_.add_column<std::int32_t>("base");
  a_strength_ = army_.add_column<std::int32_t>("strength");
  a_region_ = army_.add_column<std::int32_t>("region");
  a_target_ = army_.add_column<std::int32_t>("target", -1);
  a_mission_ = army_.add_column<std::uint8_t>("mission", 0);

  s_cell_ = sanctuaries_.add_column<std::int32_t>("cell");

  derive_geography();
  place_posts();
  place_sanctuaries();
  place_cells();
  place_army();
  build_schema();
  build_schedule();

  host_tolerance_ = p_.tolerance_republic;
  tension_ = p_.tension_base;
  arms_available_ = p_.initial_arms;
  totals_.start = start_;
  score_from_ = std::max(0, start_.days_until(p_.metrics_from));
  ledger_.initial = fighters_total();
  fighters_pk_cache_ = fighters_in(true);
}

void World::derive_geography() {
  const sim::Grid& g = map_->grid;
  nx_ = g.nx();
  ny_ = g.ny();
  const double lat_mid = g.geo().lat0 + ny_ / 2.0 * g.geo().dlat;
  km_y_ = g.geo().dlat * kKmPerDegreeLat;
  km_x_ = g.geo().dlon * kKmPerDegreeLonAtEquator *
          std::cos(lat_mid * std::numbers::pi / kDegreesPerHalfTurn);
  country_ = g.layer<std::int32_t>("country").values.data();
  province_ = g.layer<std::int32_t>("province").values.data();
  urban_ = g.layer<std::int32_t>("urban").values.data();
  nearest_place_ = g.layer<std::int32_t>("nearest_place").values.data();
  rugged_ = g.layer<float>("ruggedness").values.data();
  pop_ = g.layer<float>("population").values.data();
  border_km_ = g.layer<float>("border_distance").values.data();

  derive_police_forces();
  derive_regions();
  derive_rest_and_destinations();
  derive_border_cells();

  // The fixed part of a step's cost into each cell (World::next_step): ruggedness slows,
  // population (roads, towns) attracts. Computed once: it is most of a walk's arithmetic.
  step_cost_.resize(g.cells());
  for (std::size_t c = 0; c < g.cells(); ++c)
    step_cost_[c] = rugged_[c] / p_.ruggedness_ref_m -
                    p_.urban_pull * std::log10(1.0 + std::max(0.0f, pop_[c])) / p_.urban_pull_scale;
  derive_protest_region();
}

// The protest region (protests.hpp): Khyber Pakhtunkhwa's cells (merged tribal districts
// included) where the TTP's presence is at least protests.min_presence.
void World::derive_protest_region() {
  protest_region_.assign(map_->grid.cells(), 0);
  for (std::int32_t c : pk_cells_) {
    const auto cc = static_cast<std::size_t>(c);
    protest_region_[cc] =
        is_kp(cc) && insurgency_->presence_ttp[cc] >= p_.protests.min_presence ? 1 : 0;
  }
}

// Police forces and regions by province name (merged FATA counts as KP).
void World::derive_police_forces() {
  const auto& provinces = map_->provinces;
  province_force_.assign(provinces.size(), -1);
  province_kp_.assign(provinces.size(), 0);
  province_baloch_.assign(provinces.size(), 0);
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
    province_force_[i] = static_cast<std::int8_t>(force);
  }
  for (std::size_t i = 0; i < provinces.size(); ++i) {
    const int m = provinces[i].merged_into;
    if (m >= 0 && m < static_cast<int>(provinces.size()) &&
        province_force_[static_cast<std::size_t>(m)] == kForceKP)
      province_force_[i] = kForceKP;
    province_kp_[i] = province_force_[i] == kForceKP;
    province_baloch_[i] = province_force_[i] == kForceBalochistan;
  }
}

// Rest levels of grievance and support.
void World::derive_rest_and_destinations() {
  const sim::Grid& g = map_->grid;
  const std::size_t n = g.cells();
  const auto bkm = [&](std::size_t c) {
    return std::isnan(border_km_[c]) ? kNoBorderKm : static_cast<double>(border_km_[c]);
  };
  g_rest_.assign(n, 0.0f);
  s_rest_.assign(n, 0.0f);
  g_dev_.assign(n, 0.0);
  f_dev_.assign(n, 0.0);
  o_dev_.assign(n, 0.0);
  double pop_sum = 0, g_sum = 0, s_sum = 0;
  for (std::size_t c = 0; c < n; ++c) {
    if (!in_model_area(c)) continue;
    const double near = std::exp(-std::abs(bkm(c)) / p_.border_scale_km);
    g_rest_[c] = static_cast<float>(std::min(1.0, p_.grievance_base + p_.grievance_border * near));
    s_rest_[c] = static_cast<float>(std::min(1.0, p_.support_base + p_.support_border * near));
    if (country_[c] != kPakistan) continue;
    pk_cells_.push_back(static_cast<std::int32_t>(c));
    const double pop = std::max(0.0f, pop_[c]);
    pop_sum += pop, g_sum += pop * g_rest_[c], s_sum += pop * s_rest_[c];
  }
  pop_pk_ = pop_sum;
  g_rest_pop_mean_ = pop_sum > 0 ? g_sum / pop_sum : 0;
  s_rest_pop_mean_ = pop_sum > 0 ? s_sum / pop_sum : 0;
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
  for (std::int32_t c : pk_cells_) pakistan[static_cast<std::size_t>(c)] = 1;
  const auto& pop = g.layer<float>("population").values;
  const auto ttp = destinations::cell_weights(p_.destinations, *insurgency_,
                                              insurgency_->presence_ttp, pop, pakistan);
  const auto bal = destinations::cell_weights(p_.destinations, *insurgency_,
                                              insurgency_->presence_baloch, pop, pakistan);
  for (std::int32_t c : pk_cells_) {
    const auto ci = static_cast<std::size_t>(c);
    const double b = std::isnan(border_km_[ci]) ? kNoBorderKm : border_km_[ci];
    if (ttp[ci] > 0) {
      dest_ttp_.push_back(c), dest_ttp_w_.push_back(ttp[ci]);
      if (is_kp(ci) && b <= p_.home_zone_km)
        dest_home_.push_back(c), dest_home_w_.push_back(ttp[ci]);
    }
    if (bal[ci] > 0) dest_baloch_.push_back(c), dest_baloch_w_.push_back(bal[ci]);
  }
  if (insurgency_->place_population.size() != map_->places.size())
    throw sim::InputError(fmt::format("{}:/map/place_info: error: {} rows, /map/places has {}",
                                      map_->path, insurgency_->place_population.size(),
                                      map_->places.size()));
  for (std::size_t k = 0; k < map_->places.size(); ++k) {
    const auto& place = map_->places[k];
    const auto own = static_cast<double>(insurgency_->place_population[k]);
    if (place.country != kPakistan || own < p_.far_city_population) continue;
    dest_far_.push_back(static_cast<std::int32_t>(map_->grid.index(place.ix, place.iy)));
    dest_far_w_.push_back(own);
  }
  if (dest_ttp_.empty() || dest_home_.empty())
    throw sim::InputError(fmt::format(
        "{}: error: /map/presence_ttp gives the TTP no presence near the Afghan border in KP",
        map_->path));
  if (dest_baloch_.empty()) dest_baloch_ = dest_ttp_, dest_baloch_w_ = dest_ttp_w_;
  if (dest_far_.empty()) dest_far_ = dest_ttp_, dest_far_w_ = dest_ttp_w_;
  for (auto* w : {&dest_ttp_w_, &dest_home_w_, &dest_baloch_w_, &dest_far_w_}) cumulate(*w);
}

// Afghan cells by depth, cells near a crossing point, post and heat tiles.
void World::derive_border_cells() {
  const sim::Grid& g = map_->grid;
  const std::size_t n = g.cells();
  for (std::size_t c = 0; c < n; ++c)
    if (country_[c] == kAfghanistan && !std::isnan(border_km_[c]))
      af_deep_.push_back(static_cast<std::int32_t>(c));
  std::stable_sort(af_deep_.begin(), af_deep_.end(),
                   [&](std::int32_t a, std::int32_t b) { return border_km_[a] < border_km_[b]; });
  if (af_deep_.empty())
    throw sim::InputError(fmt::format("{}: error: the map has no Afghan cells", map_->path));

  // Cells within crossing_point_radius_km of a crossing point.
  near_crossing_.assign(n, 0);
  const int rx = static_cast<int>(p_.crossing_point_radius_km / km_x_),
            ry = static_cast<int>(p_.crossing_point_radius_km / km_y_);
  for (const auto& x : map_->crossings)
    for (int y = std::max(0, x.iy - ry); y <= std::min(ny_ - 1, x.iy + ry); ++y)
      for (int xx = std::max(0, x.ix - rx); xx <= std::min(nx_ - 1, x.ix + rx); ++xx)
        near_crossing_[g.index(xx, y)] = 1;

  tile_ = static_cast<int>(p_.post_tile_cells);
  tiles_x_ = (nx_ + tile_ - 1) / tile_;
  tiles_y_ = (ny_ + tile_ - 1) / tile_;
  posts_by_tile_.assign(static_cast<std::size_t>(tiles_x_ * tiles_y_), {});
  heat_.assign(static_cast<std::size_t>(tiles_x_ * tiles_y_), 0.0f);
  day_.by_province.assign(map_->provinces.size(), 0);
  day_.by_district.assign(insurgency_->district_names.size(), 0);
  day_.attack_killed_by_province.assign(map_->provinces.size(), 0);
}

void World::place_posts() {
  // One post per people_per_post residents, placed cell by cell; officers of a
  // force shared evenly among its posts; a headquarters in every big city.
  std::array<std::int64_t, kForces> posts_per_force{};
  std::vector<std::pair<std::int32_t, int>> planned;  // cell, force
  for (std::int32_t c : pk_cells_) {
    const int prov = province_[c];
    if (prov < 0) continue;
    const int force = province_force_[static_cast<std::size_t>(prov)];
    const double expected = std::max(0.0f, pop_[c]) / p_.people_per_post;
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
    posts_[q_cell_][row] = c;
    posts_[q_force_][row] = force;
    posts_[q_officers_][row] = static_cast<std::int32_t>(std::lround(officers));
    posts_[q_present_][row] = post_present(row);
    posts_[q_hardness_][row] = p_.post_hardness;
  }
  // Headquarters (police lines, CTD) where /map/place_info flags one: every
  // district seat and the provincial capitals (not a district's population
  // read as a city's).
  for (std::size_t k = 0; k < map_->places.size(); ++k) {
    const auto& place = map_->places[k];
    const int level = insurgency_->place_police_hq[k];
    if (place.country != kPakistan || level == 0) continue;
    const double officers =
        level == kProvincialPoliceHqLevel ? p_.hq_officers : p_.district_hq_officers;
    const std::size_t c = map_->grid.index(place.ix, place.iy);
    if (country_[c] != kPakistan || province_[c] < 0) continue;
    const std::size_t row = posts_.spawn();
    posts_[q_cell_][row] = static_cast<std::int32_t>(c);
    posts_[q_force_][row] = province_force_[static_cast<std::size_t>(province_[c])];
    posts_[q_officers_][row] = static_cast<std::int32_t>(std::lround(officers));
    posts_[q_hardness_][row] = p_.hq_hardness;
    posts_[q_hq_][row] = 1;
    posts_[q_present_][row] = post_present(row);
    hq_posts_.push_back(static_cast<std::int32_t>(row));
  }
  // The establishment: what each post was given; losses are reinforced back towards it.
  const auto officers = posts_[q_officers_];
  post_establishment_.assign(officers.begin(), officers.end());
  for (std::size_t i = 0; i < posts_.size(); ++i) {
    const std::size_t c = static_cast<std::size_t>(posts_[q_cell_][i]);
    const int t =
        (static_cast<int>(c) / nx_ / tile_) * tiles_x_ + (static_cast<int>(c) % nx_) / tile_;
    posts_by_tile_[static_cast<std::size_t>(t)].push_back(static_cast<std::int32_t>(i));
  }
}

void World::place_sanctuaries() {
  std::vector<std::int32_t> cand;
  std::vector<double> w;
  for (std::int32_t c : af_deep_) {
    const double b = border_km_[c];
    if (b <= -p_.sanctuary_min_km && b >= -p_.sanctuary_max_km)
      cand.push_back(c), w.push_back(1.0 + rugged_[c] / p_.ruggedness_ref_m);
  }
  if (cand.empty())
    cand.assign(
        af_deep_.end() - std::min<std::ptrdiff_t>(kFallbackSanctuaryCells,
                                                  static_cast<std::ptrdiff_t>(af_deep_.size())),
        af_deep_.end()),
        w.assign(cand.size(), 1.0);
  cumulate(w);
  const auto n = static_cast<int>(p_.sanctuaries);
  for (int k = 0; k < n; ++k) {
    sim::RandomDraws draws(seed_, Stream::kSetupSanctuaries, 0, static_cast<std::uint64_t>(k));
    const std::size_t row = sanctuaries_.spawn();
    sanctuaries_[s_cell_][row] = static_cast<std::int32_t>(pick_weighted(draws, cand, w));
  }
}

std::size_t World::spawn_cell(int faction, std::size_t cell, int fighters, double arms,
                              CellState state, int sanctuary) {
  const std::size_t row = cells_.spawn();
  cells_[c_faction_][row] = faction;
  cells_[c_cell_][row] = static_cast<std::int32_t>(cell);
  cells_[c_fighters_][row] = fighters;
  cells_[c_arms_][row] = arms;
  cells_[c_state_][row] = state;
  cells_[c_sanctuary_][row] = sanctuary;
  cells_[c_morale_][row] = p_.new_cell_morale;
  cells_[c_exposure_][row] = state == kInSanctuary ? 0.0 : p_.new_cell_exposure;
  ++cells_spawned_;
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
      const std::size_t row = spawn_cell(ttp_faction(d), pick_weighted(d, dest_ttp_, dest_ttp_w_),
                                         f, p_.initial_arms, kOperating, s);
      cells_[c_timer_][row] =
          1 + static_cast<std::int32_t>(
                  d.below(static_cast<std::uint32_t>(std::max(1.0, 2.0 * p_.mission_days))));
      cells_[c_dest_][row] = cells_[c_cell_][row];
    } else {
      spawn_cell(ttp_faction(d), sanctuary_cell(s), f, p_.initial_arms, kInSanctuary, s);
    }
  });
  split(p_.pakistan_fighters, [&](sim::RandomDraws& d, int f) {
    const int faction = ttp_faction(d);
    spawn_cell(faction, pick_weighted(d, dest_home_, dest_home_w_), f, p_.initial_arms, kLocal, -1);
  });
  split(p_.baloch_fighters, [&](sim::RandomDraws& d, int f) {
    spawn_cell(kBaloch, pick_weighted(d, dest_baloch_, dest_baloch_w_), f, p_.initial_arms, kLocal,
               -1);
  });
}

void World::place_army() {
  std::vector<std::int32_t> kp, bal;
  std::vector<double> kpw, balw;
  for (std::int32_t c : pk_cells_) {
    const int prov = province_[c];
    if (prov < 0 || std::isnan(border_km_[c]) || border_km_[c] > p_.base_within_km) continue;
    const double w = std::sqrt(std::max(0.0f, pop_[c]) + p_.base_pop_offset);
    if (province_kp_[static_cast<std::size_t>(prov)]) kp.push_back(c), kpw.push_back(w);
    if (province_baloch_[static_cast<std::size_t>(prov)]) bal.push_back(c), balw.push_back(w);
  }
  if (kp.empty())
    kp = dest_home_, kpw = dest_home_w_;
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
    army_[a_cell_][row] = static_cast<std::int32_t>(c);
    army_[a_base_][row] = static_cast<std::int32_t>(c);
    army_[a_strength_][row] = static_cast<std::int32_t>(p_.unit_strength);
    army_[a_region_][row] = in_kp ? 0 : 1;
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
