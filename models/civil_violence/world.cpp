// The civil violence world: set-up, the schedule of a step, outputs and the
// invariants. The phases are in phases/, the checkpoint in checkpoint.cpp.
#include "models/civil_violence/world.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <string>

#include "models/civil_violence/cells.hpp"
#include "models/civil_violence/memory.hpp"
#include "models/civil_violence/neighbourhood.hpp"
#include "models/civil_violence/streams.hpp"
#include "sim/error.hpp"
#include "sim/parallel.hpp"
#include "sim/philox_batch.hpp"
#include "sim/rng.hpp"

namespace borderland::civil_violence {

World::World(const sim::Scenario& scenario, const Parameters& params)
    : start_(scenario.start),
      p_(params),
      policies_(scenario.policies),
      grid_(params.width, params.height,
            params.boundary == Boundary::kTorus ? sim::Edges::kTorus : sim::Edges::kBounded),
      seed_(scenario.seed),
      torus_(params.boundary == Boundary::kTorus) {
  check_parameters(scenario.source);
  const std::size_t cells = grid_.cells();
  check_memory(scenario.source, p_);  // before the first allocation that grows with the grid
  sim::vector_path();                 // a bad BORDERLAND_VECTOR_PATH stops the run before it starts

  hardship_ = citizens_.add_column<double>("hardship");
  risk_aversion_ = citizens_.add_column<double>("risk_aversion");

  occupant_.assign(cells, -1);
  place_agents();
  citizen_half_ = row_half_widths(p_.neighbourhood, p_.citizen_vision);
  cop_half_ = row_half_widths(p_.neighbourhood, p_.cop_vision);
  if (p_.cop_vision <= 7)
    for (const int w : cop_half_)
      cop_row_masks_.push_back(
          static_cast<std::uint16_t>(((1u << (2 * w + 1)) - 1) << (p_.cop_vision - w)));
  citizen_window_ = make_move_window(citizen_half_);
  cop_window_ = make_move_window(cop_half_);
  wrap_reach_ = std::max(p_.citizen_vision, p_.cop_vision);
  for (int i = -wrap_reach_; i < p_.height + wrap_reach_; ++i)
    wrapped_rows_.push_back(grid_.index(0, wrap(i, p_.height)));
  for (int i = -wrap_reach_; i < p_.width + wrap_reach_; ++i)
    wrapped_columns_.push_back(wrap(i, p_.width));
  build_bands();
  // Undocumented: the plain reference step (see reference_step.cpp).
  const char* step_kind = std::getenv("BORDERLAND_CIVIL_VIOLENCE_STEP");
  reference_step_ = step_kind != nullptr && std::string(step_kind) == "reference";
  build_schedule();
  rebuild_cell_kinds();
  const std::size_t bands = (static_cast<std::size_t>(p_.height) + kBandRows - 1) / kBandRows;
  band_actives_.assign(bands, 0);

  // P = 1 - exp(-k n), n = C / (A + 1) made an integer: n is at most the cops
  // C in a citizen's window, so tabulate.
  const std::size_t max_cops = window_cells(citizen_half_);
  // Never increasing, as exp is in exact arithmetic (quiet_at relies on it).
  exp_table_.resize(max_cops + 1);
  for (std::size_t n = 0; n < exp_table_.size(); ++n)
    exp_table_[n] = std::min(std::exp(-p_.arrest_constant * static_cast<double>(n)),
                             n == 0 ? 1.0 : exp_table_[n - 1]);

  release_queue_.assign(static_cast<std::size_t>(p_.max_jail_term) + 1, {});
  reserve_lists();
  legitimacy_ = p_.legitimacy;
  count_states();
  describe_outputs();
}

void World::check_parameters(const std::string& source) const {
  // InputError for a combination the parameter ranges alone allow but the model cannot run.
  const std::size_t cells = grid_.cells();
  if (p_.citizen_density + p_.cop_density > 1.0)
    throw sim::InputError(
        fmt::format("{}: error: parameters: citizens.density + cops.density = {} leaves no room; "
                    "expected at most 1",
                    source, p_.citizen_density + p_.cop_density));
  if (p_.turn_order == TurnOrder::kActFirst && p_.activation != Activation::kSequential)
    throw sim::InputError(
        fmt::format("{}: error: parameters: turn_order act_first needs activation: sequential (the "
                    "parallel update has its own phases; see the model's README)",
                    source));
  const int smallest_side = std::min(p_.width, p_.height);
  for (int vision : {p_.citizen_vision, p_.cop_vision})
    if (2 * vision + 1 > smallest_side)
      throw sim::InputError(
          fmt::format("{}: error: parameters: vision {} does not fit a {}x{} grid (2*vision+1 "
                      "must be at most {}: on a torus a wider window wraps round onto itself)",
                      source, vision, p_.width, p_.height, smallest_side));
  if (cells >= (std::size_t{1} << 31))
    throw sim::InputError(fmt::format(
        "{}: error: parameters.grid: {} x {} = {} cells is too large; at most 2^31 - 1 = {} cells",
        source, p_.width, p_.height, cells, (std::size_t{1} << 31) - 1));
}

void World::describe_outputs() {
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
  schema_.summary = {
      // the metrics of World::summary()
      {"mean_active", "count", "active citizens, mean over the steps run"},
      {"peak_active", "count", "most citizens active on one step"},
      {"total_arrests", "count", "arrests over the run"},
      {"final_jailed", "count", "citizens in jail at the end"},
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

void World::rebuild_cell_kinds(const std::vector<std::uint8_t>& active) {
  kind_.resize(grid_.cells() + kCellPadding, kEmptyCell);
  // The first padding byte stands for every cell off a bounded grid: never
  // empty, so a probe that lands there finds no room (see EdgeProbe).
  kind_[grid_.cells()] = kOffGridCell;
  // Every agent carries the mark of the last move sweep (none yet: that of
  // sweep -1), so the next sweep gives each one its turn.
  const std::uint8_t carried = move_mark(steps_done_ - 1);
  sim::parallel_for(0, grid_.cells(), kGrain, [&](std::size_t c) {
    const std::int32_t who = occupant_[c];
    if (who == -1) {
      kind_[c] = kEmptyCell;
      return;
    }
    const bool is_active =
        who >= 0 && !active.empty() && active[static_cast<std::size_t>(who)] != 0;
    const CellKind kind = who <= -2 ? kCopCell : is_active ? kActiveCell : kQuietCell;
    kind_[c] = static_cast<std::uint8_t>(kind | carried);
  });
  quiet_at_.assign(grid_.cells(), 0);
  quiet_at_legitimacy_ = -1.0;  // none yet: the next decide phase works them out
}

std::uint8_t World::move_mark(std::int64_t moves_done) const {
  // Alternates from one sweep to the next, so no pass is needed to clear it.
  return (moves_done & 1) != 0 ? 0 : kMovedBit;
}

void World::build_bands() {
  // Bands at least 2 * reach rows tall and an even number of them (one if
  // two do not fit), so that colours alternate all round the torus: two
  // colours, never a third for one odd band (the other threads would wait for
  // it). The layout depends on the grid and the vision only, never on the threads.
  const int reach = std::max(p_.citizen_vision, p_.cop_vision);
  const int ny = grid_.ny();
  int bands = std::max(1, ny / std::max(1, 2 * reach));
  if (bands > 1 && bands % 2 == 1) --bands;
  const int colours = bands == 1 ? 1 : 2;
  bands_.assign(static_cast<std::size_t>(colours), {});
  band_cops_.assign(static_cast<std::size_t>(bands), {});
  band_seizures_.assign(static_cast<std::size_t>(bands), {});
  band_arrests_.assign(static_cast<std::size_t>(bands), {});
  band_rows_.assign(static_cast<std::size_t>(bands), {});
  band_releases_.assign(static_cast<std::size_t>(bands), {});
  band_released_.assign(static_cast<std::size_t>(bands), 0);
  band_of_row_.assign(static_cast<std::size_t>(ny), 0);
  for (int b = 0; b < bands; ++b) {
    const int first = static_cast<int>(std::int64_t{b} * ny / bands);
    const int last = static_cast<int>(std::int64_t{b + 1} * ny / bands);
    const int colour = b % colours;
    bands_[static_cast<std::size_t>(colour)].push_back({first, last, static_cast<std::size_t>(b)});
    for (int y = first; y < last; ++y) band_of_row_[static_cast<std::size_t>(y)] = b;
  }
}

namespace {

// Room for n elements, its memory touched now (resize writes it), none in use.
template <class T>
void reserve_touched(std::vector<T>& list, std::size_t n) {
  list.resize(n);
  list.clear();  // keeps the capacity
}

}  // namespace

void World::reserve_lists() {
  // The lists the arrest and jail phases fill grow with unrest. Growing one in
  // a busy day costs a copy and, for memory fresh from the system, a page
  // fault per 4 KiB: about 10 us each on a virtual machine, more than the
  // day's work on the list. So each gets room for a busy day up front. A day
  // has at most one arrest per cop, and a release day's list holds about one
  // day's arrests, all of them together at most every citizen.
  const std::size_t cops = cops_.size(), bands = band_cops_.size();
  const std::size_t slots = release_queue_.size();
  const std::size_t band_share = 2 * cops / bands;  // twice a band's share of the cops
  for (std::size_t b = 0; b < bands; ++b) {
    reserve_touched(band_cops_[b], band_share);
    reserve_touched(band_seizures_[b], band_share);
    reserve_touched(band_arrests_[b], band_share);
    reserve_touched(band_releases_[b], band_share);
  }
  const std::size_t per_slot = std::min(cops, citizens_.size() / slots);
  for (auto& due : release_queue_) reserve_touched(due, per_slot);
  reserve_touched(release_due_, per_slot);
}

World::MoveWindow World::make_move_window(const std::vector<int>& half) const {
  MoveWindow w;
  const int vision = static_cast<int>(half.size() / 2);
  // The window less its centre, row by row.
  for (int dy = -vision; dy <= vision; ++dy) {
    const int reach = half[static_cast<std::size_t>(dy + vision)];
    for (int dx = -reach; dx <= reach; ++dx) {
      if (dx == 0 && dy == 0) continue;
      w.dx.push_back(dx);
      w.dy.push_back(dy);
    }
  }
  w.slots = static_cast<std::uint32_t>(w.dx.size());
  w.reach = vision;
  for (std::size_t k = 0; k < w.dx.size(); ++k)
    w.offset.push_back(std::ptrdiff_t{w.dy[k]} * grid_.nx() + w.dx[k]);
  w.bits = std::bit_width(w.slots - 1);  // slots >= 4: bits to draw a slot index
  for (std::size_t k = 0; k < (std::size_t{1} << w.bits); ++k) {
    const bool in_window = k < w.offset.size();
    w.padded_offset.push_back(in_window ? static_cast<std::int32_t>(w.offset[k]) : 0);
    w.padded_dx.push_back(in_window ? w.dx[k] : 0);
    w.padded_dy.push_back(in_window ? w.dy[k] : 0);
  }
  // Two batches without a limit to apply: at most 2 * kProbeBatch valid probes.
  w.fast = w.bits * kProbeBatch <= 64 && p_.move_attempts >= 2 * kProbeBatch;
  if (torus_) {
    const int nx = grid_.nx(), ny = grid_.ny(), classes = 2 * vision + 1;
    // The column or row of class c: the first `vision`, the middle, the last `vision`.
    auto at = [&](int c, int n) { return c < vision ? c : c == vision ? vision : n - classes + c; };
    for (int c = 0; c < classes; ++c)
      for (std::size_t k = 0; k < w.padded_offset.size(); ++k) {
        const int x = at(c, nx) + w.padded_dx[k], y = at(c, ny) + w.padded_dy[k];
        w.column_offsets.push_back(w.padded_offset[k] + (wrap(x, nx) - x));
        w.row_wraps.push_back(std::ptrdiff_t{wrap(y, ny) - y} * nx);
        w.row_class_offsets.push_back(
            static_cast<std::int32_t>(w.padded_offset[k] + w.row_wraps.back()));
      }
  }
  return w;
}

void World::build_schedule() {
  schedule_ = {};
  schedule_.add("legitimacy", [this](std::int64_t step) { update_legitimacy(step); });
  if (p_.activation == Activation::kSequential) {
    schedule_.add("activate", [this](std::int64_t step) { phase_sequential(step); });
  } else if (reference_step_) {
    if (p_.movement) schedule_.add("move", [this](std::int64_t step) { reference_move(step); });
    schedule_.add("decide", [this](std::int64_t) { reference_decide(); });
    schedule_.add("arrest", [this](std::int64_t step) { reference_arrest(step); });
  } else {
    if (p_.movement) schedule_.add("move", [this](std::int64_t step) { phase_move(step); });
    schedule_.add("decide", [this](std::int64_t) { phase_decide(); });
    schedule_.add("arrest", [this](std::int64_t step) { phase_arrest(step); });
  }
  schedule_.add("jail", [this](std::int64_t step) {
    if (reference_step_)
      reference_jail(step);
    else
      phase_jail(step);
  });
}

void World::use_reference_step(bool on) {
  reference_step_ = on;
  build_schedule();
}

void World::step(std::int64_t step) {
  schedule_.run_step(step);
  // active_count_ and jailed_count_ are kept up to date by the phases.
  peak_active_ = std::max(peak_active_, active_count_);
  sum_active_ += static_cast<double>(active_count_);
  ++steps_done_;
}

void World::count_states() {
  active_count_ = count_state(kActive);
  jailed_count_ = count_state(kJailed);
}

bool World::ids_are_rows() const {
  for (const sim::AgentStore* store : {&citizens_, &cops_}) {
    const auto ids = store->ids();
    for (std::size_t i = 0; i < ids.size(); ++i)
      if (ids[i] != i) return false;
    if (store->next_id() != ids.size()) return false;
  }
  return true;
}

std::optional<std::size_t> World::cell_at(int x, int y) const {
  if (torus_)
    return static_cast<std::size_t>(wrap(y, grid_.ny())) * static_cast<std::size_t>(grid_.nx()) +
           static_cast<std::size_t>(wrap(x, grid_.nx()));
  if (!grid_.inside(x, y)) return std::nullopt;
  return grid_.index(x, y);
}

std::int64_t World::count_state(CitizenState s) const {
  // The jailed are in the release queue; whether a free citizen is active, in
  // its cell (integer sums in a fixed tree).
  const std::int64_t in_jail = inmates();
  if (s == kJailed) return in_jail;
  const std::int64_t active = sim::deterministic_sum<std::int64_t>(
      0, grid_.cells(), kGrain,
      [&](std::size_t c) -> std::int64_t { return kind_of(kind_[c]) == kActiveCell ? 1 : 0; });
  if (s == kActive) return active;
  return static_cast<std::int64_t>(citizens_.size()) - in_jail - active;
}

void World::record(sim::StepRecord& out) const {
  const std::int64_t active = active_count_;
  const std::int64_t jailed = jailed_count_;
  const auto total = static_cast<std::int64_t>(citizens_.size());
  out.series[0][0] = static_cast<double>(total - active - jailed);
  out.series[1][0] = static_cast<double>(active);
  out.series[2][0] = static_cast<double>(jailed);
  out.series[3][0] = static_cast<double>(arrests_today_);
  out.series[4][0] = legitimacy_;
  out.events.reserve(static_cast<std::size_t>(arrests_today_));
  for (const auto& arrests : band_arrests_)  // band order, north to south
    for (const Arrest& a : arrests)
      out.events.push_back({std::int64_t{a.cop}, std::int64_t{a.citizen}, std::int64_t{a.x},
                            std::int64_t{a.y}, std::int64_t{a.jail_term}});
}

void World::snapshot(const std::string& field, std::vector<double>& out) const {
  out.assign(grid_.cells(), 0.0);
  const auto hardship = citizens_[hardship_];
  const bool want_state = field == "state";
  sim::parallel_for(0, grid_.cells(), kGrain, [&](std::size_t c) {
    const std::int32_t who = occupant_[c];
    if (who <= -2) {
      out[c] = want_state ? 3.0 : 0.0;
    } else if (who >= 0) {
      const auto i = static_cast<std::size_t>(who);
      out[c] = want_state ? (kind_of(kind_[c]) == kActiveCell ? 2.0 : 1.0)
                          : hardship[i] * (1.0 - legitimacy_);
    }
  });
}

std::map<std::string, double> World::summary() const {
  return {{"mean_active", steps_done_ ? sum_active_ / static_cast<double>(steps_done_) : 0.0},
          {"peak_active", static_cast<double>(peak_active_)},
          {"total_arrests", static_cast<double>(arrests_total_)},
          {"final_jailed", static_cast<double>(jailed_count_)}};
}

std::string World::check_invariants() const {
  if (!ids_are_rows()) return "agent ids are not their rows";
  // Each jailed citizen is in the release queue once, arrested on the grid,
  // with the bound of its traits under the legitimacy in force (once worked out).
  std::vector<int> queued(citizens_.size(), 0);
  const auto hardship = citizens_[hardship_], risk = citizens_[risk_aversion_];
  const bool bounds_known = quiet_at_legitimacy_ == legitimacy_;
  for (std::size_t slot = 0; slot < release_queue_.size(); ++slot)
    for (const Inmate& inmate : release_queue_[slot]) {
      const auto row = static_cast<std::size_t>(inmate.citizen);
      if (inmate.citizen < 0 || row >= citizens_.size())
        return fmt::format("release queue slot {} holds citizen {}, which does not exist", slot,
                           inmate.citizen);
      ++queued[row];
      if (inmate.x < 0 || inmate.x >= grid_.nx() || inmate.y < 0 || inmate.y >= grid_.ny())
        return fmt::format("jailed citizen {} was arrested at ({}, {}), off the grid",
                           inmate.citizen, inmate.x, inmate.y);
      if (bounds_known && inmate.quiet_at != quiet_at(hardship[row], risk[row]))
        return fmt::format("jailed citizen {} carries the bound {}, its traits give {}",
                           inmate.citizen, inmate.quiet_at, quiet_at(hardship[row], risk[row]));
    }
  // Where agents are is the occupancy raster: each free citizen and each cop
  // must be in exactly one cell, and no jailed citizen in any.
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
    if (queued[i] > 1)
      return fmt::format("citizen {} is in the release queue {} times", i, queued[i]);
    const int expected = queued[i] != 0 ? 0 : 1;
    on_grid += static_cast<std::size_t>(expected);
    if (seen_citizen[i] != expected)
      return fmt::format("citizen {} ({}) is in {} cells", i, queued[i] != 0 ? "jailed" : "free",
                         seen_citizen[i]);
  }
  for (std::size_t j = 0; j < cops_.size(); ++j)
    if (seen_cop[j] != 1) return fmt::format("cop {} is in {} cells", j, seen_cop[j]);
  std::size_t occupied = 0;
  // With movement on, every agent on the grid carries the last sweep's mark.
  const std::uint8_t carried = move_mark(steps_done_ - 1);
  for (std::size_t c = 0; c < occupant_.size(); ++c) {
    const std::int32_t who = occupant_[c];
    occupied += who != -1 ? 1 : 0;
    const CellKind kind = kind_of(kind_[c]);
    const bool agrees = who == -1   ? kind_[c] == kEmptyCell
                        : who <= -2 ? kind == kCopCell
                                    : kind == kQuietCell || kind == kActiveCell;
    if (!agrees)
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
