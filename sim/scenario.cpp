#include "sim/scenario.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/diagnostics.hpp"
#include "sim/error.hpp"
#include "sim/scenario_compose.hpp"
#include "sim/scenario_overrides.hpp"

namespace borderland::sim {

std::filesystem::path Scenario::resolve_path(const std::string& path) const {
  const std::filesystem::path p(path);
  return p.is_absolute() ? p : base_dir / p;
}

namespace {

std::string join_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

// Converts one scalar to the type a spec asks for, with range checks.
std::optional<ParamValue> convert(const YAML::Node& node, const ParamSpec& spec,
                                  const std::string& path, Diagnostics& diag) {
  auto fail = [&](const std::string& expected) {
    diag.error(node, path, fmt::format("expected {}, got {}", expected, describe(node)));
    return std::nullopt;
  };
  if (!node.IsScalar()) return fail(type_name(spec.type));
  const std::string& text = node.Scalar();
  auto range_text = [&] {
    // Dimensionless ("1") units add nothing to the message.
    const std::string units = spec.units.empty() || spec.units == "1" ? "" : " " + spec.units;
    if (spec.type == ParamType::kInteger)
      return fmt::format("[{}, {}]{}", static_cast<long long>(spec.min),
                         static_cast<long long>(spec.max), units);
    return fmt::format("[{}, {}]{}", spec.min, spec.max, units);
  };
  switch (spec.type) {
    case ParamType::kReal: {
      double v = 0;
      if (!YAML::convert<double>::decode(node, v) || !std::isfinite(v)) return fail("a number");
      if (v < spec.min || v > spec.max) return fail("a number in " + range_text());
      return ParamValue{v};
    }
    case ParamType::kInteger: {
      long long v = 0;
      if (!YAML::convert<long long>::decode(node, v)) return fail("an integer");
      if (static_cast<double>(v) < spec.min || static_cast<double>(v) > spec.max)
        return fail("an integer in " + range_text());
      return ParamValue{static_cast<std::int64_t>(v)};
    }
    case ParamType::kBool: {
      if (text != "true" && text != "false") return fail("true or false");
      return ParamValue{text == "true"};
    }
    case ParamType::kText:
      return ParamValue{text};
    case ParamType::kDate: {
      const auto date = Date::parse(text);
      if (!date) return fail("a date (YYYY-MM-DD)");
      return ParamValue{*date};
    }
    case ParamType::kChoice: {
      for (const auto& c : spec.choices)
        if (c == text) return ParamValue{text};
      diag.error(node, path,
                 fmt::format("expected one of {}, got \"{}\"{}", known_list(spec.choices), text,
                             did_you_mean(text, spec.choices)));
      return std::nullopt;
    }
  }
  return std::nullopt;
}

// Reads a flat list of fields (a policy's strengths, an event's details) from
// `node`, skipping `reserved` keys, filling defaults.
ParamValues read_fields(const YAML::Node& node, const std::vector<ParamSpec>& specs,
                        const std::set<std::string>& reserved, const std::string& path,
                        Diagnostics& diag) {
  ParamValues values;
  std::vector<std::string> allowed(reserved.begin(), reserved.end());
  for (const auto& s : specs) allowed.push_back(s.key);
  for (const auto& item : node) {
    const std::string key = item.first.Scalar();
    if (reserved.count(key)) continue;
    const auto spec =
        std::find_if(specs.begin(), specs.end(), [&](const ParamSpec& s) { return s.key == key; });
    const std::string key_path = join_path(path, key);
    if (spec == specs.end()) {
      diag.error(item.first, key_path,
                 fmt::format("unknown key{}; allowed here: {}", did_you_mean(key, allowed),
                             known_list(allowed)));
      continue;
    }
    if (auto value = convert(item.second, *spec, key_path, diag)) values.set(key, *value);
  }
  for (const auto& s : specs)
    if (!values.has(s.key)) values.set(s.key, s.default_value);
  return values;
}

// Walks the nested `parameters:` mapping; leaves are matched to dotted keys.
void read_parameters(const YAML::Node& node, const std::string& prefix, const ModelSpec& spec,
                     const std::vector<std::string>& all_keys, ParamValues& out,
                     Diagnostics& diag) {
  for (const auto& item : node) {
    const std::string key = join_path(prefix, item.first.Scalar());
    const std::string path = "parameters." + key;
    if (const ParamSpec* p = spec.find_parameter(key)) {
      if (auto value = convert(item.second, *p, path, diag)) out.set(key, *value);
      continue;
    }
    const bool is_group = std::any_of(all_keys.begin(), all_keys.end(), [&](const std::string& k) {
      return k.rfind(key + ".", 0) == 0;
    });
    if (is_group && item.second.IsMap()) {
      read_parameters(item.second, key, spec, all_keys, out, diag);
    } else if (is_group) {
      diag.error(item.second, path,
                 fmt::format("expected a mapping of parameters, got {}", describe(item.second)));
    } else {
      diag.error(
          item.first, path,
          fmt::format("unknown parameter of model '{}'{}", spec.name, did_you_mean(path, [&] {
                        // Whole key paths: a suggestion can be pasted into --set as it is.
                        std::vector<std::string> paths;
                        for (const auto& k : all_keys) paths.push_back("parameters." + k);
                        return paths;
                      }())));
    }
  }
}

template <class Reader>
void read_list(const YAML::Node& list, const std::string& path, Diagnostics& diag,
               const Reader& read_one) {
  if (!list.IsDefined() || list.IsNull()) return;
  if (!list.IsSequence()) {
    diag.error(list, path, fmt::format("expected a list, got {}", describe(list)));
    return;
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string item_path = fmt::format("{}[{}]", path, i);
    if (!list[i].IsMap()) {
      diag.error(list[i], item_path, fmt::format("expected a mapping, got {}", describe(list[i])));
      continue;
    }
    read_one(list[i], item_path);
  }
}

std::optional<Date> read_date(const YAML::Node& map, const std::string& key,
                              const std::string& path, Diagnostics& diag, bool required) {
  const YAML::Node node = map[key];
  const std::string key_path = join_path(path, key);
  if (!node.IsDefined() || node.IsNull()) {
    if (required) diag.error(map, key_path, "missing; expected a date (YYYY-MM-DD)");
    return std::nullopt;
  }
  const auto date = node.IsScalar() ? Date::parse(node.Scalar()) : std::nullopt;
  if (!date)
    diag.error(node, key_path, fmt::format("expected a date (YYYY-MM-DD), got {}", describe(node)));
  return date;
}

// Reads which policy or event a list entry names (its `key`: "policy" or "event").
const SwitchSpec* read_switch_kind(const YAML::Node& item, const std::string& key,
                                   const std::vector<SwitchSpec>& specs, const std::string& path,
                                   Diagnostics& diag) {
  std::vector<std::string> names;
  for (const auto& spec : specs) names.push_back(spec.name);
  const YAML::Node kind = item[key];
  if (!kind.IsDefined() || !kind.IsScalar()) {
    diag.error(item, path + "." + key, "missing; expected one of " + known_list(names));
    return nullptr;
  }
  for (const auto& spec : specs)
    if (spec.name == kind.Scalar()) return &spec;
  diag.error(kind, path + "." + key,
             fmt::format("unknown {} \"{}\"{}; known {}: {}", key, kind.Scalar(),
                         did_you_mean(kind.Scalar(), names),
                         key == "policy" ? "policies" : "events", known_list(names)));
  return nullptr;
}

const std::vector<std::string> kTopLevelKeys = {"extends",    "model",    "name",  "description",
                                                "seed",       "start",    "end",   "output",
                                                "parameters", "policies", "events"};

}  // namespace

Scenario parse_scenario(const std::string& text, const std::string& source_name,
                        const std::vector<std::string>& overrides,
                        const std::vector<const ModelSpec*>& models) {
  ComposedYaml composed = compose_scenario_yaml(text, source_name);
  YAML::Node& root = composed.root;

  std::vector<std::string> override_errors;
  const auto places =
      apply_overrides(root, overrides, override_errors, &composed.files, &composed.warnings);
  if (!override_errors.empty()) throw InputError(override_errors);

  Diagnostics diag(source_name);
  for (const auto& [path, file] : composed.files) diag.file_of(path, file);
  for (const auto& place : places) diag.place_at(place.path, place.flag);
  Scenario s;
  s.extends = std::vector<std::string>(composed.chain.begin() + 1, composed.chain.end());
  s.warnings = composed.warnings;
  s.source = source_name;
  s.base_dir = std::filesystem::path(source_name).parent_path();
  s.given_yaml = text;
  s.overrides = overrides;

  reject_unknown_top_level_keys(root, kTopLevelKeys, diag);

  // model: decides which parameters and policies exist.
  const ModelSpec* spec = nullptr;
  std::vector<std::string> model_names;
  for (const auto* m : models) model_names.push_back(m->name);
  const YAML::Node model_node = root["model"];
  if (!model_node.IsDefined() || model_node.IsNull()) {
    diag.error(root, "model", "missing; expected one of " + known_list(model_names));
  } else if (!model_node.IsScalar()) {
    diag.error(model_node, "model",
               fmt::format("expected a model name (one of {}), got {}", known_list(model_names),
                           describe(model_node)));
  } else {
    s.model = model_node.Scalar();
    for (const auto* m : models)
      if (m->name == s.model) spec = m;
    if (spec == nullptr)
      diag.error(model_node, "model",
                 fmt::format("unknown model \"{}\"{}; known models: {}", s.model,
                             did_you_mean(s.model, model_names), known_list(model_names)));
  }

  auto scalar_text = [&](const char* key, std::string fallback) {
    const YAML::Node node = root[key];
    if (!node.IsDefined() || node.IsNull()) return fallback;
    if (!node.IsScalar()) {
      diag.error(node, key, "expected a string, got " + describe(node));
      return fallback;
    }
    return node.Scalar();
  };
  s.name = scalar_text("name", std::filesystem::path(source_name).stem().string());
  s.description = scalar_text("description", "");

  if (const auto seed = read_seed(root, diag)) s.seed = *seed;

  const auto start = read_date(root, "start", "", diag, true);
  const auto end = read_date(root, "end", "", diag, true);
  if (start) s.start = *start;
  if (end) s.end = *end;
  if (start && end && *end < *start)
    diag.error(root["end"], "end",
               fmt::format("must not be before start ({}), got {}", start->iso(), end->iso()));

  // output:
  if (const YAML::Node out = root["output"]; out.IsDefined() && !out.IsNull()) {
    if (!out.IsMap()) {
      diag.error(out, "output", "expected a mapping, got " + describe(out));
    } else {
      const std::vector<ParamSpec> output_specs = {
          ParamSpec::integer("snapshot_every", 0, 0, 100000, "day",
                             "days between snapshots, 0 = none"),
          ParamSpec::integer("flush_every", 30, 1, 100000, "day", "days between flushes to disk"),
          ParamSpec::boolean("events", true, "write the events table")};
      const ParamValues values =
          read_fields(out, output_specs, {"snapshot_fields", "series"}, "output", diag);
      s.output.snapshot_every = values.integer("snapshot_every");
      s.output.flush_every = values.integer("flush_every");
      s.output.events = values.boolean("events");
      if (const YAML::Node series = out["series"]; series.IsDefined()) {
        // `all` (the default) or a list of names; the names are checked against the
        // model's schema when the model is built (the schema belongs to the simulation).
        if (series.IsScalar() && series.Scalar() == "all") {
        } else if (!series.IsSequence()) {
          diag.error(series, "output.series",
                     "expected a list of series names or all, got " + describe(series));
        } else {
          std::vector<std::string> names;
          for (const auto& item : series) {
            const std::string name = item.IsScalar() ? item.Scalar() : "";
            if (name.empty())
              diag.error(item, "output.series", "expected a series name, got " + describe(item));
            else if (std::find(names.begin(), names.end(), name) != names.end())
              diag.error(item, "output.series", fmt::format("series \"{}\" is listed twice", name));
            else
              names.push_back(name),
                  s.output.series_where.push_back(diag.where(item, "output.series"));
          }
          s.output.series = names;
        }
      }
      if (const YAML::Node fields = out["snapshot_fields"]; fields.IsDefined()) {
        if (!fields.IsSequence()) {
          diag.error(fields, "output.snapshot_fields",
                     "expected a list of field names, got " + describe(fields));
        } else {
          for (const auto& f : fields) {
            const std::string name = f.IsScalar() ? f.Scalar() : "";
            const auto& listed = s.output.snapshot_fields;
            if (std::find(listed.begin(), listed.end(), name) != listed.end())
              diag.error(f, "output.snapshot_fields",
                         fmt::format("field \"{}\" is listed twice", name));
            else if (spec && std::find(spec->snapshot_fields.begin(), spec->snapshot_fields.end(),
                                       name) == spec->snapshot_fields.end())
              diag.error(f, "output.snapshot_fields",
                         fmt::format("unknown field {}{}; known: {}", describe(f),
                                     did_you_mean(name, spec->snapshot_fields),
                                     known_list(spec->snapshot_fields)));
            else
              s.output.snapshot_fields.push_back(name);
          }
        }
      }
    }
  }
  if (spec && s.output.snapshot_fields.empty()) s.output.snapshot_fields = spec->snapshot_fields;

  if (spec) {
    std::vector<std::string> keys;
    for (const auto& p : spec->parameters) keys.push_back(p.key);
    if (const YAML::Node params = root["parameters"]; params.IsDefined() && !params.IsNull()) {
      if (!params.IsMap())
        diag.error(params, "parameters", "expected a mapping, got " + describe(params));
      else
        read_parameters(params, "", *spec, keys, s.parameters, diag);
    }
    for (const auto& p : spec->parameters)
      if (!s.parameters.has(p.key)) s.parameters.set(p.key, p.default_value);

    read_list(
        root["policies"], "policies", diag, [&](const YAML::Node& item, const std::string& path) {
          const SwitchSpec* policy = read_switch_kind(item, "policy", spec->policies, path, diag);
          if (policy == nullptr) return;
          PolicySwitch sw;
          sw.name = policy->name;
          const auto from = read_date(item, "start", path, diag, true);
          const auto to = read_date(item, "end", path, diag, false);
          sw.start = from.value_or(s.start);
          // A switch that begins after the run ends (a run cut short with
          // --set end=...) is never reached; its default end keeps it well formed,
          // so that the resolved form reads back.
          sw.end = to.value_or(std::max(s.end, sw.start));
          if (from && to && *to < *from)
            diag.error(item["end"], path + ".end",
                       fmt::format("must not be before start ({})", from->iso()));
          sw.strengths = read_fields(item, policy->fields, {"policy", "start", "end"}, path, diag);
          for (const auto& other : s.policies)
            if (other.name == sw.name && other.start <= sw.end && sw.start <= other.end)
              diag.error(item, path,
                         fmt::format("overlaps another '{}' switch ({} to {}); one at a time",
                                     sw.name, other.start.iso(), other.end.iso()));
          s.policies.push_back(std::move(sw));
        });

    read_list(root["events"], "events", diag, [&](const YAML::Node& item, const std::string& path) {
      const SwitchSpec* event = read_switch_kind(item, "event", spec->events, path, diag);
      if (event == nullptr) return;
      ScriptedEvent ev;
      ev.name = event->name;
      ev.date = read_date(item, "date", path, diag, true).value_or(s.start);
      ev.fields = read_fields(item, event->fields, {"event", "date"}, path, diag);
      s.events.push_back(std::move(ev));
    });
  }

  diag.throw_if_any();
  s.resolved_yaml = emit_resolved(s, *spec);
  return s;
}

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides,
                       const std::vector<const ModelSpec*>& models) {
  return parse_scenario(read_text_file(path, "scenario file"), path, overrides, models);
}

namespace {
YAML::Node scalar_node(const ParamValue& value) {
  return YAML::Node(to_text(value));
}

void emit_fields(YAML::Emitter& out, const ParamValues& values) {
  for (const auto& [key, value] : values.all())
    out << YAML::Key << key << YAML::Value << to_text(value);
}
}  // namespace

std::string emit_resolved(const Scenario& s, const ModelSpec& spec) {
  // Nest dotted parameter keys back into mappings, in the model's declared order.
  YAML::Node params(YAML::NodeType::Map);
  for (const auto& p : spec.parameters) {
    std::vector<std::string> parts;
    std::stringstream in(p.key);
    for (std::string part; std::getline(in, part, '.');) parts.push_back(part);
    YAML::Node node;
    node.reset(params);
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      if (!node[parts[i]].IsDefined()) node[parts[i]] = YAML::Node(YAML::NodeType::Map);
      YAML::Node child;
      child.reset(node[parts[i]]);
      node.reset(child);
    }
    node[parts.back()] = scalar_node(s.parameters.all().at(p.key));
  }

  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "model" << YAML::Value << s.model;
  out << YAML::Key << "name" << YAML::Value << s.name;
  out << YAML::Key << "description" << YAML::Value << s.description;
  out << YAML::Key << "seed" << YAML::Value << s.seed;
  out << YAML::Key << "start" << YAML::Value << s.start.iso();
  out << YAML::Key << "end" << YAML::Value << s.end.iso();
  out << YAML::Key << "output" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "snapshot_every" << YAML::Value << s.output.snapshot_every;
  out << YAML::Key << "flush_every" << YAML::Value << s.output.flush_every;
  out << YAML::Key << "snapshot_fields" << YAML::Value << YAML::Flow << s.output.snapshot_fields;
  out << YAML::Key << "events" << YAML::Value << s.output.events;
  if (s.output.series)
    out << YAML::Key << "series" << YAML::Value << YAML::Flow << *s.output.series;
  else
    out << YAML::Key << "series" << YAML::Value << "all";
  out << YAML::EndMap;
  out << YAML::Key << "parameters" << YAML::Value << params;
  out << YAML::Key << "policies" << YAML::Value << YAML::BeginSeq;
  for (const auto& p : s.policies) {
    out << YAML::BeginMap << YAML::Key << "policy" << YAML::Value << p.name;
    out << YAML::Key << "start" << YAML::Value << p.start.iso();
    out << YAML::Key << "end" << YAML::Value << p.end.iso();
    emit_fields(out, p.strengths);
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  out << YAML::Key << "events" << YAML::Value << YAML::BeginSeq;
  for (const auto& e : s.events) {
    out << YAML::BeginMap << YAML::Key << "event" << YAML::Value << e.name;
    out << YAML::Key << "date" << YAML::Value << e.date.iso();
    emit_fields(out, e.fields);
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace borderland::sim
