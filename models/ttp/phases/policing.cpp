// Phase "policing": police intelligence locates cells inside Pakistan (more
// easily when they are exposed by their attacks, less where the population
// shields them) and arrests part of them; detainees are tried: some are
// convicted and held, the rest walk free after a while and go back to the
// fight. Rule of law raises detection and conviction and slows releases.
// Posts that lost officers in attacks detect less and are reinforced back
// towards their establishment (post_strength.hpp).
#include <algorithm>
#include <cmath>

#include "models/ttp/draws.hpp"
#include "models/ttp/streams.hpp"
#include "models/ttp/world.hpp"
#include "sim/parallel.hpp"
#include "sim/row_draws.hpp"

namespace borderland::ttp {

void World::phase_policing(std::int64_t step) {
  const std::size_t n = cells_.size();
  cells_.intent.arrests.assign(n, 0);
  const auto state = cells_[cells_.state];
  const auto cell = cells_[cells_.cell];
  const auto fighters = cells_[cells_.fighters];
  const auto exposure = cells_[cells_.exposure];
  const auto ids = cells_.ids();
  const double protests_detection = protests::detection_factor(p_.protests, protests_.pressure);
  const std::vector<TileOfficers> officers_near = officers_by_tile();  // posts change later
  // Cells in Pakistan, out of sanctuary, may be found: only they draw.
  const auto exposed = [&](std::size_t i) {
    return fighters[i] > 0 && state[i] != kInSanctuary &&
           geo_.in_pakistan(static_cast<std::size_t>(cell[i]));
  };
  const auto detect = [&](std::size_t i, sim::RandomDraws& d) {
    const auto c = static_cast<std::size_t>(cell[i]);
    const auto f = static_cast<std::size_t>(geo_.force_of(c));
    const double intel = std::min(1.0, p_.intelligence[f] + pol_.reform.intelligence[f]);
    // Posts short of officers (post_strength.hpp) patrol and handle informants less.
    const double p =
        p_.detection_rate * intel * (1.0 + pol_.rule_of_law.detection) *
        (p_.detection_base_exposure + exposure[i]) *
        (1.0 - fields_.support(c, p_.support_from_fear)) *
        post_strength::detection_factor(p_.post_strength, strength_near(c, officers_near)) *
        // Protests bring police and informants to the protest region (protests.hpp).
        (geo_.protest_region[c] ? protests_detection : 1.0);
    if (!d.bernoulli(p)) return;
    cells_.intent.arrests[i] = std::clamp(static_cast<std::int32_t>(std::lround(spread_share(
                                              d, fighters[i] * p_.arrest_share, p_.share_spread))),
                                          1, fighters[i]);
  };
  sim::parallel_chunks(0, n, kChunk, [&](std::size_t lo, std::size_t hi) {
    const sim::RowDraws draws(seed_, Stream::kDetection, static_cast<std::uint64_t>(step), ids, lo,
                              hi, exposed);
    for (std::size_t i = lo; i < hi; ++i) {
      if (!exposed(i)) continue;
      sim::RandomDraws d = draws.at(i);
      detect(i, d);
    }
  });
  auto fighters_w = cells_[cells_.fighters];
  auto exposure_w = cells_[cells_.exposure];
  for (std::size_t i = 0; i < n; ++i) {
    if (cells_.intent.arrests[i] == 0) continue;
    fighters_w[i] -= cells_.intent.arrests[i];
    exposure_w[i] *= p_.exposure_after_arrest;  // the survivors go to ground
    custody_.detained += cells_.intent.arrests[i];
    counts_.ledger.arrested += cells_.intent.arrests[i];
    day_.arrests += cells_.intent.arrests[i];
  }

  // Courts: each day a detainee's case ends with chance 1 / release_days.
  sim::RandomDraws d(seed_, Stream::kCustody, static_cast<std::uint64_t>(step), 0);
  const double conviction = std::min(1.0, p_.conviction_rate + pol_.rule_of_law.conviction);
  const double ended = static_cast<double>(custody_.detained) / p_.custody_release_days;
  const std::int64_t convicted =
      std::min(custody_.detained, integer_with_mean64(d, ended * conviction));
  custody_.detained -= convicted;
  custody_.convicted += convicted;
  const std::int64_t freed = std::min(
      custody_.detained,
      integer_with_mean64(d, ended * (1.0 - conviction) * pol_.rule_of_law.release_factor));
  if (freed > 0) {
    custody_.detained -= freed;
    counts_.ledger.released += freed;
    spawn_cell(static_cast<int>(d.below(kTtpFactions)),
               pick_weighted(d, geo_.dest_home, geo_.dest_home_w), static_cast<int>(freed),
               p_.recruit_arms, kLocal, -1);
  }
  reinforce_posts(step);
}

// Posts short of their establishment get officers back (post_strength.hpp), in row order.
void World::reinforce_posts(std::int64_t step) {
  auto officers = posts_[posts_.officers];
  const auto ids = posts_.ids();
  for (std::size_t q = 0; q < posts_.size(); ++q) {
    if (officers[q] >= posts_.establishment[q]) continue;
    sim::RandomDraws d(seed_, Stream::kReinforce, static_cast<std::uint64_t>(step), ids[q]);
    const int arrive =
        integer_with_mean(d, post_strength::expected_reinforcements(p_.post_strength, officers[q],
                                                                    posts_.establishment[q]));
    if (arrive <= 0) continue;
    officers[q] = std::min(posts_.establishment[q], officers[q] + arrive);
    posts_[posts_.present][q] = post_present(q);
  }
}

}  // namespace borderland::ttp
