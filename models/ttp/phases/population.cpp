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
  g_scale_ *= std::exp(-1.0 / p_.grievance_days);
  f_scale_ *= std::exp(-1.0 / p_.fear_days);
  o_scale_ *= opinion::daily_decay(p_.opinion);
  // Fold the factors back into the cells once they get small (keeps precision).
  if (g_scale_ < kFoldBelow || f_scale_ < kFoldBelow || o_scale_ < kFoldBelow) {
    for (std::size_t c = 0; c < g_dev_.size(); ++c)
      g_dev_[c] *= g_scale_, f_dev_[c] *= f_scale_, o_dev_[c] *= o_scale_;
    g_dev_pop_sum_ *= g_scale_;
    f_dev_pop_sum_ *= f_scale_;
    o_dev_pop_sum_ *= o_scale_;
    g_scale_ = f_scale_ = o_scale_ = 1.0;
  }
  // Protest pressure in the protest region moves with today's civilian victims and the
  // operations' collateral there (protests.hpp).
  protests::step(p_.protests, protests_);
  if (step % static_cast<std::int64_t>(p_.protest_every_days) != 0) return;
  double protesting = 0;
  for (std::int32_t c : pk_cells_) {
    const auto cc = static_cast<std::size_t>(c);
    if (f_dev_[cc] == 0.0) continue;
    if (fear(cc) > p_.protest_fear && grievance(cc) > p_.protest_grievance)
      protesting += std::max(0.0f, pop_[cc]);
  }
  protest_share_ = pop_pk_ > 0 ? protesting / pop_pk_ : 0.0;
}

}  // namespace borderland::ttp
