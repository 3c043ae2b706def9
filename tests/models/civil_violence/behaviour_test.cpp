// Behaviour checks against Epstein (2002), over several seeds. The numbers
// that define an outburst are ours (see models/civil_violence/README.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <numeric>
#include <string>

#include "run_helpers.hpp"

namespace borderland::civil_violence {

namespace {
// An outburst starts when 50 citizens (4.5 % of 1120) are active and ends when
// activity falls back to 5 or fewer; quiet days are days at 5 or fewer.
constexpr double kOutburstHigh = 50;
constexpr double kQuietLow = 5;
constexpr int kSeeds = 4;

testing::Outbursts outbursts_of(const std::string& file,
                                const std::vector<std::string>& overrides) {
  return testing::find_outbursts(
      testing::active_series(testing::scenario_from_file(file, overrides), 2), kOutburstHigh,
      kQuietLow);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

double mean(const std::vector<double>& v) {
  return v.empty() ? 0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

// The paper's experiments in both activation orders (README, Behaviour).
const char* const kActivations[] = {"parallel", "sequential"};
std::string activation(const char* mode) {
  return std::string("parameters.activation=") + mode;
}
// The sequential activation runs on one thread and counts windows cell by
// cell: fewer seeds.
int seeds_for(const char* mode, int parallel_seeds) {
  return std::string(mode) == "parallel" ? parallel_seeds : parallel_seeds / 2;
}

}  // namespace

TEST(CivilViolenceBehaviour, ClassicSettingShowsPunctuatedEquilibrium) {
  // Outbursts of a hundred or more actives recur every few dozen days, and
  // the days between them are quiet (the figures the model's README quotes).
  for (const char* mode : kActivations) {
    const int seeds = seeds_for(mode, 2 * kSeeds);
    int total = 0;
    double quiet = 0;
    std::vector<double> peaks;
    for (int seed = 1; seed <= seeds; ++seed) {
      const auto o = outbursts_of("scenarios/civil_violence.yaml",
                                  {"seed=" + std::to_string(seed), activation(mode)});
      total += o.count;
      quiet += o.quiet_share / seeds;
      peaks.insert(peaks.end(), o.peaks.begin(), o.peaks.end());
    }
    std::cout << mode << ", classic setting: " << total << " outbursts in " << seeds
              << " seeds x 500 days, median peak " << median(peaks) << " actives, " << 100 * quiet
              << " % of days quiet\n";
    EXPECT_GE(total, 5 * seeds) << mode << ": outbursts recur, several in 500 days";
    EXPECT_GE(median(peaks), 80.0) << mode << ": an outburst is a mass event, not noise";
    EXPECT_GE(quiet, 0.4) << mode << ": separated by quiet spells";
  }
}

TEST(CivilViolenceBehaviour, FewerCopsMeanMoreAndLargerOutbursts) {
  // Cops 0.04 against 0.03 over 1000 days: more outbursts, a larger largest
  // outburst per run and more activity overall (the median outburst need not
  // grow: many small ones join the count).
  for (const char* mode : kActivations) {
    const int seeds = seeds_for(mode, kSeeds);
    std::vector<double> largest_many, largest_few;
    int count_many = 0, count_few = 0;
    for (int seed = 1; seed <= seeds; ++seed) {
      const std::vector<std::string> base{"seed=" + std::to_string(seed), "end=2002-09-26",
                                          activation(mode)};
      auto fewer = base;
      fewer.push_back("parameters.cops.density=0.03");
      const auto many = outbursts_of("scenarios/civil_violence.yaml", base);
      const auto few = outbursts_of("scenarios/civil_violence.yaml", fewer);
      count_many += many.count, count_few += few.count;
      largest_many.push_back(
          many.peaks.empty() ? 0 : *std::max_element(many.peaks.begin(), many.peaks.end()));
      largest_few.push_back(
          few.peaks.empty() ? 0 : *std::max_element(few.peaks.begin(), few.peaks.end()));
    }
    std::cout << mode << ", cops 0.04: " << count_many << " outbursts, mean largest "
              << mean(largest_many) << "; cops 0.03: " << count_few << " outbursts, mean largest "
              << mean(largest_few) << "\n";
    EXPECT_GT(count_few, count_many) << mode;
    EXPECT_GT(mean(largest_few), mean(largest_many)) << mode;
  }
}

TEST(CivilViolenceBehaviour, SuddenSmallDropBeatsGradualLargeDecline) {
  // Epstein's legitimacy experiment: a drop of 0.25 at once sets off a mass
  // outburst; a decline of 0.30 phased in over 1500 days, to a lower
  // legitimacy, sets off none. The largest activity of each run, per seed.
  for (const char* mode : kActivations) {
    std::vector<double> sudden, gradual;
    for (int seed = 1; seed <= seeds_for(mode, 2 * kSeeds); ++seed) {
      const std::vector<std::string> overrides{"seed=" + std::to_string(seed), activation(mode)};
      const auto s = testing::active_series(
          testing::scenario_from_file("scenarios/civil_violence_legitimacy_sudden.yaml", overrides),
          2);
      const auto g =
          testing::active_series(testing::scenario_from_file(
                                     "scenarios/civil_violence_legitimacy_gradual.yaml", overrides),
                                 2);
      sudden.push_back(*std::max_element(s.begin(), s.end()));
      gradual.push_back(*std::max_element(g.begin(), g.end()));
    }
    std::cout << mode
              << ", largest activity, sudden: " << *std::min_element(sudden.begin(), sudden.end())
              << " .. " << *std::max_element(sudden.begin(), sudden.end())
              << ", gradual: " << *std::min_element(gradual.begin(), gradual.end()) << " .. "
              << *std::max_element(gradual.begin(), gradual.end()) << " actives over "
              << sudden.size() << " seeds\n";
    EXPECT_GT(*std::min_element(sudden.begin(), sudden.end()), 300.0) << mode;
    EXPECT_LT(*std::max_element(gradual.begin(), gradual.end()), kOutburstHigh) << mode;
  }
}

}  // namespace borderland::civil_violence
