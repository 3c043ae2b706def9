// The jail phase: sentences count down; the released reappear near their arrest.
#include "models/civil_violence/cells.hpp"
#include "models/civil_violence/streams.hpp"
#include "models/civil_violence/world.hpp"
#include "sim/parallel.hpp"
#include "sim/rng.hpp"

namespace borderland::civil_violence {

void World::phase_jail(std::int64_t step) {
  auto state = citizens_[state_];
  auto jail_left = citizens_[jail_left_];
  const auto arrest_x = citizens_[arrest_x_], arrest_y = citizens_[arrest_y_];
  const auto hardship = citizens_[hardship_], risk = citizens_[risk_aversion_];
  const auto ids = citizens_.ids();
  // A released citizen has had its turn in today's move sweep: it carries its mark.
  const std::uint8_t mark = move_mark(steps_done_);
  // Count down; a citizen whose term is over proposes an empty cell near where
  // it was arrested (it stays jailed one more day if none is free).
  // Both passes touch only the jailed: the others cost a one-byte read.
  sim::parallel_for(0, citizens_.size(), kGrain, [&](std::size_t i) {
    if (state[i] != kJailed) return;
    proposal_target_[i] = kNoTarget;
    if (jail_left[i] > 0) {
      --jail_left[i];
      return;
    }
    sim::RandomDraws draws(seed_, Stream::kRelease, static_cast<std::uint64_t>(step), ids[i]);
    std::size_t cell = 0;
    if (!propose_empty_cell(draws, arrest_x[i], arrest_y[i], citizen_window_, cell)) return;
    proposal_target_[i] = static_cast<std::int32_t>(cell);
    proposal_key_[i] = make_key(draws.next_u32(), i);
    claim(cell_claims_[cell], proposal_key_[i]);
  });
  // Apply: the lowest key wins the cell and clears its claim, so a loser sees
  // either the winner's key or no claim, never its own (no clearing pass).
  released_ = sim::deterministic_sum<std::int64_t>(
      0, citizens_.size(), kGrain, [&](std::size_t i) -> std::int64_t {
        if (state[i] != kJailed || proposal_target_[i] == kNoTarget) return 0;
        const auto cell = static_cast<std::size_t>(proposal_target_[i]);
        if (cell_claims_[cell].load(std::memory_order_relaxed) != proposal_key_[i]) return 0;
        cell_claims_[cell].store(kNoClaim, std::memory_order_relaxed);
        occupant_[cell] = static_cast<std::int32_t>(i);
        kind_[cell] = static_cast<std::uint8_t>(kQuietCell | mark);
        cell_traits_[cell] = {hardship[i], risk[i]};
        state[i] = kQuiet;
        return 1;
      });
  jailed_count_ -= released_;
}

}  // namespace borderland::civil_violence
