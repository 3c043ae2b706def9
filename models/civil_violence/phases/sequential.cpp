// Sequential activation: every agent on the grid once a day, in a random
// order, one at a time, as NetLogo's Rebellion and Mesa's example activate
// them (one thread; see README, Update semantics).
#include <numeric>

#include "models/civil_violence/cells.hpp"
#include "models/civil_violence/streams.hpp"
#include "models/civil_violence/world.hpp"
#include "sim/rng.hpp"

namespace borderland::civil_violence {

void World::phase_sequential(std::int64_t step) {
  // Each agent moves (rule M), then a citizen decides from what it sees now
  // (rule A) or a cop jails one active citizen in its vision and takes its
  // cell (rule C), as in Epstein (2002) and NetLogo; with turn_order
  // act_first it acts and then moves, the cop leaving the cell of the arrest
  // (Mesa's example). Each sees everything the agents before it did. The
  // jailed wait in jail for the jail phase.
  refresh_quiet_at();
  const std::uint8_t mark = move_mark(steps_done_);
  const std::size_t citizens = citizens_.size(), agents = citizens + cops_.size();
  // Where each agent is: citizens by row, then cops; -1 in jail.
  std::vector<std::int64_t> where(agents, -1);
  for (std::size_t c = 0; c < grid_.cells(); ++c) {
    const std::int32_t who = occupant_[c];
    if (who >= 0) where[static_cast<std::size_t>(who)] = static_cast<std::int64_t>(c);
    if (who <= -2)
      where[citizens + static_cast<std::size_t>(-2 - who)] = static_cast<std::int64_t>(c);
  }
  // The day's order: a Fisher-Yates shuffle, one keyed draw per position.
  std::vector<std::size_t> order(agents);
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (std::size_t i = agents; i > 1; --i) {
    sim::RandomDraws draws(seed_, Stream::kActivationOrder, static_cast<std::uint64_t>(step), i);
    std::swap(order[i - 1], order[draws.below(static_cast<std::uint32_t>(i))]);
  }
  for (auto& arrests : band_arrests_) arrests.clear();
  std::vector<Arrest>& arrests = band_arrests_.front();  // in the order made
  const bool act_first = p_.turn_order == TurnOrder::kActFirst;
  const auto nx = static_cast<std::size_t>(grid_.nx());
  for (const std::size_t agent : order) {
    if (where[agent] < 0) continue;  // jailed earlier today
    auto cell = static_cast<std::size_t>(where[agent]);
    const bool is_cop = agent >= citizens;
    sim::RandomDraws draws(seed_, is_cop ? Stream::kAgentArrest : Stream::kAgentMove,
                           static_cast<std::uint64_t>(step), agent);
    // Rule M: to a random empty cell in vision (or stay), marked as having had its turn.
    auto move = [&] {
      std::size_t to = cell;
      const int x = static_cast<int>(cell % nx), y = static_cast<int>(cell / nx);
      if (p_.movement &&
          reference_empty_cell(draws, x, y, is_cop ? cop_window_ : citizen_window_, to)) {
        kind_[to] = kind_[cell], occupant_[to] = occupant_[cell], quiet_at_[to] = quiet_at_[cell];
        kind_[cell] = kEmptyCell, occupant_[cell] = -1;
        cell = to;
      }
      kind_[cell] = static_cast<std::uint8_t>((kind_[cell] & kKindBits) | mark);
    };
    if (!act_first) move();
    const int x = static_cast<int>(cell % nx), y = static_cast<int>(cell / nx);
    if (!is_cop) {  // rule A
      const WindowCount seen = reference_count(kind_, x, y, citizen_half_);
      const bool active = rebels(agent, arrest_ratio(seen.cops, seen.actives));
      kind_[cell] = static_cast<std::uint8_t>((active ? kActiveCell : kQuietCell) |
                                              (kind_[cell] & kMovedBit));
    } else {  // rule C
      const WindowCount seen = reference_count(kind_, x, y, cop_half_);
      if (seen.actives > 0) {
        const std::size_t found =
            nth_active(x, y, draws.below(static_cast<std::uint32_t>(seen.actives)));
        const auto citizen = static_cast<std::size_t>(occupant_[found]);
        jail_at(cell, found, static_cast<std::int32_t>(draws.below(sentences())), arrests,
                !act_first);
        if (!act_first) cell = found;
        where[citizen] = -1;
      }
    }
    if (act_first) move();
  }
  queue_arrests(step);
  active_count_ = count_state(kActive);
}

}  // namespace borderland::civil_violence
