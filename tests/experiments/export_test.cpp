// Output other tools read without custom code: `borderland export --csv` gives
// tidy tables, and xarray (h5netcdf engine) opens a run file's groups with
// their coordinates thanks to the dimension scales.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "common/cli.hpp"
#include "sim/h5.hpp"

namespace borderland {

namespace {
namespace fs = std::filesystem;
const std::string kSource = BORDERLAND_SOURCE_DIR;

std::vector<std::string> lines(const fs::path& p) {
  std::vector<std::string> out;
  std::istringstream in(testing::slurp(p));
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}
}  // namespace

TEST(Export, RunFileAsTidyCsv) {
  const auto dir = testing::fresh_dir("export_run");
  ASSERT_EQ(testing::run_cli("run '" + kSource +
                                 "/scenarios/civil_violence.yaml' -q --set end=2000-01-31 -o r.h5",
                             dir)
                .exit_code,
            0);
  const auto r = testing::run_cli("export r.h5 --csv out", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const sim::h5::File f((dir / "r.h5").string(), sim::h5::File::Mode::kReadOnly);
  const sim::h5::Group ts = f.open_group("timeseries");
  std::size_t series = 0;
  for (const auto& n : ts.names())
    if (n != "step" && n != "date" && n != "time") ++series;  // time: the coordinate
  const auto s = lines(dir / "out/series.csv");
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s[0], "date,step,series,label,value,units");
  EXPECT_EQ(s.size(), 1 + 31 * series);  // one row per date x series
  EXPECT_EQ(s[1].rfind("2000-01-01,0,", 0), 0u) << s[1];
  const auto events = lines(dir / "out/events.csv");
  EXPECT_EQ(events.size(), 1 + f.open_dataset("events/step").shape().at(0));
  EXPECT_EQ(events[0], f.open_group("events").attr_string("columns"));
  const auto summary = lines(dir / "out/summary.csv");
  EXPECT_EQ(summary.size(), 1 + f.open_group("summary").names().size());
  EXPECT_EQ(testing::run_cli("export missing.h5 --csv out", dir).exit_code, 2);
}

TEST(Export, SweepSummaryIsOneTableOfRunByMetricWithTheDesign) {
  const auto dir = testing::fresh_dir("export_sweep");
  testing::write_file(dir / "sw.yaml",
                      "base:\n  model: civil_violence\n  seed: 1\n  start: 2000-01-01\n"
                      "  end: 2000-01-10\ndesign: replicas\nreplicas: 3\nseed: 3\n");
  ASSERT_EQ(testing::run_cli("sweep sw.yaml -q -o sw.h5", dir).exit_code, 0);
  const auto r = testing::run_cli("export sw.h5 --csv out -q", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto wide = lines(dir / "out/summary_wide.csv");
  ASSERT_EQ(wide.size(), 4u);  // header + 3 runs
  EXPECT_EQ(wide[0].rfind("run,replicate,seed,status,", 0), 0u) << wide[0];
  EXPECT_EQ(wide[1].rfind("0,0,", 0), 0u) << wide[1];
  const auto design = lines(dir / "out/design.csv");
  EXPECT_EQ(design.size(), 4u);
  const auto series = lines(dir / "out/series.csv");
  EXPECT_EQ(series[0], "run,date,step,series,label,value,units");
}

// A design over named alternatives exports their names, not their indices.
TEST(Export, PolicySetAlternativesAreNamed) {
  const auto dir = testing::fresh_dir("export_policy_set");
  testing::write_file(dir / "sw.yaml",
                      "base:\n  model: civil_violence\n  seed: 1\n  start: 2000-01-01\n"
                      "  end: 2000-01-10\ndesign: factorial\nseed: 3\nparameters:\n  policy_set:\n"
                      "    none: []\n    shift: [{policy: legitimacy_shift, start: 2000-01-05}]\n");
  ASSERT_EQ(testing::run_cli("sweep sw.yaml -q -o sw.h5", dir).exit_code, 0);
  ASSERT_EQ(testing::run_cli("export sw.h5 --csv out -q", dir).exit_code, 0);
  const auto design = lines(dir / "out/design.csv");
  ASSERT_EQ(design.size(), 3u);
  EXPECT_EQ(design[0], "run,replicate,seed,policy_set");
  EXPECT_EQ(design[1].substr(design[1].rfind(',')), ",none") << design[1];
  EXPECT_EQ(design[2].substr(design[2].rfind(',')), ",shift") << design[2];
  const auto wide = lines(dir / "out/summary_wide.csv");
  EXPECT_NE(wide[2].find(",shift,1,"), std::string::npos) << wide[2];
}

TEST(Export, XarrayOpensRunAndSweepFilesWithCoordinates) {
  const std::string probe = "/usr/bin/python3 -c 'import xarray, h5netcdf' 2>/dev/null";
  if (std::system(probe.c_str()) != 0) GTEST_SKIP() << "python3-xarray / python3-h5netcdf missing";
  const auto dir = testing::fresh_dir("export_xarray");
  ASSERT_EQ(testing::run_cli("run '" + kSource +
                                 "/scenarios/civil_violence.yaml' -q --set end=2000-01-31 -o r.h5",
                             dir)
                .exit_code,
            0);
  testing::write_file(dir / "sw.yaml",
                      "base:\n  model: civil_violence\n  seed: 1\n  start: 2000-01-01\n"
                      "  end: 2000-01-10\ndesign: replicas\nreplicas: 4\nseed: 3\n");
  ASSERT_EQ(testing::run_cli("sweep sw.yaml -q -o sw.h5", dir).exit_code, 0);
  ASSERT_EQ(testing::run_cli("sweep sw.yaml -q --shard 0/2 -o a.h5", dir).exit_code, 0);
  ASSERT_EQ(testing::run_cli("sweep sw.yaml -q --shard 1/2 -o b.h5", dir).exit_code, 0);
  ASSERT_EQ(testing::run_cli("merge a.h5 b.h5 -q -o merged.h5", dir).exit_code, 0);
  testing::write_file(dir / "check.py",
                      "import xarray as xr, numpy as np\n"
                      "ts = xr.open_dataset('r.h5', engine='h5netcdf', group='timeseries')\n"
                      "assert ts['time'].dtype.kind == 'M', ts['time'].dtype\n"
                      "assert str(ts['time'].values[0])[:10] == '2000-01-01'\n"
                      "assert ts['active'].dims == ('time',)\n"
                      "assert list(ts['step'].values[:2]) == [0, 1]\n"
                      "sn = xr.open_dataset('r.h5', engine='h5netcdf', group='snapshots')\n"
                      "var = [v for v in sn.data_vars if v != 'date'][0]\n"
                      "assert sn[var].dims == ('time', 'lat', 'lon'), sn[var].dims\n"
                      "assert sn['lat'].attrs['units'] == 'degrees_north'\n"
                      "ev = xr.open_dataset('r.h5', engine='h5netcdf', group='events')\n"
                      "assert 'event' in ev.coords\n"
                      "for f in ('sw.h5', 'merged.h5'):\n"
                      "    sw = xr.open_dataset(f, engine='h5netcdf', group='runs/timeseries')\n"
                      "    assert sw['active'].dims == ('run', 'time'), sw['active'].dims\n"
                      "    assert sw['time'].dtype.kind == 'M'\n"
                      "    su = xr.open_dataset(f, engine='h5netcdf', group='runs/summary')\n"
                      "    assert all(su[v].dims == ('run',) for v in su.data_vars)\n"
                      "    de = xr.open_dataset(f, engine='h5netcdf', group='design')\n"
                      "    assert list(de['run'].values) == [0, 1, 2, 3]\n"
                      "su = xr.open_dataset('r.h5', engine='h5netcdf', group='summary')\n"
                      "assert all(su[v].dims == ('run',) for v in su.data_vars)\n"
                      "print('ok')\n");
  const std::string cmd = "cd '" + dir.string() + "' && /usr/bin/python3 check.py > py.txt 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << testing::slurp(dir / "py.txt");
}

}  // namespace borderland
