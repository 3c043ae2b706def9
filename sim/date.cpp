#include "sim/date.hpp"

#include <fmt/format.h>

#include <charconv>

namespace borderland::sim {

namespace {
std::chrono::year_month_day to_ymd(int days) {
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{days}}};
}
}  // namespace

Date Date::from_ymd(int year, unsigned month, unsigned day) {
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                                        std::chrono::day{day}};
  return Date(static_cast<int>(std::chrono::sys_days{ymd}.time_since_epoch().count()));
}

std::optional<Date> Date::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int year = 0;
  unsigned month = 0, day = 0;
  auto read = [&](std::size_t pos, std::size_t len, auto& out) {
    const char* first = text.data() + pos;
    const auto result = std::from_chars(first, first + len, out);
    return result.ec == std::errc{} && result.ptr == first + len;
  };
  if (!read(0, 4, year) || !read(5, 2, month) || !read(8, 2, day)) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                                        std::chrono::day{day}};
  if (!ymd.ok()) return std::nullopt;
  return from_ymd(year, month, day);
}

std::string Date::iso() const {
  const auto ymd = to_ymd(days_);
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

int Date::year() const {
  return static_cast<int>(to_ymd(days_).year());
}

}  // namespace borderland::sim
