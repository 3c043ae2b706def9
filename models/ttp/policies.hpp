#pragma once
// The TTP model's policy levers, each declared once.
//
// A lever is one row of levers() (policies.cpp): its name, what it does, its
// strengths (units, default, range, reason) and `land`, which turns the switch
// in force on a day into plain numbers of its part of PolicyState below. From
// that one table come the model's policy listing (`borderland models ttp`, the
// scenario checks), the daily read of the timeline (read_policies) and the
// checkpoint (the policies in force are a function of the date, so a restart
// reads them again instead of saving them).
//
// Adding a lever: a part of PolicyState here, a row of levers() in
// policies.cpp, and the phase code that reads the part. A strength the row
// reads but does not declare fails at start-up (check_levers, called when the
// model's description is built), with the lever's and the strength's name.
#include <array>
#include <string>
#include <vector>

#include "models/ttp/parameters.hpp"
#include "sim/params.hpp"
#include "sim/policy_timeline.hpp"

namespace borderland::ttp {

// The policies in force on one day. Every part holds the lever's "off" value by default.
struct TalksPolicy {
  bool on = false;
  int days = -1;                 // days since the talks started (0 on the first day)
  double prisoners_per_day = 0;  // persons/day: concessions spread evenly over the delivery
  double returns_per_day = 0;    // persons/day
  double amnesty = 0, army_restraint = 0;
  bool delivering = false;  // concessions still being delivered today
};
struct CeasefirePolicy {  // Pakistan's offer (or the announced truce) standing
  bool on = false;
  int days = -1;          // days since the offer was made (0 on its first day)
  double observance = 0;  // share of planned attacks forgone while the truce holds
  double term_days = 0;   // agreed term of the truce; 0: indefinite
};
struct MilitaryOperationsPolicy {
  double kp = 0, balochistan = 0;  // share of units on clearance, by region
};
struct StrikesPolicy {
  double per_day = 0, intelligence = 0, collateral = 0;
};
struct PoliceReformPolicy {  // by force, ramped in
  std::array<double, kForces> training{}, intelligence{}, hardness{};
};
struct HostPressurePolicy {
  double intensity = 0, payment = 0, relocation_km = 0, disarmament = 0;
};
struct BorderControlPolicy {
  double fencing = 0, crossing_control = 0;
};
struct RuleOfLawPolicy {
  double detection = 0, conviction = 0, release_factor = 1;
};
struct AlertPosturePolicy {
  double floor = 0;
  bool hq_only = true;
};

struct DeportationPolicy {
  double per_day = 0;  // undocumented Afghans expelled per day while any remain
};
struct CrossingClosurePolicy {
  std::string crossing;  // closed crossing (a choice of the switch; "all"); empty: none
};

struct PolicyState {
  TalksPolicy talks;
  CeasefirePolicy ceasefire;
  MilitaryOperationsPolicy operations;
  StrikesPolicy strikes;
  PoliceReformPolicy reform;
  HostPressurePolicy host;
  BorderControlPolicy border;
  RuleOfLawPolicy rule_of_law;
  AlertPosturePolicy alert;
  DeportationPolicy deportation;
  CrossingClosurePolicy closure;
};

// A switch's strengths or a scripted event's details, read by name and
// checked against the declaration: reading a name the row does not declare is
// a RunError that names the switch and the field.
class SwitchValues {
 public:
  SwitchValues(const sim::SwitchSpec& spec, const sim::ParamValues& values)
      : spec_(spec), values_(values) {}
  double real(const std::string& name) const;
  std::int64_t integer(const std::string& name) const;
  bool boolean(const std::string& name) const;
  const std::string& text(const std::string& name) const;

 private:
  void check(const std::string& name) const;
  const sim::SwitchSpec& spec_;
  const sim::ParamValues& values_;
};

// A lever's switch on a day it is in force.
struct LeverDay {
  SwitchValues strengths;
  int days_active;  // 0 on the first day
  int days_total;   // length of the switch, both ends included
};

struct Lever {
  sim::SwitchSpec spec;  // name, doc, strengths
  void (*land)(const LeverDay& day, const Parameters& p, PolicyState& state);
};

const std::vector<Lever>& levers();

// The policies in force on `date`.
PolicyState read_policies(const sim::PolicyTimeline& timeline, sim::Date date, const Parameters& p);

// Lands every lever once with its default strengths: throws RunError naming the
// lever and the strength if a row reads a strength it does not declare.
void check_levers();

}  // namespace borderland::ttp
