// The set-up a process's runs share (models/ttp/shared_geography.hpp): a run gets the tables of
// its own parameters, whatever ran before it in the process (a sweep varying them).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <variant>

#include "models/ttp/shared_geography.hpp"
#include "ttp_helpers.hpp"

namespace borderland::ttp {

namespace {

// Every parameter geography_inputs lists, by key path.
const std::vector<std::string> kGeographyKeys{
    "movement.ruggedness_ref",
    "movement.urban_pull",
    "movement.urban_pull_scale",
    "protests.min_presence",
    "population.border_scale_km",
    "population.grievance_base",
    "population.grievance_border",
    "population.support_base",
    "population.support_border",
    "militants.home_zone_km",
    "cycle.far_city_population",
    "destinations.people_per_point",
    "destinations.access_scale_hours",
    "border.crossing_point_radius_km",
    "attacks.post_tile_cells",
    "destinations.presence_none",
    "destinations.presence_occasional",
    "destinations.presence_sustained",
    "destinations.presence_base",
    "destinations.value_police_station",
    "destinations.value_police_lines",
    "destinations.value_district_police_hq",
    "destinations.value_provincial_police_hq",
    "destinations.value_fc_post",
    "destinations.value_cantonment",
    "destinations.value_ctd_office",
    "destinations.value_prison",
};

// A season: the tables shape the first day already (posts, cells, destinations).
testing::Series short_run(const std::vector<std::string>& overrides) {
  return testing::run(testing::scenario_from_text("2020-01-01", "2020-03-31", "", overrides));
}

// Equal values, NaN (a target outside the run's dates) equal to NaN.
bool same(const std::map<std::string, double>& a, const std::map<std::string, double>& b) {
  if (a.size() != b.size()) return false;
  for (const auto& [name, value] : a) {
    const auto it = b.find(name);
    if (it == b.end() || !(value == it->second || (std::isnan(value) && std::isnan(it->second))))
      return false;
  }
  return true;
}

double number(const sim::ParamValue& v) {
  return std::holds_alternative<double>(v) ? std::get<double>(v)
                                           : static_cast<double>(std::get<std::int64_t>(v));
}

}  // namespace

TEST(TtpSharedGeography, ARunGetsTheTablesOfItsOwnParameters) {
  const sim::ModelSpec& spec = testing::model().spec();
  forget_geographies();
  const testing::Series defaults = short_run({});
  int changes_the_run = 0;
  for (const std::string& key : kGeographyKeys) {
    const sim::ParamSpec* p = spec.find_parameter(key);
    ASSERT_NE(p, nullptr) << key;
    const double def = number(p->default_value);
    double other = def < p->max ? (def + std::min(p->max, 2 * def + 1)) / 2 : (def + p->min) / 2;
    if (p->type == sim::ParamType::kInteger) other = def < p->max ? def + 1 : def - 1;
    const std::vector<std::string> changed{fmt::format("parameters.{}={}", key, other)};
    forget_geographies();
    const testing::Series alone = short_run(changed);  // as a process's only run
    forget_geographies();
    short_run({});  // the defaults' tables kept first, as in a sweep
    const testing::Series after = short_run(changed);
    EXPECT_EQ(alone.values, after.values) << key << " = " << other;
    EXPECT_TRUE(same(alone.summary, after.summary)) << key << " = " << other;
    if (alone.values != defaults.values)
      ++changes_the_run;
    else
      std::cout << key << " does not change the first season\n";
  }
  // Most of them change the first season (the rest only later or elsewhere): the test has teeth.
  EXPECT_GE(changes_the_run, static_cast<int>(kGeographyKeys.size()) - 3);
  std::cout << changes_the_run << " of " << kGeographyKeys.size()
            << " parameters change the first season\n";
}

TEST(TtpSharedGeography, RunsWithTheSameParametersShareOneTable) {
  forget_geographies();
  const testing::Series first = short_run({});
  const auto map = load_afpak_map_cached(testing::source("scenarios/maps/afpak_0p05.h5"));
  const sim::Scenario s = testing::scenario_from_text("2020-01-01", "2020-03-31", "");
  const std::vector<double> inputs = geography_inputs(Parameters::from(s.parameters));
  const auto kept = find_geography(map.get(), inputs);
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(short_run({}).values, first.values);
  EXPECT_EQ(find_geography(map.get(), inputs), kept);  // the same table, not derived again
}

}  // namespace borderland::ttp
