// The parameters of tactics.hpp: one row per tactic, each number with its
// reason. Figures from the trackers are in
// models/ttp/calibration/pk_militancy_2020_2023_trackers.csv (PICSS and PIPS
// annual reports, quoted per row).
//
// How the defaults were set (order of magnitude, not a fit):
// - Mix with the pre-2021 kit, PICSS 2020 (187 attacks): IED 64 (34 %),
//   targeted killings 49 (26 %), armed assaults 38 (20 %, split here 3:2 into
//   raids on posts and ambushes), suicide 4 (2 %), the other 32 (17 %) among
//   grenade or rocket attacks, kidnapping, extortion and sniping.
// - Deaths per attack: PICSS 266/187 = 1.42 (2020), 388/294 = 1.32 (2021),
//   533/376 = 1.42 (2022); injuries per attack 595/187 = 3.2, 606/294 = 2.1,
//   832/376 = 2.2. The per-tactic laws below give about 1.4 deaths and 2.3
//   injuries per attack over the 2020 mix (tests/models/ttp/tactics_test.cpp).
// - Suicide attacks: a lognormal with median 4 and sigma 1.3 has mean ~9 and
//   puts ~2.6 % of lethal attacks above 50 deaths; with 4 (2020), 4 (2021) and
//   15 (2022) suicide attacks a year (PICSS) that is one 50+-death attack in
//   about every second or third replica of 2020-2022 (the trackers' window had
//   two: the Peshawar Shia mosque, March 2022, and the Peshawar police-lines
//   mosque, January 2023).
#include <functional>
#include <string>

#include "models/ttp/param_bindings.hpp"
#include "models/ttp/tactics.hpp"

namespace borderland::ttp::tactics {

namespace {

using sim::ParamSpec;

struct Row {
  Kind kind;
  Profile defaults;
  const char* why_weight;     // reason for weight and suitability
  const char* why_lethality;  // reason for the casualty law
  const char* why_attackers;  // reason for attackers and their losses
  const char* why_power;      // reason for its power against a defence
};

// police, army, officials, leaders, civilians
const std::array<Row, kKinds>& rows() {
  static const std::array<Row, kKinds> all{{
      {kArmedRaid,
       {0.12, {1.5, 1.0, 0.3, 0.1, 0.1}, 1.0, 0.7, 2.5, 0.8, 1.0, 0.5, 6, 0.12, 0.5},
       "PICSS 2020: armed assaults 20 % of attacks, three fifths of them raids on posts; the "
       "post-2021 kit (thermal sights, RPGs left behind, seed) doubles them at full kit "
       "[judgement]",
       "a raid on a post kills a few officers, a large one ten or more [judgement, PICSS mean]",
       "a team of about six; a defended post kills some of them [judgement]",
       "a raid team with automatic weapons against a post [judgement; the old complex assault]"},
      {kAmbush,
       {0.08, {1.0, 1.5, 0.5, 0.5, 0.1}, 0.5, 0.65, 2.2, 0.7, 1.2, 0.5, 5, 0.06, 0.6},
       "PICSS 2020: two fifths of the armed assaults were ambushes of patrols and convoys "
       "[judgement split]",
       "an ambush kills one to a few in a vehicle [judgement]",
       "five attackers who choose the ground: few losses [judgement]",
       "the attackers choose the ground [judgement]"},
      {kIed,
       {0.34, {1.0, 1.5, 0.8, 0.6, 0.8}, 0, 0.6, 1.5, 0.7, 2.5, 2.5, 2, 0.02, 0.6},
       "PICSS 2020: IED attacks 64 of 187 (34 %)",
       "three bombs in five kill; most others injure [judgement, PICSS injuries per attack]",
       "two planters, rarely caught in their own blast [judgement]",
       "a planted bomb needs no contact [judgement]"},
      {kTargetedKilling,
       {0.26, {1.0, 0.3, 1.5, 2.0, 1.0}, 0, 0.9, 1.2, 0.35, 0.3, 0.5, 2, 0.04, 0.7},
       "PICSS 2020: targeted killings 49 of 187 (26 %); officials and leaders 'who spoke out' "
       "are its targets [seed]",
       "one, sometimes two victims [judgement]",
       "two gunmen on a motorbike [judgement]",
       "surprise against one person [judgement]"},
      {kSuicideAttack,
       {0.12, {1.0, 1.0, 0.5, 0.4, 0.6}, 0, 0.85, 4.0, 1.3, 2.5, 6.0, 1.3, 1.0, 0.9},
       "PICSS: 4 suicide attacks in 2020 and 2021, 15 in 2022 (2-4 % of attacks). The weight is "
       "set above that share on purpose: the command would use more bombers than the camps "
       "train, so the trained stock (suicide_pipeline.hpp) binds and sets the yearly count",
       "the heavy tail of the trackers' deaths: median 4, mean ~9, 2.6 % of lethal attacks kill "
       "50+ [judgement on PICSS]",
       "one bomber, a second in three of ten attacks; every one dies",
       "a bomber passes barricades in police uniform (Peshawar, January 2023) [judgement]"},
      {kGrenadeRocket,
       {0.08, {1.0, 0.8, 0.4, 0.2, 0.6}, 0.5, 0.15, 1.0, 0.5, 3.0, 2.0, 2, 0.03, 0.6},
       "part of PICSS 2020's 17 % 'other' attacks; RPGs after 2021 [seed] [judgement]",
       "a grenade or rocket at a wall or gate mostly injures [judgement]",
       "two attackers firing from a distance [judgement]",
       "fired from a distance at a wall or gate [judgement]"},
      {kKidnapping,
       {0.04, {0.2, 0.2, 1.0, 0.5, 1.5}, 0, 0.1, 1.0, 0.3, 0.5, 0.2, 4, 0.03, 0.5},
       "'kidnapping police and army officers' [seed]; part of PICSS 2020's 'other' [judgement]",
       "the hostage is rarely killed at once [judgement]",
       "four men with a vehicle [judgement]",
       "needs a vehicle and a soft target [judgement]"},
      {kExtortion,
       {0.03, {0, 0, 0, 0, 3.0}, 0, 0.05, 1.0, 0.2, 0.5, 0.5, 3, 0.01, 0.8},
       "'setting up checkpoints, extorting fees' [seed]; only a blast or shooting at the door "
       "of a trader who refused counts as an attack [judgement]",
       "a warning shot or blast: rarely lethal [judgement]",
       "three men, little risk [judgement]",
       "a threat or a blast at a trader's door: little defence [judgement]"},
      {kNightSniping,
       {0.02, {1.5, 1.2, 0, 0, 0}, 5.0, 0.6, 1.2, 0.5, 1.0, 0.5, 3, 0.02, 0.8},
       "night attacks and sniping at pickets with 'thermal imaging devices' left behind in "
       "Afghanistan [seed]: rare before, up to six times the weight at full post-2021 kit "
       "[judgement]",
       "a sniper or a night attack kills one or two on a picket [judgement]",
       "three attackers at range, at night: few losses [judgement]",
       "thermal sights see what the picket cannot (seed) [judgement]"},
  }};
  return all;
}

using Binding = ParamBinding<Parameters>;

std::string key(int kind, const std::string& field) {
  return std::string("tactic.") + kKindNames[static_cast<std::size_t>(kind)] + "." + field;
}

const std::vector<Binding>& bindings() {
  static const std::vector<Binding> all = [] {
    std::vector<Binding> b;
    for (const Row& r : rows()) {
      const int k = r.kind;
      const auto at = [k](auto member) {
        return [k, member](Parameters& p) -> double& {
          return p.profile[static_cast<std::size_t>(k)].*member;
        };
      };
      const Profile& d = r.defaults;
      b.push_back(
          {ParamSpec::real(
               key(k, "weight"), d.weight, 0, 100, "1",
               std::string("relative share of attacks with the pre-2021 kit. ") + r.why_weight),
           at(&Profile::weight)});
      for (int t = 0; t < kTargetTypes; ++t)
        b.push_back(
            {ParamSpec::real(key(k, std::string("suits_") + kTargetTypeNames[t]),
                             d.suits[static_cast<std::size_t>(t)], 0, 10, "1",
                             std::string("suitability against ") + kTargetTypeNames[t] +
                                 " (0 = never used against them). " + r.why_weight),
             [k, t](Parameters& p) -> double& {
               return p.profile[static_cast<std::size_t>(k)].suits[static_cast<std::size_t>(t)];
             }});
      b.push_back({ParamSpec::real(key(k, "kit_gain"), d.kit_gain, 0, 20, "1",
                                   std::string("weight gain at full post-2021 kit "
                                               "(weight x (1 + gain x kit)). ") +
                                       r.why_weight),
                   at(&Profile::kit_gain)});
      b.push_back({ParamSpec::real(key(k, "lethal_share"), d.lethal_share, 0, 1, "1",
                                   std::string("probability that a successful attack kills. ") +
                                       r.why_lethality),
                   at(&Profile::lethal_share)});
      b.push_back(
          {ParamSpec::real(key(k, "deaths_median"), d.deaths_median, 1, 200, "persons",
                           std::string("median deaths of a lethal attack. ") + r.why_lethality),
           at(&Profile::deaths_median)});
      b.push_back({ParamSpec::real(key(k, "deaths_sigma"), d.deaths_sigma, 0, 3, "1",
                                   std::string("lognormal tail of the deaths (0 = always the "
                                               "median). ") +
                                       r.why_lethality),
                   at(&Profile::deaths_sigma)});
      b.push_back(
          {ParamSpec::real(key(k, "injured_per_death"), d.injured_per_death, 0, 20,
                           "persons/person", std::string("injuries per death. ") + r.why_lethality),
           at(&Profile::injured_per_death)});
      b.push_back(
          {ParamSpec::real(key(k, "injured_if_no_death"), d.injured_if_no_death, 0, 50, "persons",
                           std::string("mean injuries when nobody dies. ") + r.why_lethality),
           at(&Profile::injured_if_no_death)});
      b.push_back({ParamSpec::real(key(k, "attackers"), d.attackers, 1, 100, "persons",
                                   std::string("mean attackers committed. ") + r.why_attackers),
                   at(&Profile::attackers)});
      b.push_back(
          {ParamSpec::real(key(k, "attacker_death"), d.attacker_death, 0, 1, "1",
                           std::string("probability that each attacker dies. ") + r.why_attackers),
           at(&Profile::attacker_death)});
      b.push_back({ParamSpec::real(key(k, "power"), d.power, 0, 2, "1",
                                   std::string("capability the tactic adds to the cell's arms "
                                               "against a defence (success = logistic(slope x "
                                               "(capability - defence))). ") +
                                       r.why_power),
                   at(&Profile::power)});
    }
    b.push_back({ParamSpec::real("tactic.suicide_reserve", 2, 0.1, 100, "persons",
                                 "trained bombers in stock at which the command spends them at "
                                 "half its full readiness: it keeps a reserve for retaliation and "
                                 "high-value targets [judgement]"),
                 [](Parameters& p) -> double& { return p.suicide_reserve; }});
    b.push_back({ParamSpec::real("tactic.foiled_lethality", 0.4, 0, 1, "1",
                                 "share of the lethal chance left when the attack fails (shot at "
                                 "the gate, the bomb found): foiled attacks still kill sometimes; "
                                 "0.4 so that deaths per attack over all attacks, failed ones "
                                 "included, come near PICSS's 1.3-1.4 [judgement on PICSS]"),
                 [](Parameters& p) -> double& { return p.foiled_lethality; }});
    b.push_back({ParamSpec::real("tactic.count_spread", 0.5, 0, 1, "1",
                                 "attackers committed and injuries are drawn evenly over mean x "
                                 "[1 - spread, 1 + spread]: a team of six is four to nine "
                                 "[judgement]"),
                 [](Parameters& p) -> double& { return p.count_spread; }});
    return b;
  }();
  return all;
}

}  // namespace

std::vector<sim::ParamSpec> parameter_specs() {
  return specs_of(bindings());
}

Parameters Parameters::from(const sim::ParamValues& values) {
  return values_of(bindings(), values);
}

}  // namespace borderland::ttp::tactics
