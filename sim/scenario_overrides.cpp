#include "sim/scenario_overrides.hpp"

#include <fmt/format.h>

#include <charconv>
#include <sstream>
#include <utility>

#include "sim/input_text.hpp"
#include "sim/scenario_compose.hpp"

namespace borderland::sim {

namespace {

const std::string kPolicyPrefix = "--policy ";

// Reads an override's value as YAML, with the same strictness as a file.
bool read_value(const std::string& text, const std::string& flag, YAML::Node& value,
                std::vector<std::string>& errors) {
  if (auto problems = strict_yaml_problems(text, flag); !problems.empty()) {
    for (auto& p : problems) errors.push_back(std::move(p));
    return false;
  }
  try {
    value = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    errors.push_back(fmt::format("{}: error: cannot read value \"{}\": {}", flag, text, e.msg));
    return false;
  }
  return true;
}

// A list index in a --set path: a number below the size, the size itself
// (append) or '+' (append).
bool list_index(const YAML::Node& list, const std::string& part, std::size_t& index) {
  if (part == "+") {
    index = list.size();
    return true;
  }
  const auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
  return ec == std::errc{} && ptr == part.data() + part.size() && index <= list.size();
}

void apply_policy_rule(YAML::Node& root, YAML::Node policy, const std::string& flag,
                       std::vector<OverridePlace>& places, std::vector<std::string>& errors,
                       OverrideFiles* files, std::vector<std::string>& warnings);

void apply_set(YAML::Node& root, const std::string& assignment, std::vector<OverridePlace>& places,
               std::vector<std::string>& errors, OverrideFiles* files,
               std::vector<std::string>& warnings) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    errors.push_back(
        fmt::format("--set {}: error: expected KEY=VALUE (a key path such as "
                    "parameters.legitimacy=0.8)",
                    assignment));
    return;
  }
  const std::string key = assignment.substr(0, eq);
  const std::string flag = "--set " + key;
  YAML::Node value;
  if (!read_value(assignment.substr(eq + 1), flag, value, errors)) return;
  std::vector<std::string> parts;
  std::stringstream in(key);
  for (std::string part; std::getline(in, part, '.');) parts.push_back(part);
  if (parts.empty() || key.back() == '.' ||
      std::find(parts.begin(), parts.end(), "") != parts.end()) {
    errors.push_back(fmt::format("{}: error: empty part in the key path", flag));
    return;
  }
  std::string path;  // as messages write it
  YAML::Node node;
  node.reset(root);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const bool last = i + 1 == parts.size();
    YAML::Node child;
    if (node.IsSequence()) {
      std::size_t index = 0;
      if (!list_index(node, parts[i], index)) {
        errors.push_back(fmt::format(
            "{}: error: '{}' is not an index of the list {} (0 to {}, or {} or '+' to append)",
            flag, parts[i], path, node.size() == 0 ? 0 : node.size() - 1, node.size()));
        return;
      }
      path += fmt::format("[{}]", index);
      if (last) {
        // `policies.+={policy: NAME, inherited: end, ...}`: a rule, as with --policy.
        if (i == 1 && parts[0] == "policies" && index == node.size() && is_inherited_rule(value)) {
          apply_policy_rule(root, value, flag, places, errors, files, warnings);
          return;
        }
        if (index == node.size())
          node.push_back(value);
        else
          node[index] = value;
        break;
      }
      if (index == node.size()) {  // a new entry: what it lacks is this flag's to answer for
        node.push_back(YAML::Node(YAML::NodeType::Map));
        places.push_back({path, flag});
      }
      child.reset(node[index]);
    } else if (node.IsMap() || node.IsNull()) {
      path += (path.empty() ? "" : ".") + parts[i];
      if (last) {
        node[parts[i]] = value;
        break;
      }
      if (!node[parts[i]].IsDefined() || node[parts[i]].IsNull()) {
        // `policies` and `events` are lists; anything else missing is a mapping.
        const bool list = i == 0 && (parts[i] == "policies" || parts[i] == "events");
        node[parts[i]] = YAML::Node(list ? YAML::NodeType::Sequence : YAML::NodeType::Map);
      }
      child.reset(node[parts[i]]);
    } else {
      errors.push_back(fmt::format("{}: error: '{}' is a single value, not a mapping", flag, path));
      return;
    }
    node.reset(child);
  }
  places.push_back({path, flag});
}

// `--policy 'NAME inherited=end at=DATE'` (or inherited=replace ...): the rule of
// scenario_compose.hpp, with the scenario as composed (and earlier overrides) as
// what is inherited. Places already recorded follow the renumbered periods.
void apply_policy_rule(YAML::Node& root, YAML::Node policy, const std::string& flag,
                       std::vector<OverridePlace>& places, std::vector<std::string>& errors,
                       OverrideFiles* files, std::vector<std::string>& warnings) {
  const YAML::Node list = root["policies"];
  const auto result = apply_inherited_rule(
      list, list.size(), policy, "policy",
      [&](const YAML::Node&, const std::string& path, const std::string& what) {
        errors.push_back(
            fmt::format("{}: error: {}: {}", flag, path.substr(path.find('.') + 1), what));
      });
  if (!result.ok) return;
  if (!result.dropped_before.empty())  // as for a rule in a file (scenario_compose.cpp)
    warnings.push_back(fmt::format(
        "{}: warning: `inherited=replace` drops the inherited period(s) {} of '{}', which begin "
        "before this one: what happens before its start changes too; to keep it, end them instead "
        "(inherited=end at=DAY_BEFORE) and add this period as a plain --policy",
        flag, fmt::join(result.dropped_before, ", "),
        policy["policy"].IsScalar() ? policy["policy"].Scalar() : std::string()));
  std::vector<OverridePlace> kept;
  for (auto& place : places)
    if (auto moved = renumbered_policy_path(place.path, result.new_index))
      kept.push_back({*moved, std::move(place.flag)});
  places = std::move(kept);
  if (files != nullptr) {
    OverrideFiles moved_files;
    for (auto& [path, file] : *files)
      if (auto moved = renumbered_policy_path(path, result.new_index))
        moved_files.emplace_back(*moved, std::move(file));
    *files = std::move(moved_files);
  }
  for (const std::size_t k : result.ended)
    places.push_back({fmt::format("policies[{}].end", k), flag});
  if (result.added) places.push_back({fmt::format("policies[{}]", *result.added), flag});
  root["policies"] = result.list;
}

void apply_policy(YAML::Node& root, const std::string& spec, std::vector<OverridePlace>& places,
                  std::vector<std::string>& errors, OverrideFiles* files,
                  std::vector<std::string>& warnings) {
  const std::string flag = fmt::format("--policy '{}'", spec);
  std::istringstream in(spec);
  std::string name;
  in >> name;
  if (name.empty() || name.find('=') != std::string::npos) {
    errors.push_back(fmt::format(
        "{}: error: expected NAME KEY=VALUE... (e.g. 'talks start=2023-03-01 amnesty=0.2')", flag));
    return;
  }
  YAML::Node policy(YAML::NodeType::Map);
  policy["policy"] = name;
  for (std::string word; in >> word;) {
    const auto eq = word.find('=');
    if (eq == std::string::npos || eq == 0) {
      errors.push_back(fmt::format("{}: error: expected KEY=VALUE, got \"{}\"", flag, word));
      return;
    }
    const std::string key = word.substr(0, eq);
    if (policy[key].IsDefined()) {
      errors.push_back(fmt::format("{}: error: '{}' given twice", flag, key));
      return;
    }
    YAML::Node value;
    if (!read_value(word.substr(eq + 1), flag, value, errors)) return;
    if (!value.IsScalar()) {
      errors.push_back(fmt::format("{}: error: {}: expected a single value, got \"{}\"", flag, key,
                                   word.substr(eq + 1)));
      return;
    }
    policy[key] = value;
  }
  YAML::Node list = root["policies"];
  if (!list.IsDefined() || list.IsNull()) {
    root["policies"] = YAML::Node(YAML::NodeType::Sequence);
    list = root["policies"];
  }
  if (!list.IsSequence()) {
    errors.push_back(fmt::format("{}: error: the scenario's policies are not a list", flag));
    return;
  }
  if (is_inherited_rule(policy)) {
    apply_policy_rule(root, policy, flag, places, errors, files, warnings);
    return;
  }
  places.push_back({fmt::format("policies[{}]", list.size()), flag});
  list.push_back(policy);
}

}  // namespace

std::string policy_override(const std::string& spec) {
  return kPolicyPrefix + spec;
}

std::vector<OverridePlace> apply_overrides(YAML::Node& root,
                                           const std::vector<std::string>& overrides,
                                           std::vector<std::string>& errors, OverrideFiles* files,
                                           std::vector<std::string>* warnings) {
  std::vector<OverridePlace> places;
  std::vector<std::string> unused;
  std::vector<std::string>& warned = warnings != nullptr ? *warnings : unused;
  for (const auto& o : overrides) {
    if (o.rfind(kPolicyPrefix, 0) == 0)
      apply_policy(root, o.substr(kPolicyPrefix.size()), places, errors, files, warned);
    else
      apply_set(root, o, places, errors, files, warned);
  }
  return places;
}

}  // namespace borderland::sim
