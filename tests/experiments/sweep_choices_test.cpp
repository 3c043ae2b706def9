// The sweep loader's newer parts: designs that choose between scenarios or
// policy sets, policy strengths by list index, every list row checked, bounds
// on the size of a design, and shapes that used to escape as YAML exceptions.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app/registry.hpp"
#include "sim/error.hpp"
#include "sim/experiments/sweep.hpp"

namespace borderland::sim::experiments {

namespace {
const std::string kScenarios = std::string(BORDERLAND_SOURCE_DIR) + "/scenarios/";

// A folder holding the sweep (and its CSV or scenario files).
class SweepDir {
 public:
  SweepDir()
      : dir_(std::filesystem::temp_directory_path() /
             ("borderland_sweep_choices" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~SweepDir() { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name) << text;
  }
  Sweep load(const std::string& text) const {
    write("sweep.yaml", text);
    return load_sweep((dir_ / "sweep.yaml").string(), app::model_specs());
  }
  std::string errors(const std::string& text) const {
    try {
      load(text);
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no error)";
  }

 private:
  std::filesystem::path dir_;
};

std::string tiny_base() {
  return "base: " + kScenarios + "civil_violence.yaml\n" + R"(set:
  end: 2000-01-10
  parameters.grid: {width: 12, height: 12}
  parameters.citizens.vision: 2
  parameters.cops.vision: 2
seed: 5
)";
}
}  // namespace

TEST(SweepChoices, PolicySetsAreAppendedToTheBase) {
  SweepDir dir;
  const Sweep s = dir.load(tiny_base() + R"(design: factorial
parameters:
  policy_set:
    none: []
    shift: [{policy: legitimacy_shift, start: 2000-01-03, delta: -0.2}]
    two: [{policy: legitimacy_shift, start: 2000-01-03, end: 2000-01-04, delta: 0.1},
          {policy: legitimacy_shift, start: 2000-01-06, delta: -0.1}]
  parameters.legitimacy: [0.7, 0.8]
)");
  EXPECT_EQ(s.runs(), 6);
  ASSERT_EQ(s.design.parameters[0].labels, (std::vector<std::string>{"none", "shift", "two"}));
  // Factorial order: the last parameter varies fastest.
  EXPECT_EQ(s.scenario(0, app::model_specs()).policies.size(), 0u);
  const Scenario shift = s.scenario(2, app::model_specs());
  ASSERT_EQ(shift.policies.size(), 1u);
  EXPECT_DOUBLE_EQ(shift.policies[0].strengths.real("delta"), -0.2);
  EXPECT_DOUBLE_EQ(shift.parameters.real("legitimacy"), 0.7);
  EXPECT_EQ(s.scenario(5, app::model_specs()).policies.size(), 2u);
}

TEST(SweepChoices, ABadPolicySetIsPlacedInTheSweep) {
  SweepDir dir;
  const std::string got = dir.errors(tiny_base() + R"(design: factorial
parameters:
  policy_set:
    none: []
    bad: [{policy: legitimacy_shift, start: 2000-01-03, delta: 7}]
)");
  EXPECT_NE(got.find("sweep.yaml:12:10: error: policies[0].delta: expected a number in [-1, 1]"),
            std::string::npos)
      << got;
}

TEST(SweepChoices, ScenariosCanBeTheVariedFactor) {
  SweepDir dir;
  const Sweep s = dir.load("base: " + kScenarios + "ttp/baseline.yaml\nset: {end: 2020-01-20}\n" +
                           "seed: 3\ndesign: factorial\nparameters:\n  scenario: [" + kScenarios +
                           "ttp/baseline.yaml, " + kScenarios + "ttp/police_reform.yaml]\n");
  EXPECT_EQ(s.runs(), 2);
  EXPECT_EQ(s.design.parameters[0].labels, (std::vector<std::string>{"baseline", "police_reform"}));
  const Scenario reform = s.scenario(1, app::model_specs());
  EXPECT_EQ(reform.name, "police_reform");
  EXPECT_EQ(reform.policies.back().name, "police_reform");
  EXPECT_EQ(reform.end.iso(), "2020-01-20");  // the sweep's set: applies to every alternative
  EXPECT_EQ(s.scenario(0, app::model_specs()).name, "baseline");

  const std::string other_model = dir.errors(
      "base: " + kScenarios + "ttp/baseline.yaml\nseed: 3\n" +
      "design: factorial\nparameters:\n  scenario: [" + kScenarios + "civil_violence.yaml]\n");
  EXPECT_NE(other_model.find("the runs of a sweep share the model and the dates"),
            std::string::npos)
      << other_model;
  const std::string lhs =
      dir.errors(tiny_base() + "design: lhs\nsamples: 2\nparameters:\n" + "  scenario: [a.yaml]\n");
  EXPECT_NE(lhs.find("a choice between alternatives needs a factorial design"), std::string::npos)
      << lhs;
}

TEST(SweepChoices, PolicyStrengthsByIndexAreCheckedAgainstTheBase) {
  SweepDir dir;
  const std::string base = "base: " + kScenarios + "civil_violence.yaml\n" + R"(set:
  end: 2000-01-10
  parameters.grid: {width: 12, height: 12}
  parameters.citizens.vision: 2
  parameters.cops.vision: 2
  policies.+: {policy: legitimacy_shift, start: 2000-01-03, delta: 0.1}
seed: 5
)";
  const Sweep s =
      dir.load(base + "design: factorial\nparameters:\n  policies.0.delta: [-0.1, 0.2]\n");
  EXPECT_DOUBLE_EQ(s.scenario(1, app::model_specs()).policies[0].strengths.real("delta"), 0.2);
  EXPECT_NE(dir.errors(base + "design: factorial\nparameters:\n  policies.3.delta: [0.1]\n")
                .find("policies.3.delta: expected policies.N.FIELD with N the index of one of the "
                      "base's 1 policy switch(es)"),
            std::string::npos);
  EXPECT_NE(dir.errors(base + "design: factorial\nparameters:\n  policies.0.delte: [0.1]\n")
                .find("'delte' is not a numeric strength of policy 'legitimacy_shift' (did you "
                      "mean 'delta'?)"),
            std::string::npos);
}

TEST(SweepChecks, KeysThatAreNotParametersCannotBeVaried) {
  SweepDir dir;
  const std::string got = dir.errors(tiny_base() + "design: lhs\nsamples: 2\nparameters:\n" +
                                     "  output.flush_every: {min: 1, max: 5}\n");
  EXPECT_NE(got.find("sweep.yaml:11:3: error: output.flush_every: cannot be varied: a sweep "
                     "varies parameters.KEY"),
            std::string::npos)
      << got;
}

TEST(SweepChecks, AScalarWhereAListIsExpectedIsAnError) {
  SweepDir dir;
  EXPECT_NE(
      dir.errors(tiny_base() + "design: factorial\nparameters:\n  parameters.legitimacy: 0.5\n")
          .find("expected a list of values (a factorial design), got \"0.5\""),
      std::string::npos);
  EXPECT_NE(dir.errors(tiny_base() +
                       "design: factorial\nparameters:\n  parameters.legitimacy: {values: 0.5}\n")
                .find("parameters.parameters.legitimacy.values: expected a list of values"),
            std::string::npos);
  EXPECT_NE(
      dir.errors(tiny_base() + "design: lhs\nsamples: 2\nparameters:\n  parameters.legitimacy: 3\n")
          .find("expected a range {min: ..., max: ...}"),
      std::string::npos);
}

TEST(SweepChecks, EveryListRowIsCheckedAndColumnsAreUnique) {
  SweepDir dir;
  dir.write("rows.csv", "parameters.legitimacy,parameters.max_jail_term\n0.5,3\n0.6,4\n1.7,5\n");
  const std::string rows = dir.errors(tiny_base() + "design: list\nruns: rows.csv\n");
  EXPECT_NE(rows.find("rows.csv:4: error: parameters.legitimacy: expected a number in [0, 1], got "
                      "\"1.7\""),
            std::string::npos)
      << rows;
  dir.write("whole.csv", "parameters.max_jail_term\n3\n4.5\n");
  EXPECT_NE(dir.errors(tiny_base() + "design: list\nruns: whole.csv\n")
                .find("whole.csv:3: error: parameters.max_jail_term: expected a whole number"),
            std::string::npos);
  dir.write("twice.csv", "parameters.legitimacy, parameters.legitimacy\n0.5,0.6\n");
  EXPECT_NE(dir.errors(tiny_base() + "design: list\nruns: twice.csv\n")
                .find("twice.csv:1:24: error: column 2 repeats the key path "
                      "'parameters.legitimacy' of column 1"),
            std::string::npos);
}

TEST(SweepChecks, DesignsAreBounded) {
  SweepDir dir;
  const std::string replicas =
      dir.errors(tiny_base() + "design: replicas\nreplicas: 9223372036854775807\n");
  EXPECT_NE(replicas.find("replicas: the design asks for"), std::string::npos) << replicas;
  EXPECT_NE(replicas.find("at most 1000000 runs per sweep"), std::string::npos) << replicas;
  const std::string saltelli =
      dir.errors(tiny_base() + "design: saltelli\nsamples: 4000000000\nparameters:\n" +
                 "  parameters.legitimacy: {min: 0.1, max: 0.9}\n");
  EXPECT_NE(saltelli.find("sweep.yaml:9:10: error: samples: the design asks for 12000000000 runs"),
            std::string::npos)
      << saltelli;
}

}  // namespace borderland::sim::experiments
