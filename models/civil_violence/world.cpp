#include "models/civil_violence/world.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
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

// What a cell holds (World::kind_).
enum CellKind : std::uint8_t { kEmptyCell = 0, kQuietCell = 1, kActiveCell = 2, kCopCell = 3 };
CellKind citizen_cell(std::uint8_t state) {
  return state == kActive ? kActiveCell : kQuietCell;
}
// Window counts are packed in one word, cops in the high half and actives in
// the low half: one sum counts both. A window holds at most 255 x 255 < 2^16
// cells (vision <= 127), so the true count of each half fits and modular
// (unsigned) adds and subtracts of packed words are exact.
constexpr std::uint32_t kCopUnit = std::uint32_t{1} << 16;
constexpr std::uint32_t kPacked[4] = {0, 0, 1, kCopUnit};  // indexed by CellKind
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

  cx_ = citizens_.add_column<std::int32_t>("x");
  cy_ = citizens_.add_column<std::int32_t>("y");
  hardship_ = citizens_.add_column<double>("hardship");
  risk_aversion_ = citizens_.add_column<double>("risk_aversion");
  state_ = citizens_.add_column<std::uint8_t>("state", kQuiet);
  jail_left_ = citizens_.add_column<std::int32_t>("jail_left", 0);
  kx_ = cops_.add_column<std::int32_t>("x");
  ky_ = cops_.add_column<std::int32_t>("y");

  occupant_.assign(cells, -1);
  place_agents();
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
  citizen_claims_ = std::make_unique<std::atomic<std::uint64_t>[]>(citizens_.size());
  for (std::size_t i = 0; i < citizens_.size(); ++i)
    citizen_claims_[i].store(kNoClaim, std::memory_order_relaxed);
  proposal_key_.assign(citizens_.size() + cops_.size(), kNoClaim);
  proposal_target_.assign(citizens_.size() + cops_.size(), kNoTarget);
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
    citizens_[cx_][row] = grid_.x_of(static_cast<std::size_t>(order[i]));
    citizens_[cy_][row] = grid_.y_of(static_cast<std::size_t>(order[i]));
    occupant_[static_cast<std::size_t>(order[i])] = static_cast<std::int32_t>(row);
  }
  for (std::size_t i = n_citizens; i < needed; ++i) {
    const std::size_t row = cops_.spawn();
    cops_[kx_][row] = grid_.x_of(static_cast<std::size_t>(order[i]));
    cops_[ky_][row] = grid_.y_of(static_cast<std::size_t>(order[i]));
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
  kind_.resize(grid_.cells());
  sim::parallel_for(0, grid_.cells(), kGrain, [&](std::size_t c) {
    const std::int32_t who = occupant_[c];
    kind_[c] = who == -1   ? kEmptyCell
               : who <= -2 ? kCopCell
                           : citizen_cell(state[static_cast<std::size_t>(who)]);
  });
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

bool World::propose_empty_cell(sim::RandomDraws& draws, int x, int y, int vision,
                               std::size_t& cell) const {
  // Rejection sampling: uniform over the empty cells in vision, O(1) expected.
  for (int attempt = 0; attempt < p_.move_attempts; ++attempt) {
    int dx = 0, dy = 0;
    if (p_.neighbourhood == Neighbourhood::kCross) {
      const std::uint32_t pick = draws.below(static_cast<std::uint32_t>(4 * vision));
      const int distance = static_cast<int>(pick / 4) + 1;
      switch (pick % 4) {
        case 0:
          dy = distance;
          break;
        case 1:
          dy = -distance;
          break;
        case 2:
          dx = distance;
          break;
        default:
          dx = -distance;
          break;
      }
    } else {
      const auto side = static_cast<std::uint32_t>(2 * vision + 1);
      const std::uint32_t pick = draws.below(side * side - 1);
      const std::uint32_t slot = pick >= (side * side) / 2 ? pick + 1 : pick;  // skip the centre
      dx = static_cast<int>(slot % side) - vision;
      dy = static_cast<int>(slot / side) - vision;
    }
    const std::size_t candidate = wrapped_cell(x + dx, y + dy);
    if (kind_[candidate] == kEmptyCell) {
      cell = candidate;
      return true;
    }
  }
  return false;
}

void World::phase_move(std::int64_t step) {
  const std::size_t n_cit = citizens_.size();
  const std::size_t movers = n_cit + cops_.size();
  auto cx = citizens_[cx_], cy = citizens_[cy_];
  auto kx = cops_[kx_], ky = cops_[ky_];
  const auto state = citizens_[state_];
  const auto cit_ids = citizens_.ids(), cop_ids = cops_.ids();

  // Propose.
  sim::parallel_for(0, movers, kGrain, [&](std::size_t m) {
    proposal_target_[m] = kNoTarget;
    const bool is_cop = m >= n_cit;
    const std::size_t i = is_cop ? m - n_cit : m;
    if (!is_cop && state[i] == kJailed) return;
    const std::uint64_t subject = is_cop ? kCopSubject + cop_ids[i] : cit_ids[i];
    sim::RandomDraws draws(seed_, Stream::kMoveTarget, static_cast<std::uint64_t>(step), subject);
    std::size_t cell = 0;
    const int x = is_cop ? kx[i] : cx[i], y = is_cop ? ky[i] : cy[i];
    if (!propose_empty_cell(draws, x, y, is_cop ? p_.cop_vision : p_.citizen_vision, cell)) return;
    proposal_target_[m] = static_cast<std::int32_t>(cell);
    proposal_key_[m] = make_key(draws.next_u32(), m);  // priority: the next draw of the same stream
    claim(cell_claims_[cell], proposal_key_[m]);
  });
  // Apply: winners move. Targets were empty, so no winner's old cell is anyone's
  // target. The winner also clears its claim: a loser then sees either the
  // winner's key or no claim, never its own, so no separate clearing pass.
  sim::parallel_for(0, movers, kGrain, [&](std::size_t m) {
    if (proposal_target_[m] == kNoTarget) return;
    const auto cell = static_cast<std::size_t>(proposal_target_[m]);
    if (cell_claims_[cell].load(std::memory_order_relaxed) != proposal_key_[m]) return;
    cell_claims_[cell].store(kNoClaim, std::memory_order_relaxed);
    const bool is_cop = m >= n_cit;
    const std::size_t i = is_cop ? m - n_cit : m;
    std::int32_t& x = is_cop ? kx[i] : cx[i];
    std::int32_t& y = is_cop ? ky[i] : cy[i];
    const std::size_t from = grid_.index(x, y);
    occupant_[from] = -1;
    kind_[from] = kEmptyCell;
    occupant_[cell] = is_cop ? -2 - static_cast<std::int32_t>(i) : static_cast<std::int32_t>(i);
    kind_[cell] = is_cop ? kCopCell : citizen_cell(state[i]);
    x = grid_.x_of(cell);
    y = grid_.y_of(cell);
  });
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
  const auto hardship = citizens_[hardship_], risk = citizens_[risk_aversion_];
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
        const std::uint8_t kind = kind_[base + static_cast<std::size_t>(x)];
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
        const double grievance = hardship[i] * one_minus_l;
        const bool active = grievance - risk[i] * arrest_probability > p_.threshold;
        state[i] = active ? kActive : kQuiet;
        kind_[base + static_cast<std::size_t>(x)] = active ? kActiveCell : kQuietCell;
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
    return kind_[wrapped_cell(cx, cy)] == kActiveCell ? 1u : 0u;
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
  if (x - r >= 0 && x + r < nx) {
    for (int dx = -r; dx <= r; ++dx) n += row[x + dx] == kActiveCell ? 1u : 0u;
  } else {
    for (int dx = -r; dx <= r; ++dx) n += row[wrap(x + dx, nx)] == kActiveCell ? 1u : 0u;
  }
  return n;
}

void World::phase_arrest(std::int64_t step) {
  const std::size_t n_cops = cops_.size();
  auto kx = cops_[kx_], ky = cops_[ky_];
  const auto cx = citizens_[cx_], cy = citizens_[cy_];
  auto state = citizens_[state_];
  auto jail_left = citizens_[jail_left_];
  const auto cop_ids = cops_.ids(), cit_ids = citizens_.ids();
  const int v = p_.cop_vision;

  // Propose: each cop counts the actives in its vision (a direct scan of the
  // cell raster: cops are few), then picks the k-th in a fixed scan order
  // (row-major over the square; d = 1..v, north, south, east, west on the cross).
  sim::parallel_for(0, n_cops, kGrain, [&](std::size_t j) {
    proposal_target_[j] = kNoTarget;
    const int x = kx[j], y = ky[j];
    const bool cross = p_.neighbourhood == Neighbourhood::kCross;
    // Square: count row by row, keeping each row's count, so that finding the
    // k-th active below scans one row only. The centre holds the cop itself.
    std::array<std::uint16_t, 255> per_row{};  // 2 * vision + 1 <= 255 rows
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
    sim::RandomDraws draws(seed_, Stream::kArrestChoice, static_cast<std::uint64_t>(step),
                           cop_ids[j]);
    std::uint32_t skip = draws.below(actives);
    std::int32_t found = -1;
    if (cross) {
      auto visit = [&](int dx, int dy) {
        const std::size_t cell = wrapped_cell(x + dx, y + dy);
        if (kind_[cell] == kActiveCell && skip-- == 0) found = occupant_[cell];
        return found >= 0;
      };
      for (int d = 1; d <= v && found < 0; ++d)
        if (visit(0, d) || visit(0, -d) || visit(d, 0) || visit(-d, 0)) break;
    } else {
      // The k-th in row-major order over the window: skip whole rows, then
      // walk the row holding it in memory order.
      std::size_t row = 0;
      while (skip >= per_row[row]) skip -= per_row[row++];
      const std::size_t row_start = wrapped_cell(0, y - v + static_cast<int>(row));
      for (int dx = -v; dx <= v; ++dx) {
        const std::size_t cell = row_start + static_cast<std::size_t>(wrap(x + dx, grid_.nx()));
        if (kind_[cell] == kActiveCell && skip-- == 0) {
          found = occupant_[cell];
          break;
        }
      }
    }
    if (found < 0) return;  // cannot happen: the count said there is one
    sim::RandomDraws priority(seed_, Stream::kArrestPriority, static_cast<std::uint64_t>(step),
                              cop_ids[j]);
    proposal_target_[j] = found;
    proposal_key_[j] = make_key(priority.next_u32(), j);
    claim(citizen_claims_[static_cast<std::size_t>(found)], proposal_key_[j]);
  });

  // Apply in cop order (arrests are few; order fixes the event table's row order).
  // The winner clears its claim, so the losers after it see no match.
  arrests_.clear();
  for (std::size_t j = 0; j < n_cops; ++j) {
    if (proposal_target_[j] == kNoTarget) continue;
    const auto i = static_cast<std::size_t>(proposal_target_[j]);
    if (citizen_claims_[i].load(std::memory_order_relaxed) != proposal_key_[j]) continue;
    citizen_claims_[i].store(kNoClaim, std::memory_order_relaxed);
    sim::RandomDraws term(seed_, Stream::kJailTerm, static_cast<std::uint64_t>(step), cit_ids[i]);
    state[i] = kJailed;
    jail_left[i] =
        static_cast<std::int32_t>(term.below(static_cast<std::uint32_t>(p_.max_jail_term + 1)));
    const std::size_t cell = grid_.index(cx[i], cy[i]);
    const std::size_t from = grid_.index(kx[j], ky[j]);
    occupant_[from] = -1;
    kind_[from] = kEmptyCell;
    occupant_[cell] = -2 - static_cast<std::int32_t>(j);
    kind_[cell] = kCopCell;
    kx[j] = cx[i];
    ky[j] = cy[i];
    arrests_.push_back({static_cast<std::int64_t>(cop_ids[j]),
                        static_cast<std::int64_t>(cit_ids[i]), std::int64_t{cx[i]},
                        std::int64_t{cy[i]}, std::int64_t{jail_left[i]}});
  }
  arrests_total_ += static_cast<std::int64_t>(arrests_.size());
  active_count_ -= static_cast<std::int64_t>(arrests_.size());  // cops arrest actives only
  jailed_count_ += static_cast<std::int64_t>(arrests_.size());
}

void World::phase_jail(std::int64_t step) {
  auto state = citizens_[state_];
  auto jail_left = citizens_[jail_left_];
  auto cx = citizens_[cx_], cy = citizens_[cy_];
  const auto ids = citizens_.ids();
  // Count down; a citizen whose term is over proposes an empty cell near where
  // it was arrested (it stays jailed one more day if none is free).
  sim::parallel_for(0, citizens_.size(), kGrain, [&](std::size_t i) {
    proposal_target_[i] = kNoTarget;
    if (state[i] != kJailed) return;
    if (jail_left[i] > 0) {
      --jail_left[i];
      return;
    }
    sim::RandomDraws draws(seed_, Stream::kRelease, static_cast<std::uint64_t>(step), ids[i]);
    std::size_t cell = 0;
    if (!propose_empty_cell(draws, cx[i], cy[i], p_.citizen_vision, cell)) return;
    proposal_target_[i] = static_cast<std::int32_t>(cell);
    proposal_key_[i] = make_key(draws.next_u32(), i);
    claim(cell_claims_[cell], proposal_key_[i]);
  });
  // Apply; the winner clears its claim (see phase_move).
  released_ = sim::deterministic_sum<std::int64_t>(
      0, citizens_.size(), kGrain, [&](std::size_t i) -> std::int64_t {
        if (proposal_target_[i] == kNoTarget) return 0;
        const auto cell = static_cast<std::size_t>(proposal_target_[i]);
        if (cell_claims_[cell].load(std::memory_order_relaxed) != proposal_key_[i]) return 0;
        cell_claims_[cell].store(kNoClaim, std::memory_order_relaxed);
        occupant_[cell] = static_cast<std::int32_t>(i);
        kind_[cell] = kQuietCell;
        cx[i] = grid_.x_of(cell);
        cy[i] = grid_.y_of(cell);
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
  g.write("citizen_x", vec(citizens_[cx_]), n(nc));
  g.write("citizen_y", vec(citizens_[cy_]), n(nc));
  g.write("hardship", vec(citizens_[hardship_]), n(nc));
  g.write("risk_aversion", vec(citizens_[risk_aversion_]), n(nc));
  g.write("state", vec(citizens_[state_]), n(nc));
  g.write("jail_left", vec(citizens_[jail_left_]), n(nc));
  g.write("cop_id", vec(cops_.ids()), n(nk));
  g.write("cop_x", vec(cops_[kx_]), n(nk));
  g.write("cop_y", vec(cops_[ky_]), n(nk));
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
  auto cx = citizens_[cx_], cy = citizens_[cy_];
  auto hardship = citizens_[hardship_], risk = citizens_[risk_aversion_];
  auto state = citizens_[state_];
  auto jail = citizens_[jail_left_];
  auto kx = cops_[kx_], ky = cops_[ky_];
  read("citizen_x", cx, nc);
  read("citizen_y", cy, nc);
  read("hardship", hardship, nc);
  read("risk_aversion", risk, nc);
  read("state", state, nc);
  read("jail_left", jail, nc);
  read("cop_x", kx, nk);
  read("cop_y", ky, nk);
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
  const auto cx = citizens_[cx_], cy = citizens_[cy_];
  const auto state = citizens_[state_];
  std::size_t on_grid = 0;
  for (std::size_t i = 0; i < citizens_.size(); ++i) {
    if (state[i] == kJailed) continue;
    ++on_grid;
    if (occupant_[grid_.index(cx[i], cy[i])] != static_cast<std::int32_t>(i))
      return fmt::format("citizen {} at ({},{}) not in the occupancy raster", i, cx[i], cy[i]);
  }
  const auto kx = cops_[kx_], ky = cops_[ky_];
  for (std::size_t j = 0; j < cops_.size(); ++j)
    if (occupant_[grid_.index(kx[j], ky[j])] != -2 - static_cast<std::int32_t>(j))
      return fmt::format("cop {} at ({},{}) not in the occupancy raster", j, kx[j], ky[j]);
  std::size_t occupied = 0;
  for (std::size_t c = 0; c < occupant_.size(); ++c) {
    const std::int32_t who = occupant_[c];
    occupied += who != -1 ? 1 : 0;
    const std::uint8_t expected = who == -1   ? kEmptyCell
                                  : who <= -2 ? kCopCell
                                              : citizen_cell(state[static_cast<std::size_t>(who)]);
    if (kind_[c] != expected)
      return fmt::format("cell {} has kind {} but holds agent {}", c, int{kind_[c]}, who);
  }
  if (occupied != on_grid + cops_.size())
    return fmt::format("{} occupied cells for {} agents on the grid", occupied,
                       on_grid + cops_.size());
  return {};
}

}  // namespace borderland::civil_violence
