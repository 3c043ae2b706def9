#include "models/ttp/metrics.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <limits>

#include "sim/error.hpp"

namespace borderland::ttp {

extern const char* const kTargetsYaml;  // calibration/targets.yaml, embedded by CMake

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kTargetsFile = "models/ttp/calibration/targets.yaml";

// The daily series a target's window may name, declared once.
struct DailySeries {
  const char* name;
  std::vector<std::int64_t> DailyTotals::*values;
};
constexpr DailySeries kDailySeries[] = {
    {"attacks", &DailyTotals::attacks},
    {"attacks_kp", &DailyTotals::attacks_kp},
    {"police_killed", &DailyTotals::police_killed},
    {"police_killed_kp", &DailyTotals::police_killed_kp},
    {"police_incidents_kp", &DailyTotals::police_incidents_kp},
    {"attack_victims", &DailyTotals::attack_victims},
    {"max_attack_deaths", &DailyTotals::max_attack_deaths},
    {"attacks_over_threshold", &DailyTotals::attacks_over_threshold},
};

[[noreturn]] void bad(const std::string& what) {
  // The file is part of the build, so a mistake in it is the project's, not the user's.
  throw sim::RunError(fmt::format("internal: {}: {}", kTargetsFile, what));
}

const std::vector<std::int64_t>& series_of(const DailyTotals& t, const std::string& name) {
  for (const auto& s : kDailySeries)
    if (name == s.name) return t.*s.values;
  bad("unknown series '" + name + "'");
}

sim::Date date_of(const YAML::Node& node, const std::string& where) {
  const auto d = sim::Date::parse(node.as<std::string>());
  if (!d) bad(where + ": expected a date YYYY-MM-DD");
  return *d;
}

std::optional<double> number_or_null(const YAML::Node& node) {
  if (!node || node.IsNull()) return std::nullopt;
  return node.as<double>();
}

CalibrationTarget parse_target(const YAML::Node& n) {
  CalibrationTarget t;
  t.id = n["id"].as<std::string>();
  t.target = n["target"].as<std::string>();
  t.metric = n["metric"].as<std::string>();
  t.description = n["description"].as<std::string>();
  t.figure = n["figure"].as<std::string>();
  t.units = n["units"].as<std::string>();
  t.source = n["source"].as<std::string>();
  t.value = number_or_null(n["value"]);
  t.low = number_or_null(n["band"]["low"]);
  t.high = number_or_null(n["band"]["high"]);
  t.strict = n["band"]["strict"] && n["band"]["strict"].as<bool>();
  t.statistic = n["statistic"].as<std::string>();
  if (t.statistic != "median" && t.statistic != "max")
    bad(t.id + ": statistic must be median or max");
  t.compute = n["compute"].as<std::string>();
  for (const auto& w : n["windows"]) {
    const std::string name = w.first.as<std::string>();
    const std::string where = t.id + ".windows." + name;
    TargetWindow window{w.second["series"].as<std::string>(), date_of(w.second["from"], where),
                        date_of(w.second["to"], where)};
    series_of(DailyTotals{}, window.series);  // checks the name
    t.windows.emplace(name, window);
  }
  if (n["victims_threshold"]) t.victims_threshold = n["victims_threshold"].as<std::int64_t>();
  if (n["count_metric"]) t.count_metric = n["count_metric"].as<std::string>();
  return t;
}

const TargetWindow& window(const CalibrationTarget& t, const std::string& name) {
  const auto it = t.windows.find(name);
  if (it == t.windows.end())
    bad(fmt::format("{}: compute {} needs window '{}'", t.id, t.compute, name));
  return it->second;
}

// Sum over the window; NaN unless the run covers all of it.
double window_sum(const DailyTotals& t, const TargetWindow& w) {
  const auto& v = series_of(t, w.series);
  const int a = t.start.days_until(w.from), b = t.start.days_until(w.to);
  if (a < 0 || b >= static_cast<int>(v.size())) return kNaN;
  double s = 0;
  for (int i = a; i <= b; ++i) s += static_cast<double>(v[static_cast<std::size_t>(i)]);
  return s;
}

// The part of the window the run covers (a rare event may happen in any of it); NaN if none.
double covered_max(const DailyTotals& t, const TargetWindow& w) {
  const auto& v = series_of(t, w.series);
  const int a = std::max(0, t.start.days_until(w.from));
  const int b = std::min(static_cast<int>(v.size()) - 1, t.start.days_until(w.to));
  if (a > b) return kNaN;
  double m = 0;
  for (int i = a; i <= b; ++i) m = std::max(m, static_cast<double>(v[static_cast<std::size_t>(i)]));
  return m;
}

double covered_sum(const DailyTotals& t, const TargetWindow& w) {
  const auto& v = series_of(t, w.series);
  const int a = std::max(0, t.start.days_until(w.from));
  const int b = std::min(static_cast<int>(v.size()) - 1, t.start.days_until(w.to));
  double n = a > b ? kNaN : 0.0;
  for (int i = a; i <= b; ++i) n += static_cast<double>(v[static_cast<std::size_t>(i)]);
  return n;
}

double metric(const DailyTotals& totals, const CalibrationTarget& t) {
  const auto sum = [&](const char* name) { return window_sum(totals, window(t, name)); };
  if (t.compute == "relative_change") {
    const double before = sum("before"), after = sum("after");
    return before > 0 ? after / before - 1.0 : kNaN;
  }
  if (t.compute == "share") {
    const double whole = sum("whole"), part = sum("part");
    return whole > 0 ? part / whole : kNaN;
  }
  if (t.compute == "sum") return sum("total");
  if (t.compute == "below_neighbours") {
    const double neighbours = std::min(sum("before"), sum("after"));
    return neighbours > 0 ? sum("middle") / neighbours : kNaN;
  }
  if (t.compute == "max") return covered_max(totals, window(t, "total"));
  bad(t.id + ": unknown compute '" + t.compute + "'");
}
}  // namespace

bool CalibrationTarget::in_band(double x) const {
  if (low && (strict ? !(x > *low) : !(x >= *low))) return false;
  if (high && (strict ? !(x < *high) : !(x <= *high))) return false;
  return true;
}

const std::vector<CalibrationTarget>& calibration_target_definitions() {
  static const std::vector<CalibrationTarget> all = [] {
    std::vector<CalibrationTarget> out;
    try {
      const YAML::Node root = YAML::Load(kTargetsYaml);
      for (const auto& n : root["targets"]) out.push_back(parse_target(n));
    } catch (const YAML::Exception& e) {
      bad(e.what());
    }
    return out;
  }();
  return all;
}

std::int64_t mass_casualty_threshold() {
  static const std::int64_t threshold = [] {
    for (const auto& t : calibration_target_definitions())
      if (t.victims_threshold > 0) return t.victims_threshold;
    bad("no target gives a victims_threshold");
  }();
  return threshold;
}

void DailyTotals::add_day() {
  for (const auto& s : kDailySeries) (this->*s.values).push_back(0);
}

std::map<std::string, double> calibration_targets(const DailyTotals& totals) {
  std::map<std::string, double> out;
  for (const auto& t : calibration_target_definitions()) {
    out[t.metric] = metric(totals, t);
    if (!t.count_metric.empty())
      out[t.count_metric] = covered_sum(
          totals, {"attacks_over_threshold", window(t, "total").from, window(t, "total").to});
  }
  return out;
}

}  // namespace borderland::ttp
