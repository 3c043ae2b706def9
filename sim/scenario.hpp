#pragma once
// Scenarios: YAML files turned into typed, validated structs.
//
// Every mistake is collected (not just the first) and reported like a
// compiler does:  file:line:col: error: key.path: expected ..., got "..."
// Unknown keys are errors with a "did you mean" hint; numbers are
// range-checked against the model's parameter descriptions. `--set k=v`
// overrides are applied to the YAML tree before validation, so they are
// checked exactly like the file (their errors are located at "--set k=v").
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/date.hpp"
#include "sim/input_text.hpp"
#include "sim/params.hpp"

namespace borderland::sim {

struct PolicySwitch {
  std::string name;
  Date start;
  Date end;  // inclusive
  ParamValues strengths;
};

struct ScriptedEvent {
  std::string name;
  Date date;
  ParamValues fields;
};

struct OutputSettings {
  std::int64_t snapshot_every = 0;  // days between snapshots; 0 = none
  std::int64_t flush_every = 30;    // days between flushes to disk
  std::vector<std::string> snapshot_fields;
  // output.series: the series to write (run files and sweeps); unset = every series of the
  // model. Checked against the model's schema when the run starts (select_output in
  // sim/run.hpp), so each name keeps where it was given ("file:line:col" or "--set KEY").
  std::optional<std::vector<std::string>> series;
  std::vector<std::string> series_where;
  bool events = true;  // output.events: false writes no /events table
};

struct Scenario {
  std::string source;                  // file the scenario came from
  std::filesystem::path base_dir;      // relative paths inside the scenario resolve here
  std::string given_yaml;              // the file's text, unchanged
  std::vector<std::string> overrides;  // --set key=value and --policy, in order
  std::vector<std::string> extends;    // the files `extends` read, nearest first
  std::vector<std::string> warnings;  // "file:line:col: warning: ..." (valid, but probably unmeant)
  std::string resolved_yaml;          // every default filled in

  std::string model;
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  Date start;
  Date end;  // inclusive: the last simulated day
  OutputSettings output;
  ParamValues parameters;
  std::vector<PolicySwitch> policies;
  std::vector<ScriptedEvent> events;

  std::int64_t steps() const { return start.days_until(end) + 1; }
  Date date_of(std::int64_t step) const { return start.plus_days(static_cast<int>(step)); }
  // Resolves a path written in the scenario relative to the scenario's folder.
  std::filesystem::path resolve_path(const std::string& path) const;
};

// Loads a scenario file. Throws InputError listing every problem found.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides,
                       const std::vector<const ModelSpec*>& models);
// Same, from text (source_name is used in messages).
Scenario parse_scenario(const std::string& text, const std::string& source_name,
                        const std::vector<std::string>& overrides,
                        const std::vector<const ModelSpec*>& models);

// Re-emits a scenario as YAML with every default filled in.
std::string emit_resolved(const Scenario& scenario, const ModelSpec& spec);

}  // namespace borderland::sim
