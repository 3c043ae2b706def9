// Destinations from presence, targets and access, on the
// committed map: the weight falls where the trackers place the attacks, not
// where the area is; and each term moves the weight in its direction.
#include "models/ttp/destinations.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "models/ttp/afpak_map.hpp"
#include "models/ttp/insurgency_map.hpp"
#include "models/ttp/map_schema.hpp"
#include "sim/error.hpp"

namespace borderland::ttp {

namespace {

const std::string kMap = std::string(BORDERLAND_SOURCE_DIR) + "/scenarios/maps/afpak_0p05.h5";

destinations::Parameters defaults() {
  sim::ParamValues v;
  for (const auto& s : destinations::parameter_specs()) v.set(s.key, s.default_value);
  return destinations::Parameters::from(v);
}

struct Fixture {
  std::shared_ptr<const AfPakMap> asset = load_afpak_map_cached(kMap);
  InsurgencyMap map = load_insurgency_map(kMap);
  std::vector<std::uint8_t> pakistan;
  Fixture() {
    const auto& country = asset->grid.layer<std::int32_t>("country").values;
    pakistan.resize(country.size());
    for (std::size_t c = 0; c < country.size(); ++c) pakistan[c] = country[c] == kPakistan;
  }
  const std::vector<float>& population() const {
    return asset->grid.layer<float>("population").values;
  }
  std::vector<double> ttp_weights(const destinations::Parameters& p) const {
    return destinations::cell_weights(p, map, map.presence_ttp, population(), pakistan);
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

}  // namespace

TEST(TtpDestinations, MapLayersLoad) {
  const auto& m = fixture().map;
  EXPECT_EQ(m.presence_ttp.size(), static_cast<std::size_t>(m.nx) * static_cast<std::size_t>(m.ny));
  EXPECT_GT(m.targets.size(), 2000u) << "police stations, lines, headquarters, posts";
  EXPECT_GT(m.district_names.size(), 100u) << "the 2017 census districts";
  EXPECT_THROW(load_insurgency_map(std::string(BORDERLAND_SOURCE_DIR) + "/no/such/map.h5"),
               sim::Error);
}

TEST(TtpDestinations, WeightFallsWhereTheTrackersPlaceTheAttacks) {
  const auto& f = fixture();
  const auto w = f.ttp_weights(defaults());
  const auto& province = f.asset->grid.layer<std::int32_t>("province").values;
  std::set<std::int32_t> gb_ajk;
  for (const auto& pr : f.asset->provinces)
    if (pr.hasc == "PK.NA" || pr.hasc == "PK.JK") gb_ajk.insert(pr.id);
  ASSERT_EQ(gb_ajk.size(), 2u);
  double total = 0, north_east = 0;
  std::vector<double> by_district(f.map.district_names.size(), 0.0);
  for (std::size_t c = 0; c < w.size(); ++c) {
    total += w[c];
    if (gb_ajk.count(province[c])) north_east += w[c];
    if (f.map.district[c] >= 0) by_district[static_cast<std::size_t>(f.map.district[c])] += w[c];
  }
  ASSERT_GT(total, 0);
  EXPECT_LT(north_east / total, 0.02) << "Gilgit-Baltistan and AJK together";
  // The ten districts that draw most: southern KP, the tribal districts,
  // Peshawar and its neighbours, Malakand, and Quetta's Pashtun belt
  // (PICSS 2021-23; the presence sources of /map/presence).
  const std::set<std::string> expected{"Bannu",
                                       "Lakki Marwat",
                                       "Dera Ismail Khan",
                                       "Tank",
                                       "Karak",
                                       "Kohat",
                                       "Hangu",
                                       "North Waziristan Agency",
                                       "South Waziristan Agency",
                                       "Khyber Agency",
                                       "Bajaur Agency",
                                       "Mohmand Agency",
                                       "Kurram Agency",
                                       "Orakzai Agency",
                                       "Fr Bannu",
                                       "Fr DI Khan",
                                       "Fr Kohat",
                                       "Fr Lakki Marwat",
                                       "Fr Peshawar",
                                       "Fr Tank",
                                       "Peshawar",
                                       "Charsadda",
                                       "Nowshera",
                                       "Mardan",
                                       "Swabi",
                                       "Swat",
                                       "Lower Dir",
                                       "Upper Dir",
                                       "Malakand Protected Area",
                                       "Quetta",
                                       "Pishin",
                                       "Killa Abdullah",
                                       "Zhob",
                                       "Killa Saifullah",
                                       "Sherani",
                                       "Loralai",
                                       "Mastung"};
  std::vector<std::size_t> order(by_district.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return by_district[a] > by_district[b]; });
  double top = 0;
  for (std::size_t r = 0; r < 10; ++r) {
    const std::string& name = f.map.district_names[order[r]];
    EXPECT_TRUE(expected.count(name)) << name << " is ranked " << r + 1;
    top += by_district[order[r]];
  }
  EXPECT_GT(top / total, 0.5) << "the attacks concentrate";
  // Chitral, large and on the border, is not a major destination.
  const auto chitral =
      std::find(f.map.district_names.begin(), f.map.district_names.end(), "Chitral");
  ASSERT_NE(chitral, f.map.district_names.end());
  EXPECT_LT(by_district[static_cast<std::size_t>(chitral - f.map.district_names.begin())] / total,
            0.01);
}

TEST(TtpDestinations, EachTermMovesTheWeightItsWay) {
  const auto p = defaults();
  InsurgencyMap m;
  m.nx = 3, m.ny = 1;
  m.access_border_hours = {2, 2, 20};
  m.targets = {{kPoliceStation, 0, -1}, {kPoliceStation, 1, -1}, {kPoliceStation, 2, -1}};
  const std::vector<float> people{0, 0, 0};
  const std::vector<std::uint8_t> all{1, 1, 1};
  // Presence: a base area draws more than a sustained one.
  auto w = destinations::cell_weights(p, m, {3, 2, 2}, people, all);
  EXPECT_GT(w[0], w[1]);
  // Access: farther from the Durand Line, less weight.
  EXPECT_GT(w[1], w[2]);
  // Targets: more to attack, more weight.
  m.targets.push_back({kPoliceLines, 1, -1});
  w = destinations::cell_weights(p, m, {2, 2, 2}, people, all);
  EXPECT_GT(w[1], w[0]);
  // No presence, or outside Pakistan: nothing, whatever the targets.
  w = destinations::cell_weights(p, m, {0, 2, 2}, people, {1, 0, 1});
  EXPECT_EQ(w[0], 0);
  EXPECT_EQ(w[1], 0);
  EXPECT_GT(w[2], 0);
  // Draws follow the weights.
  const auto t = destinations::table({1, 0, 3});
  ASSERT_EQ(t.cells.size(), 2u);
  int third = 0;
  for (int i = 0; i < 4000; ++i) {
    sim::RandomDraws d(9, 1, 0, static_cast<std::uint64_t>(i));
    third += t.pick(d) == 2 ? 1 : 0;
  }
  EXPECT_NEAR(third / 4000.0, 0.75, 0.03);
}

}  // namespace borderland::ttp

namespace borderland::ttp {

// The headquarters and big cities the model builds (setup.cpp) come from a place's own population
// and its police_hq flag (/map/place_info), never from its district's population: Battagram,
// Muzaffarabad and Kotli carry their district's total in /map/places (700,000; 725,000; 640,000)
// and are no big cities; Peshawar and Quetta hold a provincial headquarters.
TEST(TtpDestinations, HeadquartersAndCitiesFromThePlacesOwnFigures) {
  const auto asset = load_afpak_map_cached(kMap);
  const auto m = load_insurgency_map_cached(kMap);
  ASSERT_EQ(m->place_population.size(), asset->places.size());
  const auto row = [&](const std::string& name) {
    for (std::size_t k = 0; k < asset->places.size(); ++k)
      if (asset->places[k].name == name) return k;
    return asset->places.size();
  };
  for (const char* name : {"Battagram", "Kotli"}) {
    const std::size_t k = row(name);
    ASSERT_LT(k, asset->places.size()) << name;
    EXPECT_GT(asset->places[k].population, 400000) << name << ": the district's total";
    EXPECT_LT(m->place_population[k], 200000) << name << ": the town itself";
    EXPECT_NE(m->place_police_hq[k], kProvincialPoliceHqLevel) << name;
  }
  for (const char* name : {"Peshawar", "Quetta", "Karachi"}) {
    const std::size_t k = row(name);
    ASSERT_LT(k, asset->places.size()) << name;
    EXPECT_EQ(m->place_police_hq[k], kProvincialPoliceHqLevel) << name;
  }
}

}  // namespace borderland::ttp
