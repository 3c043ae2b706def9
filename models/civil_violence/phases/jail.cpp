// The jail phase: the citizens whose release is due reappear near their arrest.
#include <utility>

#include "models/civil_violence/cells.hpp"
#include "models/civil_violence/streams.hpp"
#include "models/civil_violence/world.hpp"
#include "sim/parallel.hpp"
#include "sim/philox_batch.hpp"
#include "sim/rng.hpp"

namespace borderland::civil_violence {

void World::queue_release(const Inmate& inmate, std::int64_t day) {
  release_queue_[static_cast<std::size_t>(day) % release_queue_.size()].push_back(inmate);
}

std::int64_t World::inmates() const {
  std::size_t n = 0;
  for (const auto& due : release_queue_) n += due.size();
  return static_cast<std::int64_t>(n);
}

void World::phase_jail(std::int64_t step) {
  // A sweep like the move's: today's list is cut by the band of each arrest,
  // and within a band the citizens due come back one at a time, in the order
  // they were jailed, each to a random empty cell within vision of its arrest,
  // seeing the cells taken before it. A citizen comes back at most `vision`
  // rows from its arrest, so bands of one colour run in parallel (see
  // build_bands). One left without a cell stays jailed and is due tomorrow.
  // Taken out of the queue first: with max_jail_term 0 tomorrow's list is the same slot.
  release_due_.clear();
  std::swap(release_due_, release_queue_[static_cast<std::size_t>(step) % release_queue_.size()]);
  for (auto& inmates_here : band_releases_) inmates_here.clear();
  for (const Inmate& inmate : release_due_)
    band_releases_[static_cast<std::size_t>(band_of_row_[static_cast<std::size_t>(inmate.y)])]
        .push_back(inmate);
  // A released citizen has had its turn in today's move sweep: it carries its mark.
  const std::uint8_t mark = move_mark(steps_done_);
  for (const auto& bands : bands_)
    parallel_chunked(0, bands.size(), 1,
                     [&](std::size_t b) { release_in_band(bands[b], step, mark); });
  // Those still in, band by band (north to south), join tomorrow's list in order.
  released_ = 0;
  for (std::size_t b = 0; b < band_releases_.size(); ++b) {
    released_ += band_released_[b];
    for (const Inmate& inmate : band_releases_[b]) queue_release(inmate, step + 1);
  }
  jailed_count_ -= released_;
}

void World::release_in_band(const Band& band, std::int64_t step, std::uint8_t mark) {
  std::vector<Inmate>& inmates_here = band_releases_[band.order];
  // Each citizen's first random block, all at once (vectorised).
  thread_local sim::BlockBatch blocks;
  blocks.clear();
  for (const Inmate& inmate : inmates_here) blocks.add(static_cast<std::uint32_t>(inmate.citizen));
  blocks.compute(seed_, static_cast<sim::StreamId>(Stream::kRelease),
                 static_cast<std::uint64_t>(step));
  std::size_t still_in = 0;
  for (std::size_t k = 0; k < inmates_here.size(); ++k) {
    const Inmate inmate = inmates_here[k];
    sim::RandomDraws draws(seed_, Stream::kRelease, static_cast<std::uint64_t>(step),
                           static_cast<std::uint64_t>(inmate.citizen), blocks.block(k));
    std::size_t cell = 0;
    if (!propose_empty_cell(draws, inmate.x, inmate.y, citizen_window_, cell)) {
      inmates_here[still_in++] = inmate;
      continue;
    }
    occupant_[cell] = inmate.citizen;
    kind_[cell] = static_cast<std::uint8_t>(kQuietCell | mark);
    quiet_at_[cell] = inmate.quiet_at;
  }
  band_released_[band.order] = static_cast<std::int64_t>(inmates_here.size() - still_in);
  inmates_here.resize(still_in);
}

}  // namespace borderland::civil_violence
