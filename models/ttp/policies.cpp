// The TTP model's policy levers: one row each (see policies.hpp).
#include "models/ttp/policies.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/error.hpp"

namespace borderland::ttp {

using sim::ParamSpec;

namespace {
// Days in the 30-day month of the strike rate ("per_month").
constexpr double kDaysPerMonth = 30.0;

void land_talks(const LeverDay& d, const Parameters&, PolicyState& s) {
  // Concessions are delivered evenly over deliver_days from the start (0: the whole switch);
  // after that the state owes what the TTP wants and delivers nothing (strategy.*: stall).
  const auto deliver = d.strengths.integer("deliver_days");
  const auto days = static_cast<double>(deliver > 0 ? std::min<std::int64_t>(deliver, d.days_total)
                                                    : d.days_total);
  const bool delivering = d.days_active < static_cast<int>(days);
  s.talks = {true,
             d.days_active,
             delivering ? d.strengths.real("prisoners_released") / days : 0.0,
             delivering ? d.strengths.real("fighters_returning") / days : 0.0,
             d.strengths.real("amnesty"),
             d.strengths.real("army_restraint"),
             delivering};
}

void land_ceasefire(const LeverDay& d, const Parameters&, PolicyState& s) {
  s.ceasefire = {true, d.days_active, d.strengths.real("observance"),
                 static_cast<double>(d.strengths.integer("term_days"))};
}

void land_operations(const LeverDay& d, const Parameters&, PolicyState& s) {
  const double i = d.strengths.real("intensity");
  const std::string& region = d.strengths.text("region");
  if (region != "balochistan") s.operations.kp = i;
  if (region != "kp") s.operations.balochistan = i;
}

void land_strikes(const LeverDay& d, const Parameters&, PolicyState& s) {
  // A count of strikes happens on the switch's first day (dated strikes: every replica has
  // them); otherwise a rate per 30 days.
  const auto count = d.strengths.integer("count");
  const double per_day = count > 0 ? (d.days_active == 0 ? static_cast<double>(count) : 0.0)
                                   : d.strengths.real("per_month") / kDaysPerMonth;
  s.strikes = {per_day, d.strengths.real("intelligence"), d.strengths.real("collateral")};
}

void land_reform(const LeverDay& d, const Parameters&, PolicyState& s) {
  const auto ramp = d.strengths.integer("ramp_days");
  const double phase_in =
      ramp == 0 ? 1.0
                : std::min(1.0, static_cast<double>(d.days_active) / static_cast<double>(ramp));
  const bool all = d.strengths.text("forces") == "all";
  for (int f = 0; f < kForces; ++f) {
    if (!all && f != kForceKP && f != kForceBalochistan) continue;
    const auto i = static_cast<std::size_t>(f);
    s.reform.training[i] = phase_in * d.strengths.real("training");
    s.reform.intelligence[i] = phase_in * d.strengths.real("intelligence");
    s.reform.hardness[i] = phase_in * d.strengths.real("hardness");
  }
}

void land_host(const LeverDay& d, const Parameters&, PolicyState& s) {
  s.host = {d.strengths.real("intensity"), d.strengths.real("payment"),
            d.strengths.real("relocation_km"), d.strengths.real("disarmament")};
}

void land_border(const LeverDay& d, const Parameters&, PolicyState& s) {
  s.border = {d.strengths.real("fencing"), d.strengths.real("crossing_points")};
}

void land_rule_of_law(const LeverDay& d, const Parameters&, PolicyState& s) {
  s.rule_of_law = {d.strengths.real("detection"), d.strengths.real("conviction"),
                   d.strengths.real("release_factor")};
}

void land_deportation(const LeverDay& d, const Parameters&, PolicyState& s) {
  s.deportation = {d.strengths.real("per_month") / kDaysPerMonth};
}

void land_closure(const LeverDay& d, const Parameters&, PolicyState& s) {
  s.closure = {d.strengths.text("crossing")};
}

void land_alert(const LeverDay& d, const Parameters&, PolicyState& s) {
  s.alert = {d.strengths.real("level"), d.strengths.boolean("headquarters_only")};
}
}  // namespace

const std::vector<Lever>& levers() {
  static const std::vector<Lever> all{
      {{"talks",
        "mediated negotiation with the TTP; concessions are spread evenly over the switch "
        "[Crisis Group, March 2023: the talks]",
        {ParamSpec::real(
             "prisoners_released", 100, 0, 100000, "persons",
             "detainees released as confidence-building measures ('more than a hundred', seed)"),
         ParamSpec::real("fighters_returning", 400, 0, 100000, "persons",
                         "sanctuary fighters allowed home with their arms ('hundreds of armed "
                         "fighters', seed)"),
         ParamSpec::real("amnesty", 0.1, 0, 1, "1",
                         "extra desertion from amnesty offers (the TTP rejected amnesty, seed)"),
         ParamSpec::real("army_restraint", 0.5, 0, 1, "1",
                         "share of clearance operations (routine and military_operations) paused "
                         "while talking"),
         ParamSpec::integer("deliver_days", 0, 0, 36500, "day",
                            "days from the start over which the concessions are delivered; "
                            "after them the state owes and delivers nothing (0: the whole "
                            "switch)")}},
       land_talks},
      {{"ceasefire",
        "a ceasefire offered (or announced in talks) while the switch is on: the TTP command "
        "accepts it or not, and ends it, by its resolve (strategy.*); the switch's end is "
        "Pakistan withdrawing the offer",
        {ParamSpec::real("observance", 0.8, 0, 1, "1",
                         "share of planned attacks the TTP forgoes while it holds (nominal: low)"),
         ParamSpec::integer("term_days", 0, 0, 36500, "day",
                            "agreed term of the truce (the one-month truce of November 2021); it "
                            "lapses then unless offered again; 0: indefinite (June 2022)")}},
       land_ceasefire},
      {{"military_operations",
        "army clearance operations in a region [Crisis Group, March 2023]",
        {ParamSpec::real("intensity", 0.5, 0, 1, "1", "share of units on clearance"),
         ParamSpec::choice("region", "both", {"kp", "balochistan", "both"},
                           "where the operations run")}},
       land_operations},
      {{"cross_border_strikes",
        "air or drone strikes on sanctuaries and leaders in Afghanistan [Crisis Group, March 2023]",
        {ParamSpec::real("per_month", 2, 0, 300, "1/month",
                         "strikes per 30 days (when count is 0)"),
         ParamSpec::integer("count", 0, 0, 1000, "1",
                            "strikes on the switch's first day, all of them (dated strikes, e.g. "
                            "Khost and Kunar, 16 April 2022); 0: the rate per_month instead"),
         ParamSpec::real("intelligence", 0.5, 0, 1, "1", "chance that a strike hits fighters"),
         ParamSpec::real("collateral", 2, 0, 100, "persons", "mean civilians killed per strike")}},
       land_strikes},
      {{"police_reform",
        "training, arms, CTD intelligence and coordination, ramped in [Crisis Group, March 2023; "
        "seed: proposed "
        "steps]",
        {ParamSpec::real("training", 0.3, 0, 1, "1", "training added once fully ramped"),
         ParamSpec::real("intelligence", 0.3, 0, 1, "1", "intelligence added once fully ramped"),
         ParamSpec::real("hardness", 0.2, 0, 1, "1",
                         "post hardness added (arms, barriers) once fully ramped"),
         ParamSpec::integer("ramp_days", 365, 0, 36500, "day", "days to full effect"),
         ParamSpec::choice("forces", "frontier", {"frontier", "all"},
                           "KP and Balochistan only, or every force")}},
       land_reform},
      {{"host_pressure",
        "diplomatic pressure on Kabul: relocation away from the border, disarmament, paid by "
        "Pakistan [Crisis Group, March 2023]",
        {ParamSpec::real("intensity", 0.5, 0, 1, "1", "strength of the pressure"),
         ParamSpec::real(
             "payment", 0.5, 0, 1, "1",
             "how much of the cost Pakistan bears ('only if Islamabad bears the cost', seed)"),
         ParamSpec::real("relocation_km", 150, 0, 1000, "km",
                         "distance from the border that relocated sanctuaries are moved to"),
         ParamSpec::real("disarmament", 0.3, 0, 1, "1",
                         "strength of disarmament of fighters in sanctuary")}},
       land_host},
      {{"border_control",
        "fencing and crossing-point control [Crisis Group, March 2023]",
        {ParamSpec::real("fencing", 0.5, 0, 1, "1",
                         "raises detection in open terrain: p -> p + fencing (1 - p) x "
                         "border.control_effect"),
         ParamSpec::real("crossing_points", 0.5, 0, 1, "1",
                         "raises detection at crossing points likewise")}},
       land_border},
      {{"rule_of_law",
        "intelligence-led arrests and prosecution; fewer releases [Crisis Group, March 2023; seed: "
        "the police "
        "officers' op-ed]",
        {ParamSpec::real("detection", 0.5, 0, 5, "1", "relative rise of police detection"),
         ParamSpec::real("conviction", 0.3, 0, 1, "1", "added conviction rate"),
         ParamSpec::real("release_factor", 0.5, 0, 1, "1",
                         "multiplies the daily release of unconvicted detainees")}},
       land_rule_of_law},
      {{"alert_posture",
        "raised alert at sensitive installations after major incidents [Crisis Group, March 2023]",
        {ParamSpec::real("level", 0.3, 0, 1, "1", "alertness floor at posts"),
         ParamSpec::boolean("headquarters_only", true,
                            "only headquarters (sensitive installations) get the floor")}},
       land_alert},
      {{"deportation",
        "expulsion of undocumented Afghans from Pakistan (from 1 November 2023): the model holds "
        "their number (kabul.undocumented_afghans); Kabul's tension, grievance where they cross, "
        "recruitment in the sanctuaries",
        {ParamSpec::real("per_month", 100000, 0, 5e6, "persons/month",
                         "Afghans expelled per 30 days while any remain (IOM and UNHCR counted "
                         "some half a million returns from Pakistan in the five months from "
                         "mid-September 2023)")}},
       land_deportation},
      {{"crossing_closure",
        "a crossing point of the Durand Line closed (Torkham: February 2023, 6-15 September "
        "2023): no passage there, trade lost, tension with Kabul",
        {ParamSpec::choice("crossing", "torkham",
                           {"torkham", "chaman", "angoor_adda", "ghulam_khan", "kharlachi", "all"},
                           "which crossing (the map's /map/crossings names)")}},
       land_closure},
  };
  return all;
}

void SwitchValues::check(const std::string& name) const {
  for (const auto& f : spec_.fields)
    if (f.key == name) return;
  throw sim::RunError(
      fmt::format("internal: '{}' reads '{}', which its declaration in models/ttp does not list",
                  spec_.name, name));
}
double SwitchValues::real(const std::string& name) const {
  check(name);
  return values_.real(name);
}
std::int64_t SwitchValues::integer(const std::string& name) const {
  check(name);
  return values_.integer(name);
}
bool SwitchValues::boolean(const std::string& name) const {
  check(name);
  return values_.boolean(name);
}
const std::string& SwitchValues::text(const std::string& name) const {
  check(name);
  return values_.text(name);
}

PolicyState read_policies(const sim::PolicyTimeline& timeline, sim::Date date,
                          const Parameters& p) {
  PolicyState s;
  for (const Lever& lever : levers())
    if (const sim::PolicySwitch* on = timeline.active(lever.spec.name, date))
      lever.land({SwitchValues(lever.spec, on->strengths),
                  timeline.days_active(lever.spec.name, date), on->start.days_until(on->end) + 1},
                 p, s);
  return s;
}

void check_levers() {
  const Parameters p{};
  for (const Lever& lever : levers()) {
    sim::ParamValues defaults;
    for (const auto& f : lever.spec.fields) defaults.set(f.key, f.default_value);
    PolicyState s;
    lever.land({SwitchValues(lever.spec, defaults), 0, 1}, p, s);
  }
}

}  // namespace borderland::ttp
