// The TTP model's scripted events, each declared once: one row of
// World::event_kinds() gives the event's name, what it does, its details
// (units, default, range, reason) and the member function that applies it.
// The model's description lists the rows; the World schedules a scenario's
// events by row, so an event name is written only here.
#include <algorithm>
#include <cmath>

#include "models/ttp/streams.hpp"
#include "models/ttp/world.hpp"

namespace borderland::ttp {

using sim::ParamSpec;

const std::vector<World::EventKind>& World::event_kinds() {
  static const std::vector<EventKind> all{
      {{"kabul_falls",
        "the Afghan Taliban take Kabul: host tolerance turns, arms left behind become available",
        {ParamSpec::real("tolerance", -1, -1, 1, "1",
                         "new tolerance target; -1 = host.tolerance_taliban")}},
       &World::on_kabul_falls},
      {{"prisoners_freed",
        "TTP prisoners freed (from Afghan prisons: join sanctuaries; from Pakistani ones: home)",
        {ParamSpec::real("fighters", 300, 0, 100000, "persons", "how many"),
         ParamSpec::choice("where", "sanctuary", {"sanctuary", "pakistan"}, "where they go")}},
       &World::on_prisoners_freed},
      {{"leader_killed",
        "a senior commander killed (7 Aug 2022, Paktia, seed)",
        {ParamSpec::choice("faction", "ttp_mohmand",
                           {"ttp_mehsud", "ttp_mohmand", "ttp_other", "baloch_bla_blf"}, "whose")}},
       &World::on_leader_killed},
      {{"splinters_rejoin",
        "splinter groups rejoin the TTP (2020, seed)",
        {ParamSpec::real("fighters", 400, 0, 100000, "persons",
                         "fighters who rejoin, in sanctuary"),
         ParamSpec::choice("faction", "ttp_mohmand", {"ttp_mehsud", "ttp_mohmand", "ttp_other"},
                           "which faction")}},
       &World::on_splinters_rejoin},
  };
  return all;
}

namespace {
int faction_of(const std::string& name) {
  for (int f = 0; f < kFactions; ++f)
    if (name == kFactionNames[static_cast<std::size_t>(f)]) return f;
  return kOtherTtp;
}
}  // namespace

// New fighters arrive as cells of the usual size; faction < 0: a TTP faction at random.
void World::add_fighters(double total, int faction, bool sanctuary, std::int64_t step) {
  sim::RandomDraws draws(seed_, Stream::kEvents, static_cast<std::uint64_t>(step),
                         static_cast<std::uint64_t>(counts_.ledger.joined));
  auto left = static_cast<std::int64_t>(std::llround(total));
  const auto size = static_cast<std::int64_t>(p_.cell_size);
  const auto ns = static_cast<std::uint32_t>(sanctuaries_.size());
  while (left > 0) {
    const int f = static_cast<int>(std::min(left, size));
    const int fac = faction >= 0 ? faction : static_cast<int>(draws.below(kTtpFactions));
    if (sanctuary) {
      const auto s = static_cast<int>(draws.below(ns));
      spawn_cell(fac, sanctuary_cell(s), f, p_.recruit_arms, kInSanctuary, s);
    } else {
      spawn_cell(fac, pick_weighted(draws, geo_.dest_home, geo_.dest_home_w), f, p_.recruit_arms,
                 kLocal, -1);
    }
    counts_.ledger.joined += f;
    left -= f;
  }
}

void World::on_kabul_falls(const SwitchValues& e, std::int64_t) {
  // Host tolerance turns and the arms left behind become available (seed).
  actors_.taliban_rule = true;
  actors_.tolerance_target_override = e.real("tolerance");
  actors_.arms_available = p_.windfall_arms;
}

void World::on_prisoners_freed(const SwitchValues& e, std::int64_t step) {
  add_fighters(e.real("fighters"), -1, e.text("where") == "sanctuary", step);
}

void World::on_leader_killed(const SwitchValues& e, std::int64_t) {
  const int f = faction_of(e.text("faction"));
  actors_.faction_morale[static_cast<std::size_t>(f)] =
      std::max(0.0, actors_.faction_morale[static_cast<std::size_t>(f)] - p_.leader_morale_loss);
  auto morale = cells_[cells_.morale];
  for (std::size_t r = 0; r < cells_.size(); ++r)
    if (cells_[cells_.faction][r] == f)
      morale[r] = std::max(0.0, morale[r] - p_.leader_morale_loss);
  if (actors_.ceasefire_holding)
    actors_.banked_provocations +=
        p_.retaliation_per_leader / std::max(kTinyRate, p_.retaliation_per_death);
  else
    actors_.retaliation =
        std::min(p_.retaliation_max, actors_.retaliation + p_.retaliation_per_leader);
}

void World::on_splinters_rejoin(const SwitchValues& e, std::int64_t step) {
  add_fighters(e.real("fighters"), faction_of(e.text("faction")), true, step);
}

}  // namespace borderland::ttp
