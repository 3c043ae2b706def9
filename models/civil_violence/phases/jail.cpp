// The jail phase: the citizens whose release is due reappear near their arrest.
#include <utility>

#include "models/civil_violence/cells.hpp"
#include "models/civil_violence/streams.hpp"
#include "models/civil_violence/world.hpp"
#include "sim/parallel.hpp"
#include "sim/rng.hpp"

namespace borderland::civil_violence {

void World::queue_release(std::int32_t row, std::int64_t day) {
  // The row's release_day is day already: the queue is read in order, its rows
  // are scattered, so nothing of them is touched here.
  release_queue_[static_cast<std::size_t>(day) % release_queue_.size()].push_back(row);
}

void World::rebuild_release_queue() {
  for (auto& due : release_queue_) due.clear();
  const auto jailed = citizens_[jailed_];
  const auto release_day = citizens_[release_day_];
  for (std::size_t i = 0; i < citizens_.size(); ++i)
    if (jailed[i] != 0) queue_release(static_cast<std::int32_t>(i), release_day[i]);
}

void World::phase_jail(std::int64_t step) {
  // Only the citizens due today are touched (the release queue): each proposes
  // an empty cell near where it was arrested; if none is free, or another
  // takes the cell, it stays jailed and is due again tomorrow. The order of
  // the list does not matter: the lowest key wins a cell.
  auto jailed = citizens_[jailed_];
  const auto arrest_x = citizens_[arrest_x_], arrest_y = citizens_[arrest_y_];
  const auto hardship = citizens_[hardship_], risk = citizens_[risk_aversion_];
  const auto ids = citizens_.ids();
  auto release_day = citizens_[release_day_];
  // A released citizen has had its turn in today's move sweep: it carries its mark.
  const std::uint8_t mark = move_mark(steps_done_);
  // Taken out of the queue first: with max_jail_term 0 tomorrow's list is the same slot.
  release_due_.clear();
  std::swap(release_due_, release_queue_[static_cast<std::size_t>(step) % release_queue_.size()]);
  // Proposals by position in today's list (read in order, not by row).
  proposal_target_.resize(release_due_.size());
  proposal_key_.resize(release_due_.size());
  sim::parallel_for(0, release_due_.size(), kReleaseGrain, [&](std::size_t k) {
    const auto i = static_cast<std::size_t>(release_due_[k]);
    proposal_target_[k] = kNoTarget;
    sim::RandomDraws draws(seed_, Stream::kRelease, static_cast<std::uint64_t>(step), ids[i]);
    std::size_t cell = 0;
    if (!propose_empty_cell(draws, arrest_x[i], arrest_y[i], citizen_window_, cell)) return;
    proposal_target_[k] = static_cast<std::int32_t>(cell);
    proposal_key_[k] = make_key(draws.next_u32(), i);
    claim(cell_claims_[cell], proposal_key_[k]);
  });
  // Apply: the lowest key wins the cell and clears its claim, so a loser sees
  // either the winner's key or no claim, never its own (no clearing pass).
  released_ = sim::deterministic_sum<std::int64_t>(
      0, release_due_.size(), kReleaseGrain, [&](std::size_t k) -> std::int64_t {
        const auto i = static_cast<std::size_t>(release_due_[k]);
        const auto cell = static_cast<std::size_t>(proposal_target_[k]);
        if (proposal_target_[k] == kNoTarget ||
            cell_claims_[cell].load(std::memory_order_relaxed) != proposal_key_[k]) {
          release_day[i] = static_cast<std::int32_t>(step + 1);  // due again tomorrow
          proposal_target_[k] = kNoTarget;                       // for the loop below
          return 0;
        }
        cell_claims_[cell].store(kNoClaim, std::memory_order_relaxed);
        occupant_[cell] = static_cast<std::int32_t>(i);
        kind_[cell] = static_cast<std::uint8_t>(kQuietCell | mark);
        quiet_at_[cell] = quiet_at(hardship[i], risk[i]);
        jailed[i] = 0;
        return 1;
      });
  for (std::size_t k = 0; k < release_due_.size(); ++k)
    if (proposal_target_[k] == kNoTarget) queue_release(release_due_[k], step + 1);
  jailed_count_ -= released_;
}

}  // namespace borderland::civil_violence
