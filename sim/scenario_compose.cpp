#include "sim/scenario_compose.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "sim/diagnostics.hpp"
#include "sim/error.hpp"
#include "sim/input_text.hpp"

namespace borderland::sim {

namespace {

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

// Lays `over` (from file `source`) onto `base`.
void merge(YAML::Node base, const YAML::Node& over, const std::string& path,
           const std::string& source, std::vector<std::pair<std::string, std::string>>& files) {
  for (const auto& item : over) {
    const std::string key = item.first.Scalar();
    if (path.empty() && key == "extends") continue;
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
  if (!extends.IsDefined()) return root;
  Diagnostics diag(source);
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
  return base;
}

}  // namespace

ComposedYaml compose_scenario_yaml(const std::string& text, const std::string& source) {
  ComposedYaml out;
  out.chain.push_back(source);
  std::vector<std::string> keys{same_file_key(source)};
  out.root = compose(text, source, out, keys);
  return out;
}

}  // namespace borderland::sim
