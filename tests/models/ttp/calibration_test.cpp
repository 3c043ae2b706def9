// The historical scenario meets DOMAIN.md's targets T1-T7 as an ensemble,
// within the tolerances of issue 4 (item 6). Medians over kReplicas seeds;
// the full 32-replica table is in models/ttp/README.md (scripts/calibrate_ttp.py).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "ttp_helpers.hpp"

namespace borderland::ttp {

namespace {
constexpr int kReplicas = 16;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}
}  // namespace

TEST(TtpCalibration, HistoricalEnsembleMeetsTheTargets) {
  std::map<std::string, std::vector<double>> m;
  for (int seed = 1; seed <= kReplicas; ++seed) {
    const auto s = testing::scenario_from_file("scenarios/ttp/historical_2020_2023.yaml",
                                               {"seed=" + std::to_string(seed)});
    sim::RunOptions options;
    options.threads = 2;
    for (const auto& [k, v] : sim::run_scenario(testing::model(), s, options).summary)
      m[k].push_back(v);
  }
  const double t1 = median(m["t1"]), t2 = median(m["t2"]), t3 = median(m["t3"]),
               t3i = median(m["t3_incidents"]);
  const double t4 = median(m["t4"]), t5 = median(m["t5"]), t6 = median(m["t6"]);
  EXPECT_GE(t1, 0.30) << "T1: attacks +51 % after August 2021";
  EXPECT_LE(t1, 0.75) << "T1";
  EXPECT_GE(t2, 0.70) << "T2: over 75 % in KP";
  EXPECT_GE(t3, 80) << "T3: 105 KP police killed in 2022";
  EXPECT_LE(t3, 135) << "T3";
  EXPECT_GE(t3i, 110) << "T3: in 151 incidents";
  EXPECT_LE(t3i, 190) << "T3";
  EXPECT_GE(t4, 200) << "T4: ~300 police killed Sep 2022 - Feb 2023";
  EXPECT_LE(t4, 400) << "T4";
  EXPECT_GE(t5, 40) << "T5: 62 KP attacks in January 2023";
  EXPECT_LE(t5, 85) << "T5";
  EXPECT_LT(t6, 1.0) << "T6: the ceasefire months below both neighbouring two-month windows";
  const auto& t7 = m["t7"];
  EXPECT_GE(*std::max_element(t7.begin(), t7.end()), 50)
      << "T7: a 50+ death attack somewhere in the ensemble";
  EXPECT_LE(*std::max_element(t7.begin(), t7.end()), 300) << "T7: none above 300";
}

}  // namespace borderland::ttp
