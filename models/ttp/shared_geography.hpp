#pragma once
// The part of a run's set-up that is the same for every run with the same map and the same
// values of the few parameters it reads: the Geography (setup.cpp, derive_geography) and the
// rest levels of grievance and support. A sweep's runs derive it once and copy it: deriving
// it (exp, log10 and the destination weights over every cell) cost ~45M instructions a run
// of the historical scenario, a copy ~1M. Shared read-only between threads.
#include <cstddef>
#include <memory>
#include <vector>

#include "models/ttp/afpak_map.hpp"
#include "models/ttp/geography.hpp"
#include "models/ttp/parameters.hpp"

namespace borderland::ttp {

struct SharedGeography {
  std::shared_ptr<const AfPakMap> map;  // keeps the layers geo points into alive
  Geography geo;
  std::vector<float> g_rest, s_rest;  // PopulationFields' rest levels
  double g_rest_pop_mean = 0, s_rest_pop_mean = 0;
};

// What SharedGeography depends on besides the map: the value of every parameter that
// World::derive_geography and the functions it calls read, in a fixed order. A parameter
// they come to read must be added here, or runs that differ in it would share one table
// (tests/models/ttp/shared_geography_test.cpp varies each of them).
std::vector<double> geography_inputs(const Parameters& p);

// The set-up derived for this map and these inputs by an earlier run of the process, or null.
std::shared_ptr<const SharedGeography> find_geography(const AfPakMap* map,
                                                      const std::vector<double>& inputs);
// Keeps a run's set-up for later runs (the most recent few: a sweep varying these
// parameters keeps the memory of a few, not of every run).
void keep_geography(std::vector<double> inputs, std::shared_ptr<const SharedGeography> shared);
// Forgets every kept set-up: for tests, to run as a process's first run would.
void forget_geographies();

}  // namespace borderland::ttp
