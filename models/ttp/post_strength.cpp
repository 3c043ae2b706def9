// Police posts lose and regain officers (see post_strength.hpp).
#include "models/ttp/post_strength.hpp"

#include <algorithm>

#include "models/ttp/param_bindings.hpp"

namespace borderland::ttp::post_strength {

namespace {

using sim::ParamSpec;
using Binding = ParamBinding<Parameters>;

const std::vector<Binding>& bindings() {
  static const std::vector<Binding> all{
      {ParamSpec::real("post_strength.reinforce_days", 180, 1, 3650, "day",
                       "time constant with which a post that lost officers is brought back to its "
                       "establishment: about half a year for transfers from the district's "
                       "reserve and new recruits to fill the dead's places (a recruit's basic "
                       "training alone takes months) [judgement]"),
       &Parameters::reinforce_days},
      {ParamSpec::real("post_strength.defence_loss", 0.5, 0, 10, "1",
                       "defence a post loses at zero strength, per unit of the establishment it "
                       "lacks: a post at half strength loses 0.25, about its hardness "
                       "(police.post_hardness): fewer guards, sentries and men at the walls "
                       "[judgement]"),
       &Parameters::defence_loss},
      {ParamSpec::real("post_strength.detection_loss", 0.5, 0, 1, "1",
                       "share of the police's detection lost where the posts around are empty: "
                       "at half strength a quarter of it (fewer patrols and informants handled; "
                       "intelligence also comes from the CTD and the agencies, so not all of it) "
                       "[judgement]"),
       &Parameters::detection_loss},
  };
  return all;
}

}  // namespace

std::vector<sim::ParamSpec> parameter_specs() {
  return specs_of(bindings());
}

Parameters Parameters::from(const sim::ParamValues& values) {
  return values_of(bindings(), values);
}

double strength(double officers, double establishment) {
  return establishment > 0 ? std::clamp(officers / establishment, 0.0, 1.0) : 1.0;
}

double expected_reinforcements(const Parameters& p, double officers, double establishment) {
  return std::max(0.0, establishment - officers) / p.reinforce_days;
}

double defence_penalty(const Parameters& p, double s) {
  return p.defence_loss * (1.0 - std::clamp(s, 0.0, 1.0));
}

double detection_factor(const Parameters& p, double s) {
  return std::clamp(1.0 - p.detection_loss * (1.0 - std::clamp(s, 0.0, 1.0)), 0.0, 1.0);
}

}  // namespace borderland::ttp::post_strength
