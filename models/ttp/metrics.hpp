#pragma once
// The calibration targets of DOMAIN.md (T1-T7), computed from daily totals
// exactly as scripts/calibrate_ttp.py and the calibration test read them.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/date.hpp"

namespace borderland::ttp {

struct DailyTotals {
  sim::Date start;
  std::vector<std::int64_t> attacks, attacks_kp;  // per day
  std::vector<std::int64_t> police_killed, police_killed_kp, police_incidents_kp;
  std::vector<std::int64_t> max_attack_deaths;  // largest single attack of the day
  std::vector<std::int64_t> attacks_80;         // attacks with 80+ deaths
};

// t1: attacks 15 Aug 2021 - 14 Aug 2022 over the 12 months before, minus 1 (T1: +0.51)
// t2: share of those post-takeover attacks in KP (merged tribal districts included) (T2: > 0.75)
// t3: KP police killed in 2022 (T3: 105); t3_incidents: KP attacks on police in 2022 (151)
// t4: police killed 1 Sep 2022 - 28 Feb 2023 (T4: ~300)
// t5: attacks in KP in January 2023 (T5: 62)
// t6: attacks Nov-Dec 2021 over the smaller of Sep-Oct 2021 and Jan-Feb 2022 (T6: < 1)
// t7: deaths in the deadliest single attack of 1 Jan 2022 - 31 Dec 2023 (T7: one with 80+);
//     t7_attacks_80: attacks with 80+ deaths in that window
// A target whose window the run does not cover is NaN.
std::map<std::string, double> calibration_targets(const DailyTotals& totals);

}  // namespace borderland::ttp
