#include "sim/scenario_compose.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>

#include "sim/date.hpp"
#include "sim/diagnostics.hpp"
#include "sim/error.hpp"
#include "sim/input_text.hpp"

namespace borderland::sim {

namespace {

using Files = std::vector<std::pair<std::string, std::string>>;

std::string child_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

// Lists `node` and everything below it as coming from `source`.
void record(const YAML::Node& node, const std::string& path, const std::string& source,
            std::vector<std::pair<std::string, std::string>>& files) {
  if (!path.empty()) files.emplace_back(path, source);
  if (node.IsMap()) {
    for (const auto& item : node)
      if (item.first.IsScalar())
        record(item.second, child_path(path, item.first.Scalar()), source, files);
  } else if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      record(node[i], fmt::format("{}[{}]", path, i), source, files);
  }
}

void forget(const std::string& path, std::vector<std::pair<std::string, std::string>>& files) {
  std::erase_if(files, [&](const auto& entry) { return path_within(entry.first, path); });
}

bool appended(const std::string& path) {
  return path == "policies" || path == "events";
}

std::optional<Date> date_of(const YAML::Node& node) {
  if (!node.IsDefined() || !node.IsScalar()) return std::nullopt;
  return Date::parse(node.Scalar());
}

bool given(const YAML::Node& node) {
  return node.IsDefined() && !node.IsNull();
}

// The text of a scalar; "" for anything else, a missing key included.
std::string text_of(const YAML::Node& node) {
  return node.IsDefined() && node.IsScalar() ? node.Scalar() : "";
}

// After a rule dropped periods, the places recorded for the later ones move up.
void renumber(Files& files, const std::vector<long>& new_index) {
  Files kept;
  for (auto& [path, file] : files)
    if (auto moved = renumbered_policy_path(path, new_index)) kept.emplace_back(*moved, file);
  files = std::move(kept);
}

// `inherited: replace` drops every inherited period, also those that began before the new one:
// valid, but in a projection that rewrites the calibrated history. Said, with the alternative.
std::string replace_warning(const Diagnostics& diag, const YAML::Node& rule,
                            const std::string& path, const std::vector<std::string>& dropped) {
  const std::string name = text_of(rule["policy"]), start = text_of(rule["start"]);
  return fmt::format(
      "{}: warning: {}: `inherited: replace` drops the inherited period(s) {} of '{}', which "
      "begin before this one ({}): what happens before {} changes too; to keep it, end them "
      "instead ({{policy: {}, inherited: end, at: DAY_BEFORE}}) and add this period as a plain "
      "entry",
      diag.where(rule, path), path, fmt::join(dropped, ", "), name, start, start, name);
}

// Lays the child's `policies` (`over`, from `source`) onto `base`: plain
// periods are appended; rules about inherited periods are applied in the order
// they come.
void merge_policies(YAML::Node base, const YAML::Node& over, const std::string& source,
                    Files& files, Diagnostics& diag, std::vector<std::string>& warnings) {
  const YAML::Node list = std::as_const(base)["policies"];
  if ((given(list) && !list.IsSequence()) || !over.IsSequence()) {  // not lists: replaced
    forget("policies", files);
    record(over, "policies", source, files);
    base["policies"] = over;
    return;
  }
  YAML::Node current = given(list) ? list : YAML::Node(YAML::NodeType::Sequence);
  std::size_t inherited = current.size();
  for (std::size_t j = 0; j < over.size(); ++j) {
    YAML::Node entry = over[j];
    if (!is_inherited_rule(entry)) {
      record(entry, fmt::format("policies[{}]", current.size()), source, files);
      current.push_back(entry);
      continue;
    }
    const InheritedRuleResult result =
        apply_inherited_rule(current, inherited, entry, fmt::format("policies[{}]", j),
                             [&](const YAML::Node& node, const std::string& path,
                                 const std::string& message) { diag.error(node, path, message); });
    if (!result.ok) continue;
    if (!result.dropped_before.empty())
      warnings.push_back(
          replace_warning(diag, entry, fmt::format("policies[{}]", j), result.dropped_before));
    renumber(files, result.new_index);
    for (const std::size_t k : result.ended)
      files.emplace_back(fmt::format("policies[{}].end", k), source);
    if (result.added) record(entry, fmt::format("policies[{}]", *result.added), source, files);
    inherited -=
        static_cast<std::size_t>(std::count(result.new_index.begin(), result.new_index.end(), -1L));
    current.reset(result.list);
  }
  base["policies"] = current;
}

// A scenario that extends none inherits nothing: a rule there is a mistake.
void reject_rules_without_parent(const YAML::Node& root, Diagnostics& diag) {
  const YAML::Node policies = root["policies"];
  if (!policies.IsDefined() || !policies.IsSequence()) return;
  for (std::size_t j = 0; j < policies.size(); ++j)
    if (is_inherited_rule(policies[j]))
      diag.error(policies[j]["inherited"], fmt::format("policies[{}].inherited", j),
                 "this scenario extends none, so it inherits no period to end or replace; "
                 "name the parent with `extends:` (or use --policy on the command line)");
}

// Lays `over` (from file `source`) onto `base`.
void merge(YAML::Node base, const YAML::Node& over, const std::string& path,
           const std::string& source, std::vector<std::pair<std::string, std::string>>& files) {
  for (const auto& item : over) {
    const std::string key = item.first.Scalar();
    if (path.empty() && (key == "extends" || key == "policies")) continue;  // policies: below
    const std::string here = child_path(path, key);
    YAML::Node target = base[key];
    const bool exists = target.IsDefined() && !target.IsNull();
    if (exists && appended(here) && target.IsSequence() && item.second.IsSequence()) {
      for (std::size_t j = 0; j < item.second.size(); ++j) {
        record(item.second[j], fmt::format("{}[{}]", here, target.size()), source, files);
        target.push_back(item.second[j]);
      }
      continue;
    }
    if (exists && target.IsMap() && item.second.IsMap()) {
      merge(target, item.second, here, source, files);
      continue;
    }
    forget(here, files);
    record(item.second, here, source, files);
    base[key] = item.second;
  }
}

std::string same_file_key(const std::string& path) {
  std::error_code ec;
  const auto canonical = std::filesystem::weakly_canonical(path, ec);
  return ec ? std::filesystem::path(path).lexically_normal().string() : canonical.string();
}

YAML::Node compose(const std::string& text, const std::string& source, ComposedYaml& out,
                   std::vector<std::string>& keys) {
  YAML::Node root = load_yaml_mapping(text, source, "scenario");
  const YAML::Node extends = root["extends"];
  Diagnostics diag(source);
  if (!extends.IsDefined()) {
    reject_rules_without_parent(root, diag);
    diag.throw_if_any();
    return root;
  }
  if (!extends.IsScalar() || extends.Scalar().empty()) {
    diag.error(extends, "extends",
               "expected the file name of a scenario, got " + describe(extends));
    diag.throw_if_any();
  }
  const std::filesystem::path named(extends.Scalar());
  const std::string parent =
      (named.is_absolute() ? named : std::filesystem::path(source).parent_path() / named)
          .lexically_normal()
          .string();
  const std::string key = same_file_key(parent);
  if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
    diag.error(extends, "extends",
               fmt::format("a cycle: {} -> {}", fmt::join(out.chain, " -> "), parent));
    diag.throw_if_any();
  }
  if (static_cast<int>(out.chain.size()) > kMaxExtendsDepth) {
    diag.error(extends, "extends",
               fmt::format("more than {} scenarios extend one another", kMaxExtendsDepth));
    diag.throw_if_any();
  }
  std::string parent_text;
  try {
    parent_text = read_text_file(parent, "scenario file");
  } catch (const InputError& e) {
    diag.error(extends, "extends", fmt::format("cannot read {}: {}", parent, e.messages().front()));
    diag.throw_if_any();
  }
  out.chain.push_back(parent);
  keys.push_back(key);
  YAML::Node base = compose(parent_text, parent, out, keys);
  // Everything read so far (the parent and its own parents) came from there;
  // the parents' entries, listed when they were merged, stay more specific.
  std::vector<std::pair<std::string, std::string>> from_parent;
  record(base, "", parent, from_parent);
  for (auto& entry : out.files) from_parent.push_back(std::move(entry));
  out.files = std::move(from_parent);
  merge(base, root, "", source, out.files);
  if (const YAML::Node policies = std::as_const(root)["policies"]; policies.IsDefined())
    merge_policies(base, policies, source, out.files, diag, out.warnings);
  diag.throw_if_any();
  return base;
}

}  // namespace

bool is_inherited_rule(const YAML::Node& entry) {
  return entry.IsMap() && entry["inherited"].IsDefined();
}

InheritedRuleResult apply_inherited_rule(const YAML::Node& list, std::size_t inherited,
                                         YAML::Node rule, const std::string& rule_path,
                                         const RuleError& error) {
  InheritedRuleResult out;
  const YAML::Node& r = rule;  // reads only: a missing key is not inserted
  bool bad = false;
  const auto fail = [&](const YAML::Node& node, const std::string& key, const std::string& what) {
    error(node, rule_path + "." + key, what);
    bad = true;
  };
  const YAML::Node name_node = r["policy"];
  const YAML::Node mode_node = r["inherited"];
  const std::string name = text_of(name_node);
  const std::string mode = text_of(mode_node);
  if (name.empty())
    fail(given(name_node) ? name_node : rule, "policy",
         "missing; expected the name of a policy the scenario inherits");
  if (mode != "end" && mode != "replace")
    fail(mode_node, "inherited",
         fmt::format("expected end (end the inherited periods on a date) or replace (drop them "
                     "and add this period), got {}",
                     describe(mode_node)));
  if (bad) return out;

  std::vector<std::size_t> matched;
  std::vector<std::string> names;  // the inherited policies, for the message
  for (std::size_t i = 0; i < inherited && i < list.size(); ++i) {
    const YAML::Node entry = list[i];
    const std::string policy = entry.IsMap() ? text_of(entry["policy"]) : "";
    if (policy.empty()) continue;
    if (std::find(names.begin(), names.end(), policy) == names.end()) names.push_back(policy);
    if (policy == name) matched.push_back(i);
  }
  if (matched.empty())
    fail(name_node, "policy",
         fmt::format("no period of '{}' is inherited, so there is none to {}; inherited: {}", name,
                     mode, names.empty() ? "no policies" : known_list(names)));

  std::optional<Date> at;
  const YAML::Node at_node = r["at"];
  if (mode == "end") {
    for (const auto& item : r) {
      const std::string key = text_of(item.first);
      if (key != "policy" && key != "inherited" && key != "at")
        fail(item.first, key,
             "an `inherited: end` rule takes only policy, inherited and at; to add a period "
             "of its own, use `inherited: replace`");
    }
    if (!given(at_node)) {
      fail(rule, "at", "missing; expected the date (YYYY-MM-DD) the inherited periods end on");
    } else {
      at = date_of(at_node);
      if (!at) fail(at_node, "at", "expected a date (YYYY-MM-DD), got " + describe(at_node));
    }
  } else if (at_node.IsDefined()) {
    fail(at_node, "at",
         "a replace rule is a period of its own: it takes start and end (and strengths), not at");
  }
  if (bad) return out;

  // Which inherited periods go, and which end on `at`.
  std::vector<bool> drop(list.size(), false), end_at(list.size(), false);
  for (const std::size_t i : matched) {
    const YAML::Node entry = list[i];
    if (mode == "replace") {
      drop[i] = true;
      continue;
    }
    const auto start = date_of(entry["start"]);  // required: the loader reports a missing one
    if (start && *at < *start) {
      drop[i] = true;  // starts after the date: never begins
      continue;
    }
    // Active on `at` (or open-ended): its last day becomes `at`. A malformed
    // date is left for the scenario loader to report.
    const auto end = date_of(entry["end"]);
    if (!given(entry["end"]) || (end && *at < *end)) end_at[i] = true;
  }
  out.list = YAML::Node(YAML::NodeType::Sequence);
  out.new_index.assign(list.size(), -1);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (drop[i]) continue;
    YAML::Node entry = list[i];
    if (end_at[i]) {
      entry["end"] = at_node;  // the rule's node: an error there points at the rule
      out.ended.push_back(out.list.size());
    }
    out.new_index[i] = static_cast<long>(out.list.size());
    out.list.push_back(entry);
  }
  if (mode == "replace") {
    const auto own_start = date_of(r["start"]);
    for (const std::size_t i : matched) {
      const auto start = date_of(list[i]["start"]);
      if (own_start && start && *start < *own_start)
        out.dropped_before.push_back(fmt::format(
            "{}..{}", start->iso(), given(list[i]["end"]) ? text_of(list[i]["end"]) : "end"));
    }
    rule.remove("inherited");
    out.added = out.list.size();
    out.list.push_back(rule);
  }
  out.ok = true;
  return out;
}

std::optional<std::string> renumbered_policy_path(const std::string& path,
                                                  const std::vector<long>& new_index) {
  const std::string prefix = "policies[";
  if (path.rfind(prefix, 0) != 0) return path;
  const auto close = path.find(']', prefix.size());
  std::size_t index = 0;
  const char* first = path.data() + prefix.size();
  const char* last = path.data() + (close == std::string::npos ? path.size() : close);
  const auto [ptr, ec] = std::from_chars(first, last, index);
  if (close == std::string::npos || ec != std::errc{} || ptr != last || index >= new_index.size())
    return path;  // not a policy entry, or one added after the rule
  if (new_index[index] < 0) return std::nullopt;
  return fmt::format("policies[{}]{}", new_index[index], path.substr(close + 1));
}

ComposedYaml compose_scenario_yaml(const std::string& text, const std::string& source) {
  ComposedYaml out;
  out.chain.push_back(source);
  std::vector<std::string> keys{same_file_key(source)};
  out.root = compose(text, source, out, keys);
  return out;
}

}  // namespace borderland::sim
