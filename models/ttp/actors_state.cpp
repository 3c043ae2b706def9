// Save and load of the collective actors' state (actors_state.hpp). Doubles
// are stored as float64 attributes, so a restart is exact.
#include "models/ttp/actors_state.hpp"

#include <string>

namespace borderland::ttp {

namespace {
void put_pair(sim::h5::Group& g, const std::string& name, const std::array<double, kRegions>& v) {
  for (int r = 0; r < kRegions; ++r)
    g.set_attr(name + "_" + std::to_string(r), v[static_cast<std::size_t>(r)]);
}
void get_pair(const sim::h5::Group& g, const std::string& name, std::array<double, kRegions>& v) {
  for (int r = 0; r < kRegions; ++r)
    v[static_cast<std::size_t>(r)] = g.attr_double(name + "_" + std::to_string(r));
}
}  // namespace

void Command::save(sim::h5::Group& parent) const {
  sim::h5::Group g = parent.create_group("command");
  g.set_attr("recent_losses", recent_losses);
  g.set_attr("killed_today", killed_today);
  g.set_attr("stalled_days", stalled_days);
  g.set_attr("review", review);
  g.set_attr("holding_since", holding_since);
  g.set_attr("resolve", resolve);
  g.set_attr("tempo", tempo);
  g.set_attr("end_probability", end_probability);
}

void Command::load(const sim::h5::Group& parent) {
  const sim::h5::Group g = parent.open_group("command");
  recent_losses = g.attr_double("recent_losses");
  killed_today = g.attr_double("killed_today");
  stalled_days = g.attr_double("stalled_days");
  review = g.attr_int("review");
  holding_since = g.attr_int("holding_since");
  resolve = g.attr_double("resolve");
  tempo = g.attr_double("tempo");
  end_probability = g.attr_double("end_probability");
}

void Kabul::save(sim::h5::Group& parent) const {
  sim::h5::Group g = parent.create_group("kabul");
  g.set_attr("restraint", restraint);
  g.set_attr("cohesion", cohesion);
  g.set_attr("undocumented", undocumented);
  g.set_attr("deported_recent", deported_recent);
}

void Kabul::load(const sim::h5::Group& parent) {
  const sim::h5::Group g = parent.open_group("kabul");
  restraint = g.attr_double("restraint");
  cohesion = g.attr_double("cohesion");
  undocumented = g.attr_double("undocumented");
  deported_recent = g.attr_double("deported_recent");
}

void Theatre::save(sim::h5::Group& parent) const {
  sim::h5::Group g = parent.create_group("theatre");
  put_pair(g, "network", network);
}

void Theatre::load(const sim::h5::Group& parent) {
  const sim::h5::Group g = parent.open_group("theatre");
  get_pair(g, "network", network);
}

}  // namespace borderland::ttp
