// Tactic choice and casualties (see tactics.hpp for the laws).
#include "models/ttp/tactics.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace borderland::ttp::tactics {

namespace {
// Smallest uniform draw fed to a logarithm, so that log(u) stays finite.
constexpr double kSmallestUniform = 1e-300;
}  // namespace

double standard_normal(sim::RandomDraws& draws) {
  const double u = std::max(kSmallestUniform, draws.uniform());
  const double v = draws.uniform();
  return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * v);
}

std::array<double, kKinds> weights(const Parameters& p, const Situation& s) {
  std::array<double, kKinds> w{};
  const double kit = std::clamp(s.kit, 0.0, 1.0);
  for (int k = 0; k < kKinds; ++k) {
    const Profile& t = p.profile[static_cast<std::size_t>(k)];
    w[static_cast<std::size_t>(k)] =
        t.weight * t.suits[static_cast<std::size_t>(s.target)] * (1.0 + t.kit_gain * kit);
  }
  // A suicide attack needs a trained attacker; the command spends them more
  // readily the fuller its stock.
  const double stock = s.suicide_stock >= 1.0 ? s.suicide_stock : 0.0;
  w[kSuicideAttack] *= stock / (stock + p.suicide_reserve);
  return w;
}

int choose(const Parameters& p, const Situation& s, sim::RandomDraws& draws) {
  const auto w = weights(p, s);
  double total = 0;
  for (double x : w) total += x;
  if (total <= 0) return -1;
  double u = draws.uniform() * total;
  int k = 0;
  while (k < kKinds - 1 &&
         (u >= w[static_cast<std::size_t>(k)] || w[static_cast<std::size_t>(k)] <= 0))
    u -= w[static_cast<std::size_t>(k++)];
  return w[static_cast<std::size_t>(k)] > 0 ? k : -1;
}

Casualties casualties(const Parameters& p, int tactic, double present, std::int64_t fighters,
                      bool success, sim::RandomDraws& draws) {
  const Profile& t = p.profile[static_cast<std::size_t>(tactic)];
  Casualties c;
  // Counts are spread evenly over mean x [1 - spread, 1 + spread].
  const auto spread = [&] { return draws.uniform(1.0 - p.count_spread, 1.0 + p.count_spread); };
  const double committed = t.attackers * spread();
  c.attackers =
      std::clamp<std::int64_t>(std::llround(committed), 1, std::max<std::int64_t>(1, fighters));
  for (std::int64_t a = 0; a < c.attackers; ++a)
    c.attacker_deaths += draws.bernoulli(t.attacker_death) ? 1 : 0;
  // Victims.
  const double lethal = t.lethal_share * (success ? 1.0 : p.foiled_lethality);
  if (draws.bernoulli(lethal)) {
    const double deaths = t.deaths_median * std::exp(t.deaths_sigma * standard_normal(draws));
    const auto cap = static_cast<std::int64_t>(std::max(1.0, std::floor(present)));
    c.killed = std::clamp<std::int64_t>(std::llround(deaths), 1, cap);
    c.injured = std::llround(static_cast<double>(c.killed) * t.injured_per_death * spread());
  } else {
    c.injured = std::llround(t.injured_if_no_death * spread());
  }
  return c;
}

double expected_deaths(const Parameters& p, int tactic) {
  const Profile& t = p.profile[static_cast<std::size_t>(tactic)];
  return t.lethal_share * t.deaths_median * std::exp(t.deaths_sigma * t.deaths_sigma / 2.0);
}

}  // namespace borderland::ttp::tactics
