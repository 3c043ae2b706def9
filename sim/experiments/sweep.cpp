#include "sim/experiments/sweep.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>

#include "sim/diagnostics.hpp"
#include "sim/error.hpp"
#include "sim/experiments/sobol.hpp"
#include "sim/experiments/sweep_choices.hpp"
#include "sim/posterior.hpp"

namespace borderland::sim::experiments {

namespace {

const std::vector<std::string> kTopLevelKeys = {"description", "base",     "set",      "design",
                                                "samples",     "runs",     "replicas", "seed",
                                                "parameters",  "posterior"};

std::optional<std::int64_t> read_count(const YAML::Node& root, const char* key, std::int64_t low,
                                       Diagnostics& diag) {
  const YAML::Node node = root[key];
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  long long value = 0;
  if (!node.IsScalar() || !YAML::convert<long long>::decode(node, value) || value < low) {
    diag.error(node, key,
               fmt::format("expected an integer of at least {}, got {}", low, describe(node)));
    return std::nullopt;
  }
  return value;
}

std::optional<double> read_number(const YAML::Node& node, const std::string& path,
                                  Diagnostics& diag) {
  double value = 0;
  if (!node.IsScalar() || !YAML::convert<double>::decode(node, value) || !std::isfinite(value)) {
    diag.error(node, path, "expected a number, got " + describe(node));
    return std::nullopt;
  }
  return value;
}

struct CsvCell {
  std::string text;
  std::size_t column;  // 1-based column of the cell's first character
};

std::vector<CsvCell> split_csv_line(const std::string& line) {
  std::vector<CsvCell> cells;
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    const std::string raw =
        line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto b = raw.find_first_not_of(" \t\r");
    const auto e = raw.find_last_not_of(" \t\r");
    cells.push_back({b == std::string::npos ? "" : raw.substr(b, e - b + 1),
                     start + (b == std::string::npos ? 0 : b) + 1});
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return cells;
}

// Reads a list design from CSV: a header of key paths, then one row of numbers per point.
void read_csv(const std::string& path, const std::string& shown, Design& design,
              std::vector<int>& row_lines, std::vector<std::string>& errors) {
  std::stringstream in(read_text_file(path, "list of runs (CSV)"));
  std::string line;
  int line_no = 0;
  std::vector<std::string> header;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos || line[0] == '#') continue;
    const auto cells = split_csv_line(line);
    if (header.empty()) {
      for (const auto& c : cells) header.push_back(c.text);
      for (std::size_t j = 0; j < header.size(); ++j) {
        if (header[j].empty())
          errors.push_back(fmt::format("{}:{}: error: column {} has no key path in the header",
                                       shown, line_no, j + 1));
        for (std::size_t k = 0; k < j; ++k)
          if (!header[j].empty() && header[k] == header[j])
            errors.push_back(
                fmt::format("{}:{}:{}: error: column {} repeats the key path '{}' "
                            "of column {}",
                            shown, line_no, cells[j].column, j + 1, header[j], k + 1));
        VariedParameter p;
        p.key = header[j];
        design.parameters.push_back(p);
      }
      continue;
    }
    if (cells.size() != header.size()) {
      errors.push_back(
          fmt::format("{}:{}: error: expected {} values (one per header column), got {}", shown,
                      line_no, header.size(), cells.size()));
      continue;
    }
    for (std::size_t j = 0; j < cells.size(); ++j) {
      double v = 0;
      std::size_t used = 0;
      bool ok = !cells[j].text.empty();
      try {
        v = std::stod(cells[j].text, &used);
      } catch (const std::exception&) {
        ok = false;
      }
      if (!ok || used != cells[j].text.size() || !std::isfinite(v))
        errors.push_back(fmt::format("{}:{}:{}: error: {}: expected a number, got \"{}\"", shown,
                                     line_no, cells[j].column, header[j], cells[j].text));
      design.values.push_back(v);
    }
    ++design.points;
    row_lines.push_back(line_no);
  }
  if (header.empty())
    errors.push_back(shown + ": error: empty CSV, expected a header of key paths");
  else if (design.points == 0)
    errors.push_back(shown + ": error: no runs listed under the header");
}

}  // namespace

std::string number_text(double value) {
  return fmt::format("{}", value);
}

std::vector<std::string> Sweep::overrides(std::int64_t run) const {
  std::vector<std::string> o = fixed;
  for (std::size_t j = 0; j < design.parameters.size(); ++j) {
    const VariedParameter& p = design.parameters[j];
    const double value = design.value(run, j);
    if (p.key == kScenarioChoice) continue;  // chooses the text, see scenario()
    if (p.key == kPolicySetChoice) {
      const auto& set = policy_sets.at(static_cast<std::size_t>(value));
      o.insert(o.end(), set.begin(), set.end());
      continue;
    }
    o.push_back(p.key + "=" + number_text(value));
  }
  o.push_back(fmt::format("seed={}", design.seed(run)));
  return o;
}

namespace {
// A sweep parses the scenarios of a few design points at a time (a replicas design: one).
constexpr std::size_t kKeptScenarios = 8;
}  // namespace

std::shared_ptr<const Scenario> ScenarioTemplates::get(
    const std::string& text, const std::string& source, const std::vector<std::string>& overrides,
    const std::vector<const ModelSpec*>& models) {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    for (const Kept& k : kept_)
      if (k.overrides == overrides && k.source == source && k.text == text) return k.scenario;
  }
  // Parsed outside the lock: two threads may parse the same point once each, with one result.
  auto parsed = std::make_shared<const Scenario>(parse_scenario(text, source, overrides, models));
  const std::lock_guard<std::mutex> lock(mutex_);
  kept_.push_back({text, source, overrides, parsed});
  if (kept_.size() > kKeptScenarios) kept_.pop_front();
  return parsed;
}

// The run's scenario is its design point's, parsed once (ScenarioTemplates), with the run's
// seed: parsing reads the seed into Scenario::seed and nothing else, and the seed override is
// the last (overrides()), so the result is what parsing with it gives.
Scenario Sweep::scenario(std::int64_t run, const std::vector<const ModelSpec*>& models,
                         bool resolved) const {
  const std::string* text = &base_text;
  const std::string* file = &base_source;
  for (std::size_t j = 0; j < design.parameters.size(); ++j)
    if (design.parameters[j].key == kScenarioChoice) {
      const auto k = static_cast<std::size_t>(design.value(run, j));
      text = &scenario_texts.at(k), file = &scenario_sources.at(k);
    }
  std::vector<std::string> given = overrides(run);
  const std::vector<std::string> point(given.begin(), given.end() - 1);  // less the seed
  Scenario s = *templates->get(*text, *file, point, models);
  s.seed = design.seed(run);
  s.overrides = std::move(given);
  s.resolved_yaml.clear();
  if (resolved)
    for (const ModelSpec* m : models)
      if (m->name == s.model) s.resolved_yaml = emit_resolved(s, *m);
  return s;
}

Sweep load_sweep(const std::string& path, const std::vector<const ModelSpec*>& models) {
  return parse_sweep(read_text_file(path, "sweep file"), path, models);
}

namespace {
Sweep parse_sweep_checked(const std::string& text, const std::string& source_name,
                          const std::vector<const ModelSpec*>& models);
}

Sweep parse_sweep(const std::string& text, const std::string& source_name,
                  const std::vector<const ModelSpec*>& models) {
  try {
    return parse_sweep_checked(text, source_name, models);
  } catch (const YAML::Exception& e) {
    // Every shape is checked before it is read; this is the net under that.
    throw InputError(fmt::format("{}: error: unexpected YAML structure: {}", source_name, e.msg));
  }
}

namespace {
Sweep parse_sweep_checked(const std::string& text, const std::string& source_name,
                          const std::vector<const ModelSpec*>& models) {
  const YAML::Node root = load_yaml_mapping(text, source_name, "sweep");
  Diagnostics diag(source_name);
  Sweep sweep;
  sweep.source = source_name;
  sweep.given_yaml = text;
  const std::filesystem::path dir = std::filesystem::path(source_name).parent_path();

  reject_unknown_top_level_keys(root, kTopLevelKeys, diag);

  // design:
  Design& design = sweep.design;
  bool have_kind = false;
  if (const YAML::Node node = root["design"]; !node.IsDefined() || node.IsNull()) {
    diag.error(root, "design", "missing; expected one of " + known_list(design_names()));
  } else if (!node.IsScalar()) {
    diag.error(node, "design",
               "expected one of " + known_list(design_names()) + ", got " + describe(node));
  } else {
    const auto& names = design_names();
    const auto it = std::find(names.begin(), names.end(), node.Scalar());
    if (it == names.end())
      diag.error(node, "design",
                 fmt::format("unknown design \"{}\"{}; known designs: {}", node.Scalar(),
                             did_you_mean(node.Scalar(), names), known_list(names)));
    else
      design.kind = static_cast<DesignKind>(it - names.begin()), have_kind = true;
  }
  const DesignKind kind = design.kind;
  const bool sampled =
      kind == DesignKind::kRandom || kind == DesignKind::kLhs || kind == DesignKind::kSaltelli;

  const auto samples = read_count(root, "samples", 1, diag);
  if (have_kind && sampled && !samples)
    diag.error(root, "samples",
               fmt::format("missing; a {} design needs the number of samples", design_name(kind)));
  if (have_kind && !sampled && root["samples"].IsDefined())
    diag.error(
        root["samples"], "samples",
        fmt::format("not used by a {} design (only random, lhs and saltelli)", design_name(kind)));
  design.replicas = read_count(root, "replicas", 1, diag).value_or(1);
  if (const auto seed = read_seed(root, diag))
    design.sweep_seed = *seed;
  else if (!root["seed"].IsDefined() || root["seed"].IsNull())
    diag.error(root, "seed", "missing; expected the sweep seed (a non-negative integer)");

  // base:
  const YAML::Node base = root["base"];
  bool have_base = false;
  if (!base.IsDefined() || base.IsNull()) {
    diag.error(root, "base", "missing; expected a scenario file or an inline scenario mapping");
  } else if (base.IsScalar()) {
    const std::filesystem::path p(base.Scalar());
    sweep.base_source = (p.is_absolute() ? p : dir / p).lexically_normal().string();
    try {
      sweep.base_text = read_text_file(sweep.base_source, "base scenario");
      have_base = true;
    } catch (const InputError& e) {
      diag.error(
          base, "base",
          fmt::format("cannot read scenario {} ({})", sweep.base_source, e.messages().front()));
    }
  } else if (base.IsMap()) {
    sweep.base_source = source_name + "#base";
    YAML::Emitter out;
    out << base;
    sweep.base_text = std::string(out.c_str()) + "\n";
    have_base = true;
  } else {
    diag.error(base, "base",
               "expected a scenario file or an inline scenario mapping, got " + describe(base));
  }

  // set:
  std::map<std::string, std::string> places;  // key path -> where the sweep names it
  if (const YAML::Node set = root["set"]; set.IsDefined() && !set.IsNull()) {
    if (!set.IsMap()) {
      diag.error(set, "set", "expected a mapping of key paths to values, got " + describe(set));
    } else {
      for (const auto& item : set) {
        const std::string key = item.first.Scalar();
        if (key == "seed") {
          diag.error(item.first, "set.seed", "run seeds come from the sweep's `seed`; remove this");
          continue;
        }
        std::string value;
        if (item.second.IsScalar()) {
          value = item.second.Scalar();
        } else {
          YAML::Emitter out;
          out << YAML::Flow << item.second;
          value = out.c_str();
        }
        sweep.fixed.push_back(key + "=" + value);
        places[key] = diag.where(item.first);
      }
    }
  }

  // The base with `set:` applied must be a valid scenario.
  bool base_ok = false;
  if (have_base) {
    try {
      sweep.base = parse_scenario(sweep.base_text, sweep.base_source, sweep.fixed, models);
      base_ok = true;
      // output.series is checked against the model's schema when the model is built
      // (probe_layout): its names given in `set:` are placed there, not at a --set flag.
      if (const auto it = places.find("output.series"); it != places.end())
        for (auto& where : sweep.base.output.series_where) where = it->second;
    } catch (const InputError& e) {
      relocate(e, places, diag);
    }
  }
  const ModelSpec* spec = nullptr;
  for (const auto* m : models)
    if (base_ok && m->name == sweep.base.model) spec = m;

  // parameters:
  const YAML::Node params = root["parameters"];
  const bool has_params = params.IsDefined() && !params.IsNull();
  if (have_kind && (kind == DesignKind::kReplicas || kind == DesignKind::kList) && has_params)
    diag.error(params, "parameters",
               kind == DesignKind::kList
                   ? "not used by a list design: the CSV header names the parameters"
                   : "not used by a replicas design (it varies only the seed)");
  if (have_kind && kind != DesignKind::kReplicas && kind != DesignKind::kList && !has_params)
    diag.error(
        root, "parameters",
        fmt::format("missing; a {} design varies at least one parameter", design_name(kind)));
  std::vector<std::string> model_keys;
  if (spec)
    for (const auto& p : spec->parameters) model_keys.push_back("parameters." + p.key);

  // Checks one key path against the model; returns false when it cannot be varied.
  auto check_key = [&](const YAML::Node& where, VariedParameter& p) {
    if (p.key == "seed") {
      diag.error(where, p.key, "run seeds come from the sweep's `seed`; it cannot be varied");
      return false;
    }
    if (!spec) return false;
    if (p.key.rfind("parameters.", 0) == 0) {
      const ParamSpec* ps = spec->find_parameter(p.key.substr(11));
      if (ps == nullptr) {
        diag.error(where, p.key,
                   fmt::format("unknown parameter of model '{}'{}", spec->name,
                               did_you_mean(p.key, model_keys)));
        return false;
      }
      sweep.parameter_units[p.key] = ps->units;
      if (ps->type == ParamType::kInteger) {
        p.integer = true;
      } else if (ps->type != ParamType::kReal) {
        diag.error(
            where, p.key,
            fmt::format("cannot be varied (its values are {}, not numbers)", type_name(ps->type)));
        return false;
      }
      return true;
    }
    // policies.N.FIELD: a strength of the base's N-th policy switch.
    const std::string lever = "policies.";
    if (p.key.rfind(lever, 0) == 0) {
      const std::string rest = p.key.substr(lever.size());
      const auto dot = rest.find('.');
      std::size_t index = 0;
      const auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + dot, index);
      const bool numbered =
          dot != std::string::npos && ec == std::errc{} && ptr == rest.data() + dot;
      if (!numbered || index >= sweep.base.policies.size()) {
        diag.error(where, p.key,
                   fmt::format("expected policies.N.FIELD with N the index of one of the base's "
                               "{} policy switch(es)",
                               sweep.base.policies.size()));
        return false;
      }
      const std::string field = rest.substr(dot + 1);
      const SwitchSpec* policy = spec->find_policy(sweep.base.policies[index].name);
      const ParamSpec* fs = nullptr;
      std::vector<std::string> names;
      for (const auto& f : policy->fields) {
        names.push_back(f.key);
        if (f.key == field) fs = &f;
      }
      if (fs == nullptr || (fs->type != ParamType::kReal && fs->type != ParamType::kInteger)) {
        diag.error(where, p.key,
                   fmt::format("'{}' is not a numeric strength of policy '{}'{}; its strengths: {}",
                               field, policy->name, did_you_mean(field, names), known_list(names)));
        return false;
      }
      p.integer = fs->type == ParamType::kInteger;
      sweep.parameter_units[p.key] = fs->units;
      return true;
    }
    diag.error(where, p.key,
               "cannot be varied: a sweep varies parameters.KEY (a model parameter), "
               "policies.N.FIELD (a strength of the base's N-th policy), scenario (a list of "
               "scenario files) or policy_set (named lists of policies)");
    return false;
  };
  // Tries the base with key=value; reports what the scenario loader says, placed here.
  auto trial = [&](const YAML::Node& where, const std::string& key, double value) {
    std::vector<std::string> o = sweep.fixed;
    o.push_back(key + "=" + number_text(value));
    try {
      parse_scenario(sweep.base_text, sweep.base_source, o, models);
    } catch (const InputError& e) {
      relocate(e, {{key, diag.where(where)}}, diag);
      return false;
    }
    return true;
  };

  if (has_params && !params.IsMap()) {
    diag.error(params, "parameters", "expected a mapping of key paths, got " + describe(params));
  } else if (has_params && have_kind && kind != DesignKind::kReplicas &&
             kind != DesignKind::kList) {
    for (const auto& item : params) {
      VariedParameter p;
      p.key = item.first.Scalar();
      const std::string path = "parameters." + p.key;
      const YAML::Node v = item.second;
      if (p.key == kScenarioChoice || p.key == kPolicySetChoice) {
        if (kind != DesignKind::kFactorial) {
          diag.error(item.first, p.key,
                     fmt::format("a choice between alternatives needs a factorial design, not {}",
                                 design_name(kind)));
          continue;
        }
        if (!base_ok) continue;
        const bool ok = p.key == kScenarioChoice
                            ? read_scenario_choice(v, dir.string(), sweep, models, diag, p)
                            : read_policy_set_choice(v, sweep, models, diag, p);
        if (ok) design.parameters.push_back(std::move(p));
        continue;
      }
      const bool listed = v.IsSequence() || (v.IsMap() && v["values"].IsDefined());
      const YAML::Node list = v.IsSequence() ? v : v.IsMap() ? v["values"] : YAML::Node();
      if (listed && !list.IsSequence()) {
        diag.error(list, path + ".values", "expected a list of values, got " + describe(list));
        continue;
      }
      if (v.IsMap())
        for (const auto& field : v) {
          const std::string f = field.first.Scalar();
          const std::vector<std::string> allowed{"min", "max", "values"};
          if (std::find(allowed.begin(), allowed.end(), f) == allowed.end())
            diag.error(field.first, path + "." + f,
                       "unknown key" + did_you_mean(f, allowed) +
                           "; allowed: min, max (a range) or values");
        }
      bool ok = check_key(item.first, p);
      if (kind == DesignKind::kFactorial) {
        if (!listed) {
          diag.error(v, path, "expected a list of values (a factorial design), got " + describe(v));
          continue;
        }
        if (list.size() == 0)
          diag.error(list, path, "expected at least one value, got an empty list");
        for (std::size_t i = 0; i < list.size(); ++i) {
          const auto x = read_number(list[i], fmt::format("{}[{}]", path, i), diag);
          if (!x) continue;
          if (p.integer && std::floor(*x) != *x)
            diag.error(list[i], fmt::format("{}[{}]", path, i),
                       fmt::format("expected a whole number (an integer parameter), got {}", *x));
          p.values.push_back(*x);
          if (ok) ok = trial(list[i], p.key, *x);
        }
      } else {
        if (!v.IsMap() || listed || !v["min"].IsDefined() || !v["max"].IsDefined()) {
          diag.error(v, path,
                     fmt::format("expected a range {{min: ..., max: ...}} (a {} design), got {}",
                                 design_name(kind), describe(v)));
          continue;
        }
        const auto lo = read_number(v["min"], path + ".min", diag);
        const auto hi = read_number(v["max"], path + ".max", diag);
        if (!lo || !hi) continue;
        if (*hi <= *lo) {
          diag.error(v["max"], path + ".max",
                     fmt::format("must be greater than min ({}), got {}", *lo, *hi));
          continue;
        }
        p.min = *lo, p.max = *hi;
        if (ok) ok = trial(v["min"], p.key, *lo) && trial(v["max"], p.key, *hi);
      }
      design.parameters.push_back(std::move(p));
    }
    if (kind == DesignKind::kSaltelli && 2 * design.parameters.size() > kSobolMaxDims)
      diag.error(
          params, "parameters",
          fmt::format("a saltelli design of {} parameters needs {} Sobol dimensions; at most "
                      "{} parameters are supported",
                      design.parameters.size(), 2 * design.parameters.size(), kSobolMaxDims / 2));
  }

  // runs: (list designs)
  const YAML::Node runs = root["runs"];
  if (have_kind && kind == DesignKind::kList) {
    if (!runs.IsDefined() || !runs.IsScalar()) {
      diag.error(runs.IsDefined() ? runs : root, "runs",
                 "missing; a list design reads its runs from a CSV file (header: key paths)");
    } else {
      const std::filesystem::path p(runs.Scalar());
      const std::string csv = (p.is_absolute() ? p : dir / p).lexically_normal().string();
      std::vector<std::string> errors;
      std::vector<int> row_lines;
      design.points = 0;
      try {
        read_csv(csv, csv, design, row_lines, errors);
      } catch (const InputError& e) {
        diag.error(runs, "runs", e.messages().front());
      }
      for (auto& e : errors) diag.raw(e);
      bool keys_ok = errors.empty();
      for (auto& column : design.parameters)
        if (keys_ok && !check_key(runs, column)) keys_ok = false;
      // Every row, not only the first: each is a run that must start.
      const std::size_t width = design.parameters.size();
      for (std::size_t row = 0; keys_ok && row < row_lines.size(); ++row) {
        std::vector<std::string> o = sweep.fixed;
        std::map<std::string, std::string> row_places = places;
        for (std::size_t j = 0; j < width; ++j) {
          const auto& column = design.parameters[j];
          const double v = design.values[row * width + j];
          if (column.integer && std::floor(v) != v)
            diag.raw(
                fmt::format("{}:{}: error: {}: expected a whole number (an integer "
                            "parameter), got {}",
                            csv, row_lines[row], column.key, v));
          o.push_back(column.key + "=" + number_text(v));
          row_places[column.key] = fmt::format("{}:{}", csv, row_lines[row]);
        }
        try {
          parse_scenario(sweep.base_text, sweep.base_source, o, models);
        } catch (const InputError& e) {
          relocate(e, row_places, diag);
        }
      }
    }
  } else if (runs.IsDefined()) {
    diag.error(runs, "runs", "only a list design reads runs from a CSV file");
  }

  // posterior: (list designs whose rows are draws of a posterior file)
  const YAML::Node posterior = root["posterior"];
  if (posterior.IsDefined() && !(have_kind && kind == DesignKind::kList)) {
    diag.error(posterior, "posterior",
               "only a list design of posterior draws names its posterior (design: list)");
  } else if (posterior.IsDefined() && !posterior.IsScalar()) {
    diag.error(posterior, "posterior", "expected the path of a posterior file");
  } else if (posterior.IsDefined() && diag.empty()) {
    const std::filesystem::path p(posterior.Scalar());
    design.posterior = (p.is_absolute() ? p : dir / p).lexically_normal().string();
    try {
      const std::string problem =
          check_posterior_design(design.posterior, "posterior:", design.keys(), design.values);
      if (!problem.empty()) diag.error(posterior, "posterior", problem);
    } catch (const InputError& e) {
      diag.error(posterior, "posterior", e.messages().front());
    }
  }

  // The size of the design, before anything is generated (in long double:
  // exact for every int64 count, so the message gives the real figures).
  if (have_kind && diag.empty()) {
    const long double d = static_cast<long double>(design.parameters.size());
    long double points = static_cast<long double>(design.points);
    if (kind == DesignKind::kFactorial) {
      points = 1;
      for (const auto& p : design.parameters) points *= static_cast<long double>(p.values.size());
    } else if (kind == DesignKind::kRandom || kind == DesignKind::kLhs) {
      points = static_cast<long double>(samples.value_or(0));
    } else if (kind == DesignKind::kSaltelli) {
      points = static_cast<long double>(samples.value_or(0)) * (d + 2);
    } else if (kind == DesignKind::kReplicas) {
      points = 1;
    }
    const long double runs_asked = points * static_cast<long double>(design.replicas);
    if (runs_asked > static_cast<long double>(kMaxSweepRuns)) {
      const YAML::Node where = root["replicas"].IsDefined()  ? root["replicas"]
                               : root["samples"].IsDefined() ? root["samples"]
                                                             : root;
      diag.error(where, root["replicas"].IsDefined() ? "replicas" : "samples",
                 fmt::format("the design asks for {:.0f} runs ({:.0f} point(s) x {} replica(s)); "
                             "at most {} runs per sweep (split it into several sweeps)",
                             runs_asked, points, design.replicas, kMaxSweepRuns));
    }
  }

  diag.throw_if_any();
  generate(design, samples.value_or(0));
  return sweep;
}
}  // namespace

}  // namespace borderland::sim::experiments
