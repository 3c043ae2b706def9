#include "sim/scenario.hpp"

#include <gtest/gtest.h>

#include "sim/error.hpp"
#include "test_spec.hpp"

namespace borderland::sim {

namespace {
const ModelSpec kSpec = testing::toy_spec();

Scenario parse(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return parse_scenario(text, "scen.yaml", overrides, {&kSpec});
}

// The messages of the InputError a scenario raises (empty if it parses).
std::vector<std::string> errors_of(const std::string& text,
                                   const std::vector<std::string>& overrides = {}) {
  try {
    parse(text, overrides);
  } catch (const InputError& e) {
    return e.messages();
  }
  return {};
}

const char* kGood = R"(model: toy
seed: 7
start: 2020-01-01
end: 2020-12-31
parameters:
  rate: 0.25
  grid: {width: 20}
policies:
  - policy: talks
    start: 2020-03-01
    end: 2020-04-01
    concessions: 0.5
events:
  - {event: kabul_falls, date: 2020-08-15}
)";
}  // namespace

TEST(Scenario, ParsesTypedValuesAndFillsDefaults) {
  const Scenario s = parse(kGood);
  EXPECT_EQ(s.model, "toy");
  EXPECT_EQ(s.seed, 7u);
  EXPECT_EQ(s.steps(), 366);
  EXPECT_DOUBLE_EQ(s.parameters.real("rate"), 0.25);
  EXPECT_EQ(s.parameters.integer("grid.width"), 20);
  EXPECT_EQ(s.parameters.integer("grid.height"), 10);  // default
  EXPECT_EQ(s.parameters.text("shape"), "square");
  ASSERT_EQ(s.policies.size(), 1u);
  EXPECT_DOUBLE_EQ(s.policies[0].strengths.real("concessions"), 0.5);
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].date.iso(), "2020-08-15");
  EXPECT_EQ(s.output.snapshot_fields, std::vector<std::string>{"density"});
}

TEST(Scenario, ResolvedFormParsesBackToTheSameScenario) {
  const Scenario s = parse(kGood);
  const Scenario again = parse(s.resolved_yaml);
  EXPECT_EQ(again.resolved_yaml, s.resolved_yaml);
  EXPECT_NE(s.resolved_yaml.find("height: 10"), std::string::npos);  // defaults are written out
}

TEST(Scenario, OverridesReplaceAndAddKeys) {
  const Scenario s = parse(kGood, {"parameters.rate=0.9", "parameters.grid.height=33", "seed=3"});
  EXPECT_DOUBLE_EQ(s.parameters.real("rate"), 0.9);
  EXPECT_EQ(s.parameters.integer("grid.height"), 33);
  EXPECT_EQ(s.seed, 3u);
  EXPECT_DOUBLE_EQ(
      parse(kGood, {"policies.0.concessions=0.2"}).policies[0].strengths.real("concessions"), 0.2);
}

// `--set policies.1.concessions=...` on a scenario with one policy makes a new entry with no
// `policy`: the error is the flag's (an index one too far), not the file's.
TEST(Scenario, AnOverrideThatMakesANewListEntryIsBlamedForWhatItLacks) {
  const auto errors = errors_of(kGood, {"policies.1.concessions=0.2"});
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].rfind("--set policies.1.concessions: error: policies[1].policy: missing", 0),
            0u)
      << errors[0];
}

TEST(Scenario, OverrideErrorsArePlacedAtTheFlag) {
  const auto errors = errors_of(kGood, {"parameters.rat=0.9"});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("--set parameters.rat"), std::string::npos) << errors[0];
  // The suggestion is the whole key path, so that it can be pasted into --set.
  EXPECT_NE(errors[0].find("did you mean 'parameters.rate'"), std::string::npos) << errors[0];
  EXPECT_NE(errors_of(kGood, {"novalue"}).at(0).find("--set novalue: error: expected KEY=VALUE"),
            std::string::npos);
}

TEST(Scenario, ReportsEveryErrorWithPlaceKeyExpectedAndFound) {
  const auto errors = errors_of(R"(model: toy
start: 2020-01-01
end: last spring
parameters:
  rate: 1.5
  grid: {widht: 5}
  moves: maybe
sed: 4
)");
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_EQ(
      errors[0],
      "scen.yaml:8:1: error: sed: unknown key (did you mean 'seed'?); allowed: extends, model, "
      "name, description, seed, start, end, output, parameters, policies, events");
  EXPECT_EQ(errors[1],
            "scen.yaml:3:6: error: end: expected a date (YYYY-MM-DD), got \"last spring\"");
  EXPECT_EQ(
      errors[2],
      "scen.yaml:5:9: error: parameters.rate: expected a number in [0, 1] 1/day, got \"1.5\"");
  EXPECT_NE(
      errors[3].find(
          "scen.yaml:6:10: error: parameters.grid.widht: unknown parameter of model 'toy' (did "
          "you mean 'parameters.grid.width'?)"),
      std::string::npos)
      << errors[3];
  EXPECT_EQ(errors[4],
            "scen.yaml:7:10: error: parameters.moves: expected true or false, got \"maybe\"");
}

TEST(Scenario, RejectsUnknownPoliciesEventsAndBadStrengths) {
  const auto errors = errors_of(R"(model: toy
start: 2020-01-01
end: 2020-12-31
policies:
  - {policy: talk, start: 2020-02-01}
  - {policy: strikes, start: 2020-02-01, per_month: 45}
  - {policy: strikes, start: 2020-05-01, end: 2020-04-01}
events:
  - {event: kabul_fell, date: 2020-08-15}
)");
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_NE(errors[0].find("policies[0].policy: unknown policy \"talk\" (did you mean 'talks'?)"),
            std::string::npos);
  EXPECT_NE(errors[1].find("policies[1].per_month: expected an integer in [0, 30]"),
            std::string::npos);
  EXPECT_NE(errors[2].find("policies[2].end: must not be before start"), std::string::npos);
  EXPECT_NE(errors[3].find("policies[2]: overlaps another 'strikes' switch"), std::string::npos);
  EXPECT_NE(
      errors[4].find("events[0].event: unknown event \"kabul_fell\" (did you mean 'kabul_falls'?)"),
      std::string::npos);
}

TEST(Scenario, RejectsOverlappingSwitchesOfOnePolicy) {
  const auto errors = errors_of(R"(model: toy
start: 2020-01-01
end: 2020-12-31
policies:
  - {policy: talks, start: 2020-02-01, end: 2020-06-01}
  - {policy: talks, start: 2020-05-01, end: 2020-07-01}
)");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("overlaps another 'talks' switch"), std::string::npos);
}

TEST(Scenario, ReportsYamlSyntaxErrorsWithTheirPlace) {
  const auto errors = errors_of("model: toy\nparameters: {rate: 0.1\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("scen.yaml:"), std::string::npos);
  EXPECT_NE(errors[0].find("YAML syntax"), std::string::npos);
}

TEST(Scenario, RequiresAKnownModelAndDates) {
  EXPECT_NE(errors_of("model: tyo\nstart: 2020-01-01\nend: 2020-02-01\n")
                .at(0)
                .find("(did you mean 'toy'?)"),
            std::string::npos);
  const auto errors = errors_of("model: toy\n");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].find("start: missing"), std::string::npos);
}

TEST(Scenario, ReadTextFileNamesMissingFiles) {
  try {
    read_text_file("/nonexistent/x.yaml", "scenario file");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "/nonexistent/x.yaml: error: scenario file not found");
  }
}

}  // namespace borderland::sim
