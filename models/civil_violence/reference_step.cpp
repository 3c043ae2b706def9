// The reference step: the four phases of the parallel update written plainly,
// one agent at a time, each band in turn (no vectors, no packed counts, no
// precomputed random blocks, windows counted cell by cell). The fast phases in
// phases/ must give bit-identical output; tests/models/civil_violence compares
// the two across visions, shapes, grids, densities and seeds. Selected with
// World::use_reference_step or BORDERLAND_CIVIL_VIOLENCE_STEP=reference.
#include <cmath>

#include "models/civil_violence/cells.hpp"
#include "models/civil_violence/streams.hpp"
#include "models/civil_violence/world.hpp"
#include "sim/rng.hpp"

namespace borderland::civil_violence {

namespace {

// The slots an agent probes, one at a time: `bits` bits each, cut from 64-bit
// draws low bits first, in batches of kProbeBatch probes; each batch starts
// from a fresh draw, and a draw with fewer than `bits` bits left is replaced.
class ProbeSlots {
 public:
  ProbeSlots(sim::RandomDraws& draws, int bits) : draws_(draws), bits_(bits) {}
  std::uint32_t next() {
    if (in_batch_ == kProbeBatch) in_batch_ = 0, bits_left_ = 0;
    if (bits_left_ < bits_) word_ = draws_.next_u64(), bits_left_ = 64;
    ++in_batch_;
    const auto slot = static_cast<std::uint32_t>(word_ & ((std::uint64_t{1} << bits_) - 1));
    word_ >>= bits_;
    bits_left_ -= bits_;
    return slot;
  }

 private:
  sim::RandomDraws& draws_;
  int bits_;
  std::uint64_t word_ = 0;
  int bits_left_ = 0, in_batch_ = 0;
};

}  // namespace

bool World::reference_empty_cell(sim::RandomDraws& draws, int x, int y, const MoveWindow& window,
                                 std::size_t& cell, int attempts_left) const {
  // Rule M by rejection sampling: probe random cells of the window (a slot
  // past the window, or a cell off a bounded grid, is no attempt) until one is
  // empty or move_attempts probes have failed.
  ProbeSlots slots(draws, window.bits);
  const int limit = attempts_left < 0 ? p_.move_attempts : attempts_left;
  for (int attempts = 0; attempts < limit;) {
    const std::uint32_t slot = slots.next();
    if (slot >= window.slots) continue;
    const std::optional<std::size_t> candidate = cell_at(x + window.dx[slot], y + window.dy[slot]);
    if (!candidate) continue;
    ++attempts;
    if (kind_of(kind_[*candidate]) == kEmptyCell) {
      cell = *candidate;
      return true;
    }
  }
  return false;
}

void World::reference_move(std::int64_t step) {
  const std::uint8_t mark = move_mark(steps_done_);
  std::vector<RowVisit> rows;
  for (const auto& bands : bands_)
    for (const Band& band : bands) {
      order_rows(band, Stream::kMoveOrder, step, rows);
      for (const RowVisit& visit : rows)
        for (int i = 0; i < grid_.nx(); ++i) {
          const int x = visit.backward ? grid_.nx() - 1 - i : i;
          const std::size_t from = grid_.index(x, visit.y);
          const CellKind kind = kind_of(kind_[from]);
          if (kind == kEmptyCell || (kind_[from] & kMovedBit) == mark) continue;
          sim::RandomDraws draws(seed_, Stream::kMoveTarget, static_cast<std::uint64_t>(step),
                                 from);
          std::size_t to = from;  // stays put when no empty cell is found
          reference_empty_cell(draws, x, visit.y, kind == kCopCell ? cop_window_ : citizen_window_,
                               to);
          const std::int32_t who = occupant_[from];
          const std::uint16_t bound = quiet_at_[from];
          kind_[from] = kEmptyCell, occupant_[from] = -1;
          kind_[to] = static_cast<std::uint8_t>(kind | mark), occupant_[to] = who;
          quiet_at_[to] = bound;
        }
    }
}

World::WindowCount World::reference_count(const std::vector<std::uint8_t>& cells, int x, int y,
                                          const std::vector<int>& half) const {
  // Cell by cell over the window, the centre and cells off a bounded grid left out.
  WindowCount count;
  const int r = static_cast<int>(half.size() / 2);
  for (int dy = -r; dy <= r; ++dy)
    for (int dx = -half[static_cast<std::size_t>(dy + r)];
         dx <= half[static_cast<std::size_t>(dy + r)]; ++dx) {
      const std::optional<std::size_t> cell = cell_at(x + dx, y + dy);
      if ((dx == 0 && dy == 0) || !cell) continue;
      const CellKind kind = kind_of(cells[*cell]);
      count.cops += kind == kCopCell ? 1 : 0;
      count.actives += kind == kActiveCell ? 1 : 0;
    }
  return count;
}

std::int64_t World::arrest_ratio(std::int64_t cops, std::int64_t actives) const {
  // n = C / (A + 1) as an integer: floor, or the nearest with ties to even.
  const std::int64_t d = actives + 1, n = cops / d, twice_rest = 2 * (cops % d);
  if (p_.rounding == ArrestRounding::kFloor || twice_rest < d) return n;
  return twice_rest > d || n % 2 == 1 ? n + 1 : n;
}

bool World::rebels(std::size_t citizen, std::int64_t n) const {
  const double grievance = citizens_[hardship_][citizen] * (1.0 - legitimacy_);
  const double arrest_probability = 1.0 - std::exp(-p_.arrest_constant * static_cast<double>(n));
  return grievance - citizens_[risk_aversion_][citizen] * arrest_probability > p_.threshold;
}

void World::reference_decide() {
  refresh_quiet_at();  // the bounds the state carries (moves, jail, checkpoints)
  // Every citizen decides from the cells as they were at the start.
  const std::vector<std::uint8_t> before = kind_;
  active_count_ = 0;
  for (int y = 0; y < grid_.ny(); ++y)
    for (int x = 0; x < grid_.nx(); ++x) {
      const std::size_t c = grid_.index(x, y);
      if (occupant_[c] < 0) continue;
      const WindowCount seen = reference_count(before, x, y, citizen_half_);
      const bool active =
          rebels(static_cast<std::size_t>(occupant_[c]), arrest_ratio(seen.cops, seen.actives));
      kind_[c] =
          static_cast<std::uint8_t>((active ? kActiveCell : kQuietCell) | (kind_[c] & kMovedBit));
      active_count_ += active ? 1 : 0;
    }
}

void World::reference_arrest(std::int64_t step) {
  std::vector<RowVisit> rows;
  for (const auto& bands : bands_)
    for (const Band& band : bands) {
      // The band's cops where they stand at the start, in the day's scan order.
      order_rows(band, Stream::kArrestOrder, step, rows);
      std::vector<std::size_t> cops;
      for (const RowVisit& visit : rows)
        for (int i = 0; i < grid_.nx(); ++i) {
          const int x = visit.backward ? grid_.nx() - 1 - i : i;
          if (kind_of(kind_[grid_.index(x, visit.y)]) == kCopCell)
            cops.push_back(grid_.index(x, visit.y));
        }
      std::vector<Arrest>& arrests = band_arrests_[band.order];
      arrests.clear();
      for (const std::size_t cop : cops) {
        const int x = static_cast<int>(cop % static_cast<std::size_t>(grid_.nx())),
                  y = static_cast<int>(cop / static_cast<std::size_t>(grid_.nx()));
        const WindowCount seen = reference_count(kind_, x, y, cop_half_);
        if (seen.actives == 0) continue;
        sim::RandomDraws choice(seed_, Stream::kArrestChoice, static_cast<std::uint64_t>(step),
                                cop);
        const std::size_t found =
            nth_active(x, y, choice.below(static_cast<std::uint32_t>(seen.actives)));
        sim::RandomDraws term(seed_, Stream::kJailTerm, static_cast<std::uint64_t>(step), found);
        jail_at(cop, found, static_cast<std::int32_t>(term.below(sentences())), arrests);
      }
    }
  queue_arrests(step);
  active_count_ -= arrests_today_;  // cops arrest actives only
}

std::size_t World::nth_active(int x, int y, std::uint32_t skip) const {
  // Row by row over the cop's window (the order the fast arrest picks in).
  const int v = p_.cop_vision;
  for (int dy = -v; dy <= v; ++dy) {
    const int w = cop_half_[static_cast<std::size_t>(dy + v)];
    for (int dx = -w; dx <= w; ++dx) {
      const std::optional<std::size_t> cell = cell_at(x + dx, y + dy);
      if (cell && kind_of(kind_[*cell]) == kActiveCell && skip-- == 0) return *cell;
    }
  }
  return grid_.index(x, y);  // cannot happen: the caller counted more actives
}

void World::jail_at(std::size_t cop, std::size_t found, std::int32_t days,
                    std::vector<Arrest>& arrests, bool take_cell) {
  // The citizen goes to jail, carrying its bound; the cop takes its cell, or
  // leaves it empty.
  const std::int32_t cop_code = occupant_[cop];
  const auto nx = static_cast<std::size_t>(grid_.nx());
  arrests.push_back({-2 - cop_code, occupant_[found], static_cast<std::int32_t>(found % nx),
                     static_cast<std::int32_t>(found / nx), days, quiet_at_[found]});
  if (!take_cell) {
    kind_[found] = kEmptyCell, occupant_[found] = -1;
    return;
  }
  kind_[found] = static_cast<std::uint8_t>(kCopCell | (kind_[cop] & kMovedBit));
  occupant_[found] = cop_code;
  kind_[cop] = kEmptyCell, occupant_[cop] = -1;
}

void World::reference_jail(std::int64_t step) {
  // Today's releases, band by band in the order they were jailed; those left
  // without a cell are due tomorrow, north to south.
  std::vector<Inmate> due;
  std::swap(due, release_queue_[static_cast<std::size_t>(step) % release_queue_.size()]);
  std::vector<std::vector<Inmate>> by_band(band_releases_.size()), still_in(band_releases_.size());
  for (const Inmate& inmate : due)
    by_band[static_cast<std::size_t>(band_of_row_[static_cast<std::size_t>(inmate.y)])].push_back(
        inmate);
  const std::uint8_t mark = move_mark(steps_done_);
  released_ = 0;
  for (const auto& bands : bands_)
    for (const Band& band : bands)
      for (const Inmate& inmate : by_band[band.order]) {
        sim::RandomDraws draws(seed_, Stream::kRelease, static_cast<std::uint64_t>(step),
                               static_cast<std::uint64_t>(inmate.citizen));
        std::size_t cell = 0;
        if (!reference_empty_cell(draws, inmate.x, inmate.y, citizen_window_, cell)) {
          still_in[band.order].push_back(inmate);
          continue;
        }
        occupant_[cell] = inmate.citizen;
        kind_[cell] = static_cast<std::uint8_t>(kQuietCell | mark);
        quiet_at_[cell] = inmate.quiet_at;
        ++released_;
      }
  for (const auto& inmates_here : still_in)
    for (const Inmate& inmate : inmates_here) queue_release(inmate, step + 1);
  jailed_count_ -= released_;
}

}  // namespace borderland::civil_violence
