// The historical scenario meets the calibration targets T1-T7 as an ensemble.
// Targets, bands and the statistic each band applies to (median or max over
// replicas) come from models/ttp/calibration/targets.yaml, the one definition
// (compiled into the model); the full 32-replica table is in
// models/ttp/README.md (scripts/calibrate_ttp.py).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "models/ttp/metrics.hpp"
#include "ttp_helpers.hpp"

namespace borderland::ttp {

namespace {
constexpr int kReplicas = 16;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

std::string band_text(const CalibrationTarget& t) {
  return fmt::format("{}{}, {}{}", t.strict ? "(" : "[", t.low ? fmt::format("{}", *t.low) : "-inf",
                     t.high ? fmt::format("{}", *t.high) : "inf", t.strict ? ")" : "]");
}
}  // namespace

TEST(TtpCalibration, TheTargetsFileDefinesEveryTarget) {
  const auto& targets = calibration_target_definitions();
  std::vector<std::string> published;
  for (const auto& t : targets) {
    EXPECT_FALSE(t.windows.empty()) << t.id;
    EXPECT_TRUE(t.low || t.high) << t.id << ": a target needs a band";
    EXPECT_FALSE(t.source.empty()) << t.id;
    for (const auto& [name, w] : t.windows) EXPECT_LE(w.from, w.to) << t.id << "." << name;
    published.push_back(t.target);
  }
  for (const char* id : {"T1", "T2", "T3", "T4", "T5", "T6", "T7"})
    EXPECT_NE(std::find(published.begin(), published.end(), id), published.end()) << id;
  EXPECT_GT(mass_casualty_threshold(), 0);
}

TEST(TtpCalibration, BandsFollowTheirEnds) {
  CalibrationTarget t;
  t.low = 1.0;
  t.high = 2.0;
  EXPECT_TRUE(t.in_band(1.0));
  EXPECT_TRUE(t.in_band(2.0));
  EXPECT_FALSE(t.in_band(2.5));
  t.strict = true;
  EXPECT_FALSE(t.in_band(1.0));
  EXPECT_FALSE(t.in_band(2.0));
  EXPECT_TRUE(t.in_band(1.5));
  t.low.reset();
  EXPECT_TRUE(t.in_band(-1e9));
  EXPECT_FALSE(t.in_band(std::nan("")));
}

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
  for (const auto& t : calibration_target_definitions()) {
    const auto& values = m[t.metric];
    ASSERT_EQ(values.size(), static_cast<std::size_t>(kReplicas)) << t.metric;
    const double stat =
        t.statistic == "max" ? *std::max_element(values.begin(), values.end()) : median(values);
    EXPECT_TRUE(t.in_band(stat)) << t.id << " (" << t.description << "; published " << t.figure
                                 << "): " << t.statistic << " over " << kReplicas << " replicas is "
                                 << stat << ", band " << band_text(t);
  }
}

}  // namespace borderland::ttp
