#pragma once
// Calendar dates. Scenarios speak in dates; the engine counts steps (days).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace borderland::sim {

class Date {
 public:
  Date() = default;
  static Date from_ymd(int year, unsigned month, unsigned day);
  // Parses exactly YYYY-MM-DD and checks that the day exists; nullopt otherwise.
  static std::optional<Date> parse(std::string_view text);

  int days_since_epoch() const { return days_; }
  std::string iso() const;  // YYYY-MM-DD
  Date plus_days(int n) const { return Date(days_ + n); }
  int days_until(Date later) const { return later.days_ - days_; }
  int year() const;

  auto operator<=>(const Date&) const = default;

 private:
  explicit Date(int days) : days_(days) {}
  int days_ = 0;  // days since 1970-01-01
};

}  // namespace borderland::sim
