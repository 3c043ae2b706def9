#include "sim/experiments/sweep_choices.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace borderland::sim::experiments {

void relocate(const InputError& e, const std::map<std::string, std::string>& places,
              Diagnostics& diag) {
  for (const auto& line : e.messages()) {
    std::string text = line;
    for (const auto& [key, place] : places) {
      const std::string prefix = "--set " + key + ":";
      if (text.rfind(prefix, 0) == 0) {
        text = place + ":" + text.substr(prefix.size());
        break;
      }
    }
    diag.raw(text);
  }
}

bool read_scenario_choice(const YAML::Node& node, const std::string& dir, Sweep& sweep,
                          const std::vector<const ModelSpec*>& models, Diagnostics& diag,
                          VariedParameter& p) {
  const std::string path = std::string("parameters.") + kScenarioChoice;
  if (!node.IsSequence() || node.size() == 0) {
    diag.error(node, path, "expected a list of scenario files, got " + describe(node));
    return false;
  }
  bool ok = true;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const YAML::Node item = node[i];
    const std::string item_path = fmt::format("{}[{}]", path, i);
    if (!item.IsScalar() || item.Scalar().empty()) {
      diag.error(item, item_path, "expected a scenario file, got " + describe(item));
      ok = false;
      continue;
    }
    const std::filesystem::path named(item.Scalar());
    const std::string source = (named.is_absolute() ? named : std::filesystem::path(dir) / named)
                                   .lexically_normal()
                                   .string();
    try {
      const std::string text = read_text_file(source, "scenario file");
      const Scenario s = parse_scenario(text, source, sweep.fixed, models);
      if (s.model != sweep.base.model || s.start != sweep.base.start || s.end != sweep.base.end) {
        diag.error(item, item_path,
                   fmt::format("{} runs {} from {} to {}; the base runs {} from {} to {} (the "
                               "runs of a sweep share the model and the dates)",
                               source, s.model, s.start.iso(), s.end.iso(), sweep.base.model,
                               sweep.base.start.iso(), sweep.base.end.iso()));
        ok = false;
        continue;
      }
      sweep.scenario_sources.push_back(source);
      sweep.scenario_texts.push_back(text);
      p.labels.push_back(std::filesystem::path(source).stem().string());
      p.values.push_back(static_cast<double>(p.labels.size() - 1));
    } catch (const InputError& e) {
      diag.error(item, item_path, "this alternative is not a valid scenario:");
      for (const auto& line : e.messages()) diag.raw("  " + line);
      ok = false;
    }
  }
  p.integer = true;
  return ok;
}

bool read_policy_set_choice(const YAML::Node& node, Sweep& sweep,
                            const std::vector<const ModelSpec*>& models, Diagnostics& diag,
                            VariedParameter& p) {
  const std::string path = std::string("parameters.") + kPolicySetChoice;
  if (!node.IsMap() || node.size() == 0) {
    diag.error(
        node, path,
        "expected a mapping of named policy sets (name: [policies...]), got " + describe(node));
    return false;
  }
  bool ok = true;
  for (const auto& item : node) {
    const std::string name = item.first.Scalar();
    const std::string set_path = path + "." + name;
    const YAML::Node list = item.second;
    if (!(list.IsSequence() || list.IsNull())) {
      diag.error(list, set_path,
                 "expected a list of policies (may be empty), got " + describe(list));
      ok = false;
      continue;
    }
    std::vector<std::string> overrides;
    for (std::size_t i = 0; list.IsSequence() && i < list.size(); ++i) {
      YAML::Emitter flow;
      flow << YAML::Flow << list[i];
      overrides.push_back("policies.+=" + std::string(flow.c_str()));
    }
    std::vector<std::string> trial = sweep.fixed;
    trial.insert(trial.end(), overrides.begin(), overrides.end());
    try {
      parse_scenario(sweep.base_text, sweep.base_source, trial, models);
    } catch (const InputError& e) {
      relocate(e, {{"policies.+", diag.where(list, set_path)}}, diag);
      ok = false;
      continue;
    }
    sweep.policy_sets.push_back(std::move(overrides));
    p.labels.push_back(name);
    p.values.push_back(static_cast<double>(p.labels.size() - 1));
  }
  p.integer = true;
  return ok;
}

}  // namespace borderland::sim::experiments
