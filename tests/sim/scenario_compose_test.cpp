// Scenarios that extend others, command-line policies, and the strict reading
// of input text (encodings, duplicate keys, tags, documents, nesting).
#include <gtest/gtest.h>
#include <unistd.h>

#include <fmt/format.h>
#include <filesystem>

#include <fstream>
#include <random>

#include "sim/diagnostics.hpp"
#include "sim/error.hpp"
#include "sim/input_text.hpp"
#include "sim/scenario.hpp"
#include "sim/scenario_overrides.hpp"
#include "test_spec.hpp"

namespace borderland::sim {

namespace {
const ModelSpec kSpec = testing::toy_spec();

std::vector<std::string> errors_of_text(const std::string& text,
                                        const std::vector<std::string>& overrides = {},
                                        const std::string& source = "scen.yaml") {
  try {
    parse_scenario(text, source, overrides, {&kSpec});
  } catch (const InputError& e) {
    return e.messages();
  }
  return {};
}

std::string first_error(const std::string& text, const std::vector<std::string>& overrides = {}) {
  const auto errors = errors_of_text(text, overrides);
  return errors.empty() ? "(no error)" : errors.front();
}

const std::string kMinimal = "model: toy\nstart: 2020-01-01\nend: 2020-12-31\n";

// A folder of scenario files for `extends`.
class Files {
 public:
  Files()
      : dir_(std::filesystem::temp_directory_path() /
             ("borderland_compose_test" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "sub");
  }
  ~Files() { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  Scenario load(const std::string& name, const std::vector<std::string>& overrides = {}) const {
    return load_scenario((dir_ / name).string(), overrides, {&kSpec});
  }
  std::vector<std::string> errors(const std::string& name) const {
    try {
      load(name);
    } catch (const InputError& e) {
      return e.messages();
    }
    return {};
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

 private:
  std::filesystem::path dir_;
};

const std::string kHistory = R"(model: toy
seed: 4
start: 2020-01-01
end: 2020-12-31
output: {snapshot_every: 30}
parameters:
  rate: 0.25
  grid: {width: 20, height: 30}
policies:
  - {policy: talks, start: 2020-03-01, end: 2020-04-01, concessions: 0.5}
events:
  - {event: kabul_falls, date: 2020-08-15}
)";
}  // namespace

TEST(Extends, OverridesKeysMergesMappingsAndAppendsPoliciesAndEvents) {
  Files files;
  files.write("history.yaml", kHistory);
  files.write("lever.yaml", R"(extends: history.yaml
description: the history plus strikes
parameters:
  grid: {height: 40}
policies:
  - {policy: strikes, start: 2020-06-01, per_month: 3}
events:
  - {event: kabul_falls, date: 2020-09-01}
)");
  const Scenario s = files.load("lever.yaml");
  EXPECT_EQ(s.name, "lever");  // the extending file's own name, not the parent's
  EXPECT_EQ(s.description, "the history plus strikes");
  EXPECT_EQ(s.seed, 4u);
  EXPECT_EQ(s.output.snapshot_every, 30);
  EXPECT_DOUBLE_EQ(s.parameters.real("rate"), 0.25);
  EXPECT_EQ(s.parameters.integer("grid.width"), 20);   // kept from the parent's mapping
  EXPECT_EQ(s.parameters.integer("grid.height"), 40);  // overridden
  ASSERT_EQ(s.policies.size(), 2u);
  EXPECT_EQ(s.policies[0].name, "talks");
  EXPECT_EQ(s.policies[1].name, "strikes");
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[1].date.iso(), "2020-09-01");
  EXPECT_EQ(s.extends, std::vector<std::string>{files.path("history.yaml")});
  EXPECT_EQ(s.resolved_yaml.find("extends"), std::string::npos);
}

TEST(Extends, ResolvedFormEqualsTheWrittenOutScenario) {
  Files files;
  files.write("history.yaml", kHistory);
  files.write("lever.yaml",
              "extends: history.yaml\nname: lever\npolicies:\n"
              "  - {policy: strikes, start: 2020-06-01, per_month: 3}\n");
  const Scenario composed = files.load("lever.yaml");
  files.write("flat.yaml", composed.resolved_yaml);
  const Scenario flat = files.load("flat.yaml");
  EXPECT_EQ(flat.resolved_yaml, composed.resolved_yaml);
}

TEST(Extends, ChainsAcrossFolders) {
  Files files;
  files.write("history.yaml", kHistory);
  files.write("sub/middle.yaml", "extends: ../history.yaml\nparameters: {rate: 0.75}\n");
  files.write("sub/top.yaml", "extends: middle.yaml\nseed: 9\n");
  const Scenario s = files.load("sub/top.yaml");
  EXPECT_EQ(s.seed, 9u);
  EXPECT_DOUBLE_EQ(s.parameters.real("rate"), 0.75);
  EXPECT_EQ(s.parameters.integer("grid.width"), 20);
  EXPECT_EQ(s.extends.size(), 2u);
}

TEST(Extends, PlacesEveryErrorInTheFileItComesFrom) {
  Files files;
  files.write("bad_history.yaml", R"(model: toy
start: 2020-01-01
end: 2020-12-31
parameters:
  rate: 7
policies:
  - {policy: talks, start: 2020-03-01, concessions: 2}
)");
  files.write("child.yaml", R"(extends: bad_history.yaml
parameters:
  grid: {width: 0}
policies:
  - {policy: strikes, start: 2020-06-01, per_month: 99}
)");
  const auto errors = files.errors("child.yaml");
  ASSERT_EQ(errors.size(), 4u) << ::testing::PrintToString(errors);
  const std::string parent = files.path("bad_history.yaml"), child = files.path("child.yaml");
  EXPECT_EQ(errors[0].rfind(parent + ":5:9: error: parameters.rate:", 0), 0u) << errors[0];
  EXPECT_EQ(errors[1].rfind(child + ":3:17: error: parameters.grid.width:", 0), 0u) << errors[1];
  EXPECT_EQ(errors[2].rfind(parent + ":7:53: error: policies[0].concessions:", 0), 0u) << errors[2];
  EXPECT_EQ(errors[3].rfind(child + ":5:53: error: policies[1].per_month:", 0), 0u) << errors[3];
}

TEST(Extends, RejectsMissingParentsCyclesAndNonNames) {
  Files files;
  files.write("a.yaml", "extends: b.yaml\n");
  files.write("b.yaml", "extends: a.yaml\n");
  files.write("lost.yaml", "extends: nowhere.yaml\n");
  files.write("list.yaml", "extends: [a.yaml]\n");
  files.write("self.yaml", "extends: ./self.yaml\n");
  EXPECT_NE(files.errors("a.yaml").at(0).find("extends: a cycle"), std::string::npos);
  EXPECT_NE(files.errors("self.yaml").at(0).find("extends: a cycle"), std::string::npos);
  const std::string lost = files.errors("lost.yaml").at(0);
  EXPECT_EQ(lost.rfind(files.path("lost.yaml") + ":1:10: error: extends: cannot read", 0), 0u)
      << lost;
  EXPECT_NE(lost.find("not found"), std::string::npos) << lost;
  EXPECT_NE(files.errors("list.yaml").at(0).find("expected the file name of a scenario"),
            std::string::npos);
}

TEST(Extends, ASyntaxErrorInTheParentIsPlacedThere) {
  Files files;
  files.write("broken.yaml", "model: toy\nparameters: {rate: 0.5\n");
  files.write("child.yaml", "extends: broken.yaml\n");
  const auto errors = files.errors("child.yaml");
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].rfind(files.path("broken.yaml") + ":", 0), 0u) << errors[0];
  EXPECT_NE(errors[0].find("YAML syntax"), std::string::npos);
}

// A parent with two periods of `strikes` (one open-ended) and one of `talks`.
const std::string kOperations = R"(model: toy
start: 2020-01-01
end: 2020-12-31
policies:
  - {policy: strikes, start: 2020-02-01, end: 2020-05-31, per_month: 4}
  - {policy: talks, start: 2020-03-01, end: 2020-04-01, concessions: 0.5}
  - {policy: strikes, start: 2020-07-01, per_month: 8}
)";

TEST(InheritedRules, EndCutsActivePeriodsAndDropsLaterOnes) {
  Files files;
  files.write("ops.yaml", kOperations);
  files.write("stop.yaml", R"(extends: ops.yaml
policies:
  - {policy: talks, start: 2020-09-01, concessions: 0.2}
  - {policy: strikes, inherited: end, at: 2020-04-15}
)");
  const Scenario s = files.load("stop.yaml");
  ASSERT_EQ(s.policies.size(), 3u);
  EXPECT_EQ(s.policies[0].name, "strikes");  // active on the date: ends that day
  EXPECT_EQ(s.policies[0].start.iso(), "2020-02-01");
  EXPECT_EQ(s.policies[0].end.iso(), "2020-04-15");
  EXPECT_EQ(s.policies[0].strengths.integer("per_month"), 4);
  EXPECT_EQ(s.policies[1].name, "talks");  // another policy: untouched
  EXPECT_EQ(s.policies[1].end.iso(), "2020-04-01");
  EXPECT_EQ(s.policies[2].name, "talks");  // the child's own period, after the inherited ones
  EXPECT_EQ(s.policies[2].start.iso(), "2020-09-01");
  // The resolved form shows the cut period and reads back to itself.
  EXPECT_NE(s.resolved_yaml.find("2020-04-15"), std::string::npos) << s.resolved_yaml;
  EXPECT_EQ(s.resolved_yaml.find("inherited"), std::string::npos) << s.resolved_yaml;
  files.write("flat.yaml", s.resolved_yaml);
  EXPECT_EQ(files.load("flat.yaml").resolved_yaml, s.resolved_yaml);
}

TEST(InheritedRules, EndBeforeEveryPeriodDropsThemAllAndAfterKeepsEnded) {
  Files files;
  files.write("ops.yaml", kOperations);
  files.write("early.yaml",
              "extends: ops.yaml\npolicies:\n"
              "  - {policy: strikes, inherited: end, at: 2020-01-15}\n");
  const Scenario early = files.load("early.yaml");
  ASSERT_EQ(early.policies.size(), 1u);
  EXPECT_EQ(early.policies[0].name, "talks");
  // A period that ended before the date stays; the open-ended one ends on it;
  // one starting on the date lasts that one day.
  files.write("late.yaml",
              "extends: ops.yaml\npolicies:\n"
              "  - {policy: strikes, inherited: end, at: 2020-07-01}\n");
  const Scenario late = files.load("late.yaml");
  ASSERT_EQ(late.policies.size(), 3u);
  EXPECT_EQ(late.policies[0].end.iso(), "2020-05-31");
  EXPECT_EQ(late.policies[2].start.iso(), "2020-07-01");
  EXPECT_EQ(late.policies[2].end.iso(), "2020-07-01");
}

TEST(InheritedRules, ReplaceDropsEveryInheritedPeriodAndAddsItsOwn) {
  Files files;
  files.write("ops.yaml", kOperations);
  files.write("mid.yaml",
              "extends: ops.yaml\npolicies:\n"
              "  - {policy: strikes, start: 2020-11-01, per_month: 1}\n");
  // Through two levels: the grandparent's periods and the parent's are inherited.
  files.write("swap.yaml", R"(extends: mid.yaml
policies:
  - {policy: strikes, inherited: replace, start: 2020-03-01, end: 2020-12-31, per_month: 2}
)");
  const Scenario s = files.load("swap.yaml");
  ASSERT_EQ(s.policies.size(), 2u);
  EXPECT_EQ(s.policies[0].name, "talks");
  EXPECT_EQ(s.policies[1].name, "strikes");
  EXPECT_EQ(s.policies[1].start.iso(), "2020-03-01");
  EXPECT_EQ(s.policies[1].strengths.integer("per_month"), 2);
}

TEST(InheritedRules, ErrorsArePlacedAtTheRule) {
  Files files;
  files.write("ops.yaml", kOperations);
  const auto first_error_of = [&](const std::string& rule) {
    files.write("bad.yaml", "extends: ops.yaml\npolicies:\n  - " + rule + "\n");
    const auto errors = files.errors("bad.yaml");
    return errors.empty() ? std::string("(no error)") : errors.front();
  };
  const std::string bad = files.path("bad.yaml");
  struct Case {
    std::string rule, expected;
  };
  const std::vector<Case> cases = {
      {"{policy: kabul, inherited: end, at: 2020-03-01}",
       ":3:14: error: policies[0].policy: no period of 'kabul' is inherited, so there is none to "
       "end; inherited: strikes, talks"},
      {"{policy: strikes, inherited: end}", ":3:5: error: policies[0].at: missing"},
      {"{policy: strikes, inherited: end, at: soon}",
       ":3:43: error: policies[0].at: expected a date (YYYY-MM-DD), got \"soon\""},
      {"{policy: strikes, inherited: stop, at: 2020-03-01}",
       ":3:34: error: policies[0].inherited: expected end"},
      {"{policy: strikes, inherited: replace, at: 2020-03-01, per_month: 2}",
       ":3:47: error: policies[0].at: a replace rule is a period of its own"},
      {"{policy: strikes, inherited: end, at: 2020-03-01, per_month: 2}",
       ":3:55: error: policies[0].per_month: an `inherited: end` rule takes only policy, "
       "inherited and at"},
      {"{inherited: end, at: 2020-03-01}", ":3:5: error: policies[0].policy: missing"},
  };
  for (const auto& c : cases) {
    const std::string error = first_error_of(c.rule);
    EXPECT_EQ(error.rfind(bad + c.expected, 0), 0u) << c.rule << "\n" << error;
  }
  // A replace that overlaps the child's other period is caught when the result
  // is validated, placed at the child's lines.
  files.write("overlap.yaml", R"(extends: ops.yaml
policies:
  - {policy: strikes, start: 2020-06-01, end: 2020-06-30}
  - {policy: strikes, inherited: replace, start: 2020-06-15, per_month: 2}
)");
  const auto errors = files.errors("overlap.yaml");
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].rfind(files.path("overlap.yaml") + ":4:5: error: policies[2]: overlaps", 0),
            0u)
      << errors[0];
}

TEST(InheritedRules, AScenarioWithoutParentHasNothingToInherit) {
  const std::string error =
      first_error(kMinimal + "policies:\n  - {policy: talks, inherited: end, at: 2020-03-01}\n");
  EXPECT_EQ(
      error.rfind("scen.yaml:5:32: error: policies[0].inherited: this scenario extends none", 0),
      0u)
      << error;
}

TEST(InheritedRules, LaterErrorsStayInTheirFilesAfterPeriodsAreDropped) {
  Files files;
  files.write("ops.yaml", kOperations + "  - {policy: talks, start: 2020-10-01, concessions: 3}\n");
  files.write("child.yaml", R"(extends: ops.yaml
policies:
  - {policy: strikes, inherited: end, at: 2020-01-10}
  - {policy: strikes, start: 2020-08-01, per_month: 99}
)");
  const auto errors = files.errors("child.yaml");
  ASSERT_EQ(errors.size(), 2u) << ::testing::PrintToString(errors);
  // The dropped periods were rows 0 and 2; the parent's last row is now 1.
  EXPECT_EQ(errors[0].rfind(files.path("ops.yaml") + ":8:53: error: policies[1].concessions:", 0),
            0u)
      << errors[0];
  EXPECT_EQ(errors[1].rfind(files.path("child.yaml") + ":4:53: error: policies[2].per_month:", 0),
            0u)
      << errors[1];
}

TEST(InheritedRules, WorkOnTheCommandLineWithPolicy) {
  Files files;
  files.write("ops.yaml", kOperations);
  const Scenario ended =
      files.load("ops.yaml", {policy_override("strikes inherited=end at=2020-03-01")});
  ASSERT_EQ(ended.policies.size(), 2u);
  EXPECT_EQ(ended.policies[0].end.iso(), "2020-03-01");
  EXPECT_EQ(ended.policies[1].name, "talks");
  const Scenario replaced = files.load(
      "ops.yaml", {policy_override("strikes inherited=replace start=2020-06-01 per_month=3")});
  ASSERT_EQ(replaced.policies.size(), 2u);
  EXPECT_EQ(replaced.policies[1].name, "strikes");
  EXPECT_EQ(replaced.policies[1].start.iso(), "2020-06-01");
  try {
    files.load("ops.yaml", {policy_override("kabul inherited=end at=2020-03-01")});
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.messages().at(0).rfind("--policy 'kabul inherited=end at=2020-03-01': error: "
                                       "policy: no period of 'kabul' is inherited",
                                       0),
              0u)
        << e.messages().at(0);
  }
  // `--set policies.+=` with a rule applies it too (what a sweep's policy_set does).
  const Scenario set =
      files.load("ops.yaml", {"policies.+={policy: strikes, inherited: end, at: 2020-01-15}"});
  ASSERT_EQ(set.policies.size(), 1u);
  EXPECT_EQ(set.policies[0].name, "talks");
  try {
    files.load("ops.yaml", {"policies.+={policy: strikes, inherited: end}"});
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.messages().at(0).rfind("--set policies.+: error: at: missing", 0), 0u)
        << e.messages().at(0);
  }
  // An error in the replacing period is placed at the flag.
  try {
    files.load("ops.yaml",
               {policy_override("strikes inherited=replace start=2020-06-01 per_month=99")});
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(e.messages().at(0).find(
                  "--policy 'strikes inherited=replace start=2020-06-01 per_month=99': error: "
                  "policies[1].per_month"),
              std::string::npos)
        << e.messages().at(0);
  }
}

TEST(CommandLinePolicy, AddsASwitchValidatedLikeTheFile) {
  const Scenario s = parse_scenario(
      kMinimal, "scen.yaml",
      {policy_override("talks start=2020-05-01 end=2020-06-01 concessions=0.3")}, {&kSpec});
  ASSERT_EQ(s.policies.size(), 1u);
  EXPECT_EQ(s.policies[0].start.iso(), "2020-05-01");
  EXPECT_DOUBLE_EQ(s.policies[0].strengths.real("concessions"), 0.3);

  EXPECT_EQ(first_error(kMinimal, {policy_override("talks start=2020-05-01 concessions=3")}),
            "--policy 'talks start=2020-05-01 concessions=3': error: policies[0].concessions: "
            "expected a number in [0, 1], got \"3\"");
  EXPECT_NE(first_error(kMinimal, {policy_override("talk start=2020-05-01")})
                .find("--policy 'talk start=2020-05-01': error: policies[0].policy: unknown "
                      "policy \"talk\" (did you mean 'talks'?)"),
            std::string::npos);
  EXPECT_EQ(first_error(kMinimal, {policy_override("talks start")}),
            "--policy 'talks start': error: expected KEY=VALUE, got \"start\"");
  EXPECT_NE(first_error(kMinimal, {policy_override("")}).find("expected NAME KEY=VALUE"),
            std::string::npos);
  EXPECT_NE(first_error(kMinimal, {policy_override("talks start=2020-05-01 end=2020-04-01")})
                .find("policies[0].end: must not be before start (2020-05-01)"),
            std::string::npos);
}

TEST(SetOverride, CanAppendAPolicyAndPlacesItsErrorsAtTheFlag) {
  const Scenario added =
      parse_scenario(kMinimal, "scen.yaml",
                     {"policies.+={policy: strikes, start: 2020-02-01, per_month: 4}"}, {&kSpec});
  ASSERT_EQ(added.policies.size(), 1u);
  EXPECT_EQ(added.policies[0].strengths.integer("per_month"), 4);

  const Scenario by_index = parse_scenario(
      kMinimal, "scen.yaml",
      {"policies.0.policy=talks", "policies.0.start=2020-02-01", "policies.0.concessions=0.1"},
      {&kSpec});
  ASSERT_EQ(by_index.policies.size(), 1u);
  EXPECT_DOUBLE_EQ(by_index.policies[0].strengths.real("concessions"), 0.1);

  EXPECT_EQ(first_error(kMinimal, {"policies.0.policy=talks", "policies.0.start=2020-02-01",
                                   "policies.0.concessions=5"}),
            "--set policies.0.concessions: error: policies[0].concessions: expected a number in "
            "[0, 1], got \"5\"");
  EXPECT_NE(first_error(kMinimal, {"policies.3.policy=talks"}).find("'3' is not an index"),
            std::string::npos);
  // An error about a key the flag left missing is placed at the flag too.
  EXPECT_EQ(first_error(kMinimal, {"policies.+={policy: talks}"}).rfind("--set policies.+:", 0),
            0u);
}

TEST(StrictYaml, RejectsDuplicateKeysAtAnyDepth) {
  EXPECT_EQ(first_error(kMinimal + "seed: 1\nseed: 2\n"),
            "scen.yaml:5:1: error: key 'seed' appears twice in this mapping; give each key once");
  EXPECT_EQ(first_error(kMinimal + "parameters: {rate: 0.1, rate: 0.2}\n"),
            "scen.yaml:4:25: error: key 'rate' appears twice in this mapping; give each key once");
}

TEST(StrictYaml, RejectsTagsSecondDocumentsAndDeepNesting) {
  EXPECT_EQ(first_error(kMinimal + "parameters: {rate: !!str 0.5}\n"),
            "scen.yaml:4:20: error: YAML tag '!!str' is not supported; write the value without "
            "a tag");
  EXPECT_NE(first_error(kMinimal + "---\nmodel: toy\n").find("a second YAML document"),
            std::string::npos);
  std::string deep = kMinimal + "parameters: ";
  for (int i = 0; i < 100; ++i) deep += "[";
  for (int i = 0; i < 100; ++i) deep += "]";
  deep += "\n";
  EXPECT_NE(first_error(deep).find("nested deeper than 32 levels"), std::string::npos)
      << first_error(deep);
}

TEST(StrictYaml, RejectsInvalidUtf8Utf16AndNulBytes) {
  EXPECT_EQ(first_error(kMinimal + "name: \"caf\xc3\"\n"),
            "scen.yaml:4:11: error: invalid UTF-8 sequence starting with byte 0xc3");
  EXPECT_EQ(first_error(kMinimal + "name: \xff\n"),
            "scen.yaml:4:7: error: invalid UTF-8 byte 0xff");
  EXPECT_EQ(first_error(std::string("\xff\xfem\0o\0", 6)),
            "scen.yaml:1:1: error: the file is UTF-16 encoded; save it as UTF-8");
  EXPECT_NE(first_error(std::string("model: toy\0", 11)).find("a NUL byte"), std::string::npos);
  // Valid multi-byte text passes and is kept.
  const Scenario s = parse_scenario(
      kMinimal + "name: \"Khyber Pakhtunkhwa \xe2\x80\x93 \xd8\xa7\"\n", "scen.yaml", {}, {&kSpec});
  EXPECT_EQ(s.name, "Khyber Pakhtunkhwa \xe2\x80\x93 \xd8\xa7");
  EXPECT_NE(first_error(kMinimal, {"name=\xc3"}).find("--set name"), std::string::npos);
}

TEST(StrictYaml, SeedsFitAnInt64AndAreDigitsOnly) {
  EXPECT_EQ(parse_scenario(kMinimal + "seed: 9223372036854775807\n", "s", {}, {&kSpec}).seed,
            9223372036854775807ULL);
  for (const char* bad : {"9223372036854775808", "-1", "18446744073709551616", "1e3", "0x10"})
    EXPECT_NE(first_error(kMinimal + "seed: " + bad + "\n")
                  .find("seed: expected an integer in [0, 9223372036854775807]"),
              std::string::npos)
        << bad;
  EXPECT_EQ(parse_seed("42"), 42u);
  EXPECT_FALSE(parse_seed(""));
  EXPECT_FALSE(parse_seed(" 1"));
}

TEST(ScenarioChecks, ModelOfTheWrongTypeIsNotCalledMissing) {
  EXPECT_EQ(first_error("model: [toy]\nstart: 2020-01-01\nend: 2020-12-31\n"),
            "scen.yaml:1:8: error: model: expected a model name (one of toy), got a list");
}

TEST(ScenarioChecks, SnapshotFieldsListedTwiceAreRejected) {
  EXPECT_EQ(first_error(kMinimal + "output: {snapshot_fields: [density, density]}\n"),
            "scen.yaml:4:37: error: output.snapshot_fields: field \"density\" is listed twice");
}

TEST(ScenarioChecks, APolicyAfterTheEndIsNeverReachedAndItsResolvedFormReadsBack) {
  // A run cut short (--set end=...) keeps the later switches of its file; the
  // default end of such a switch is its start, so the resolved form is valid.
  const Scenario s = parse_scenario(
      kMinimal + "policies:\n  - {policy: talks, start: 2021-01-01}\n", "scen.yaml", {}, {&kSpec});
  ASSERT_EQ(s.policies.size(), 1u);
  EXPECT_EQ(s.policies[0].end.iso(), "2021-01-01");
  EXPECT_EQ(parse_scenario(s.resolved_yaml, "resolved.yaml", {}, {&kSpec}).resolved_yaml,
            s.resolved_yaml);
}

TEST(InputText, RefusesDevicesFoldersAndHugeFiles) {
  EXPECT_THROW(read_text_file("/dev/zero", "scenario file"), InputError);
  try {
    read_text_file("/dev/zero", "scenario file");
  } catch (const InputError& e) {
    EXPECT_EQ(e.messages()[0],
              "/dev/zero: error: scenario file is not a regular file (a device or socket?)");
  }
  Files files;
  const std::string big = files.write("big.yaml", std::string(kMaxInputBytes + 1, '#'));
  try {
    read_text_file(big, "scenario file");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(e.messages()[0].find("larger than 16 MiB"), std::string::npos);
  }
  EXPECT_THROW(read_text_file(std::filesystem::temp_directory_path().string(), "x"), InputError);
}

TEST(Diagnostics, MessagePathsWriteIndicesInBrackets) {
  EXPECT_EQ(message_path("policies.0.end"), "policies[0].end");
  EXPECT_EQ(message_path("parameters.grid.width"), "parameters.grid.width");
  EXPECT_TRUE(path_within("policies[1].end", "policies[1]"));
  EXPECT_FALSE(path_within("policies[10]", "policies[1]"));
  EXPECT_TRUE(path_within("parameters.grid", "parameters"));
  EXPECT_FALSE(path_within("parameters_x", "parameters"));
}

}  // namespace borderland::sim

namespace borderland::sim {

// Property: for any valid scenario, the resolved form parses back to itself
// (what `validate` prints validates again, and gives the same scenario).
TEST(ResolvedForm, ReadsBackToItselfForRandomScenarios) {
  std::mt19937_64 random(20230228);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  auto unit = [&] { return static_cast<double>(random() % 1000003) / 1000003.0; };
  const Date first = *Date::parse("2019-06-01");
  for (int trial = 0; trial < 300; ++trial) {
    const Date start = first.plus_days(pick(400));
    const Date end = start.plus_days(pick(500));
    std::string text = fmt::format("model: toy\nstart: {}\nend: {}\n", start.iso(), end.iso());
    if (pick(2)) text += fmt::format("seed: {}\n", random() >> 1);
    if (pick(2)) text += "name: \"run \xc3\xa9 #" + std::to_string(trial) + ": a, b\"\n";
    if (pick(2)) text += fmt::format("output: {{snapshot_every: {}}}\n", pick(40));
    text += "parameters:\n";
    if (pick(2)) text += fmt::format("  rate: {}\n", unit());
    if (pick(2))
      text += fmt::format("  grid: {{width: {}, height: {}}}\n", 1 + pick(1000), 1 + pick(1000));
    if (pick(2)) text += fmt::format("  moves: {}\n", pick(2) ? "true" : "false");
    if (pick(2)) text += fmt::format("  shape: {}\n", pick(2) ? "square" : "cross");
    text += "policies:\n";
    Date next = start.plus_days(pick(30));
    for (int k = pick(4); k > 0; --k) {
      const Date off = next.plus_days(pick(90));
      if (pick(2))
        text += fmt::format("  - {{policy: talks, start: {}, end: {}, concessions: {}}}\n",
                            next.iso(), off.iso(), unit());
      else
        text += fmt::format("  - {{policy: strikes, start: {}, per_month: {}}}\n", next.iso(),
                            pick(31));
      next = off.plus_days(1 + pick(1000));  // may start after the end
    }
    if (pick(2)) text += fmt::format("events:\n  - {{event: kabul_falls, date: {}}}\n", end.iso());
    Scenario s;
    try {
      s = parse_scenario(text, "random.yaml", {}, {&kSpec});
    } catch (const InputError& e) {
      // "strikes" without an end run to the scenario's end: they may overlap a later one.
      if (e.messages().front().find("overlaps another") != std::string::npos) continue;
      FAIL() << e.what() << "\n" << text;
    }
    const Scenario again = parse_scenario(s.resolved_yaml, "resolved.yaml", {}, {&kSpec});
    ASSERT_EQ(again.resolved_yaml, s.resolved_yaml) << text;
    EXPECT_EQ(again.seed, s.seed);
    EXPECT_EQ(again.policies.size(), s.policies.size());
  }
}

}  // namespace borderland::sim
