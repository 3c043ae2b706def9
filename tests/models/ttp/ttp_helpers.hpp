#pragma once
// Runs the TTP model in-process for tests, on the committed 0.05 deg map.
#include <filesystem>

#include <unistd.h>
#include <string>
#include <vector>

#include "models/ttp/model.hpp"
#include "models/ttp/world.hpp"
#include "sim/run.hpp"
#include "sim/scenario.hpp"

namespace borderland::ttp::testing {

inline const Model& model() {
  static const Model m;
  return m;
}

inline std::string source(const std::string& relative) {
  return std::string(BORDERLAND_SOURCE_DIR) + "/" + relative;
}

inline sim::Scenario scenario_from_file(const std::string& relative,
                                        const std::vector<std::string>& overrides = {}) {
  return sim::load_scenario(source(relative), overrides, {&model().spec()});
}

// A scenario from YAML text: the map is given by absolute path, so the text
// can live anywhere. `body` holds policies and events (may be empty).
inline sim::Scenario scenario_from_text(const std::string& start, const std::string& end,
                                        const std::string& body,
                                        const std::vector<std::string>& overrides = {}) {
  const std::string text = "model: ttp\nseed: 1\nstart: " + start + "\nend: " + end +
                           "\noutput: {snapshot_every: 0}\nparameters:\n  map: " +
                           source("scenarios/maps/afpak_0p05.h5") + "\n" + body;
  return sim::parse_scenario(text, source("tests/models/ttp/inline.yaml"), overrides,
                             {&model().spec()});
}

// Every series of a run, keyed by name (width values per day, row-major).
struct Series {
  std::vector<std::vector<double>> values;
  std::vector<sim::SeriesSpec> specs;
  std::map<std::string, double> summary;
  const std::vector<double>& operator[](const std::string& name) const {
    for (std::size_t i = 0; i < specs.size(); ++i)
      if (specs[i].name == name) return values[i];
    throw std::out_of_range(name);
  }
  std::size_t width(const std::string& name) const {
    for (const auto& s : specs)
      if (s.name == name) return s.width();
    throw std::out_of_range(name);
  }
};

inline Series run(const sim::Scenario& s, int threads = 1, const std::string& output = "") {
  sim::RunOptions options;
  options.threads = threads;
  options.keep_series = true;
  options.output_path = output;
  sim::RunResult r = sim::run_scenario(model(), s, options);
  Series out;
  out.values = std::move(r.series);
  out.summary = std::move(r.summary);
  out.specs = model().create(s)->schema().series;
  return out;
}

inline double sum(const std::vector<double>& v, std::size_t from = 0, std::size_t to = SIZE_MAX) {
  double s = 0;
  for (std::size_t i = from; i < std::min(to, v.size()); ++i) s += v[i];
  return s;
}

inline std::filesystem::path fresh_dir(const std::string& name) {
  // One folder per process: test binaries of several checkouts may run at once on one machine.
  const auto dir = std::filesystem::temp_directory_path() /
                   ("borderland_ttp_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace borderland::ttp::testing
