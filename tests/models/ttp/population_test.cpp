// The population and police side of the TTP model, each mechanism's direction on a fixed seed
// set:
// opinion (opinion.hpp): local support for the militants falls with their violence against
// civilians and rises with the state's collateral damage;
// post strength (post_strength.hpp): police posts lose the officers killed, defend and detect
// worse while short, and are reinforced back towards their establishment;
// protests (protests.hpp): protest pressure in the protest region rises with the civilians
// killed there by militants and harmed by operations, and cuts the talks' concessions and
// raises police detection there.
#include <gtest/gtest.h>

#include "models/ttp/opinion.hpp"
#include "models/ttp/post_strength.hpp"
#include "models/ttp/protests.hpp"
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

// Mean over seeds 1..kSeeds and over the days of 2021-2022 of one series of the historical run
// (of one column of it for a series [T, k]), with `overrides`.
double ensemble_mean(const std::string& series, const std::vector<std::string>& overrides,
                     std::size_t column = 0) {
  const sim::Date start = sim::Date::from_ymd(2020, 1, 1);
  const auto from = static_cast<std::size_t>(start.days_until(sim::Date::from_ymd(2021, 1, 1)));
  const auto to = static_cast<std::size_t>(start.days_until(sim::Date::from_ymd(2023, 1, 1)));
  double total = 0;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    std::vector<std::string> o{"seed=" + std::to_string(seed), "output.snapshot_every=0"};
    o.insert(o.end(), overrides.begin(), overrides.end());
    const auto r =
        testing::run(testing::scenario_from_file("scenarios/ttp/historical_2020_2023.yaml", o));
    const std::size_t width = r.width(series);
    double days = 0;
    for (std::size_t t = from; t < to; ++t) days += r[series][t * width + column];
    total += days / static_cast<double>(to - from);
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

TEST(TtpPopulation, PostStrengthHasItsDirections) {
  const auto p = defaults_of<post_strength::Parameters>(post_strength::parameter_specs());
  EXPECT_EQ(post_strength::strength(50, 100), 0.5);
  EXPECT_EQ(post_strength::strength(100, 100), 1.0);
  EXPECT_EQ(post_strength::strength(0, 0), 1.0) << "no establishment: nothing is missing";
  EXPECT_EQ(post_strength::expected_reinforcements(p, 100, 100), 0.0) << "a full post gets none";
  EXPECT_GT(post_strength::expected_reinforcements(p, 50, 100),
            post_strength::expected_reinforcements(p, 90, 100))
      << "the shorter the post, the more arrive";
  EXPECT_EQ(post_strength::defence_penalty(p, 1), 0.0);
  EXPECT_GT(post_strength::defence_penalty(p, 0.5), post_strength::defence_penalty(p, 0.9))
      << "a post short of officers defends worse";
  EXPECT_EQ(post_strength::detection_factor(p, 1), 1.0);
  EXPECT_LT(post_strength::detection_factor(p, 0.5), post_strength::detection_factor(p, 0.9))
      << "and detects less";
}

// Whole runs: the officers killed leave their posts (the frontier police fall below their
// establishment) and reinforcements bring them back (the slower they come, the lower the
// strength stays).
TEST(TtpPopulation, PostsLoseTheirDeadAndAreReinforced) {
  const double instant =
      ensemble_mean("police_strength", {"parameters.post_strength.reinforce_days=1"});
  const double defaults = ensemble_mean("police_strength", {});
  const double never =
      ensemble_mean("police_strength", {"parameters.post_strength.reinforce_days=3650"});
  EXPECT_LT(defaults, 1.0) << "the dead leave";
  EXPECT_LT(never, defaults);
  EXPECT_LT(defaults, instant);
}

// Whole runs: with posts never reinforced, the shortage costs the police more dead when it
// weakens their defence than when it does not.
TEST(TtpPopulation, PostsShortOfOfficersDefendWorse) {
  // Thin frontier forces (a tenth of the officers), so that the dead are a visible share of a
  // post; never reinforced.
  const std::vector<std::string> thin{"parameters.police.officers_kp=4000",
                                      "parameters.police.officers_balochistan=1500",
                                      "parameters.post_strength.reinforce_days=3650"};
  auto with = [&](const std::string& o) {
    auto v = thin;
    v.push_back(o);
    return v;
  };
  const double weak =
      ensemble_mean("killed", with("parameters.post_strength.defence_loss=10"), kPolice);
  const double unaffected =
      ensemble_mean("killed", with("parameters.post_strength.defence_loss=0"), kPolice);
  EXPECT_GT(weak, unaffected);
}

TEST(TtpPopulation, ProtestPressureHasItsDirections) {
  const auto p = defaults_of<protests::Parameters>(protests::parameter_specs());
  protests::State calm, harmed, killed;
  harmed.harmed_today = 5;
  killed.victims_today = 5;
  protests::step(p, calm);
  protests::step(p, harmed);
  protests::step(p, killed);
  EXPECT_EQ(calm.pressure, 0.0) << "no harm, no protests";
  EXPECT_GT(harmed.pressure, 0.0) << "the state's collateral brings protests";
  EXPECT_GT(killed.pressure, harmed.pressure) << "the militants' killings more";
  EXPECT_EQ(killed.victims_today, 0.0) << "the day's inputs are used up";
  protests::State fading = killed;
  protests::step(p, fading);
  EXPECT_LT(fading.pressure, killed.pressure) << "without new harm it fades";
  protests::State full;
  full.victims_today = 1e6;
  protests::step(p, full);
  EXPECT_LE(full.pressure, 1.0);
  EXPECT_LT(protests::concession_factor(p, 0.8), protests::concession_factor(p, 0.2))
      << "more pressure, fewer concessions";
  EXPECT_EQ(protests::concession_factor(p, 0), 1.0);
  EXPECT_GT(protests::detection_factor(p, 0.8), protests::detection_factor(p, 0.2))
      << "more pressure, more detection";
  EXPECT_EQ(protests::detection_factor(p, 0), 1.0);
}

// Whole runs: the pressure rises with the civilians militants kill in the protest region and
// with the collateral of operations there.
TEST(TtpPopulation, ProtestsRiseWithCivilianVictimsAndCollateral) {
  const double none = ensemble_mean(
      "protest_pressure", {"parameters.protests.per_victim=0", "parameters.protests.per_harmed=0"});
  const double victims = ensemble_mean("protest_pressure", {"parameters.protests.per_harmed=0"});
  const double both = ensemble_mean("protest_pressure", {});
  EXPECT_EQ(none, 0.0);
  EXPECT_GT(victims, none);
  EXPECT_GT(both, victims);
  const double light =
      ensemble_mean("protest_pressure", {"parameters.operations.collateral_per_kill=0"});
  const double heavy =
      ensemble_mean("protest_pressure", {"parameters.operations.collateral_per_kill=2"});
  EXPECT_GT(heavy, light);
}

// Whole runs: under strong protest pressure (every civilian victim counts fully), cutting the
// talks' concessions lets fewer prisoners out (more stay in custody) and fewer fighters home;
// raising detection brings more arrests.
TEST(TtpPopulation, ProtestsCutConcessionsAndRaiseDetection) {
  const std::string strong = "parameters.protests.per_victim=1";
  const std::string no_detection = "parameters.protests.detection_gain=0";
  const double cut =
      ensemble_mean("detained", {strong, no_detection, "parameters.protests.concession_cut=1"});
  const double uncut =
      ensemble_mean("detained", {strong, no_detection, "parameters.protests.concession_cut=0"});
  EXPECT_GT(cut, uncut) << "fewer prisoners released";
  const double home_cut = ensemble_mean(
      "fighters_pakistan", {strong, no_detection, "parameters.protests.concession_cut=1"});
  const double home_uncut = ensemble_mean(
      "fighters_pakistan", {strong, no_detection, "parameters.protests.concession_cut=0"});
  EXPECT_LT(home_cut, home_uncut) << "fewer fighters let home";
  const std::string no_cut = "parameters.protests.concession_cut=0";
  const double informed =
      ensemble_mean("arrests", {strong, no_cut, "parameters.protests.detection_gain=5"});
  const double uninformed =
      ensemble_mean("arrests", {strong, no_cut, "parameters.protests.detection_gain=0"});
  EXPECT_GT(informed, uninformed) << "more arrests";
}

}  // namespace borderland::ttp
