// The TTP command's strategy: a ceasefire ends by the
// command's resolve, within a few months of 28 November 2022 on a stylised
// 2022 path in most replicas, and each driver moves resolve its way.
#include "models/ttp/strategy.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/rng.hpp"

namespace borderland::ttp {

namespace {

strategy::Parameters defaults() {
  sim::ParamValues v;
  for (const auto& s : strategy::parameter_specs()) v.set(s.key, s.default_value);
  return strategy::Parameters::from(v);
}

// The 2022 truce, stylised: it holds from 2 June 2022 (day 0); the state
// delivers (prisoners released) until about 1 August (day 60), then owes
// returns and the tribal districts' status without delivering. The TTP has
// grown (prisoners freed in Afghanistan) and rearmed; the army keeps killing a
// few militants a week; the host presses a little.
constexpr int kStallFrom = 60;
constexpr int kCalledOff = 179;  // 28 November 2022
constexpr int kWindow = 91;      // "within a few months": three either side

strategy::Situation day_of_2022(const strategy::Parameters& p, int day, double& losses,
                                bool concessions_flow) {
  losses = strategy::decay_losses(p, losses, 0.4);  // ~150 a year (PICSS 2021: 188)
  strategy::Situation s;
  s.fighters = 6500;
  s.arms = 0.7;
  s.recent_losses = losses;
  s.stalled_days = concessions_flow ? 0 : std::max(0, day - kStallFrom);
  s.host_pressure = 0.2;
  s.support = 0.25;  // protests in Swat against the TTP's return
  return s;
}

// Day on which the truce ends in one replica, or -1 if it holds for two years.
int end_day(const strategy::Parameters& p, std::uint64_t seed, bool concessions_flow) {
  double losses = 36;  // the memory already holds ~3 months of losses
  for (int day = 0; day < 730; ++day) {
    const auto s = day_of_2022(p, day, losses, concessions_flow);
    sim::RandomDraws d(seed, 1, static_cast<std::uint64_t>(day), 0);
    if (d.bernoulli(strategy::ceasefire_end_probability(p, s))) return day;
  }
  return -1;
}

}  // namespace

TEST(TtpStrategy, EveryParameterHasUnitsRangeAndReason) {
  for (const auto& s : strategy::parameter_specs()) {
    EXPECT_FALSE(s.units.empty()) << s.key;
    EXPECT_GT(s.doc.size(), 20u) << s.key;
    const double v = std::get<double>(s.default_value);
    EXPECT_LE(s.min, v) << s.key;
    EXPECT_LE(v, s.max) << s.key;
  }
}

TEST(TtpStrategy, The2022CeasefireEndsByTheMechanismWithinMonthsOfNovember) {
  const auto p = defaults();
  constexpr int kReplicas = 400;
  int within = 0, early = 0, stalled_sum = 0, flowing_sum = 0, flowing_holds = 0;
  for (int r = 0; r < kReplicas; ++r) {
    const int day = end_day(p, static_cast<std::uint64_t>(r) + 1, false);
    if (day >= 0 && std::abs(day - kCalledOff) <= kWindow) ++within;
    if (day >= 0 && day < kStallFrom) ++early;
    stalled_sum += day < 0 ? 730 : day;
    const int flowing = end_day(p, static_cast<std::uint64_t>(r) + 1, true);
    flowing_sum += flowing < 0 ? 730 : flowing;
    flowing_holds += flowing < 0 || flowing > 270 ? 1 : 0;
  }
  EXPECT_GT(within, kReplicas / 2) << "most replicas: within three months of 28 Nov 2022";
  EXPECT_LT(early, kReplicas / 8) << "rarely before the talks stall";
  // Concessions delivered keep the truce far longer.
  EXPECT_GT(flowing_sum, 3 * stalled_sum / 2);
  EXPECT_GT(flowing_holds, kReplicas / 2);
}

TEST(TtpStrategy, EachDriverMovesResolveItsWay) {
  const auto p = defaults();
  strategy::Situation base;
  base.fighters = 5000, base.arms = 0.5, base.recent_losses = 20, base.stalled_days = 30,
  base.host_pressure = 0.3, base.support = 0.3;
  const double r0 = strategy::resolve(p, base);
  auto with = [&](auto change) {
    auto s = base;
    change(s);
    return strategy::resolve(p, s);
  };
  EXPECT_GT(with([](auto& s) { s.fighters = 8000; }), r0) << "strength";
  EXPECT_GT(with([](auto& s) { s.arms = 0.8; }), r0) << "arms";
  EXPECT_GT(with([](auto& s) { s.recent_losses = 80; }), r0) << "losses: retaliation";
  EXPECT_GT(with([](auto& s) { s.stalled_days = 100; }), r0) << "concessions owed";
  EXPECT_LT(with([](auto& s) { s.host_pressure = 0.9; }), r0) << "host restraint";
  EXPECT_LT(with([](auto& s) { s.support = 0.1; }), r0) << "support lost";
  EXPECT_LT(with([](auto& s) { s.concessions = 1; }), r0) << "talks that deliver buy time";
  // Losses saturate: retaliation alone cannot drive resolve without bound.
  EXPECT_LT(with([](auto& s) { s.recent_losses = 1e6; }) - r0, p.losses_weight);
  // Resolve drives the three decisions.
  auto hot = base;
  hot.stalled_days = 200, hot.recent_losses = 100;
  EXPECT_GT(strategy::ceasefire_end_probability(p, hot),
            strategy::ceasefire_end_probability(p, base));
  EXPECT_LT(strategy::accept_probability(p, hot), strategy::accept_probability(p, base));
  EXPECT_GT(strategy::tempo(p, hot), strategy::tempo(p, base));
  // Tempo stays in a band the inputs set (no clamp): twice the reference
  // strength and every other input at its extreme gives a finite tempo, the
  // exponential of the sum of the saturated terms.
  strategy::Situation most{2 * p.strength_ref, 1, 1e6, 1e4, 0, 1};
  const double bound = std::exp(
      p.tempo_gain * (p.strength_weight * std::log(2.0) + p.arms_weight * (1 - p.arms_ref) +
                      p.losses_weight + p.stall_weight + p.support_weight * (1 - p.support_ref)));
  EXPECT_LE(strategy::tempo(p, most), bound * (1 + 1e-12));
  EXPECT_GT(strategy::tempo(p, most), strategy::tempo(p, base));
  // Concessions being delivered make an offer more attractive.
  auto sweet = base;
  sweet.concessions = 1;
  EXPECT_GT(strategy::accept_probability(p, sweet), strategy::accept_probability(p, base));
  // Losses decay.
  EXPECT_LT(strategy::decay_losses(p, 100, 0), 100);
  EXPECT_NEAR(strategy::decay_losses(p, 0, 3), 3, 1e-12);
}

}  // namespace borderland::ttp
