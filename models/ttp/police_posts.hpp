#pragma once
// The police posts: the agent store (one row a post), its columns, and what setup derives
// from where the posts stand - the buckets of posts per map tile that attacks and alerts search,
// the headquarters' rows and each post's establishment (the officers setup gave it, which
// reinforcement restores and never exceeds, post_strength.hpp). Posts never come or go
// during a run, so the derived tables stay valid; only the store is checkpointed (its own
// group, "police_post", of the size the scenario builds).
#include <cstdint>
#include <vector>

#include "sim/agents.hpp"
#include "sim/h5.hpp"

namespace borderland::ttp {

struct StateChecker;

struct PolicePosts : sim::AgentStore {
  PolicePosts();  // the columns, in checkpoint order
  sim::Column<std::int32_t> cell, force, officers, present, alert_step;
  sim::Column<std::uint8_t> hq;  // headquarters
  sim::Column<double> hardness, alert;

  // Derived by setup (place_posts), not saved.
  std::vector<std::vector<std::int32_t>> by_tile;  // post rows per tile (Geography::tile)
  std::vector<std::int32_t> hq_rows;               // rows of headquarters posts
  std::vector<std::int32_t> establishment;         // officers setup assigned, by post row

  void save(sim::h5::Group& checkpoint) const;
  void load(const sim::h5::Group& checkpoint);
  // Ids, indices, counts, and officers within their establishment.
  void check(const StateChecker& c) const;
};

}  // namespace borderland::ttp
