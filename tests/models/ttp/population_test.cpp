// The population side of the TTP model, each mechanism's direction on a fixed seed set:
// opinion (opinion.hpp): local support for the militants falls with their violence against
// civilians and rises with the state's collateral damage.
#include <gtest/gtest.h>

#include "models/ttp/opinion.hpp"
#include "ttp_helpers.hpp"

namespace borderland::ttp {

namespace {

template <class P>
P defaults_of(const std::vector<sim::ParamSpec>& specs) {
  sim::ParamValues v;
  for (const auto& s : specs) v.set(s.key, s.default_value);
  return P::from(v);
}

constexpr int kSeeds = 4;  // seeds 1-4 of the historical scenario

// Mean over seeds 1..kSeeds and over the days of 2021-2022 of one series of the historical run,
// with `overrides`.
double ensemble_mean(const std::string& series, const std::vector<std::string>& overrides) {
  const sim::Date start = sim::Date::from_ymd(2020, 1, 1);
  const auto from = static_cast<std::size_t>(start.days_until(sim::Date::from_ymd(2021, 1, 1)));
  const auto to = static_cast<std::size_t>(start.days_until(sim::Date::from_ymd(2023, 1, 1)));
  double total = 0;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    std::vector<std::string> o{"seed=" + std::to_string(seed), "output.snapshot_every=0"};
    o.insert(o.end(), overrides.begin(), overrides.end());
    const auto r =
        testing::run(testing::scenario_from_file("scenarios/ttp/historical_2020_2023.yaml", o));
    total += testing::sum(r[series], from, to) / static_cast<double>(to - from);
  }
  return total / kSeeds;
}

}  // namespace

TEST(TtpPopulation, OpinionShiftsHaveTheirSigns) {
  const auto p = defaults_of<opinion::Parameters>(opinion::parameter_specs());
  EXPECT_EQ(opinion::blame(p, 0), 0.0);
  EXPECT_LT(opinion::blame(p, 1), 0.0) << "civilians killed by militants lower support";
  EXPECT_LT(opinion::blame(p, 10), opinion::blame(p, 1)) << "more victims, more blame";
  EXPECT_EQ(opinion::backlash(p, 0), 0.0);
  EXPECT_GT(opinion::backlash(p, 0.1), 0.0) << "the state's harm raises support";
  EXPECT_GT(opinion::backlash(p, 0.5), opinion::backlash(p, 0.1));
  EXPECT_GT(opinion::daily_decay(p), 0.0);
  EXPECT_LT(opinion::daily_decay(p), 1.0) << "shifts fade";
}

// Whole runs: blaming the militants more for their civilian victims lowers the mean support
// for them; more collateral harm in operations raises it.
TEST(TtpPopulation, SupportFallsWithCiviliansKilledByMilitants) {
  const double none = ensemble_mean("mean_support", {"parameters.opinion.blame_per_victim=0"});
  const double defaults = ensemble_mean("mean_support", {});
  const double strong = ensemble_mean("mean_support", {"parameters.opinion.blame_per_victim=0.02"});
  EXPECT_LT(defaults, none);
  EXPECT_LT(strong, defaults);
}

TEST(TtpPopulation, SupportRisesWithTheStatesCollateralDamage) {
  const double none =
      ensemble_mean("mean_support", {"parameters.operations.collateral_per_kill=0"});
  const double heavy =
      ensemble_mean("mean_support", {"parameters.operations.collateral_per_kill=2"});
  EXPECT_GT(heavy, none);
}

}  // namespace borderland::ttp
