// Kill safety (docs/hdf5_layout.md, "Working file"): a run killed with SIGKILL
// at any moment leaves either nothing yet or a NAME.partial that opens and holds
// exactly a prefix of the uninterrupted run's datasets, and `run --restart` from
// it writes the same final file, bit for bit, as the uninterrupted run.
//
// The kill moments are spread over the run's duration (measured once per case);
// the assertions hold for every moment, so where exactly a kill lands does not
// matter. Flushes every few days make kills during an index commit likely.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "common/cli.hpp"
#include "common/h5_digest.hpp"
#include "sim/h5.hpp"

namespace borderland {

namespace {
namespace fs = std::filesystem;
const std::string kSource = BORDERLAND_SOURCE_DIR;

// Starts `borderland ARGS...` in `dir` (stdout/stderr to /dev/null).
pid_t spawn(const std::vector<std::string>& args, const fs::path& dir) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0) _exit(127);
    const int null = open("/dev/null", O_RDWR);
    dup2(null, 1);
    dup2(null, 2);
    std::vector<char*> argv{const_cast<char*>(BORDERLAND_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(BORDERLAND_BINARY, argv.data());
    _exit(127);
  }
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Rows of every dataset under the row-wise groups, as values (text decoded).
struct Rows {
  std::vector<double> numbers;
  std::vector<std::string> texts;
  std::vector<hsize_t> shape;
};
std::map<std::string, Rows> row_datasets(const std::string& path) {
  std::map<std::string, Rows> out;
  const sim::h5::File f(path, sim::h5::File::Mode::kReadOnly);
  for (const char* group : {"timeseries", "events", "snapshots"}) {
    if (!f.has(group)) continue;
    const sim::h5::Group g = f.open_group(group);
    for (const auto& name : g.names()) {
      const sim::h5::Dataset d = g.open_dataset(name);
      Rows r;
      r.shape = d.shape();
      if (d.type_class() == H5T_STRING)
        r.texts = d.read_strings();
      else
        r.numbers = d.read<double>();
      out[std::string(group) + "/" + name] = std::move(r);
    }
  }
  return out;
}

// Every dataset of `partial` is the first rows of the same dataset of `whole`.
void expect_prefix(const std::string& partial, const std::map<std::string, Rows>& whole,
                   const std::string& where) {
  const auto part = row_datasets(partial);  // throws (fails the test) when it cannot be read
  for (const auto& [name, rows] : part) {
    if (!whole.count(name)) continue;  // the final file's coordinates (event, lat, lon)
    const Rows& full = whole.at(name);
    ASSERT_FALSE(rows.shape.empty()) << where << name;
    ASSERT_LE(rows.shape[0], full.shape.at(0)) << where << name;
    ASSERT_TRUE(std::equal(rows.numbers.begin(), rows.numbers.end(), full.numbers.begin(),
                           [](double a, double b) { return a == b || (a != a && b != b); }))
        << where << name;
    ASSERT_TRUE(std::equal(rows.texts.begin(), rows.texts.end(), full.texts.begin()))
        << where << name;
  }
  for (const char* needed : {"timeseries/step", "events/step"})
    EXPECT_TRUE(part.count(needed)) << where << needed;
}

void kill_at_many_moments(const std::string& name, const std::vector<std::string>& run_args,
                          int kills) {
  const fs::path dir = testing::fresh_dir("kill_" + name);
  std::vector<std::string> args{"run"};
  args.insert(args.end(), run_args.begin(), run_args.end());
  auto with_output = [&](const std::string& out) {
    auto a = args;
    a.insert(a.end(), {"-q", "-o", out});
    return a;
  };
  const auto t0 = std::chrono::steady_clock::now();
  const int whole_rc = wait_exit(spawn(with_output("whole.h5"), dir));
  const auto duration = std::chrono::steady_clock::now() - t0;
  ASSERT_EQ(whole_rc, 0) << "the uninterrupted run failed";
  const auto whole = row_datasets((dir / "whole.h5").string());
  const auto whole_digest = testing::dataset_digest((dir / "whole.h5").string());

  int with_prefix = 0, restarted = 0;
  for (int k = 0; k < kills; ++k) {
    const std::string out = "killed_" + std::to_string(k) + ".h5";
    const pid_t pid = spawn(with_output(out), dir);
    std::this_thread::sleep_for(duration * (k + 0.5) / kills);
    kill(pid, SIGKILL);
    wait_exit(pid);
    const std::string where = name + " kill " + std::to_string(k) + ": ";
    const fs::path partial = dir / (out + ".partial");
    if (fs::exists(dir / out)) {  // finished before the kill
      EXPECT_TRUE(testing::dataset_digest((dir / out).string()) == whole_digest)
          << where << "finished, but differs from the uninterrupted run";
      continue;
    }
    if (!fs::exists(partial)) continue;  // killed before its first index
    ++with_prefix;
    expect_prefix(partial.string(), whole, where);
    const sim::h5::File f(partial.string(), sim::h5::File::Mode::kReadOnly);
    if (!f.has("checkpoint")) continue;  // killed before the first checkpoint
    const pid_t again = spawn({"run", "--restart", out + ".partial", "-q"}, dir);
    ASSERT_EQ(wait_exit(again), 0) << where << "restart failed";
    ++restarted;
    EXPECT_TRUE(testing::dataset_digest((dir / out).string()) == whole_digest)
        << where << "the restarted run differs from the uninterrupted run";
    EXPECT_FALSE(fs::exists(partial)) << where << "the working file stays after the restart";
  }
  // The moments are spread over the run: most kills land in the middle of it.
  EXPECT_GT(with_prefix, 0) << name << ": no kill left a working file to check";
  ::testing::Test::RecordProperty("kills_with_prefix", with_prefix);
  ::testing::Test::RecordProperty("restarted", restarted);
}
}  // namespace

TEST(Kill, CivilViolenceWithSnapshotsAndCheckpointsLeavesAPrefix) {
  kill_at_many_moments("civil_violence",
                       {kSource + "/scenarios/civil_violence.yaml", "--set", "end=2001-12-31",
                        "--set", "output.flush_every=3", "--set", "output.snapshot_every=5",
                        "--checkpoint-every", "20", "--threads", "2"},
                       12);
}

TEST(Kill, TtpWithSnapshotsAndCheckpointsLeavesAPrefix) {
  const std::string scenario = kSource + "/scenarios/ttp/historical_2020_2023.yaml";
  if (!fs::exists(scenario)) GTEST_SKIP() << "no TTP scenario";
  kill_at_many_moments(
      "ttp",
      {scenario, "--set", "end=2020-09-30", "--set", "output.flush_every=7", "--set",
       "output.snapshot_every=30", "--checkpoint-every", "40", "--threads", "2"},
      10);
}

}  // namespace borderland
