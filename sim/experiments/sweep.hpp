#pragma once
// Sweep files (YAML): a base scenario, a design, replicas and a sweep seed.
//
//   base: ../civil_violence.yaml     # a scenario file (relative to this file), or
//                                     # an inline mapping holding a whole scenario
//   set: {end: 2000-07-18}           # optional: key paths set in every run
//   design: saltelli                 # factorial | random | lhs | saltelli | list | replicas
//   samples: 64                      # random, lhs, saltelli: rows (saltelli: base samples N)
//   runs: points.csv                 # list: one run per CSV row, header = key paths
//   replicas: 2                      # each design point runs this many times
//   seed: 7                          # the sweep seed: run seeds derive from it
//   parameters:                      # key paths as for --set
//     parameters.legitimacy: {min: 0.6, max: 0.9}     # a range (random, lhs, saltelli)
//     parameters.cops.density: [0.02, 0.04, 0.06]     # values (factorial)
//     policies.0.delta: [0.1, 0.2]                     # a policy strength, by list index
//     scenario: [baseline.yaml, police_reform.yaml]    # which scenario runs (factorial):
//                                                      # same model and dates as the base
//     policy_set:                                      # which policies are added (factorial)
//       none: []
//       reform: [{policy: police_reform, start: 2023-03-01, training: 0.3}]
//
// Every problem is collected and reported like scenarios do:
//   sweep.yaml:7:3: error: parameters.parameters.legitimcy: unknown parameter ... (did you mean
//   ...)
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sim/experiments/design.hpp"
#include "sim/params.hpp"
#include "sim/scenario.hpp"

namespace borderland::sim::experiments {

// The scenarios a sweep's runs parsed, by their overrides less the seed: the runs of one design
// point (every run of a replicas design) differ in the seed only, so each is parsed once, not
// once a run (parsing and re-emitting the historical TTP scenario cost ~40M instructions a run).
// The most recent few, shared between the threads of a sweep.
class ScenarioTemplates {
 public:
  // The scenario parsed from `text` (of file `source`) with `overrides`, parsed once.
  std::shared_ptr<const Scenario> get(const std::string& text, const std::string& source,
                                      const std::vector<std::string>& overrides,
                                      const std::vector<const ModelSpec*>& models);

 private:
  struct Kept {
    std::string text, source;  // the key: compared whole (a few kB, against a parse)
    std::vector<std::string> overrides;
    std::shared_ptr<const Scenario> scenario;
  };
  std::mutex mutex_;
  std::deque<Kept> kept_;
};

struct Sweep {
  std::string source;              // the sweep file
  std::string given_yaml;          // its text
  std::string base_source;         // the base scenario's file ("<sweep>#base" when inline)
  std::string base_text;           // the base scenario's YAML
  std::vector<std::string> fixed;  // "key=value" from `set:`, applied to every run
  Design design;
  Scenario base;  // the base with `set:` applied (dates, model, name)
  // A varied `scenario`: its files and texts, by alternative (empty: the base only).
  std::vector<std::string> scenario_sources, scenario_texts;
  // A varied `policy_set`: the overrides ("policies.+=...") of each alternative.
  std::vector<std::vector<std::string>> policy_sets;
  // The model's units of each varied key path (for /design); choices have none.
  std::map<std::string, std::string> parameter_units;

  std::int64_t runs() const { return design.runs(); }
  // The --set overrides of one run: fixed, then the design's values, then the seed.
  std::vector<std::string> overrides(std::int64_t run) const;
  // The scenario of one run; throws InputError when the values are out of range. Without
  // `resolved`, its resolved_yaml is left empty (a run that writes no file of its own).
  Scenario scenario(std::int64_t run, const std::vector<const ModelSpec*>& models,
                    bool resolved = true) const;
  // Shared by copies of the sweep: they hold the same texts.
  std::shared_ptr<ScenarioTemplates> templates = std::make_shared<ScenarioTemplates>();
};

// The key paths that are not --set paths but choices between alternatives.
inline constexpr const char* kScenarioChoice = "scenario";
inline constexpr const char* kPolicySetChoice = "policy_set";

Sweep load_sweep(const std::string& path, const std::vector<const ModelSpec*>& models);
Sweep parse_sweep(const std::string& text, const std::string& source_name,
                  const std::vector<const ModelSpec*>& models);

// A number as an override value: the shortest text that reads back to the same double.
std::string number_text(double value);

}  // namespace borderland::sim::experiments
