// The police posts' columns, checkpoint and checks (police_posts.hpp).
#include "models/ttp/police_posts.hpp"

#include "models/ttp/checkpoint_io.hpp"
#include "models/ttp/parameters.hpp"
#include "models/ttp/state_checker.hpp"

namespace borderland::ttp {

PolicePosts::PolicePosts() : sim::AgentStore("police_post") {
  cell = add_column<std::int32_t>("cell");
  force = add_column<std::int32_t>("force");
  officers = add_column<std::int32_t>("officers");
  present = add_column<std::int32_t>("present");
  alert_step = add_column<std::int32_t>("alert_step", 0);
  hq = add_column<std::uint8_t>("headquarters", 0);
  hardness = add_column<double>("hardness");
  alert = add_column<double>("alertness", 0.0);
}

void PolicePosts::save(sim::h5::Group& checkpoint) const {
  checkpoint::put_store(checkpoint, *this, cell, force, officers, present, alert_step, hq, hardness,
                        alert);
}

// Posts keep their rows: by_tile and hq_rows (built by the constructor) index them.
void PolicePosts::load(const sim::h5::Group& checkpoint) {
  checkpoint::get_store(checkpoint, *this, true, cell, force, officers, present, alert_step, hq,
                        hardness, alert);
}

void PolicePosts::check(const StateChecker& c) const {
  const auto& self = *this;
  const std::string pp = type_name();
  c.ids(self);
  c.index_rows(pp, "cell", self[cell], 0, c.map_cells, c.on_map);
  c.index_rows(pp, "force", self[force], 0, kForces, "a police force");
  c.index_rows(pp, "headquarters", self[hq], 0, 2, "0 or 1");
  c.counts(pp, "officers", self[officers]);
  c.counts(pp, "present", self[present]);
  c.reals(pp, "hardness", self[hardness], 0);
  // Posts lose officers and are reinforced up to what setup gave them, never beyond
  // (post_strength.hpp).
  for (std::size_t q = 0; q < size(); ++q)
    if (self[officers][q] > establishment[q])
      c.fail(pp + "/officers",
             fmt::format("{} row {} has officers {}; expected at most its establishment {}", pp, q,
                         self[officers][q], establishment[q]));
  c.shares(pp, "alertness", self[alert]);  // capped at 1 when raised (world.cpp)
}

}  // namespace borderland::ttp
