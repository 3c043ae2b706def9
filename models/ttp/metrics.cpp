#include "models/ttp/metrics.hpp"

#include <algorithm>
#include <limits>

namespace borderland::ttp {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

sim::Date ymd(int y, unsigned m, unsigned d) {
  return sim::Date::from_ymd(y, m, d);
}

// Sum of v over the inclusive date window; NaN unless the run covers all of it.
double window_sum(const DailyTotals& t, const std::vector<std::int64_t>& v, sim::Date from,
                  sim::Date to) {
  const int a = t.start.days_until(from), b = t.start.days_until(to);
  if (a < 0 || b >= static_cast<int>(v.size())) return kNaN;
  double s = 0;
  for (int i = a; i <= b; ++i) s += static_cast<double>(v[static_cast<std::size_t>(i)]);
  return s;
}

double window_max(const DailyTotals& t, const std::vector<std::int64_t>& v, sim::Date from,
                  sim::Date to) {
  const int a = std::max(0, t.start.days_until(from));
  const int b = std::min(static_cast<int>(v.size()) - 1, t.start.days_until(to));
  if (a > b) return kNaN;
  double m = 0;
  for (int i = a; i <= b; ++i) m = std::max(m, static_cast<double>(v[static_cast<std::size_t>(i)]));
  return m;
}
}  // namespace

std::map<std::string, double> calibration_targets(const DailyTotals& t) {
  std::map<std::string, double> out;
  const double before = window_sum(t, t.attacks, ymd(2020, 8, 15), ymd(2021, 8, 14));
  const double after = window_sum(t, t.attacks, ymd(2021, 8, 15), ymd(2022, 8, 14));
  const double after_kp = window_sum(t, t.attacks_kp, ymd(2021, 8, 15), ymd(2022, 8, 14));
  out["t1"] = before > 0 ? after / before - 1.0 : kNaN;
  out["t2"] = after > 0 ? after_kp / after : kNaN;
  out["t3"] = window_sum(t, t.police_killed_kp, ymd(2022, 1, 1), ymd(2022, 12, 31));
  out["t3_incidents"] = window_sum(t, t.police_incidents_kp, ymd(2022, 1, 1), ymd(2022, 12, 31));
  out["t4"] = window_sum(t, t.police_killed, ymd(2022, 9, 1), ymd(2023, 2, 28));
  out["t5"] = window_sum(t, t.attacks_kp, ymd(2023, 1, 1), ymd(2023, 1, 31));
  const double sep_oct = window_sum(t, t.attacks, ymd(2021, 9, 1), ymd(2021, 10, 31));
  const double nov_dec = window_sum(t, t.attacks, ymd(2021, 11, 1), ymd(2021, 12, 31));
  const double jan_feb = window_sum(t, t.attacks, ymd(2022, 1, 1), ymd(2022, 2, 28));
  const double neighbours = std::min(sep_oct, jan_feb);
  out["t6"] = neighbours > 0 ? nov_dec / neighbours : kNaN;
  out["t7"] = window_max(t, t.max_attack_deaths, ymd(2022, 1, 1), ymd(2023, 12, 31));
  const int a = std::max(0, t.start.days_until(ymd(2022, 1, 1)));
  const int b =
      std::min(static_cast<int>(t.attacks_80.size()) - 1, t.start.days_until(ymd(2023, 12, 31)));
  double n80 = a > b ? kNaN : 0.0;
  for (int i = a; i <= b; ++i)
    n80 += static_cast<double>(t.attacks_80[static_cast<std::size_t>(i)]);
  out["t7_attacks_80"] = n80;
  return out;
}

}  // namespace borderland::ttp
