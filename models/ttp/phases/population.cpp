// Phase "population": grievance, fear and the opinion shift of support
// (opinion.hpp) relax towards rest (exponentially, by moving one global factor
// instead of every cell; see README, update semantics); every week the share of Pakistanis in
// protesting cells is counted: fear and grievance both high ('mass protests throughout the
// province', seed). Support is derived on read from the opinion shift and fear.
#include <algorithm>
#include <cmath>

#include "models/ttp/world.hpp"

namespace borderland::ttp {

void World::phase_population(std::int64_t step) {
  fields_.g_scale *= std::exp(-1.0 / p_.grievance_days);
  fields_.f_scale *= std::exp(-1.0 / p_.fear_days);
  fields_.o_scale *= opinion::daily_decay(p_.opinion);
  // Fold the factors back into the cells once they get small (keeps precision).
  if (fields_.g_scale < kFoldBelow || fields_.f_scale < kFoldBelow ||
      fields_.o_scale < kFoldBelow) {
    for (std::size_t c = 0; c < fields_.g_dev.size(); ++c)
      fields_.g_dev[c] *= fields_.g_scale, fields_.f_dev[c] *= fields_.f_scale,
          fields_.o_dev[c] *= fields_.o_scale;
    fields_.g_dev_pop_sum *= fields_.g_scale;
    fields_.f_dev_pop_sum *= fields_.f_scale;
    fields_.o_dev_pop_sum *= fields_.o_scale;
    fields_.g_scale = fields_.f_scale = fields_.o_scale = 1.0;
  }
  // Protest pressure in the protest region moves with today's civilian victims and the
  // operations' collateral there (protests.hpp).
  protests::step(p_.protests, protests_);
  if (step % static_cast<std::int64_t>(p_.protest_every_days) != 0) return;
  double protesting = 0;
  for (std::int32_t c : geo_.pk_cells) {
    const auto cc = static_cast<std::size_t>(c);
    if (fields_.f_dev[cc] == 0.0) continue;
    if (fields_.fear(cc) > p_.protest_fear && fields_.grievance(cc) > p_.protest_grievance)
      protesting += std::max(0.0f, geo_.pop[cc]);
  }
  fields_.protest_share = geo_.pop_pk > 0 ? protesting / geo_.pop_pk : 0.0;
}

}  // namespace borderland::ttp
