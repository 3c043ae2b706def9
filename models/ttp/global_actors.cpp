// The global actors' checkpoint and checks (global_actors.hpp).
#include "models/ttp/global_actors.hpp"

#include "models/ttp/checkpoint_io.hpp"
#include "models/ttp/state_checker.hpp"

namespace borderland::ttp {

namespace {
// Every stored field under its checkpoint name, once: save and load both walk this list, so
// the two cannot disagree on a name or the order.
template <class Part, class Io>
void stored_fields(Part& actors, Io&& io) {
  io("taliban_rule_", actors.taliban_rule);
  io("tolerance_target_override_", actors.tolerance_target_override);
  io("host_tolerance_", actors.host_tolerance);
  io("tension_", actors.tension);
  io("arms_available_", actors.arms_available);
  io("retaliation_", actors.retaliation);
  io("banked_provocations_", actors.banked_provocations);
  io("provoke_share_", actors.provoke_share);
  io("ceasefire_holding_", actors.ceasefire_holding);
  io("prisoners_due_", actors.prisoners_due);
  io("returns_due_", actors.returns_due);
  io("faction_morale_", actors.faction_morale);
}
}  // namespace

void GlobalActors::save(sim::h5::Group& world) const {
  stored_fields(*this,
                [&](const char* name, const auto& value) { checkpoint::put(world, name, value); });
  command.save(world);  // actors_state.cpp
  theatre.save(world);
  kabul.save(world);
}

void GlobalActors::load(const sim::h5::Group& world) {
  stored_fields(*this, [&](const char* name, auto& value) { checkpoint::get(world, name, value); });
  command.load(world);
  theatre.load(world);
  kabul.load(world);
}

void GlobalActors::check(const StateChecker& c, std::int64_t step) const {
  // Tolerance and tension are shares: each moves within 0..1 (phases/actors.cpp, host.cpp).
  c.share("host_tolerance_", host_tolerance);
  c.share("tension_", tension);
  for (const double m : faction_morale) c.share("faction_morale_", m);
  for (const auto& [name, v] : {std::pair{"tolerance_target_override_", tolerance_target_override},
                                {"arms_available_", arms_available},
                                {"retaliation_", retaliation},
                                {"banked_provocations_", banked_provocations},
                                {"provoke_share_", provoke_share},
                                {"prisoners_due_", prisoners_due},
                                {"returns_due_", returns_due}})
    c.finite(name, v);
  for (const auto& [name, v] : {std::pair{"command/recent_losses", command.recent_losses},
                                {"command/killed_today", command.killed_today},
                                {"command/stalled_days", command.stalled_days},
                                {"kabul/deported_recent", kabul.deported_recent}})
    c.all<double>(name, std::span<const double>(&v, 1), 0);
  for (const auto& [name, v] :
       {std::pair{"command/resolve", command.resolve}, {"command/tempo", command.tempo}})
    c.finite(name, v);
  for (const auto& [name, v] : {std::pair{"command/end_probability", command.end_probability},
                                {"kabul/restraint", kabul.restraint},
                                {"kabul/cohesion", kabul.cohesion}})
    c.share(name, v);
  if (command.review < -1)  // a step to come, or -1: none
    c.fail("world/command/review",
           fmt::format("value is {}; expected a step, or -1 for none", command.review));
  if (command.holding_since < -1 || command.holding_since > step)  // a step gone, or -1
    c.fail("world/command/holding_since",
           fmt::format("value is {}; expected a step 0 to {}, or -1 for none",
                       command.holding_since, step));
  c.all<double>("kabul/undocumented", std::span<const double>(&kabul.undocumented, 1), -1);
  for (double network : theatre.network) c.share("theatre/network", network);
}

}  // namespace borderland::ttp
