#pragma once
// The state of one civil violence run and its phases.
//
// One step (one day) runs four phases, each parallel and each ending at a
// sync point:
//   move    a sweep over the grid in bands of rows: each free agent in turn
//           moves to a random empty cell in vision, seeing the moves made
//           before it (sequential activation, as in Epstein); bands of one
//           colour are far enough apart to run in parallel (see README)
//   decide  citizens turn active or quiet from counts in vision taken at the
//           start of the phase (synchronous update, see README)
//   arrest  a sweep like the move: each cop in turn picks one active citizen
//           in vision, jails it and takes its cell
//   jail    a sweep like the move over the citizens due for release: each in
//           turn reappears in a random empty cell near its arrest
// Every random draw is keyed by (seed, stream, step, agent id or cell), the band
// layout is fixed by the grid and the vision (never by the thread count), and
// every conflict is settled by a key that does not depend on thread timing, so
// the run is bit-identical for any thread count.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "models/civil_violence/parameters.hpp"
#include "models/civil_violence/streams.hpp"
#include "sim/agents.hpp"
#include "sim/grid.hpp"
#include "sim/model.hpp"
#include "sim/policy_timeline.hpp"
#include "sim/rng.hpp"
#include "sim/schedule.hpp"

namespace borderland::civil_violence {

enum CitizenState : std::uint8_t { kQuiet = 0, kActive = 1, kJailed = 2 };

class World final : public sim::Simulation {
 public:
  World(const sim::Scenario& scenario, const Parameters& params);

  const sim::Grid& grid() const override { return grid_; }
  const sim::OutputSchema& schema() const override { return schema_; }
  void step(std::int64_t step) override;
  void record(sim::StepRecord& out) const override;
  void snapshot(const std::string& field, std::vector<double>& out) const override;
  std::map<std::string, double> summary() const override;
  void save_state(sim::h5::Group& group) const override;
  void load_state(const sim::h5::Group& group) override;
  // InputError unless the loaded occupancy and draws are consistent (checkpoint.cpp).
  void check_loaded_agents(const sim::h5::Group& g, std::span<const double> hardship,
                           std::span<const double> risk,
                           const std::vector<std::uint8_t>& state) const;
  // InputError unless the loaded running counts agree with the loaded rows.
  void check_loaded_counts(const sim::h5::Group& g) const;

  // For tests and benchmarks.
  std::size_t citizen_count() const { return citizens_.size(); }
  std::size_t cop_count() const { return cops_.size(); }
  std::int64_t count_state(CitizenState s) const;
  double legitimacy() const { return legitimacy_; }
  const std::vector<std::int32_t>& occupancy() const { return occupant_; }
  // Checks the invariants (one agent per cell, positions agree with the
  // occupancy raster, the cell-kind raster agrees with both); returns an empty
  // string when all hold.
  std::string check_invariants() const;
  // The plain reference step (reference_step.cpp) instead of the fast phases,
  // for tests (also BORDERLAND_CIVIL_VIOLENCE_STEP=reference); parallel
  // activation only.
  void use_reference_step(bool on);
  struct WindowCount {
    std::int64_t cops = 0, actives = 0;
  };
  // For tests: the decide phase's counts of cops and actives in each cell's
  // citizen window, its centre included (row-major), from the current state.
  std::vector<WindowCount> window_counts();
  // The phases with their accumulated wall time (for profiling).
  const sim::Schedule& schedule() const { return schedule_; }

 private:
  // InputError (naming `source`) for parameters the model cannot run with.
  void check_parameters(const std::string& source) const;
  void describe_outputs();  // schema_: the series, events, fields and summary
  void build_schedule();    // the phases of a step, in order
  void place_agents();
  void update_legitimacy(std::int64_t step);
  void phase_move(std::int64_t step);
  void phase_decide();
  void phase_arrest(std::int64_t step);
  struct Band {
    int first_row, last_row;
    std::size_t order;  // position from the top of the grid
  };
  void arrest_in_band(const Band& band, std::int64_t step);
  // An arrest as the arrest phase keeps it (an event row is built only for the
  // output). Rows are ids in this model (see ids_are_rows).
  struct Arrest {
    std::int32_t cop, citizen, x, y, jail_term;
    std::uint16_t quiet_at;  // the citizen's, carried into jail (see Inmate)
  };
  struct CopAt {
    std::size_t cell;
    int x, y;
  };
  // An arrest as the sweep makes it, in the cell raster only: the cop's cell
  // and where it took a citizen.
  struct Seizure {
    std::size_t cop_cell;
    std::int32_t x, y;
  };
  void arrest_near(const CopAt& cop, std::int64_t step,
                   const std::array<std::uint32_t, 4>& first_block, std::vector<Seizure>& seizures);
  // arrest_near for a cop of vision <= 7 whose window does not cross the
  // side edges (rows may wrap round a torus): the window's actives as one
  // bitmap, from one 16-cell read a row.
  void arrest_near_inside(const CopAt& cop, std::int64_t step,
                          const std::array<std::uint32_t, 4>& first_block,
                          std::vector<Seizure>& seizures);
  // The cop in `cop` takes the citizen in (found_x, found_y): in the cell
  // raster now, for the cops after it; in the occupancy raster once the
  // band's sweep is done (seizures).
  void seize(const CopAt& cop, int found_x, int found_y, std::vector<Seizure>& seizures);
  // Actives in the window with these row half widths (see neighbourhood.hpp)
  // around (x, y); per_row gets each row's count.
  std::uint32_t actives_in_window(int x, int y, const std::vector<int>& half,
                                  std::uint16_t* per_row) const;
  // A citizen in jail, with all its release needs: the citizen's row, where it
  // was arrested (it reappears near there) and its quiet_at bound under the
  // legitimacy in force (kept so by refresh_quiet_at). Neither the arrest nor
  // the release then touches the citizen's row, a scattered load or store each.
  struct Inmate {
    std::int32_t citizen, x, y;
    std::uint16_t quiet_at;
  };
  void phase_jail(std::int64_t step);
  void release_in_band(const Band& band, std::int64_t step, std::uint8_t mark);
  void queue_release(const Inmate& inmate, std::int64_t day);
  std::int64_t inmates() const;  // citizens in jail, from the release queue
  // Each citizen's row is its id: citizens and cops are created once, in row
  // order, and never removed. The phases rely on it (no id loads).
  bool ids_are_rows() const;
  // load_state's parts (checkpoint.cpp), each an InputError where the checkpoint is bad.
  struct SavedCitizens {  // the citizens' saved rows that are not store columns
    explicit SavedCitizens(std::size_t n)
        : state(n), jail_left(n), arrest_x(n), arrest_y(n), jail_order(n) {}
    std::vector<std::uint8_t> state;
    std::vector<std::int32_t> jail_left, arrest_x, arrest_y, jail_order;  // see save_state
  };
  void restore_agent_ids(const sim::h5::Group& g);           // the stores' ids, which are rows
  SavedCitizens read_citizen_rows(const sim::h5::Group& g);  // also the draws, occupant_
  void restore_steps_done(const sim::h5::Group& g);          // within kMaxStepsDone
  // The rows of the jailed, in row order, and `active` marked, once every row is valid.
  std::vector<std::size_t> check_citizen_rows(const sim::h5::Group& g, const SavedCitizens& saved,
                                              std::vector<std::uint8_t>& active) const;
  // The jailed into release_queue_, by release day and place in the day's list.
  void queue_jailed(const SavedCitizens& saved, std::vector<std::size_t> jailed);
  void restore_counters(const sim::h5::Group& g);  // the running counters as saved
  void count_states();  // recomputes active_count_ and jailed_count_ from the cells and rows

  // kind_ from occupant_ and, for citizens, `active` (one flag per row, empty:
  // all quiet); quiet_at_ is then worked out at the next decide phase.
  void rebuild_cell_kinds(const std::vector<std::uint8_t>& active = {});
  std::uint16_t quiet_at(double hardship, double risk_aversion) const;
  void refresh_quiet_at();  // quiet_at_ for the legitimacy in force, when it changed
  // Decide-phase scratch for window counts packed in a Count (see Packing in
  // decide.cpp): per-row sums or prefix sums, cell values, the diagonal runs
  // (von_neumann), and two rows per band of rows (a running column sum and
  // the window counts).
  template <class Count>
  struct DecideScratch {
    std::vector<Count> rows, cells, band, left, right;
  };
  // The packed window counts of every citizen's window, row by row, to
  // row_done(y, counts) (decide.cpp).
  template <class Count, class Row>
  void count_windows(DecideScratch<Count>& scratch, const Row& row_done);
  // The cell (x, y), at most one grid size outside: wrapped on a torus, none
  // off a bounded grid.
  std::optional<std::size_t> cell_at(int x, int y) const;
  // Whether the window of reach r around (x, y) lies inside the grid (no wrapping).
  bool window_inside(int x, int y, int r) const {
    return x >= r && x < grid_.nx() - r && y >= r && y < grid_.ny() - r;
  }
  // Whether a window row of half width w around column x is read sixteen
  // cells at once (no wrapping, at most 16 wide); then active_row_bits gives it.
  bool row_fits_sixteen(int x, int w) const {
    return x >= w && x < grid_.nx() - w && 2 * w + 1 <= 16;
  }
  std::uint32_t active_row_bits(int x, int y, int w) const;
  // The cells an agent with a given vision can move to, as offsets from its
  // own cell, indexed by a uniform draw on [0, slots).
  struct MoveWindow {
    std::vector<std::int32_t> dx, dy;
    std::vector<std::ptrdiff_t> offset;  // dy * nx + dx, for cells away from the edges
    // offset, dx and dy, then 0 up to 2^bits entries: any draw of `bits` bits
    // reads a cell (past the window, the centre)
    std::vector<std::int32_t> padded_offset, padded_dx, padded_dy;
    bool fast = false;  // a batch of probes is one 64-bit draw; two fit the attempts
    int reach = 0;      // the vision: largest |dx| and |dy|
    std::uint32_t slots = 0;
    int bits = 0;  // bits of a draw that covers [0, slots)
    // On a torus, for the 2 reach + 1 classes of column (x < reach: x; the
    // middle: reach; x >= nx - reach: x - nx + 2 reach + 1), 2^bits entries
    // each: padded_offset with the wrap round the side edges added for an
    // agent in such a column (column_offsets); and for the same classes of
    // row, the wrap round the top and bottom alone (row_wraps). A probe near
    // an edge is then one or two table reads, like one inside.
    std::vector<std::ptrdiff_t> column_offsets, row_wraps;
    // On a torus, for the same classes of row: padded_offset with the row's
    // wrap added, in 32 bits (a cell index fits 31): where the probes of an
    // agent in the middle columns land (the move's precomputed probes).
    std::vector<std::int32_t> row_class_offsets;
  };
  MoveWindow make_move_window(const std::vector<int>& half) const;
  // An empty cell in the window around (x, y), by rule M (rejection sampling);
  // batches_missed: the caller tried the first two batches (window.fast) in
  // this state and neither hit, so they only count as attempts here.
  bool propose_empty_cell(sim::RandomDraws& draws, int x, int y, const MoveWindow& window,
                          std::size_t& cell, bool batches_missed = false) const;
  // The reference's rule M: the same probes as propose_empty_cell, one at a
  // time, at most `attempts` of them (-1: move_attempts).
  bool reference_empty_cell(sim::RandomDraws& draws, int x, int y, const MoveWindow& window,
                            std::size_t& cell, int attempts = -1) const;
  // One batch of probes around (x, y) from one 64-bit draw (window.fast): the
  // first empty cell hit among the chunks below `slots`, or ~0.
  std::size_t probe_batch(const MoveWindow& window, int x, int y, std::uint64_t random,
                          std::uint32_t slots) const;
  struct RowVisit {
    int y;
    bool backward;
  };
  void order_rows(const Band& band, Stream stream, std::int64_t step,
                  std::vector<RowVisit>& rows) const;
  struct BandSweep;  // one band's sweep, its state and stages (move.cpp)
  void sweep_band(const Band& band, std::int64_t step, std::uint8_t mark);
  // The sweep's general path for the agent at (x, y), whose fast batches (if
  // its window has them) missed: propose_empty_cell goes on from there.
  void move_agent(int x, int y, std::int64_t step, std::uint8_t mark,
                  const std::array<std::uint32_t, 4>& first_block);
  // The reference step (reference_step.cpp).
  void reference_move(std::int64_t step);
  void reference_decide();
  void reference_arrest(std::int64_t step);
  void reference_jail(std::int64_t step);
  // Cops and active citizens in the window (rows of these half widths) around
  // (x, y), its centre left out, counted in `cells`.
  WindowCount reference_count(const std::vector<std::uint8_t>& cells, int x, int y,
                              const std::vector<int>& half) const;
  // n of P = 1 - exp(-k n) for C cops and A other actives (floor or round).
  std::int64_t arrest_ratio(std::int64_t cops, std::int64_t actives) const;
  // Epstein's rule for the citizen in this row, evaluated as written.
  bool rebels(std::size_t citizen, std::int64_t n) const;
  // The cell of the skip-th active citizen in the cop's window around (x, y),
  // row by row (the order of the fast arrest).
  std::size_t nth_active(int x, int y, std::uint32_t skip) const;
  // The cop in `cop` jails the citizen in `found` for `days` and takes its
  // cell (take_cell) or leaves it empty.
  void jail_at(std::size_t cop, std::size_t found, std::int32_t days, std::vector<Arrest>& arrests,
               bool take_cell = true);
  // Sentences are uniform on 0 .. Jmax days.
  std::uint32_t sentences() const { return static_cast<std::uint32_t>(p_.max_jail_term + 1); }
  // The sequential activation (phases/sequential.cpp).
  void phase_sequential(std::int64_t step);
  // Today's arrests (band_arrests_) into the release queue and the counters.
  void queue_arrests(std::int64_t step);
  void build_bands();
  void reserve_lists();  // room for a busy day in the phases' lists, touched up front
  std::uint8_t move_mark(std::int64_t moves_done) const;

  sim::Date start_;  // date of step 0
  Parameters p_;
  sim::PolicyTimeline policies_;
  sim::Grid grid_;
  sim::OutputSchema schema_;
  sim::Schedule schedule_;

  sim::AgentStore citizens_{"citizen"};
  // Where a free agent is lives in the occupancy raster only (occupant_): a
  // move then writes two cells and nothing else. Whether a free citizen is
  // active lives in its cell's byte (kind_) only: the decide phase then writes
  // the cell raster and nothing else. A jailed citizen is an entry of the
  // release queue (Inmate). The rows hold the traits.
  sim::Column<double> hardship_, risk_aversion_;

  sim::AgentStore cops_{"cop"};

  // occupant_[cell]: -1 empty, i >= 0 citizen row i, -2 - j cop row j.
  std::vector<std::int32_t> occupant_;
  // kind_[cell]: what the cell holds, one byte (see CellKind in world.cpp). The
  // move probes, window counts and arrest scans read this compact raster; every
  // phase that moves an agent or changes a citizen's state keeps it up to date.
  std::vector<std::uint8_t> kind_;
  // quiet_at_[cell]: for the citizen in the cell, the smallest n =
  // floor(C / (A + 1)) at which it stays quiet under the legitimacy in force
  // (see quiet_at). Moved with the citizen, so the decide phase reads two bytes
  // in cell order instead of its traits from the citizens' rows; the columns
  // hardship_ and risk_aversion_ stay the record. quiet_at_legitimacy_ is the
  // legitimacy they were worked out for.
  std::vector<std::uint16_t> quiet_at_;
  double quiet_at_legitimacy_ = -1.0;
  // The shapes of vision, row by row (see neighbourhood.hpp).
  std::vector<int> citizen_half_, cop_half_;
  // For a cop window of at most 16 columns (vision <= 7): row k's cells as
  // bits of a 16-cell read from the window's left edge, bit i the column
  // x - vision + i (see arrest_near_inside).
  std::vector<std::uint16_t> cop_row_masks_;
  // Decide-phase scratch, allocated at the first decide: 16-bit packing for
  // windows of at most 255 cells, 32-bit otherwise (see Packing).
  DecideScratch<std::uint16_t> decide16_;
  DecideScratch<std::uint32_t> decide32_;
  std::vector<std::uint8_t> bounded_kinds_;  // a bounded grid's cells, padded (count_windows)
  std::vector<std::int64_t> band_actives_;
  std::vector<double> exp_table_;  // exp(-k n) for the integer n a window can give

  // Move and arrest sweeps: bands of rows grouped by colour. Two bands of one
  // colour are at least 2 * vision rows apart, so their agents never reach the
  // same cell and the bands of a colour can be swept in parallel.
  std::vector<std::vector<Band>> bands_;
  std::vector<std::vector<CopAt>> band_cops_;        // per band: its cops
  std::vector<std::vector<RowVisit>> band_rows_;     // per band: the day's row order
  std::vector<std::vector<Seizure>> band_seizures_;  // per band: this step's, as made
  std::vector<std::vector<Arrest>> band_arrests_;    // per band: this step's arrests
  MoveWindow citizen_window_, cop_window_;
  // On a torus, for i = -reach .. n + reach - 1 at entry i + reach: the start
  // of row wrap(i) and the column wrap(i) (reach: the larger vision), so an
  // edge probe wraps by two look-ups (move.cpp, TorusEdgeProbe).
  std::vector<std::size_t> wrapped_rows_;
  std::vector<std::int32_t> wrapped_columns_;
  int wrap_reach_ = 0;

  // Jail: release_queue_[d % its size] lists the inmates whose release is due
  // on day d (a sentence is at most max_jail_term days, so the queue wraps), in
  // the order they were jailed. The jail phase takes today's list apart by the
  // band of each arrest (band_of_row_) into band_releases_, each band's in order.
  std::vector<std::vector<Inmate>> release_queue_;
  std::vector<Inmate> release_due_;  // today's, taken out of the queue
  std::vector<std::int32_t> band_of_row_;
  std::vector<std::vector<Inmate>> band_releases_;  // per band: due today; then those still in
  std::vector<std::int64_t> band_released_;         // per band: released today

  double legitimacy_ = 0.0;
  std::uint64_t seed_ = 0;
  bool torus_ = true;  // the grid's edges wrap (else bounded: windows clipped)
  bool reference_step_ = false;
  // What happened in the last step.
  std::int64_t arrests_today_ = 0;  // their rows: band_arrests_, band by band
  std::int64_t arrests_total_ = 0;
  std::int64_t released_ = 0;
  std::int64_t active_count_ = 0;
  std::int64_t jailed_count_ = 0;
  // Running summaries.
  std::int64_t peak_active_ = 0;
  double sum_active_ = 0.0;
  std::int64_t steps_done_ = 0;
};

}  // namespace borderland::civil_violence
