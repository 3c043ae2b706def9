#include <fmt/format.h>

#include "app/commands.hpp"
#include "app/registry.hpp"
#include "sim/error.hpp"

namespace borderland::app {

namespace {
void print_fields(const std::vector<sim::ParamSpec>& specs, const char* indent) {
  for (const auto& p : specs) {
    std::string range;
    if (p.type == sim::ParamType::kReal || p.type == sim::ParamType::kInteger)
      range = fmt::format(" in [{}, {}]", p.min, p.max);
    if (p.type == sim::ParamType::kChoice) {
      for (const auto& c : p.choices) range += (range.empty() ? " one of " : "|") + c;
    }
    fmt::print("{}{} = {} {}{}\n{}    {}\n", indent, p.key, sim::to_text(p.default_value), p.units,
               range, indent, p.doc);
  }
}
}  // namespace

int command_models(const std::string& name) {
  bool found = false;
  for (const auto* model : models()) {
    const auto& spec = model->spec();
    if (!name.empty() && spec.name != name) continue;
    found = true;
    fmt::print("{}\n  {}\n", spec.name, spec.summary);
    if (name.empty()) continue;  // the list; details on request
    fmt::print("\n  parameters (key = default units range):\n");
    print_fields(spec.parameters, "    ");
    fmt::print("\n  policies (each entry: policy, start, end, then these strengths):\n");
    for (const auto& p : spec.policies) {
      fmt::print("    {}: {}\n", p.name, p.doc);
      print_fields(p.fields, "      ");
    }
    if (!spec.events.empty())
      fmt::print("\n  scripted events (each entry: event, date, then these fields):\n");
    for (const auto& e : spec.events) {
      fmt::print("    {}: {}\n", e.name, e.doc);
      print_fields(e.fields, "      ");
    }
    std::string fields;
    for (const auto& f : spec.snapshot_fields) fields += (fields.empty() ? "" : ", ") + f;
    fmt::print("\n  snapshot fields: {}\n", fields);
  }
  if (!found) throw sim::InputError(fmt::format("models: error: unknown model \"{}\"", name));
  if (name.empty())
    fmt::print("\n`borderland models NAME` lists a model's parameters, policies and events.\n");
  return 0;
}

}  // namespace borderland::app
