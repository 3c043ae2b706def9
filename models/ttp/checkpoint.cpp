// Checkpoints of the TTP model: save_state() writes everything a later step,
// record() or summary() reads, load_state() puts it back into a World built
// from the same scenario, so a restarted run is bit-identical to an unbroken one.
//
// Each part of the state saves and loads itself (its header says what it keeps):
// the agent stores, each a group named after its type (ids, id counter, every
// column, checked against the store's column count so a new column cannot be
// forgotten); the suicide pipeline (its own group); and, as attributes, datasets
// and subgroups of "world", the population fields, the global actors, protests,
// custody, the run's counters and the day reached. Doubles are stored as
// float64, so they are exact. Not saved: the geography and what setup derives
// with it (destinations, rest levels, post buckets: the fixed-size stores are
// checked to keep their size), the intent buffers (rebuilt every step), the
// day's tally (reset at the start of every step; record() has read it before
// the checkpoint) and the policies in force (read again from the scenario's
// timeline for the saved day).
#include "models/ttp/checkpoint_io.hpp"
#include "models/ttp/world.hpp"

namespace borderland::ttp {

void World::save_state(sim::h5::Group& g) const {
  cells_.save(g);
  posts_.save(g);
  army_.save(g);
  sanctuaries_.save(g);
  sim::h5::Group pipeline = g.create_group("suicide_pipeline");
  checkpoint::put(pipeline, "state", suicide_.state());
  sim::h5::Group w = g.create_group("world");
  fields_.save(w);
  actors_.save(w);
  custody_.save(w);
  counts_.save(w);
  checkpoint::put(w, "cur_step_", cur_step_);
  protests_.save(w);  // protests.hpp
}

void World::load_state(const sim::h5::Group& g) {
  cells_.load(g);
  posts_.load(g);
  army_.load(g);
  sanctuaries_.load(g);
  suicide_.restore(
      checkpoint::read_values<double>(g.open_group("suicide_pipeline"), "state",
                                      static_cast<std::ptrdiff_t>(suicide_.state().size())));
  const sim::h5::Group w = g.open_group("world");
  fields_.load(w);
  actors_.load(w);
  custody_.load(w);
  counts_.load(w);
  checkpoint::get(w, "cur_step_", cur_step_);
  protests_.load(w);
  check_loaded_state(g);  // a checkpoint is input (checkpoint_checks.cpp)
  // The policies in force are a function of the date (policies.cpp): read again, not saved.
  pol_ = read_policies(policies_, start_.plus_days(static_cast<int>(cur_step_)), p_);
}

}  // namespace borderland::ttp
