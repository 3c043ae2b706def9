// Phase "actors": scripted events, the policies in force, the Afghan host's
// tolerance and tension with Pakistan, the TTP command's posture, the
// ceasefire and the concessions of talks. Global state only; sequential.
#include <algorithm>
#include <cmath>

#include "models/ttp/streams.hpp"
#include "models/ttp/world.hpp"

namespace borderland::ttp {

void World::read_policies(sim::Date date) {
  PolicyState s;
  if (const sim::PolicySwitch* t = policies_.active("talks", date)) {
    s.talks = true;
    s.talks_days = policies_.days_active("talks", date);
    const double days = static_cast<double>(t->start.days_until(t->end) + 1);
    s.prisoners_per_day = t->strengths.real("prisoners_released") / days;
    s.returns_per_day = t->strengths.real("fighters_returning") / days;
    s.amnesty = t->strengths.real("amnesty");
    s.army_restraint = t->strengths.real("army_restraint");
  }
  if (const sim::PolicySwitch* c = policies_.active("ceasefire", date)) {
    s.ceasefire_switch = true;
    s.ceasefire_days = policies_.days_active("ceasefire", date);
    s.observance = c->strengths.real("observance");
    const double limit = c->strengths.real("provocation_limit");
    s.provocation_limit = limit >= 0 ? limit : p_.ceasefire_provocations;
  }
  if (const sim::PolicySwitch* m = policies_.active("military_operations", date)) {
    const double i = m->strengths.real("intensity");
    const std::string& region = m->strengths.text("region");
    if (region != "balochistan") s.ops_kp = i;
    if (region != "kp") s.ops_balochistan = i;
  }
  if (const sim::PolicySwitch* x = policies_.active("cross_border_strikes", date)) {
    s.strikes_per_day = x->strengths.real("per_month") / 30.0;
    s.strike_intelligence = x->strengths.real("intelligence");
    s.strike_collateral = x->strengths.real("collateral");
  }
  if (const sim::PolicySwitch* r = policies_.active("police_reform", date)) {
    const auto ramp = r->strengths.integer("ramp_days");
    const int days = policies_.days_active("police_reform", date);
    const double phase_in =
        ramp == 0 ? 1.0 : std::min(1.0, static_cast<double>(days) / static_cast<double>(ramp));
    const bool all = r->strengths.text("forces") == "all";
    for (int f = 0; f < kForces; ++f) {
      if (!all && f != kForceKP && f != kForceBalochistan) continue;
      s.reform_training[static_cast<std::size_t>(f)] = phase_in * r->strengths.real("training");
      s.reform_intelligence[static_cast<std::size_t>(f)] =
          phase_in * r->strengths.real("intelligence");
      s.reform_hardness[static_cast<std::size_t>(f)] = phase_in * r->strengths.real("hardness");
    }
  }
  if (const sim::PolicySwitch* h = policies_.active("host_pressure", date)) {
    s.host_intensity = h->strengths.real("intensity");
    s.host_payment = h->strengths.real("payment");
    s.relocation_km = h->strengths.real("relocation_km");
    s.disarmament = h->strengths.real("disarmament");
  }
  if (const sim::PolicySwitch* b = policies_.active("border_control", date)) {
    s.fencing = b->strengths.real("fencing");
    s.crossing_control = b->strengths.real("crossing_points");
  }
  if (const sim::PolicySwitch* l = policies_.active("rule_of_law", date)) {
    s.rol_detection = l->strengths.real("detection");
    s.rol_conviction = l->strengths.real("conviction");
    s.rol_release_factor = l->strengths.real("release_factor");
  }
  if (const sim::PolicySwitch* a = policies_.active("alert_posture", date)) {
    s.alert_floor = a->strengths.real("level");
    s.alert_hq_only = a->strengths.boolean("headquarters_only");
  }
  pol_ = s;
}

void World::apply_event(const sim::ScriptedEvent& e, std::int64_t step) {
  sim::RandomDraws draws(seed_, Stream::kEvents, static_cast<std::uint64_t>(step),
                         static_cast<std::uint64_t>(ledger_.joined));
  auto faction_of = [](const std::string& name) {
    for (int f = 0; f < kFactions; ++f)
      if (name == kFactionNames[static_cast<std::size_t>(f)]) return f;
    return static_cast<int>(kOtherTtp);
  };
  // New fighters arrive as cells of the usual size.
  auto add_fighters = [&](double total, int faction, bool sanctuary) {
    auto left = static_cast<std::int64_t>(std::llround(total));
    const auto size = static_cast<std::int64_t>(p_.cell_size);
    const auto ns = static_cast<std::uint32_t>(sanctuaries_.size());
    while (left > 0) {
      const int f = static_cast<int>(std::min(left, size));
      const int fac = faction >= 0 ? faction : static_cast<int>(draws.below(3));
      if (sanctuary) {
        const auto s = static_cast<int>(draws.below(ns));
        spawn_cell(fac, sanctuary_cell(s), f, p_.recruit_arms, kInSanctuary, s);
      } else {
        spawn_cell(fac, pick_weighted(draws, dest_home_, dest_home_w_), f, p_.recruit_arms, kLocal,
                   -1);
      }
      ledger_.joined += f;
      left -= f;
    }
  };
  if (e.name == "kabul_falls") {
    // Host tolerance turns and the arms left behind become available (seed).
    taliban_rule_ = true;
    tolerance_target_override_ = e.fields.real("tolerance");
    arms_available_ = p_.windfall_arms;
  } else if (e.name == "prisoners_freed") {
    add_fighters(e.fields.real("fighters"), -1, e.fields.text("where") == "sanctuary");
  } else if (e.name == "leader_killed") {
    const int f = faction_of(e.fields.text("faction"));
    faction_morale_[static_cast<std::size_t>(f)] =
        std::max(0.0, faction_morale_[static_cast<std::size_t>(f)] - p_.leader_morale_loss);
    auto morale = cells_[c_morale_];
    for (std::size_t r = 0; r < cells_.size(); ++r)
      if (cells_[c_faction_][r] == f) morale[r] = std::max(0.0, morale[r] - p_.leader_morale_loss);
    if (ceasefire_holding_)
      banked_provocations_ += p_.retaliation_per_leader / std::max(1e-9, p_.retaliation_per_death);
    else
      retaliation_ = std::min(p_.retaliation_max, retaliation_ + p_.retaliation_per_leader);
  } else if (e.name == "splinters_rejoin") {
    add_fighters(e.fields.real("fighters"), faction_of(e.fields.text("faction")), true);
  }
}

void World::phase_actors(std::int64_t step) {
  const sim::Date date = start_.plus_days(static_cast<int>(step));
  if (auto it = events_by_step_.find(step); it != events_by_step_.end())
    for (const auto& e : it->second) apply_event(e, step);
  read_policies(date);

  // Host tolerance relaxes towards its target; pressure lowers the target as
  // far as Kabul complies.
  double target = taliban_rule_ ? (tolerance_target_override_ >= 0 ? tolerance_target_override_
                                                                   : p_.tolerance_taliban)
                                : p_.tolerance_republic;
  target *= 1.0 - p_.pressure_effect * pol_.host_intensity * compliance();
  host_tolerance_ += (target - host_tolerance_) / p_.tolerance_adjust_days;
  // Tension relaxes to its rest level; diplomatic pressure itself adds a little.
  tension_ += (p_.tension_base - tension_) / p_.tension_decay_days +
              0.002 * pol_.host_intensity * (1.0 - tension_);
  tension_ = std::clamp(tension_, 0.0, 1.0);

  // Ceasefire: starts holding when its switch starts; collapses when state
  // action has killed too many militants; when it ends, the banked
  // provocations turn into retaliation ('now our retaliatory attacks will start', seed).
  if (pol_.ceasefire_switch && !was_ceasefire_switch_) {
    ceasefire_holding_ = true;
    ceasefire_killed_ = 0;
  }
  if (ceasefire_holding_ &&
      (!pol_.ceasefire_switch || ceasefire_killed_ > pol_.provocation_limit)) {
    ceasefire_holding_ = false;
    retaliation_ = std::min(p_.retaliation_max,
                            retaliation_ + p_.retaliation_per_death * banked_provocations_);
    banked_provocations_ = 0;
  }
  was_ceasefire_switch_ = pol_.ceasefire_switch;
  retaliation_ *= std::exp(-1.0 / p_.retaliation_days);
  fighters_pk_cache_ = fighters_in(true);

  // Talks: concessions spread over the switch. Prisoners come out of custody
  // (convicted first); fighters in sanctuary are allowed home with their arms.
  if (pol_.talks) {
    prisoners_due_ += pol_.prisoners_per_day;
    returns_due_ += pol_.returns_per_day;
    auto release = static_cast<std::int64_t>(prisoners_due_);
    prisoners_due_ -= static_cast<double>(release);
    release = std::min(release, convicted_ + detained_);
    if (release > 0) {
      const std::int64_t from_convicted = std::min(release, convicted_);
      convicted_ -= from_convicted;
      detained_ -= release - from_convicted;
      ledger_.released += release;
      sim::RandomDraws d(seed_, Stream::kTalks, static_cast<std::uint64_t>(step), 0);
      spawn_cell(static_cast<int>(d.below(3)), pick_weighted(d, dest_home_, dest_home_w_),
                 static_cast<int>(release), p_.recruit_arms, kLocal, -1);
    }
    // Whole sanctuary cells come home, lowest id first, while the quota lasts.
    auto states = cells_[c_state_];
    for (std::size_t r = 0; r < cells_.size() && returns_due_ >= 1.0; ++r) {
      if (states[r] != kInSanctuary || cells_[c_faction_][r] == kBaloch) continue;
      sim::RandomDraws d(seed_, Stream::kTalks, static_cast<std::uint64_t>(step),
                         cells_.ids()[r] + 1);
      cells_[c_cell_][r] = static_cast<std::int32_t>(pick_weighted(d, dest_home_, dest_home_w_));
      states[r] = kLocal;
      cells_[c_sanctuary_][r] = -1;
      returns_due_ -= cells_[c_fighters_][r];
      day_crossings_ += cells_[c_fighters_][r];
    }
  } else {
    prisoners_due_ = returns_due_ = 0;
  }
}

}  // namespace borderland::ttp
