// Every policy moves what it should, in the direction it should, on a fixed
// set of seeds; a policy that is not in force leaves the run bit-identical.
#include <gtest/gtest.h>

#include "ttp_helpers.hpp"

namespace borderland::ttp {

namespace {
constexpr int kSeeds = 4;
const std::string kStart = "2021-09-01", kEnd = "2022-12-31";
const std::string kEvents = "events:\n  - {event: kabul_falls, date: 2021-09-01}\n";
// Days of the policy window 2022-01-01 .. 2022-12-31 inside the run.
constexpr std::size_t kFrom = 122, kTo = 487;

struct Pair {
  double base = 0, with = 0;
};

// Sums `measure` over the seeds, without and with the policy line.
template <class Measure>
Pair compare(const std::string& policy, const Measure& measure) {
  Pair p;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    const std::vector<std::string> o{"seed=" + std::to_string(seed)};
    p.base += measure(testing::run(testing::scenario_from_text(kStart, kEnd, kEvents, o)));
    p.with += measure(testing::run(
        testing::scenario_from_text(kStart, kEnd, kEvents + "policies:\n  - " + policy + "\n", o)));
  }
  return p;
}

double window(const testing::Series& s, const std::string& name) {
  return testing::sum(s[name], kFrom, kTo);
}
double column(const testing::Series& s, const std::string& name, std::size_t k) {
  const auto& v = s[name];
  const std::size_t w = s.width(name);
  double t = 0;
  for (std::size_t d = kFrom; d < kTo; ++d) t += v[d * w + k];
  return t;
}
}  // namespace

TEST(TtpPolicies, StrikesLowerSanctuaryStrengthAndRaiseTension) {
  const std::string p =
      "{policy: cross_border_strikes, start: 2022-01-01, end: 2022-12-31, per_month: 6, "
      "intelligence: 0.7}";
  const auto strength =
      compare(p, [](const testing::Series& s) { return window(s, "sanctuary_strength"); });
  const auto tension = compare(p, [](const testing::Series& s) { return window(s, "tension"); });
  EXPECT_LT(strength.with, 0.9 * strength.base);
  EXPECT_GT(tension.with, 1.2 * tension.base);
}

// A ceasefire is an offer: with talks delivering concessions the command takes it in most
// seeds, and attacks fall while it holds.
TEST(TtpPolicies, CeasefireOfferedWithConcessionsIsTakenAndLowersAttacks) {
  const std::string talks =
      "policies:\n  - {policy: talks, start: 2022-01-01, end: 2022-12-31, prisoners_released: "
      "100, fighters_returning: 100}\n";
  const std::string offer =
      "  - {policy: ceasefire, start: 2022-01-01, end: 2022-12-31, observance: 0.9}\n";
  Pair attacks, holds;
  int taken = 0;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    const std::vector<std::string> o{"seed=" + std::to_string(seed)};
    const auto base = testing::run(testing::scenario_from_text(kStart, kEnd, kEvents + talks, o));
    const auto with =
        testing::run(testing::scenario_from_text(kStart, kEnd, kEvents + talks + offer, o));
    attacks.base += window(base, "attacks");
    attacks.with += window(with, "attacks");
    holds.base += window(base, "ceasefire");
    holds.with += window(with, "ceasefire");
    if (with["ceasefire"][kFrom] > 0) ++taken;
  }
  EXPECT_GE(taken, kSeeds / 2 + 1);
  EXPECT_EQ(holds.base, 0.0);
  EXPECT_GT(holds.with, 0.0);
  EXPECT_LT(attacks.with, 0.8 * attacks.base);
}

// The state's offensives during a truce are losses the command remembers: its resolve rises
// and the truce ends sooner than under routine operations alone (the talks deliver for two
// months, then stall, so the truce's end is in play within the year).
TEST(TtpPolicies, OffensivesDuringATruceEndItSooner) {
  const std::string offer =
      "policies:\n  - {policy: talks, start: 2022-01-01, end: 2022-12-31, prisoners_released: "
      "100, fighters_returning: 100, deliver_days: 60}\n  - {policy: ceasefire, start: 2022-01-01, "
      "end: "
      "2022-12-31, observance: 0.9}\n";
  const std::string ops =
      "  - {policy: military_operations, start: 2022-01-01, end: 2022-12-31, intensity: 1.0}\n";
  Pair holds, resolve;
  for (int seed = 1; seed <= 2 * kSeeds; ++seed) {
    const std::vector<std::string> o{"seed=" + std::to_string(seed)};
    const auto quiet = testing::run(testing::scenario_from_text(kStart, kEnd, kEvents + offer, o));
    const auto hot =
        testing::run(testing::scenario_from_text(kStart, kEnd, kEvents + offer + ops, o));
    holds.base += window(quiet, "ceasefire");
    holds.with += window(hot, "ceasefire");
    resolve.base += window(quiet, "resolve");
    resolve.with += window(hot, "resolve");
  }
  EXPECT_GT(resolve.with, resolve.base);
  EXPECT_LT(holds.with, holds.base) << "offensives end the truce sooner";
}

// army_restraint restrains: talks that pause clearance lower the militants killed even where
// military operations are ordered.
TEST(TtpPolicies, ArmyRestraintDuringTalksRestrainsOperations) {
  const std::string ops =
      "policies:\n  - {policy: military_operations, start: 2022-01-01, end: 2022-12-31, "
      "intensity: 0.5}\n";
  const std::string talks =
      "  - {policy: talks, start: 2022-01-01, end: 2022-12-31, prisoners_released: 0, "
      "fighters_returning: 0, amnesty: 0, army_restraint: 0.8}\n";
  Pair killed;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    const std::vector<std::string> o{"seed=" + std::to_string(seed)};
    killed.base += column(testing::run(testing::scenario_from_text(kStart, kEnd, kEvents + ops, o)),
                          "killed", kMilitants);
    killed.with +=
        column(testing::run(testing::scenario_from_text(kStart, kEnd, kEvents + ops + talks, o)),
               "killed", kMilitants);
  }
  EXPECT_LT(killed.with, 0.7 * killed.base);
}

TEST(TtpPolicies, ConcessionsRaiseFightersInPakistan) {
  // Same talks, with and without concessions.
  Pair fighters;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    const std::vector<std::string> o{"seed=" + std::to_string(seed)};
    const auto talks = [&](int prisoners, int returning) {
      return kEvents +
             "policies:\n  - {policy: talks, start: 2022-01-01, end: 2022-12-31, "
             "prisoners_released: " +
             std::to_string(prisoners) + ", fighters_returning: " + std::to_string(returning) +
             "}\n";
    };
    fighters.base += window(testing::run(testing::scenario_from_text(kStart, kEnd, talks(0, 0), o)),
                            "fighters_pakistan");
    fighters.with +=
        window(testing::run(testing::scenario_from_text(kStart, kEnd, talks(300, 1000), o)),
               "fighters_pakistan");
  }
  EXPECT_GT(fighters.with, 1.05 * fighters.base);
}

TEST(TtpPolicies, PoliceReformLowersPoliceDeathsPerAttack) {
  const std::string p =
      "{policy: police_reform, start: 2022-01-01, end: 2022-12-31, training: 0.6, intelligence: "
      "0.3, hardness: 0.5, ramp_days: 0, forces: all}";
  Pair per_attack;
  const auto deaths =
      compare(p, [](const testing::Series& s) { return column(s, "killed", kPolice); });
  const auto attacks = compare(p, [](const testing::Series& s) { return window(s, "attacks"); });
  EXPECT_LT(deaths.with / attacks.with, 0.8 * deaths.base / attacks.base);
}

TEST(TtpPolicies, BorderControlLowersCrossings) {
  const std::string p =
      "{policy: border_control, start: 2022-01-01, end: 2022-12-31, fencing: 1.0, crossing_points: "
      "1.0}";
  const auto crossings =
      compare(p, [](const testing::Series& s) { return window(s, "crossings"); });
  EXPECT_LT(crossings.with, 0.9 * crossings.base);
}

TEST(TtpPolicies, HostPressureMovesSanctuariesAwayFromTheBorder) {
  const std::string p =
      "{policy: host_pressure, start: 2022-01-01, end: 2022-12-31, intensity: 1.0, payment: 1.0, "
      "relocation_km: 200}";
  const auto distance =
      compare(p, [](const testing::Series& s) { return s["sanctuary_distance"].back(); });
  const auto tolerance =
      compare(p, [](const testing::Series& s) { return s["host_tolerance"].back(); });
  EXPECT_GT(distance.with, 1.3 * distance.base);
  EXPECT_LT(tolerance.with, tolerance.base);
}

TEST(TtpPolicies, RuleOfLawRaisesArrests) {
  const std::string p =
      "{policy: rule_of_law, start: 2022-01-01, end: 2022-12-31, detection: 1.0, conviction: 0.5}";
  const auto arrests = compare(p, [](const testing::Series& s) { return window(s, "arrests"); });
  EXPECT_GT(arrests.with, 1.2 * arrests.base);
}

TEST(TtpPolicies, MilitaryOperationsKillMoreMilitants) {
  const std::string p =
      "{policy: military_operations, start: 2022-01-01, end: 2022-12-31, intensity: 0.8, region: "
      "both}";
  const auto killed =
      compare(p, [](const testing::Series& s) { return column(s, "killed", kMilitants); });
  EXPECT_GT(killed.with, 1.2 * killed.base);
}

TEST(TtpPolicies, AlertPostureLowersPoliceDeaths) {
  const std::string p =
      "{policy: alert_posture, start: 2022-01-01, end: 2022-12-31, level: 1.0, headquarters_only: "
      "false}";
  const auto deaths =
      compare(p, [](const testing::Series& s) { return column(s, "killed", kPolice); });
  EXPECT_LT(deaths.with, 0.9 * deaths.base);
}

TEST(TtpPolicies, APolicyNotInForceLeavesTheRunBitIdentical) {
  const auto base = testing::run(testing::scenario_from_text(kStart, kEnd, kEvents));
  for (const auto& policy : testing::model().spec().policies) {
    // The switch lies after the end of the run: it is in the scenario but never on.
    const auto s = testing::scenario_from_text(kStart, kEnd,
                                               kEvents + "policies:\n  - {policy: " + policy.name +
                                                   ", start: 2024-01-01, end: 2024-06-30}\n");
    const auto r = testing::run(s);
    EXPECT_EQ(r.values, base.values) << policy.name;
    EXPECT_EQ(r.summary.size(), base.summary.size());
  }
}

}  // namespace borderland::ttp
