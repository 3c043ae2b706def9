#include "sim/date.hpp"

#include <gtest/gtest.h>

namespace borderland::sim {

TEST(Date, ParsesIsoDatesAndRoundTrips) {
  const auto d = Date::parse("2021-08-15");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->iso(), "2021-08-15");
  EXPECT_EQ(d->year(), 2021);
  EXPECT_EQ(Date::parse("1970-01-01")->days_since_epoch(), 0);
}

TEST(Date, RejectsMalformedAndImpossibleDates) {
  for (const char* bad :
       {"2021-02-30", "2021-13-01", "21-08-15", "2021/08/15", "last spring", "2021-8-15", ""})
    EXPECT_FALSE(Date::parse(bad)) << bad;
  EXPECT_TRUE(Date::parse("2020-02-29"));  // leap year
  EXPECT_FALSE(Date::parse("2021-02-29"));
}

TEST(Date, CountsDaysAcrossMonthsAndLeapYears) {
  const Date a = *Date::parse("2020-01-01");
  EXPECT_EQ(a.days_until(*Date::parse("2021-01-01")), 366);
  EXPECT_EQ(a.plus_days(31).iso(), "2020-02-01");
  EXPECT_LT(a, a.plus_days(1));
}

}  // namespace borderland::sim
