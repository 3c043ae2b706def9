#include "sim/params.hpp"

#include <gtest/gtest.h>

#include "sim/error.hpp"

namespace borderland::sim {

TEST(ClosestMatch, SuggestsTyposButNotNonsense) {
  const std::vector<std::string> keys{"legitimacy", "threshold", "max_jail_term", "vision"};
  EXPECT_EQ(closest_match("legitimcy", keys), "legitimacy");
  EXPECT_EQ(closest_match("visoin", keys), "vision");
  EXPECT_EQ(closest_match("treshold", keys), "threshold");
  EXPECT_FALSE(closest_match("population", keys));
  EXPECT_EQ(closest_match("max_jail", keys), "max_jail_term");  // a prefix is a shorthand
  EXPECT_FALSE(closest_match("vis", keys));                     // but not a very short one
}

TEST(ParamValues, ReturnsTypedValuesAndRejectsUndeclaredKeys) {
  ParamValues v;
  v.set("a", 1.5);
  v.set("b", std::int64_t{3});
  v.set("c", std::string("x"));
  EXPECT_DOUBLE_EQ(v.real("a"), 1.5);
  EXPECT_EQ(v.integer("b"), 3);
  EXPECT_EQ(v.text("c"), "x");
  EXPECT_THROW((void)v.real("zzz"), RunError);
}

TEST(ParamSpec, ShorthandsRecordTypesDefaultsAndRanges) {
  const auto p = ParamSpec::integer("vision", 7, 1, 127, "cell", "how far");
  EXPECT_EQ(p.type, ParamType::kInteger);
  EXPECT_EQ(std::get<std::int64_t>(p.default_value), 7);
  EXPECT_EQ(p.max, 127);
  EXPECT_EQ(to_text(ParamSpec::date("d", "2021-08-15", "").default_value), "2021-08-15");
  EXPECT_THROW(ParamSpec::date("d", "soon", ""), RunError);
}

}  // namespace borderland::sim
