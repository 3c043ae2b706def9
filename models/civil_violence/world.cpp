#include "models/civil_violence/world.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "models/civil_violence/streams.hpp"
#include "sim/error.hpp"
#include "sim/h5.hpp"
#include "sim/parallel.hpp"
#include "sim/rng.hpp"

namespace borderland::civil_violence {

namespace {
constexpr std::uint64_t kNoClaim = std::numeric_limits<std::uint64_t>::max();
constexpr std::int32_t kNoTarget = -1;
// Cops and citizens have separate id spaces; cop ids are offset in random
// subjects so a cop and a citizen with the same id never share draws.
constexpr std::uint64_t kCopSubject = std::uint64_t{1} << 40;
constexpr std::size_t kGrain = 4096;  // agents per parallel chunk
constexpr int kBandRows = 64;         // rows per parallel chunk of the decide phase

// What a cell holds (World::kind_): the low two bits of the cell's byte.
enum CellKind : std::uint8_t { kEmptyCell = 0, kQuietCell = 1, kActiveCell = 2, kCopCell = 3 };
constexpr std::uint8_t kKindBits = 3;
// Bit 2 of an occupied cell's byte is its agent's move mark: the agent has had
// its turn in a move sweep when its mark equals that sweep's (World::move_mark).
// An empty cell's byte is always 0.
constexpr std::uint8_t kMovedBit = 4;
CellKind kind_of(std::uint8_t cell) {
  return static_cast<CellKind>(cell & kKindBits);
}
CellKind citizen_cell(std::uint8_t state) {
  return state == kActive ? kActiveCell : kQuietCell;
}
// Window counts are packed in one word, cops in the high half and actives in
// the low half: one sum counts both. A window holds at most 255 x 255 < 2^16
// cells (vision <= 127), so the true count of each half fits and modular
// (unsigned) adds and subtracts of packed words are exact.
constexpr std::uint32_t kCopUnit = std::uint32_t{1} << 16;
constexpr std::uint32_t kPacked[8] = {0, 0, 1, kCopUnit,
                                      0, 0, 1, kCopUnit};  // indexed by the cell's byte
// Eight cell bytes at a time (SWAR, "SIMD within a register"): byte i of a
// word is the cell at x0 + i, which needs a little-endian machine. kind_ has
// kCellPadding spare bytes at its end so that a word can always be loaded.
static_assert(std::endian::native == std::endian::little, "cell words assume little-endian");
constexpr std::size_t kCellPadding = 8;
constexpr std::uint64_t kEveryByte = 0x0101010101010101ull;
std::uint64_t load_cells(const std::uint8_t* first) {
  std::uint64_t word = 0;
  std::memcpy(&word, first, sizeof word);
  return word;
}
// The low `count` (0..8) bytes of a word.
std::uint64_t first_bytes(int count) {
  return count >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * count)) - 1;
}
// Bit 2 of byte i is set when cell i holds an agent that has not had its turn
// in the sweep with this mark (occupied: kind bits nonzero; mark bit differs).
std::uint64_t waiting_agents(std::uint64_t cells, std::uint8_t mark) {
  const std::uint64_t occupied = ((cells & (3 * kEveryByte)) + 3 * kEveryByte) & (4 * kEveryByte);
  const std::uint64_t unmarked = (cells ^ (mark * kEveryByte)) & (4 * kEveryByte);
  return occupied & unmarked;
}
// Bit 0 of byte i is set when cell i holds a cop (both kind bits set).
std::uint64_t cop_cells(std::uint64_t cells) {
  return cells & (cells >> 1) & kEveryByte;
}
// Bit 7 of byte i is set when cell i holds an active citizen: its kind bits
// XOR kActiveCell are zero, and x + 0x7F sets bit 7 for every x in 1..3.
std::uint64_t active_cells(std::uint64_t cells) {
  const std::uint64_t x = (cells & (3 * kEveryByte)) ^ (kActiveCell * kEveryByte);
  return ~(x + 0x7F * kEveryByte) & (0x80 * kEveryByte);
}
// Probes of the move are tried in batches this long, without a branch per
// probe: an empty cell is found about one time in four, so a branch per probe
// is mispredicted about once per move.
constexpr int kProbeBatch = 8;

int wrap(int v, int n) {
  return v < 0 ? v + n : v >= n ? v - n : v;
}

std::uint64_t make_key(std::uint32_t priority, std::size_t index) {
  return (std::uint64_t{priority} << 32) | static_cast<std::uint64_t>(index);
}
}  // namespace

World::World(const sim::Scenario& scenario, const Parameters& params)
    : start_(scenario.start),
      p_(params),
      policies_(scenario.policies),
      grid_(params.width, params.height, sim::Edges::kTorus),
      seed_(scenario.seed) {
  const std::size_t cells = grid_.cells();
  if (p_.citizen_density + p_.cop_density > 1.0)
    throw sim::InputError(
        fmt::format("{}: error: parameters: citizens.density + cops.density = {} leaves no room; "
                    "expected at most 1",
                    scenario.source, p_.citizen_density + p_.cop_density));
  const int smallest_side = std::min(p_.width, p_.height);
  for (int vision : {p_.citizen_vision, p_.cop_vision})
    if (2 * vision + 1 > smallest_side)
      throw sim::InputError(
          fmt::format("{}: error: parameters: vision {} wraps around a {}x{} torus (2*vision+1 "
                      "must be at most {})",
                      scenario.source, vision, p_.width, p_.height, smallest_side));
  if (cells >= (std::size_t{1} << 31))
    throw sim::InputError(scenario.source + ": error: parameters: grid too large");

  arrest_x_ = citizens_.add_column<std::int32_t>("arrest_x", -1);
  arrest_y_ = citizens_.add_column<std::int32_t>("arrest_y", -1);
  hardship_ = citizens_.add_column<double>("hardship");
  risk_aversion_ = citizens_.add_column<double>("risk_aversion");
  state_ = citizens_.add_column<std::uint8_t>("state", kQuiet);
  jail_left_ = citizens_.add_column<std::int32_t>("jail_left", 0);

  occupant_.assign(cells, -1);
  place_agents();
  citizen_window_ = make_move_window(p_.citizen_vision);
  cop_window_ = make_move_window(p_.cop_vision);
  build_bands();
  build_schedule();
  rebuild_cell_kinds();
  row_sums_.assign(cells, 0);
  const std::size_t bands = (static_cast<std::size_t>(p_.height) + kBandRows - 1) / kBandRows;
  column_sums_.assign(bands * static_cast<std::size_t>(p_.width), 0);
  band_actives_.assign(bands, 0);

  // P = 1 - exp(-k floor(C / (A + 1))): C is at most the window size, so tabulate.
  const int window = std::max(p_.citizen_vision, p_.cop_vision);
  const int max_cops =
      p_.neighbourhood == Neighbourhood::kCross ? 4 * window : (2 * window + 1) * (2 * window + 1);
  exp_table_.resize(static_cast<std::size_t>(max_cops) + 1);
  for (std::size_t n = 0; n < exp_table_.size(); ++n)
    exp_table_[n] = std::exp(-p_.arrest_constant * static_cast<double>(n));

  cell_claims_ = std::make_unique<std::atomic<std::uint64_t>[]>(cells);
  for (std::size_t c = 0; c < cells; ++c)
    cell_claims_[c].store(kNoClaim, std::memory_order_relaxed);
  proposal_key_.assign(citizens_.size(), kNoClaim);
  proposal_target_.assign(citizens_.size(), kNoTarget);
  legitimacy_ = p_.legitimacy;
  count_states();

  schema_.series = {
      {"quiescent", sim::ValueKind::kCount, "count", "citizens on the grid and not active", {}},
      {"active", sim::ValueKind::kCount, "count", "citizens openly rebelling", {}},
      {"jailed", sim::ValueKind::kCount, "count", "citizens in jail", {}},
      {"arrests", sim::ValueKind::kCount, "count", "arrests made this step", {}},
      {"legitimacy", sim::ValueKind::kReal, "1", "legitimacy L in force this step", {}},
  };
  schema_.event_columns = {
      {"cop", sim::ColumnKind::kInteger, "1", "id of the arresting cop"},
      {"citizen", sim::ColumnKind::kInteger, "1", "id of the arrested citizen"},
      {"x", sim::ColumnKind::kInteger, "cell", "column of the arrest"},
      {"y", sim::ColumnKind::kInteger, "cell", "row of the arrest"},
      {"jail_term", sim::ColumnKind::kInteger, "day", "sentence drawn on [0, Jmax]"},
  };
  schema_.fields = {
      {"state", "1", "0 empty, 1 quiescent citizen, 2 active citizen, 3 cop"},
      {"grievance", "1", "grievance H(1-L) of the citizen in the cell, 0 where none"},
  };
}

void World::place_agents() {
  // Exact counts as in the classic setting: a seeded Fisher-Yates shuffle of the
  // cells; the first cells go to citizens, the next to cops.
  const std::size_t cells = grid_.cells();
  const auto n_citizens =
      static_cast<std::size_t>(std::llround(p_.citizen_density * static_cast<double>(cells)));
  const auto n_cops =
      static_cast<std::size_t>(std::llround(p_.cop_density * static_cast<double>(cells)));
  std::vector<std::int32_t> order(cells);
  for (std::size_t c = 0; c < cells; ++c) order[c] = static_cast<std::int32_t>(c);
  const std::size_t needed = std::min(cells, n_citizens + n_cops);
  for (std::size_t i = 0; i < needed; ++i) {
    sim::RandomDraws draws(seed_, Stream::kSetupPlacement, 0, i);
    const std::size_t j = i + draws.below(static_cast<std::uint32_t>(cells - i));
    std::swap(order[i], order[j]);
  }
  // Hand out ids in row-major cell order: agents that are neighbours on the grid
  // are then neighbours in memory, and since nobody moves further than its
  // vision per day this locality lasts the whole run (a 20x speed-up at 10^6).
  std::sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n_citizens));
  std::sort(order.begin() + static_cast<std::ptrdiff_t>(n_citizens),
            order.begin() + static_cast<std::ptrdiff_t>(needed));
  for (std::size_t i = 0; i < n_citizens; ++i) {
    const std::size_t row = citizens_.spawn();
    occupant_[static_cast<std::size_t>(order[i])] = static_cast<std::int32_t>(row);
  }
  for (std::size_t i = n_citizens; i < needed; ++i) {
    const std::size_t row = cops_.spawn();
    occupant_[static_cast<std::size_t>(order[i])] = -2 - static_cast<std::int32_t>(row);
  }
  auto hardship = citizens_[hardship_];
  auto risk = citizens_[risk_aversion_];
  const auto ids = citizens_.ids();
  sim::parallel_for(0, citizens_.size(), kGrain, [&](std::size_t i) {
    sim::RandomDraws draws(seed_, Stream::kSetupTraits, 0, ids[i]);
    hardship[i] = draws.uniform();
    risk[i] = draws.uniform();
  });
}

void World::update_legitimacy(std::int64_t step) {
  const sim::Date date = start_.plus_days(static_cast<int>(step));
  legitimacy_ = p_.legitimacy;
  if (const sim::PolicySwitch* shift = policies_.active("legitimacy_shift", date)) {
    const double delta = shift->strengths.real("delta");
    const auto ramp = shift->strengths.integer("ramp_days");
    const int days = policies_.days_active("legitimacy_shift", date);
    const double phase_in =
        ramp == 0 ? 1.0 : std::min(1.0, static_cast<double>(days) / static_cast<double>(ramp));
    legitimacy_ = std::clamp(p_.legitimacy + delta * phase_in, 0.0, 1.0);
  }
}

void World::rebuild_cell_kinds() {
  const auto state = citizens_[state_];
  kind_.resize(grid_.cells() + kCellPadding, kEmptyCell);
  // Every agent carries the mark of the last move sweep (none yet: that of
  // sweep -1), so the next sweep gives each one its turn.
  const std::uint8_t carried = move_mark(steps_done_ - 1);
  const auto hardship = citizens_[hardship_], risk = citizens_[risk_aversion_];
  cell_traits_.resize(grid_.cells());
  sim::parallel_for(0, grid_.cells(), kGrain, [&](std::size_t c) {
    const std::int32_t who = occupant_[c];
    cell_traits_[c] = {};
    if (who == -1) {
      kind_[c] = kEmptyCell;
      return;
    }
    if (who >= 0)
      cell_traits_[c] = {hardship[static_cast<std::size_t>(who)],
                         risk[static_cast<std::size_t>(who)]};
    const CellKind kind = who <= -2 ? kCopCell : citizen_cell(state[static_cast<std::size_t>(who)]);
    kind_[c] = static_cast<std::uint8_t>(kind | carried);
  });
}

std::uint8_t World::move_mark(std::int64_t moves_done) const {
  // Alternates from one sweep to the next, so no pass is needed to clear it.
  return (moves_done & 1) != 0 ? 0 : kMovedBit;
}

void World::build_bands() {
  // Bands at least 2 * reach rows tall, an even number of them, or a third
  // colour for the last band when the count is odd (the torus closes the ring).
  // The layout depends on the grid and the vision only, never on the threads.
  const int reach = std::max(p_.citizen_vision, p_.cop_vision);
  const int ny = grid_.ny();
  const int bands = std::max(1, ny / std::max(1, 2 * reach));
  const int colours = bands == 1 ? 1 : bands % 2 == 0 ? 2 : 3;
  bands_.assign(static_cast<std::size_t>(colours), {});
  band_cops_.assign(static_cast<std::size_t>(bands), {});
  band_arrests_.assign(static_cast<std::size_t>(bands), {});
  band_rows_.assign(static_cast<std::size_t>(bands), {});
  for (int b = 0; b < bands; ++b) {
    const int first = static_cast<int>(std::int64_t{b} * ny / bands);
    const int last = static_cast<int>(std::int64_t{b + 1} * ny / bands);
    const int colour = colours == 3 && b == bands - 1 ? 2 : b % 2;
    bands_[static_cast<std::size_t>(colour)].push_back({first, last, static_cast<std::size_t>(b)});
  }
}

World::MoveWindow World::make_move_window(int vision) const {
  MoveWindow w;
  if (p_.neighbourhood == Neighbourhood::kCross) {
    // d = 1..vision, north, south, east, west.
    for (int d = 1; d <= vision; ++d) {
      w.dx.insert(w.dx.end(), {0, 0, d, -d});
      w.dy.insert(w.dy.end(), {d, -d, 0, 0});
    }
  } else {
    // The square less its centre, row by row.
    for (int dy = -vision; dy <= vision; ++dy)
      for (int dx = -vision; dx <= vision; ++dx) {
        if (dx == 0 && dy == 0) continue;
        w.dx.push_back(dx);
        w.dy.push_back(dy);
      }
  }
  w.slots = static_cast<std::uint32_t>(w.dx.size());
  w.reach = vision;
  for (std::size_t k = 0; k < w.dx.size(); ++k)
    w.offset.push_back(std::ptrdiff_t{w.dy[k]} * grid_.nx() + w.dx[k]);
  w.bits = sim::RandomDraws::bits_for(w.slots);
  return w;
}

void World::build_schedule() {
  schedule_.add("legitimacy", [this](std::int64_t step) { update_legitimacy(step); });
  if (p_.movement) schedule_.add("move", [this](std::int64_t step) { phase_move(step); });
  schedule_.add("decide", [this](std::int64_t) { phase_decide(); });
  schedule_.add("arrest", [this](std::int64_t step) { phase_arrest(step); });
  schedule_.add("jail", [this](std::int64_t step) { phase_jail(step); });
}

void World::step(std::int64_t step) {
  schedule_.run_step(step);
  // active_count_ and jailed_count_ are kept up to date by the phases.
  peak_active_ = std::max(peak_active_, active_count_);
  sum_active_ += static_cast<double>(active_count_);
  ++steps_done_;
}

void World::count_states() {
  // One pass, two counts; a fixed-tree integer reduction.
  struct Counts {
    std::int64_t active = 0, jailed = 0;
    Counts& operator+=(const Counts& o) {
      active += o.active, jailed += o.jailed;
      return *this;
    }
  };
  const auto state = citizens_[state_];
  const Counts c = sim::deterministic_sum<Counts>(0, citizens_.size(), kGrain, [&](std::size_t i) {
    return Counts{state[i] == kActive ? 1 : 0, state[i] == kJailed ? 1 : 0};
  });
  active_count_ = c.active;
  jailed_count_ = c.jailed;
}

bool World::claim(std::atomic<std::uint64_t>& slot, std::uint64_t key) const {
  // Atomic minimum: the smallest key wins whatever the order of arrival.
  std::uint64_t seen = slot.load(std::memory_order_relaxed);
  while (key < seen && !slot.compare_exchange_weak(seen, key, std::memory_order_relaxed)) {
  }
  return key <= seen;
}

std::size_t World::wrapped_cell(int x, int y) const {
  return static_cast<std::size_t>(wrap(y, grid_.ny())) * static_cast<std::size_t>(grid_.nx()) +
         static_cast<std::size_t>(wrap(x, grid_.nx()));
}

bool World::propose_empty_cell(sim::RandomDraws& draws, int x, int y, const MoveWindow& window,
                               std::size_t& cell) const {
  // Rejection sampling, uniform over the empty cells in vision: the first empty
  // cell among the first move_attempts valid probes. Probes are tested a batch
  // at a time into bit masks, which picks the same cell as testing one by one.
  const int nx = grid_.nx(), ny = grid_.ny(), r = window.reach;
  const bool interior = x >= r && x < nx - r && y >= r && y < ny - r;
  const std::size_t centre = grid_.index(x, y);
  int attempts_left = p_.move_attempts;
  const int bits = window.bits;
  const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
  while (attempts_left > 0) {
    // One batch: kProbeBatch chunks of `bits` bits, low bits first, from one
    // or two 64-bit draws held in a register.
    std::uint64_t random = draws.next_u64();
    int random_bits = 64;
    std::array<std::size_t, kProbeBatch> candidates{};
    std::uint32_t valid = 0, empty = 0;
    for (int k = 0; k < kProbeBatch; ++k) {
      if (random_bits < bits) {
        random = draws.next_u64();
        random_bits = 64;
      }
      const auto chunk = static_cast<std::uint32_t>(random & mask);
      random >>= bits;
      random_bits -= bits;
      const bool in_window = chunk < window.slots;
      const std::uint32_t slot = in_window ? chunk : 0;
      // Away from the edges of the torus a probe is one add (no wrapping).
      const std::size_t candidate = interior
                                        ? centre + static_cast<std::size_t>(window.offset[slot])
                                        : wrapped_cell(x + window.dx[slot], y + window.dy[slot]);
      candidates[static_cast<std::size_t>(k)] = candidate;
      valid |= static_cast<std::uint32_t>(in_window) << k;
      empty |= static_cast<std::uint32_t>(in_window & (kind_[candidate] == kEmptyCell)) << k;
    }
    while (std::popcount(valid) > attempts_left)  // drop the valid probes past the limit
      valid &= ~(std::uint32_t{1} << (31 - std::countl_zero(valid)));
    empty &= valid;
    if (empty != 0) {
      cell = candidates[static_cast<std::size_t>(std::countr_zero(empty))];
      return true;
    }
    attempts_left -= std::popcount(valid);
  }
  return false;
}

void World::phase_move(std::int64_t step) {
  const std::uint8_t mark = move_mark(steps_done_);
  for (const auto& bands : bands_)
    sim::parallel_for(0, bands.size(), 1, [&](std::size_t b) { sweep_band(bands[b], step, mark); });
}

void World::order_rows(const Band& band, Stream stream, std::int64_t step,
                       std::vector<RowVisit>& rows) const {
  // A fixed scan order would push agents one way: they move towards the rows
  // already swept, where the agents before them left empty cells (1.2 cells a
  // day for a row-by-row sweep). So every day each band visits its rows in a
  // random order, each row in a random direction: no direction is favoured,
  // while a row is still read in memory order.
  sim::RandomDraws draws(seed_, stream, static_cast<std::uint64_t>(step), band.order);
  rows.clear();
  for (int y = band.first_row; y < band.last_row; ++y) rows.push_back({y, false});
  for (std::size_t i = rows.size(); i > 1; --i)  // Fisher-Yates
    std::swap(rows[i - 1], rows[draws.below(static_cast<std::uint32_t>(i))]);
  for (RowVisit& row : rows) row.backward = draws.next_bits(1) != 0;
}

void World::sweep_band(const Band& band, std::int64_t step, std::uint8_t mark) {
  // Each free agent in the band, in turn, moves at once to a random empty cell
  // in vision; the cell it leaves is free for those after it. An agent that
  // moves ahead in the scan is met again, and skipped by its mark. Cells are
  // read eight at a time, and only those with an agent still to move are visited.
  const int nx = grid_.nx();
  const int words = (nx + 7) / 8;
  std::vector<RowVisit>& rows = band_rows_[band.order];
  order_rows(band, Stream::kMoveOrder, step, rows);
  for (const RowVisit& visit : rows) {
    const std::size_t row = grid_.index(0, visit.y);
    for (int i = 0; i < words; ++i) {
      const int x0 = 8 * (visit.backward ? words - 1 - i : i);
      // Agents moving into this word after the load carry the mark already,
      // and an agent still to move cannot be displaced: the mask stays right.
      std::uint64_t waiting =
          waiting_agents(load_cells(&kind_[row + static_cast<std::size_t>(x0)]), mark) &
          first_bytes(nx - x0);
      while (waiting != 0) {
        const int byte =
            visit.backward ? (63 - std::countl_zero(waiting)) / 8 : std::countr_zero(waiting) / 8;
        waiting &= ~(std::uint64_t{0xFF} << (8 * byte));
        move_agent(x0 + byte, visit.y, step, mark);
      }
    }
  }
}

void World::move_agent(int x, int y, std::int64_t step, std::uint8_t mark) {
  const std::size_t from = grid_.index(x, y);
  const std::uint8_t moved = static_cast<std::uint8_t>((kind_[from] & kKindBits) | mark);
  const std::int32_t who = occupant_[from];
  const bool is_cop = who <= -2;
  // Keyed by the cell the move starts from: each cell starts at most one move
  // a day, and reading the agent's id here would cost a scattered load.
  sim::RandomDraws draws(seed_, Stream::kMoveTarget, static_cast<std::uint64_t>(step), from);
  std::size_t to = 0;
  if (!propose_empty_cell(draws, x, y, is_cop ? cop_window_ : citizen_window_, to)) {
    kind_[from] = moved;  // no empty cell found: it stays, but has had its turn
    return;
  }
  kind_[from] = kEmptyCell;
  occupant_[from] = -1;
  kind_[to] = moved;
  occupant_[to] = who;
  cell_traits_[to] = cell_traits_[from];
}

void World::window_row_sums(int r) {
  // row_sums_[y * nx + x]: packed counts over the cells (x - r .. x + r, y),
  // wrapped; a running sum along the row, O(1) per cell.
  const int nx = grid_.nx();
  sim::parallel_for(0, static_cast<std::size_t>(grid_.ny()), 16, [&](std::size_t y) {
    const std::uint8_t* k = &kind_[y * static_cast<std::size_t>(nx)];
    std::uint32_t* out = &row_sums_[y * static_cast<std::size_t>(nx)];
    std::uint32_t sum = 0;
    for (int d = -r; d <= r; ++d) sum += kPacked[k[wrap(d, nx)]];
    out[0] = sum;
    for (int x = 1; x < nx; ++x) {
      sum += kPacked[k[wrap(x + r, nx)]] - kPacked[k[wrap(x - r - 1, nx)]];
      out[x] = sum;
    }
  });
}

std::uint32_t World::cross_counts(int x, int y, int r) const {
  // Packed counts over the 4r cells north, south, east and west of (x, y),
  // read from row_sums_ built with r = 0 (one packed value per cell).
  auto at = [&](int cx, int cy) { return row_sums_[wrapped_cell(cx, cy)]; };
  std::uint32_t sum = 0;
  for (int d = 1; d <= r; ++d) sum += at(x, y + d) + at(x, y - d) + at(x + d, y) + at(x - d, y);
  return sum;
}

void World::phase_decide() {
  // One pass over the cells in memory order, in bands of rows. Each band keeps
  // a running column sum of the row sums, so the packed counts of a cell's
  // square window cost two adds per cell; the citizen in the cell decides on
  // the spot. Counts come from row_sums_, taken before anyone in this phase
  // decides, so every citizen sees the activity at the start of the phase.
  auto state = citizens_[state_];
  const double one_minus_l = 1.0 - legitimacy_;
  const int nx = grid_.nx(), ny = grid_.ny(), r = p_.citizen_vision;
  const auto unx = static_cast<std::size_t>(nx);
  const bool square = p_.neighbourhood == Neighbourhood::kSquare;
  // Square: packed row-window sums. Cross: r = 0, the packed value of each
  // cell, so that the counts never see a decision taken earlier in this pass.
  window_row_sums(square ? r : 0);
  const std::size_t bands = band_actives_.size();
  sim::parallel_for(0, bands, 1, [&](std::size_t b) {
    const int y0 = static_cast<int>(b) * kBandRows, y1 = std::min(ny, y0 + kBandRows);
    std::uint32_t* column = &column_sums_[b * unx];
    auto row_sums = [&](int y) { return &row_sums_[static_cast<std::size_t>(wrap(y, ny)) * unx]; };
    if (square) {
      std::fill(column, column + nx, 0u);
      for (int dy = -r; dy <= r; ++dy) {
        const std::uint32_t* add = row_sums(y0 + dy);
        for (int x = 0; x < nx; ++x) column[x] += add[x];
      }
    }
    std::int64_t actives = 0;
    for (int y = y0; y < y1; ++y) {
      if (square && y > y0) {
        const std::uint32_t* add = row_sums(y + r);
        const std::uint32_t* drop = row_sums(y - r - 1);
        for (int x = 0; x < nx; ++x) column[x] += add[x] - drop[x];
      }
      const std::size_t base = static_cast<std::size_t>(y) * unx;
      for (int x = 0; x < nx; ++x) {
        const std::uint8_t cell_byte = kind_[base + static_cast<std::size_t>(x)];
        const CellKind kind = kind_of(cell_byte);
        if (kind != kQuietCell && kind != kActiveCell) continue;
        const std::uint32_t counts = square ? column[x] : cross_counts(x, y, r);
        const std::uint32_t cops = counts >> 16;
        // Actives in vision, the citizen itself excluded (the +1 below counts
        // it); the square window includes the centre, the cross does not.
        const std::uint32_t self = square && kind == kActiveCell ? 1u : 0u;
        const std::uint32_t others = (counts & 0xFFFFu) - self;
        const std::uint32_t ratio = cops / (others + 1);
        const double arrest_probability = 1.0 - exp_table_[ratio];
        const auto i = static_cast<std::size_t>(occupant_[base + static_cast<std::size_t>(x)]);
        const Traits& traits = cell_traits_[base + static_cast<std::size_t>(x)];
        const double grievance = traits.hardship * one_minus_l;
        const bool active = grievance - traits.risk_aversion * arrest_probability > p_.threshold;
        state[i] = active ? kActive : kQuiet;
        kind_[base + static_cast<std::size_t>(x)] = static_cast<std::uint8_t>(
            (active ? kActiveCell : kQuietCell) | (cell_byte & kMovedBit));
        actives += active ? 1 : 0;
      }
    }
    band_actives_[b] = actives;
  });
  active_count_ = 0;
  for (const std::int64_t a : band_actives_) active_count_ += a;
}

std::uint32_t World::actives_in_cross(int x, int y, int r) const {
  std::uint32_t n = 0;
  auto active = [&](int cx, int cy) {
    return kind_of(kind_[wrapped_cell(cx, cy)]) == kActiveCell ? 1u : 0u;
  };
  for (int d = 1; d <= r; ++d)
    n += active(x, y + d) + active(x, y - d) + active(x + d, y) + active(x - d, y);
  return n;
}

std::uint32_t World::actives_in_row(int x, int y, int r) const {
  // Actives in the cells (x - r .. x + r, y), wrapped.
  std::uint32_t n = 0;
  const int nx = grid_.nx();
  const std::uint8_t* row = &kind_[wrapped_cell(0, y)];
  if (x - r >= 0 && x + r < nx) {  // eight cells at a time
    for (int first = x - r; first <= x + r; first += 8)
      n += static_cast<std::uint32_t>(
          std::popcount(active_cells(load_cells(row + first)) & first_bytes(x + r + 1 - first)));
  } else {
    for (int dx = -r; dx <= r; ++dx) n += kind_of(row[wrap(x + dx, nx)]) == kActiveCell ? 1u : 0u;
  }
  return n;
}

void World::phase_arrest(std::int64_t step) {
  // Like the move: within a band the cops act one at a time in scan order, each
  // seeing the arrests made before it (so no citizen is claimed twice); bands of
  // one colour are too far apart to share a citizen and run in parallel.
  for (const auto& bands : bands_)
    sim::parallel_for(0, bands.size(), 1, [&](std::size_t b) { arrest_in_band(bands[b], step); });
  // The event table in band order, north to south: fixed by the grid alone.
  arrests_.clear();
  for (const auto& events : band_arrests_)
    arrests_.insert(arrests_.end(), events.begin(), events.end());
  arrests_total_ += static_cast<std::int64_t>(arrests_.size());
  active_count_ -= static_cast<std::int64_t>(arrests_.size());  // cops arrest actives only
  jailed_count_ += static_cast<std::int64_t>(arrests_.size());
}

void World::arrest_in_band(const Band& band, std::int64_t step) {
  // First the band's cops, eight cells at a time, rows in the day's random
  // order (see order_rows); a cop moves only on its own turn, so the list
  // stays right while they act.
  const int nx = grid_.nx();
  std::vector<RowVisit>& rows = band_rows_[band.order];
  order_rows(band, Stream::kArrestOrder, step, rows);
  std::vector<std::size_t>& cops = band_cops_[band.order];
  cops.clear();
  for (const RowVisit& visit : rows) {
    const std::size_t row = grid_.index(0, visit.y);
    const std::size_t first = cops.size();
    for (int x0 = 0; x0 < nx; x0 += 8) {
      std::uint64_t cops_here =
          cop_cells(load_cells(&kind_[row + static_cast<std::size_t>(x0)])) & first_bytes(nx - x0);
      for (; cops_here != 0; cops_here &= cops_here - 1)
        cops.push_back(row + static_cast<std::size_t>(x0 + std::countr_zero(cops_here) / 8));
    }
    if (visit.backward) std::reverse(cops.begin() + static_cast<std::ptrdiff_t>(first), cops.end());
  }
  std::vector<sim::EventRow>& events = band_arrests_[band.order];
  events.clear();
  for (const std::size_t cell : cops) arrest_near(cell, step, events);
}

void World::arrest_near(std::size_t cop_cell, std::int64_t step,
                        std::vector<sim::EventRow>& events) {
  // The cop counts the actives in its vision (a direct scan of the cell
  // raster: cops are few), picks the k-th in a fixed scan order (row-major
  // over the square; d = 1..v, north, south, east, west on the cross), jails
  // it and takes its cell.
  const int x = grid_.x_of(cop_cell), y = grid_.y_of(cop_cell);
  const auto j = static_cast<std::size_t>(-2 - occupant_[cop_cell]);
  const int v = p_.cop_vision;
  const bool cross = p_.neighbourhood == Neighbourhood::kCross;
  // Square: count row by row, keeping each row's count, so that finding the
  // k-th active below scans one row only. The centre holds the cop itself.
  std::array<std::uint16_t, 255> per_row;  // 2 * vision + 1 <= 255 rows
  std::uint32_t actives = 0;
  if (cross) {
    actives = actives_in_cross(x, y, v);
  } else {
    for (int row = 0; row <= 2 * v; ++row) {
      per_row[static_cast<std::size_t>(row)] =
          static_cast<std::uint16_t>(actives_in_row(x, y - v + row, v));
      actives += per_row[static_cast<std::size_t>(row)];
    }
  }
  if (actives == 0) return;
  const auto cop_id = cops_.ids()[j];
  sim::RandomDraws draws(seed_, Stream::kArrestChoice, static_cast<std::uint64_t>(step), cop_id);
  std::uint32_t skip = draws.below(actives);
  std::size_t found = grid_.cells();  // none
  if (cross) {
    auto visit = [&](int dx, int dy) {
      const std::size_t cell = wrapped_cell(x + dx, y + dy);
      if (kind_of(kind_[cell]) == kActiveCell && skip-- == 0) found = cell;
      return found < grid_.cells();
    };
    for (int d = 1; d <= v; ++d)
      if (visit(0, d) || visit(0, -d) || visit(d, 0) || visit(-d, 0)) break;
  } else {
    // The k-th in row-major order over the window: skip whole rows, then
    // walk the row holding it in memory order.
    std::size_t row = 0;
    while (skip >= per_row[row]) skip -= per_row[row++];
    const std::size_t row_start = wrapped_cell(0, y - v + static_cast<int>(row));
    for (int dx = -v; dx <= v; ++dx) {
      const std::size_t cell = row_start + static_cast<std::size_t>(wrap(x + dx, grid_.nx()));
      if (kind_of(kind_[cell]) == kActiveCell && skip-- == 0) {
        found = cell;
        break;
      }
    }
  }
  if (found == grid_.cells()) return;  // cannot happen: the count said there is one

  const auto i = static_cast<std::size_t>(occupant_[found]);
  const auto citizen_id = citizens_.ids()[i];
  sim::RandomDraws term(seed_, Stream::kJailTerm, static_cast<std::uint64_t>(step), citizen_id);
  auto state = citizens_[state_];
  auto jail_left = citizens_[jail_left_];
  state[i] = kJailed;
  jail_left[i] =
      static_cast<std::int32_t>(term.below(static_cast<std::uint32_t>(p_.max_jail_term + 1)));
  // The cop takes the citizen's cell; the citizen keeps where it was taken.
  const std::uint8_t cop_mark = kind_[cop_cell] & kMovedBit;
  kind_[cop_cell] = kEmptyCell;
  occupant_[cop_cell] = -1;
  occupant_[found] = -2 - static_cast<std::int32_t>(j);
  kind_[found] = static_cast<std::uint8_t>(kCopCell | cop_mark);
  const int ax = grid_.x_of(found), ay = grid_.y_of(found);
  citizens_[arrest_x_][i] = ax;
  citizens_[arrest_y_][i] = ay;
  events.push_back({static_cast<std::int64_t>(cop_id), static_cast<std::int64_t>(citizen_id),
                    std::int64_t{ax}, std::int64_t{ay}, std::int64_t{jail_left[i]}});
}

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

std::int64_t World::count_state(CitizenState s) const {
  const auto state = citizens_[state_];
  return sim::deterministic_sum<std::int64_t>(
      0, citizens_.size(), kGrain,
      [&](std::size_t i) -> std::int64_t { return state[i] == s ? 1 : 0; });
}

void World::record(sim::StepRecord& out) const {
  const std::int64_t active = active_count_;
  const std::int64_t jailed = jailed_count_;
  const auto total = static_cast<std::int64_t>(citizens_.size());
  out.series[0][0] = static_cast<double>(total - active - jailed);
  out.series[1][0] = static_cast<double>(active);
  out.series[2][0] = static_cast<double>(jailed);
  out.series[3][0] = static_cast<double>(arrests_.size());
  out.series[4][0] = legitimacy_;
  out.events = arrests_;
}

void World::snapshot(const std::string& field, std::vector<double>& out) const {
  out.assign(grid_.cells(), 0.0);
  const auto state = citizens_[state_];
  const auto hardship = citizens_[hardship_];
  const bool want_state = field == "state";
  sim::parallel_for(0, grid_.cells(), kGrain, [&](std::size_t c) {
    const std::int32_t who = occupant_[c];
    if (who <= -2) {
      out[c] = want_state ? 3.0 : 0.0;
    } else if (who >= 0) {
      const auto i = static_cast<std::size_t>(who);
      out[c] = want_state ? (state[i] == kActive ? 2.0 : 1.0) : hardship[i] * (1.0 - legitimacy_);
    }
  });
}

std::map<std::string, double> World::summary() const {
  return {{"mean_active", steps_done_ ? sum_active_ / static_cast<double>(steps_done_) : 0.0},
          {"peak_active", static_cast<double>(peak_active_)},
          {"total_arrests", static_cast<double>(arrests_total_)},
          {"final_jailed", static_cast<double>(jailed_count_)}};
}

// Checkpoint: agents (ids and every column), the occupancy raster and the
// running counters. Scratch (claims, proposals, window sums) is rebuilt or
// reset within each step, and legitimacy is recomputed at the start of a step.
void World::save_state(sim::h5::Group& g) const {
  auto n = [](std::size_t size) { return std::vector<hsize_t>{size}; };
  auto vec = [](auto span) {
    return std::vector<typename decltype(span)::value_type>(span.begin(), span.end());
  };
  const std::size_t nc = citizens_.size(), nk = cops_.size();
  g.write("citizen_id", vec(citizens_.ids()), n(nc));
  g.write("arrest_x", vec(citizens_[arrest_x_]), n(nc));
  g.write("arrest_y", vec(citizens_[arrest_y_]), n(nc));
  g.write("hardship", vec(citizens_[hardship_]), n(nc));
  g.write("risk_aversion", vec(citizens_[risk_aversion_]), n(nc));
  g.write("state", vec(citizens_[state_]), n(nc));
  g.write("jail_left", vec(citizens_[jail_left_]), n(nc));
  g.write("cop_id", vec(cops_.ids()), n(nk));
  g.write("occupant", occupant_, n(occupant_.size()));
  g.set_attr("citizen_next_id", static_cast<std::int64_t>(citizens_.next_id()));
  g.set_attr("cop_next_id", static_cast<std::int64_t>(cops_.next_id()));
  g.set_attr("arrests_total", arrests_total_);
  g.set_attr("released", released_);
  g.set_attr("active_count", active_count_);
  g.set_attr("jailed_count", jailed_count_);
  g.set_attr("peak_active", peak_active_);
  g.set_attr("sum_active", sum_active_);
  g.set_attr("steps_done", steps_done_);
  g.set_attr("legitimacy", legitimacy_);
}

void World::load_state(const sim::h5::Group& g) {
  auto read = [&](const char* name, auto& out, std::size_t expected) {
    using T = typename std::decay_t<decltype(out)>::value_type;
    const sim::h5::Dataset ds = g.open_dataset(name);
    auto values = ds.read<T>();
    if (values.size() != expected)
      throw sim::InputError(
          fmt::format("{}: error: checkpoint has {} values, this scenario needs {}",
                      ds.location().where(), values.size(), expected));
    std::copy(values.begin(), values.end(), out.begin());
  };
  const std::size_t nc = citizens_.size(), nk = cops_.size();
  std::vector<sim::AgentId> cit_ids(nc), cop_ids(nk);
  read("citizen_id", cit_ids, nc);
  read("cop_id", cop_ids, nk);
  citizens_.restore(cit_ids, static_cast<sim::AgentId>(g.attr_int("citizen_next_id")));
  cops_.restore(cop_ids, static_cast<sim::AgentId>(g.attr_int("cop_next_id")));
  auto arrest_x = citizens_[arrest_x_], arrest_y = citizens_[arrest_y_];
  auto hardship = citizens_[hardship_], risk = citizens_[risk_aversion_];
  auto state = citizens_[state_];
  auto jail = citizens_[jail_left_];
  read("arrest_x", arrest_x, nc);
  read("arrest_y", arrest_y, nc);
  read("hardship", hardship, nc);
  read("risk_aversion", risk, nc);
  read("state", state, nc);
  read("jail_left", jail, nc);
  read("occupant", occupant_, occupant_.size());
  rebuild_cell_kinds();  // kind_ is derived from occupant_ and the states
  arrests_.clear();
  arrests_total_ = g.attr_int("arrests_total");
  released_ = g.attr_int("released");
  active_count_ = g.attr_int("active_count");
  jailed_count_ = g.attr_int("jailed_count");
  peak_active_ = g.attr_int("peak_active");
  sum_active_ = g.attr_double("sum_active");
  steps_done_ = g.attr_int("steps_done");
  legitimacy_ = g.attr_double("legitimacy");
}

std::string World::check_invariants() const {
  // Where agents are is the occupancy raster: each free citizen and each cop
  // must be in exactly one cell, and no jailed citizen in any.
  const auto state = citizens_[state_];
  std::vector<int> seen_citizen(citizens_.size(), 0), seen_cop(cops_.size(), 0);
  for (const std::int32_t who : occupant_) {
    if (who >= 0 && static_cast<std::size_t>(who) < citizens_.size())
      ++seen_citizen[static_cast<std::size_t>(who)];
    if (who <= -2 && static_cast<std::size_t>(-2 - who) < cops_.size())
      ++seen_cop[static_cast<std::size_t>(-2 - who)];
    if (who >= static_cast<std::int64_t>(citizens_.size()) ||
        -2 - std::int64_t{who} >= static_cast<std::int64_t>(cops_.size()))
      return fmt::format("the occupancy raster holds agent {}, which does not exist", who);
  }
  std::size_t on_grid = 0;
  for (std::size_t i = 0; i < citizens_.size(); ++i) {
    const int expected = state[i] == kJailed ? 0 : 1;
    on_grid += static_cast<std::size_t>(expected);
    if (seen_citizen[i] != expected)
      return fmt::format("citizen {} ({}) is in {} cells", i,
                         state[i] == kJailed ? "jailed" : "free", seen_citizen[i]);
  }
  for (std::size_t j = 0; j < cops_.size(); ++j)
    if (seen_cop[j] != 1) return fmt::format("cop {} is in {} cells", j, seen_cop[j]);
  std::size_t occupied = 0;
  // With movement on, every agent on the grid carries the last sweep's mark.
  const std::uint8_t carried = move_mark(steps_done_ - 1);
  for (std::size_t c = 0; c < occupant_.size(); ++c) {
    const std::int32_t who = occupant_[c];
    occupied += who != -1 ? 1 : 0;
    const std::uint8_t expected = who == -1   ? kEmptyCell
                                  : who <= -2 ? kCopCell
                                              : citizen_cell(state[static_cast<std::size_t>(who)]);
    if (kind_of(kind_[c]) != expected || (who == -1 && kind_[c] != kEmptyCell))
      return fmt::format("cell {} has kind {} but holds agent {}", c, int{kind_[c]}, who);
    if (p_.movement && who != -1 && (kind_[c] & kMovedBit) != carried)
      return fmt::format("agent {} in cell {} does not carry the last move sweep's mark", who, c);
  }
  if (occupied != on_grid + cops_.size())
    return fmt::format("{} occupied cells for {} agents on the grid", occupied,
                       on_grid + cops_.size());
  return {};
}

}  // namespace borderland::civil_violence
