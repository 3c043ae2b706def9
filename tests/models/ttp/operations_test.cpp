// Military operations with both effects: the two tests of
// the mechanism on an aggregate insurgency of one area plus its sanctuary, run
// with the operations unit and the command's strategy. The aggregate is the
// smallest system in which the net effect can have either sign: recruitment
// and attacks scale with fighters x network, the sanctuary's fighters attack
// across the border when it is open, and losses feed the command's resolve.
#include "models/ttp/operations.hpp"

#include <gtest/gtest.h>

#include "models/ttp/strategy.hpp"

namespace borderland::ttp {

namespace {

template <class P>
P defaults_of(const std::vector<sim::ParamSpec>& specs) {
  sim::ParamValues v;
  for (const auto& s : specs) v.set(s.key, s.default_value);
  return P::from(v);
}

// The aggregate's own rates [judgement, for the test only].
constexpr double kRecruitRate = 0.0012;  // per fighter per day at a full network
constexpr double kLeaveRate = 0.0008;    // desertion and natural losses, per day
constexpr double kReturnRate = 0.002;    // sanctuary fighters crossing back per day, open
constexpr double kCrossBorder = 0.5;     // a sanctuary fighter's attacks relative to a local's

struct Insurgency {
  double fighters, sanctuary, network = 1, losses = 0;
};

// Attacks (in arbitrary units) on each day of `days`, operations at
// `intensity` from day `from`.
std::vector<double> run(double intensity, int from, int days, double open, Insurgency x) {
  const auto op = defaults_of<operations::Parameters>(operations::parameter_specs());
  const auto st = defaults_of<strategy::Parameters>(strategy::parameter_specs());
  std::vector<double> attacks;
  for (int day = 0; day < days; ++day) {
    const auto e =
        operations::apply(op, day >= from ? intensity : 0, {x.fighters, x.network, open});
    const double back = x.sanctuary * kReturnRate * open;
    x.fighters += x.fighters * (kRecruitRate * x.network - kLeaveRate) + back - e.killed -
                  e.arrested - e.to_sanctuary;
    x.sanctuary += e.to_sanctuary - back;
    x.network = e.network;
    x.losses = strategy::decay_losses(st, x.losses, e.killed);
    strategy::Situation s;
    s.fighters = x.fighters + x.sanctuary;
    s.arms = st.arms_ref;
    s.recent_losses = x.losses;
    s.support = st.support_ref;
    attacks.push_back((x.fighters * x.network + kCrossBorder * open * x.sanctuary) *
                      strategy::tempo(st, s));
  }
  return attacks;
}

double mean(const std::vector<double>& v, int from, int to) {
  double s = 0;
  for (int i = from; i < to; ++i) s += v[static_cast<std::size_t>(i)];
  return s / (to - from);
}

}  // namespace

TEST(TtpOperations, EveryParameterHasUnitsRangeAndReason) {
  for (const auto& s : operations::parameter_specs()) {
    EXPECT_FALSE(s.units.empty()) << s.key;
    EXPECT_GT(s.doc.size(), 20u) << s.key;
    const double v = std::get<double>(s.default_value);
    EXPECT_LE(s.min, v) << s.key;
    EXPECT_LE(v, s.max) << s.key;
  }
}

// 2014-2019: sustained operations against an insurgency whose sanctuary gave
// no open return (PICSS: 134 attacks a month in 2014, 13 in 2019).
TEST(TtpOperations, SustainedOperationsWithoutSanctuaryLowerAttacksOverYears) {
  constexpr int kYear = 365;
  const auto with = run(0.8, 0, 5 * kYear, 0, {10000, 0});
  const auto without = run(0, 0, 5 * kYear, 0, {10000, 0});
  EXPECT_LT(mean(with, 4 * kYear, 5 * kYear), 0.2 * mean(with, 0, kYear))
      << "year five under a fifth of year one";
  EXPECT_LT(mean(with, 4 * kYear, 5 * kYear), 0.2 * mean(without, 4 * kYear, 5 * kYear));
  // Weaker operations do less.
  const auto weak = run(0.2, 0, 5 * kYear, 0, {10000, 0});
  EXPECT_GT(mean(weak, 4 * kYear, 5 * kYear), mean(with, 4 * kYear, 5 * kYear));
}

// 2022-23: operations against an insurgency with an open sanctuary: the
// losses drive retaliation at once while the displaced survive across the border.
TEST(TtpOperations, OperationsWithAnOpenSanctuaryBringShortRunRetaliation) {
  constexpr int kStart = 180, kMonth = 30;
  const auto ops = run(0.8, kStart, kStart + 2 * kMonth, 1, {1500, 4500});
  const auto none = run(0, kStart, kStart + 2 * kMonth, 1, {1500, 4500});
  EXPECT_GT(mean(ops, kStart, kStart + 2 * kMonth), mean(ops, kStart - 2 * kMonth, kStart))
      << "attacks rise in the two months after operations start";
  EXPECT_GT(mean(ops, kStart, kStart + 2 * kMonth), mean(none, kStart, kStart + 2 * kMonth));
  // The same operations against a closed sanctuary do not raise attacks.
  const auto closed = run(0.8, kStart, kStart + 2 * kMonth, 0, {1500, 4500});
  EXPECT_LT(mean(closed, kStart, kStart + 2 * kMonth), mean(ops, kStart, kStart + 2 * kMonth));
}

TEST(TtpOperations, EachEffectMovesItsWay) {
  const auto p = defaults_of<operations::Parameters>(operations::parameter_specs());
  const auto lo = operations::apply(p, 0.2, {1000, 1, 1}),
             hi = operations::apply(p, 0.8, {1000, 1, 1});
  EXPECT_GT(hi.killed, lo.killed) << "attrition";
  EXPECT_GT(hi.to_sanctuary, lo.to_sanctuary) << "displacement";
  EXPECT_LT(hi.network, lo.network) << "disruption";
  EXPECT_GT(hi.collateral, lo.collateral) << "backlash";
  EXPECT_EQ(operations::apply(p, 0.8, {1000, 1, 0}).to_sanctuary, 0) << "closed: no way out";
  EXPECT_GT(operations::apply(p, 0, {1000, 0.5, 1}).network, 0.5) << "the network rebuilds";
  EXPECT_EQ(operations::apply(p, 0, {1000, 1, 1}).killed, 0);
}

}  // namespace borderland::ttp
