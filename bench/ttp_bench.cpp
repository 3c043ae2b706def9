// The TTP model: the whole 3-year historical run on the 0.05 deg map (one
// core), and how the cost of a step grows with agents and with cells.
//   build/bench/bench_ttp --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>

#include <filesystem>
#include <string>

#include "models/ttp/afpak_map.hpp"
#include "models/ttp/insurgency_map.hpp"
#include "models/ttp/model.hpp"
#include "models/ttp/world.hpp"
#include "sim/h5.hpp"
#include "sim/scenario.hpp"

namespace {

using borderland::ttp::Model;
using borderland::ttp::Parameters;
using borderland::ttp::World;
namespace sim = borderland::sim;

const Model& model() {
  static const Model m;
  return m;
}

const std::string kMap = std::string(BORDERLAND_SOURCE_DIR) + "/scenarios/maps/afpak_0p05.h5";

sim::Scenario historical(const std::vector<std::string>& overrides = {}) {
  return sim::load_scenario(
      std::string(BORDERLAND_SOURCE_DIR) + "/scenarios/ttp/historical_2020_2023.yaml", overrides,
      {&model().spec()});
}

// The full historical run (1 Jan 2020 - 28 Feb 2023, 1155 days), in memory,
// map already parsed (it is cached per process, as in a sweep).
void BM_TtpHistoricalRun(benchmark::State& state) {
  tbb::task_arena arena(static_cast<int>(state.range(0)));
  const auto scenario = historical();
  std::int64_t attacks = 0;
  for (auto _ : state) {
    arena.execute([&] {
      World world(scenario, Parameters::from(scenario.parameters));
      for (std::int64_t step = 0; step < scenario.steps(); ++step) world.step(step);
      attacks = static_cast<std::int64_t>(world.summary().at("total_attacks"));
    });
  }
  state.counters["days"] = static_cast<double>(scenario.steps());
  state.counters["attacks"] = static_cast<double>(attacks);
}
BENCHMARK(BM_TtpHistoricalRun)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

// Agents: the starting forces times k (k = 1, 2, 4, 8); cost of a day in
// 2022, per militant cell (police posts and army units are fixed by the map).
void BM_TtpStepAgents(benchmark::State& state) {
  const double k = static_cast<double>(state.range(0));
  const auto scenario =
      historical({"parameters.militants.sanctuary_fighters=" + std::to_string(4000 * k),
                  "parameters.militants.pakistan_fighters=" + std::to_string(1000 * k),
                  "parameters.militants.baloch_fighters=" + std::to_string(500 * k)});
  tbb::task_arena arena(1);
  std::unique_ptr<World> world;
  std::int64_t step = 0;
  arena.execute([&] {
    world = std::make_unique<World>(scenario, Parameters::from(scenario.parameters));
    for (; step < 730; ++step) world->step(step);  // to 1 Jan 2022
  });
  for (auto _ : state) {
    arena.execute([&] { world->step(step); });
    if (++step >= scenario.steps()) state.SkipWithError("ran out of days");
  }
  state.counters["cells"] = static_cast<double>(world->cell_count());
  // Seconds of step per militant cell (shown with an SI prefix: 150n = 150 ns).
  state.counters["s_per_cell"] = benchmark::Counter(
      static_cast<double>(world->cell_count()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_TtpStepAgents)
    ->Arg(1)
    ->Arg(2)
    ->Arg(4)
    ->Arg(8)
    ->Unit(benchmark::kMicrosecond)
    ->Iterations(300);

// Map cells: the 0.05 deg map refined f x f (0.025, 0.0125 deg), same forces.
std::string refined_map(int f) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("borderland_bench_afpak_v2_x" + std::to_string(f) + ".h5");
  if (std::filesystem::exists(path)) return path.string();
  const auto src = borderland::ttp::load_afpak_map(kMap);
  const int nx = src.grid.nx() * f, ny = src.grid.ny() * f;
  sim::h5::File out(path.string(), sim::h5::File::Mode::kCreate);
  out.set_attr("format", std::string("borderland-map"));
  out.set_attr("format_version", std::int64_t{1});
  sim::h5::Group map = out.create_group("map");
  map.set_attr("lon0", src.grid.geo().lon0), map.set_attr("lat0", src.grid.geo().lat0);
  map.set_attr("dlon", src.grid.geo().dlon / f), map.set_attr("dlat", src.grid.geo().dlat / f);
  map.set_attr("nx", std::int64_t{nx}), map.set_attr("ny", std::int64_t{ny});
  const std::vector<hsize_t> shape{static_cast<hsize_t>(ny), static_cast<hsize_t>(nx)};
  auto coarse = [&](std::size_t c) {
    return src.grid.index(static_cast<int>(c % nx) / f, static_cast<int>(c / nx) / f);
  };
  for (const auto& spec : borderland::ttp::afpak_map_layers()) {
    const std::size_t n = static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny);
    if (spec.integer) {
      const auto& v = src.grid.layer<std::int32_t>(spec.name).values;
      std::vector<std::int32_t> fine(n);
      for (std::size_t c = 0; c < n; ++c) fine[c] = v[coarse(c)];
      map.write(spec.name, fine, shape, spec.units);
    } else {
      const auto& v = src.grid.layer<float>(spec.name).values;
      const bool per_cell = std::string(spec.name) == "population";
      std::vector<float> fine(n);
      for (std::size_t c = 0; c < n; ++c)
        fine[c] = per_cell ? v[coarse(c)] / static_cast<float>(f * f) : v[coarse(c)];
      map.write(spec.name, fine, shape, spec.units);
    }
  }
  sim::h5::Group pr = map.create_group("provinces");
  std::vector<std::int64_t> id, country, merged;
  std::vector<std::string> name;
  for (const auto& p : src.provinces)
    id.push_back(p.id), country.push_back(p.country), merged.push_back(p.merged_into),
        name.push_back(p.name);
  pr.write("id", id, {id.size()}), pr.write_strings("name", name),
      pr.write("country", country, {id.size()}), pr.write("merged_into", merged, {id.size()});
  sim::h5::Group pl = map.create_group("places");
  std::vector<std::int64_t> pid, pc, pp, ix, iy;
  std::vector<std::string> pn;
  std::vector<double> lon, lat, pop;
  for (const auto& p : src.places) {
    pid.push_back(p.id), pc.push_back(p.country), pp.push_back(p.province), ix.push_back(p.ix * f),
        iy.push_back(p.iy * f);
    pn.push_back(p.name), lon.push_back(p.lon), lat.push_back(p.lat), pop.push_back(p.population);
  }
  const hsize_t np = pid.size();
  pl.write("id", pid, {np}), pl.write_strings("name", pn), pl.write("country", pc, {np}),
      pl.write("province", pp, {np});
  pl.write("lon", lon, {np}), pl.write("lat", lat, {np}), pl.write("population", pop, {np}),
      pl.write("ix", ix, {np}), pl.write("iy", iy, {np});
  sim::h5::Group cr = map.create_group("crossings");
  std::vector<std::int64_t> cid, cx, cy;
  std::vector<std::string> cn;
  std::vector<double> clon, clat;
  for (const auto& x : src.crossings)
    cid.push_back(x.id), cx.push_back(x.ix * f), cy.push_back(x.iy * f), cn.push_back(x.name),
        clon.push_back(x.lon), clat.push_back(x.lat);
  const hsize_t nc = cid.size();
  cr.write("id", cid, {nc}), cr.write_strings("name", cn), cr.write("lon", clon, {nc}),
      cr.write("lat", clat, {nc});
  cr.write("ix", cx, {nc}), cr.write("iy", cy, {nc});
  // The TTP model's own layers and tables (insurgency_map.hpp), refined the same way.
  const auto ins = borderland::ttp::load_insurgency_map(kMap);
  const std::size_t n = static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny);
  auto refine = [&](const auto& v) {
    std::vector<typename std::decay_t<decltype(v)>::value_type> fine(n);
    for (std::size_t c = 0; c < n; ++c) fine[c] = v[coarse(c)];
    return fine;
  };
  map.write("presence_ttp", refine(ins.presence_ttp), shape);
  map.write("presence_baloch", refine(ins.presence_baloch), shape);
  map.write("access_border_hours", refine(ins.access_border_hours), shape);
  map.write("district", refine(ins.district), shape);
  sim::h5::Group ds = map.create_group("districts");
  std::vector<std::int32_t> did(ins.district_names.size());
  for (std::size_t i = 0; i < did.size(); ++i) did[i] = static_cast<std::int32_t>(i);
  ds.write("id", did, {did.size()}), ds.write_strings("name", ins.district_names);
  sim::h5::Group tg = map.create_group("targets");
  std::vector<std::string> kind;
  std::vector<std::int32_t> tx, ty, td;
  for (const auto& t : ins.targets)
    kind.push_back(borderland::ttp::kTargetSiteKindNames[static_cast<std::size_t>(t.kind)]),
        tx.push_back(t.cell % src.grid.nx() * f), ty.push_back(t.cell / src.grid.nx() * f),
        td.push_back(t.district);
  tg.write_strings("kind", kind), tg.write("ix", tx, {tx.size()}), tg.write("iy", ty, {ty.size()}),
      tg.write("district", td, {td.size()});
  sim::h5::Group pi = map.create_group("place_info");
  pi.write("town_population", ins.place_population, {ins.place_population.size()});
  pi.write("police_hq", ins.place_police_hq, {ins.place_police_hq.size()});
  return path.string();
}

void BM_TtpStepCells(benchmark::State& state) {
  const int f = static_cast<int>(state.range(0));
  const auto scenario = historical({"parameters.map=" + refined_map(f),
                                    "parameters.movement.cells_per_day=" + std::to_string(5 * f)});
  tbb::task_arena arena(1);
  std::unique_ptr<World> world;
  std::int64_t step = 0;
  arena.execute([&] {
    world = std::make_unique<World>(scenario, Parameters::from(scenario.parameters));
    for (; step < 730; ++step) world->step(step);
  });
  for (auto _ : state) {
    arena.execute([&] { world->step(step); });
    if (++step >= scenario.steps()) state.SkipWithError("ran out of days");
  }
  state.counters["map_cells"] = static_cast<double>(world->grid().cells());
  state.counters["militant_cells"] = static_cast<double>(world->cell_count());
}
BENCHMARK(BM_TtpStepCells)->Arg(1)->Arg(2)->Arg(4)->Unit(benchmark::kMicrosecond)->Iterations(300);

}  // namespace

BENCHMARK_MAIN();
