// The Baloch insurgency as its own actor: its tempo, its
// recruitment from grievance, its targets, and where it attacks (the map's
// Baloch presence layer), all apart from the TTP's.
#include "models/ttp/baloch.hpp"

#include <gtest/gtest.h>

#include "models/ttp/afpak_map.hpp"
#include "models/ttp/destinations.hpp"
#include "models/ttp/map_schema.hpp"

namespace borderland::ttp {

namespace {
template <class P>
P defaults_of(const std::vector<sim::ParamSpec>& specs) {
  sim::ParamValues v;
  for (const auto& s : specs) v.set(s.key, s.default_value);
  return P::from(v);
}
const std::string kMap = std::string(BORDERLAND_SOURCE_DIR) + "/scenarios/maps/afpak_0p05.h5";
}  // namespace

TEST(TtpBaloch, TempoMatchesPips) {
  const auto p = defaults_of<baloch::Parameters>(baloch::parameter_specs());
  // 500 resident fighters (militants.baloch_fighters) would make 60-80 a year; the model's cells
  // spend part of the year moving and lose fighters, and the ensemble test
  // (TtpHistoricalEnsemble.BalochAttacksOfTheOrderPipsCounts) checks PIPS's 38 (2021) and 46
  // (2022).
  const double year = 365 * baloch::expected_attacks(p, 500);
  EXPECT_GT(year, 60);
  EXPECT_LT(year, 80);
}

TEST(TtpBaloch, GrievanceRecruitsAndTargetsAreItsOwn) {
  const auto p = defaults_of<baloch::Parameters>(baloch::parameter_specs());
  EXPECT_GT(baloch::next_fighters(p, 500, 0.8), baloch::next_fighters(p, 500, 0.2));
  EXPECT_LT(baloch::next_fighters(p, 500, 0), 500) << "no grievance: the force dwindles";
  std::array<int, baloch::kTargets> n{};
  for (int i = 0; i < 20000; ++i) {
    sim::RandomDraws d(4, 1, 0, static_cast<std::uint64_t>(i));
    ++n[static_cast<std::size_t>(baloch::choose_target(p, d))];
  }
  for (int t = 0; t < baloch::kTargets; ++t)
    EXPECT_GT(n[static_cast<std::size_t>(t)], 0)
        << baloch::kTargetNames[static_cast<std::size_t>(t)];
  EXPECT_GT(n[baloch::kSecurityForces], n[baloch::kPolice]) << "the FC and army first";
}

TEST(TtpBaloch, AttacksFallInBalochistanNotInTheTtpBelt) {
  const auto asset = load_afpak_map_cached(kMap);
  const auto map = load_insurgency_map(kMap);
  const auto& country = asset->grid.layer<std::int32_t>("country").values;
  const auto& province = asset->grid.layer<std::int32_t>("province").values;
  std::vector<std::uint8_t> pakistan(country.size());
  for (std::size_t c = 0; c < country.size(); ++c) pakistan[c] = country[c] == kPakistan;
  const auto dp = defaults_of<destinations::Parameters>(destinations::parameter_specs());
  const auto w = destinations::cell_weights(
      dp, map, map.presence_baloch, asset->grid.layer<float>("population").values, pakistan);
  std::int32_t balochistan = -1;
  for (const auto& pr : asset->provinces)
    if (pr.hasc == "PK.BA") balochistan = pr.id;
  double total = 0, inside = 0;
  for (std::size_t c = 0; c < w.size(); ++c) {
    total += w[c];
    if (province[c] == balochistan) inside += w[c];
  }
  ASSERT_GT(total, 0);
  // PIPS 2022: 45 of the 46 BLA attacks in Balochistan, 1 in Karachi.
  EXPECT_GT(inside / total, 0.85);
}

}  // namespace borderland::ttp
