// Destination weights from presence, targets and access (see destinations.hpp).
#include "models/ttp/destinations.hpp"
#include "models/ttp/param_bindings.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace borderland::ttp::destinations {

namespace {

using sim::ParamSpec;

using Binding = ParamBinding<Parameters>;

#define TTP_DEST(key, expr, def, lo, hi, units, doc)                                             \
  Binding {                                                                                      \
    ParamSpec::real(key, def, lo, hi, units, doc), [](Parameters& p) -> double& { return expr; } \
  }

const std::vector<Binding>& bindings() {
  static const std::vector<Binding> all{
      TTP_DEST("destinations.presence_none", p.presence_weight[0], 0, 0, 1, "1",
               "weight of a cell where the group has no documented presence: none, so that "
               "Gilgit-Baltistan, AJK, Punjab and interior Sindh see attacks only through the "
               "far-target missions [judgement; /map/presence sources]"),
      TTP_DEST("destinations.presence_occasional", p.presence_weight[1], 0.15, 0, 10, "1",
               "weight of level 1 (isolated attacks, adjoining a sustained area) [judgement]"),
      TTP_DEST("destinations.presence_sustained", p.presence_weight[2], 1, 0, 10, "1",
               "weight of level 2 (repeated attacks and a local network 2020 - Feb 2023): the "
               "reference [judgement]"),
      TTP_DEST("destinations.presence_base", p.presence_weight[3], 3, 0, 20, "1",
               "weight of level 3 (base areas: North and South Waziristan, Bajaur, southern KP; "
               "PICSS January 2023: most KP attacks in Lakki Marwat, D.I. Khan, Peshawar, Bannu) "
               "[judgement]"),
      TTP_DEST("destinations.value_police_station", p.target_value[kPoliceStation], 1, 0, 100, "1",
               "target points of a police station: the unit [judgement]"),
      TTP_DEST("destinations.value_police_lines", p.target_value[kPoliceLines], 4, 0, 100, "1",
               "police lines: the district's reserve in barracks, a mosque at prayer time "
               "(Peshawar, January 2023) [judgement]"),
      TTP_DEST("destinations.value_district_police_hq", p.target_value[kDistrictPoliceHq], 3, 0,
               100, "1", "district police office [judgement]"),
      TTP_DEST("destinations.value_provincial_police_hq", p.target_value[kProvincialPoliceHq], 8, 0,
               100, "1", "provincial police headquarters (Karachi, February 2023) [judgement]"),
      TTP_DEST("destinations.value_fc_post", p.target_value[kFcPost], 3, 0, 100, "1",
               "Frontier Corps fort or post on the frontier [judgement]"),
      TTP_DEST("destinations.value_cantonment", p.target_value[kCantonment], 4, 0, 100, "1",
               "army cantonment [judgement]"),
      TTP_DEST("destinations.value_ctd_office", p.target_value[kCtdOffice], 4, 0, 100, "1",
               "Counter-Terrorism Department office: the detainees' captors (Bannu, December "
               "2022) [judgement]"),
      TTP_DEST("destinations.value_prison", p.target_value[kPrison], 3, 0, 100, "1",
               "central prison: comrades to free [judgement]"),
      TTP_DEST("destinations.people_per_point", p.people_per_point, 200000, 1000, 1e8, "persons",
               "population that counts as one target point (officials, leaders, traders and "
               "travellers to extort or kidnap where there is no police target) [judgement]"),
      TTP_DEST("destinations.access_scale_hours", p.access_scale_hours, 12, 0.5, 200, "h",
               "travel time from the Durand Line over which the weight falls by e: a day's "
               "journey on foot and by road halves the draw [judgement]"),
  };
  return all;
}

#undef TTP_DEST

}  // namespace

std::vector<sim::ParamSpec> parameter_specs() {
  return specs_of(bindings());
}

Parameters Parameters::from(const sim::ParamValues& values) {
  return values_of(bindings(), values);
}

std::vector<double> cell_weights(const Parameters& p, const InsurgencyMap& map,
                                 const std::vector<std::int32_t>& presence,
                                 const std::vector<float>& population,
                                 const std::vector<std::uint8_t>& eligible) {
  const std::size_t n = presence.size();
  std::vector<double> points(n, 0.0);
  for (const TargetSite& t : map.targets)
    points[static_cast<std::size_t>(t.cell)] += p.target_value[static_cast<std::size_t>(t.kind)];
  std::vector<double> w(n, 0.0);
  for (std::size_t c = 0; c < n; ++c) {
    const float hours = map.access_border_hours[c];
    if (!eligible[c] || !std::isfinite(hours)) continue;
    const double people = std::max(0.0f, population[c]) / p.people_per_point;
    w[c] = p.presence_weight[static_cast<std::size_t>(presence[c])] * (points[c] + people) *
           std::exp(-hours / p.access_scale_hours);
  }
  return w;
}

Table table(const std::vector<double>& weights) {
  Table t;
  double total = 0;
  for (std::size_t c = 0; c < weights.size(); ++c) {
    if (weights[c] <= 0) continue;
    total += weights[c];
    t.cells.push_back(static_cast<std::int32_t>(c));
    t.cumulative.push_back(total);
  }
  return t;
}

std::int32_t Table::pick(sim::RandomDraws& draws) const {
  const double u = draws.uniform() * cumulative.back();
  const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
  const auto i =
      std::min<std::size_t>(static_cast<std::size_t>(it - cumulative.begin()), cells.size() - 1);
  return cells[i];
}

}  // namespace borderland::ttp::destinations
