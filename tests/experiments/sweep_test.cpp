// The sweep loader: every design, inline and file bases, and errors reported
// like scenario errors (file:line:col, key path, expected/found, did you mean).
#include "sim/experiments/sweep.hpp"

#include <gtest/gtest.h>

#include "app/registry.hpp"
#include "sim/error.hpp"

namespace borderland::sim::experiments {

namespace {
const std::string kDir = std::string(BORDERLAND_SOURCE_DIR) + "/tests/experiments/data/";
const std::string kSource =
    kDir + "test_sweep.yaml";  // pretend location: base paths resolve from data/

Sweep parse(const std::string& text) {
  return parse_sweep(text, kSource, app::model_specs());
}

// Every message of the InputError thrown by parsing `text`, joined.
std::string errors_of(const std::string& text) {
  try {
    parse(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

const std::string kTinyBase = R"(base: ../../../scenarios/civil_violence.yaml
set:
  end: 2000-01-10
  parameters.grid: {width: 12, height: 12}
  parameters.citizens.vision: 2
  parameters.cops.vision: 2
seed: 5
)";
}  // namespace

TEST(SweepFile, ReplicasVaryOnlyTheSeed) {
  const Sweep s = parse(kTinyBase + "design: replicas\nreplicas: 4\n");
  EXPECT_EQ(s.runs(), 4);
  EXPECT_EQ(s.base.model, "civil_violence");
  EXPECT_EQ(s.base.steps(), 10);
  const auto o = s.overrides(3);
  EXPECT_EQ(o.back(), "seed=" + std::to_string(s.design.seed(3)));
  EXPECT_EQ(s.scenario(3, app::model_specs()).seed, s.design.seed(3));
}

TEST(SweepFile, FactorialRangesAndIntegers) {
  const Sweep s = parse(kTinyBase +
                        "design: factorial\nreplicas: 2\nparameters:\n"
                        "  parameters.legitimacy: [0.6, 0.8]\n"
                        "  parameters.max_jail_term: {values: [0, 15, 30]}\n");
  EXPECT_EQ(s.design.points, 6);
  EXPECT_EQ(s.runs(), 12);
  EXPECT_TRUE(s.design.parameters[1].integer);
  const Scenario sc = s.scenario(5, app::model_specs());
  EXPECT_EQ(sc.parameters.real("legitimacy"), 0.8);
  EXPECT_EQ(sc.parameters.integer("max_jail_term"), 30);
}

TEST(SweepFile, SaltelliAndLhsReadRanges) {
  const Sweep s = parse(kTinyBase +
                        "design: saltelli\nsamples: 8\nparameters:\n"
                        "  parameters.legitimacy: {min: 0.5, max: 0.9}\n"
                        "  parameters.cops.density: {min: 0.01, max: 0.1}\n"
                        "  parameters.max_jail_term: {min: 0, max: 30}\n");
  EXPECT_EQ(s.design.base_samples, 8);
  EXPECT_EQ(s.runs(), 8 * 5);
  const Sweep l = parse(kTinyBase +
                        "design: lhs\nsamples: 10\nparameters:\n"
                        "  parameters.threshold: {min: 0, max: 0.2}\n");
  EXPECT_EQ(l.runs(), 10);
}

TEST(SweepFile, InlineBaseAndListFromCsv) {
  const Sweep s = parse(R"(base:
  model: civil_violence
  start: 2000-01-01
  end: 2000-01-05
  parameters: {grid: {width: 10, height: 10}, citizens: {vision: 2}, cops: {vision: 2}}
design: replicas
replicas: 3
seed: 1
)");
  EXPECT_EQ(s.base.steps(), 5);
  EXPECT_EQ(s.base_source, kSource + "#base");
  const Sweep list = load_sweep(kDir + "tiny_list.yaml", app::model_specs());
  EXPECT_EQ(list.design.points, 3);
  EXPECT_EQ(list.runs(), 6);
  EXPECT_EQ(list.design.value(4, 0), 0.7);
  EXPECT_EQ(list.design.value(4, 1), 10);
}

TEST(SweepFile, ErrorsArePlacedAndExplained) {
  struct Case {
    std::string text, expected;
  };
  const std::vector<Case> cases = {
      {kTinyBase + "design: replicas\nreplica: 3\n",
       "test_sweep.yaml:9:1: error: replica: unknown key (did you mean 'replicas'?)"},
      {kTinyBase + "design: saltelly\nsamples: 4\n",
       "test_sweep.yaml:8:9: error: design: unknown design \"saltelly\" (did you mean "
       "'saltelli'?)"},
      {kTinyBase + "design: lhs\nparameters:\n  parameters.legitimacy: {min: 0.1, max: 0.2}\n",
       "error: samples: missing; a lhs design needs the number of samples"},
      {kTinyBase +
           "design: lhs\nsamples: 4\nparameters:\n  parameters.legitimcy: {min: 0.1, max: 0.2}\n",
       "test_sweep.yaml:11:3: error: parameters.legitimcy: unknown parameter of model "
       "'civil_violence' (did you mean 'parameters.legitimacy'?)"},
      {kTinyBase +
           "design: lhs\nsamples: 4\nparameters:\n  parameters.legitimacy: {min: 0.1, max: 1.5}\n",
       "test_sweep.yaml:11:42: error: parameters.legitimacy: expected a number in [0, 1], got "
       "\"1.5\""},
      {kTinyBase +
           "design: lhs\nsamples: 4\nparameters:\n  parameters.legitimacy: {min: 0.5, max: 0.2}\n",
       "error: parameters.parameters.legitimacy.max: must be greater than min (0.5), got 0.2"},
      {kTinyBase +
           "design: factorial\nparameters:\n  parameters.legitimacy: {min: 0.5, max: 0.9}\n",
       "error: parameters.parameters.legitimacy: expected a list of values (a factorial design)"},
      {kTinyBase + "design: factorial\nparameters:\n  parameters.max_jail_term: [1.5]\n",
       "expected a whole number (an integer parameter), got 1.5"},
      {kTinyBase + "design: factorial\nparameters:\n  parameters.vision_shape: [1]\n",
       "parameters.vision_shape: cannot be varied (its values are one of the listed choices, not "
       "numbers)"},
      {kTinyBase + "design: factorial\nparameters:\n  seed: [1, 2]\n",
       "seed: run seeds come from the sweep's `seed`"},
      {kTinyBase + "design: replicas\nsamples: 3\n", "samples: not used by a replicas design"},
      {"base: nowhere.yaml\ndesign: replicas\nseed: 1\n",
       "test_sweep.yaml:1:7: error: base: cannot read scenario"},
      {"base: ../../../scenarios/civil_violence.yaml\nset:\n  end: 1999-01-01\ndesign: "
       "replicas\nseed: 1\n",
       "test_sweep.yaml:3:3: error: end: must not be before start"},
      {"base: ../../../scenarios/civil_violence.yaml\ndesign: replicas\n",
       "error: seed: missing; expected the sweep seed"},
      {"design: [replicas\n", "test_sweep.yaml:"},
      {kTinyBase + "design: list\nruns: missing.csv\n", "error: runs: "},
  };
  for (const auto& c : cases) {
    const std::string got = errors_of(c.text);
    EXPECT_NE(got.find(c.expected), std::string::npos)
        << "expected: " << c.expected << "\ngot: " << got;
  }
}

TEST(SweepFile, SaltelliWithTooManyParametersIsRefused) {
  std::string text = kTinyBase + "design: saltelli\nsamples: 4\nparameters:\n";
  for (const char* key : {"legitimacy", "threshold", "arrest_constant", "cops.density",
                          "citizens.density", "max_jail_term", "grid.width", "grid.height",
                          "citizens.vision", "cops.vision", "move_attempts"})
    text += std::string("  parameters.") + key + ": {min: 0, max: 1}\n";
  EXPECT_NE(errors_of(text).find("at most 10 parameters"), std::string::npos) << errors_of(text);
}

}  // namespace borderland::sim::experiments
