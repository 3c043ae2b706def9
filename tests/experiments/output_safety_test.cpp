// Outputs never destroy a file (issue: device nodes, inputs, other writers'
// working files) and a full disk is a clean run failure (exit 1, the file and
// the cause named, nothing under the final name, an older result untouched).
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "common/cli.hpp"
#include "common/h5_digest.hpp"
#include "sim/h5.hpp"

namespace borderland {

namespace {
namespace fs = std::filesystem;
const std::string kSource = BORDERLAND_SOURCE_DIR;
const std::string kScenario =
    "model: civil_violence\nseed: 1\nstart: 2000-01-01\nend: 2000-01-20\n";

void expect_refused(const testing::CliResult& r, const std::string& text, const std::string& what) {
  EXPECT_EQ(r.exit_code, 2) << what << ": " << r.err;
  EXPECT_NE(r.err.find(text), std::string::npos) << what << ": " << r.err;
}

// Runs of a 10x10 grid for 500 days: quick, yet 300 of them need more than 2 MB.
const std::string kSmallGrid =
    "set:\n  output.snapshot_every: 0\n  parameters.grid.width: 10\n"
    "  parameters.grid.height: 10\n  parameters.citizens.vision: 2\n  parameters.cops.vision: 2\n";

std::string bytes_of(const fs::path& p) {
  return testing::slurp(p);
}
}  // namespace

TEST(OutputSafety, DevicesFoldersAndInputsAreNeverReplaced) {
  const auto dir = testing::fresh_dir("output_safety_paths");
  testing::write_file(dir / "s.yaml", kScenario);
  expect_refused(testing::run_cli("run s.yaml -q -o /dev/null", dir),
                 "/dev/null: error: output path is a character device", "device");
  EXPECT_FALSE(fs::is_regular_file("/dev/null"));
  fs::create_directory(dir / "sub");
  expect_refused(testing::run_cli("run s.yaml -q -o sub", dir), "output path is a directory",
                 "folder");
  expect_refused(testing::run_cli("run s.yaml -q -o s.yaml", dir),
                 "s.yaml: error: the output path is an input of this run", "scenario");
  EXPECT_EQ(bytes_of(dir / "s.yaml"), kScenario);
  // Any file that is not a run output: a map asset, a note, a sweep file.
  const std::string map = kSource + "/scenarios/maps/afpak_0p05.h5";
  if (fs::exists(map)) {
    fs::copy_file(map, dir / "map.h5");
    expect_refused(testing::run_cli("run s.yaml -q -o map.h5", dir),
                   "is not a borderland run output (format \"borderland-map\")", "map asset");
  }
  testing::write_file(dir / "notes.txt", "keep me");
  expect_refused(testing::run_cli("run s.yaml -q -o notes.txt", dir), "refusing to replace it",
                 "text file");
  EXPECT_EQ(bytes_of(dir / "notes.txt"), "keep me");
  // A finished run output is replaced, and the command says so.
  ASSERT_EQ(testing::run_cli("run s.yaml -q -o out.h5", dir).exit_code, 0);
  const auto again = testing::run_cli("run s.yaml -o out.h5", dir);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("replaced the previous file"), std::string::npos) << again.err;
  // --restart from a final file onto itself would replace the checkpoint it reads.
  ASSERT_EQ(testing::run_cli("run s.yaml -q --checkpoint-every 5 -o ck.h5", dir).exit_code, 0);
  expect_refused(testing::run_cli("run --restart ck.h5 -q", dir),
                 "the output path is an input of this run", "checkpoint");
}

TEST(OutputSafety, AnotherRunsWorkingFileAndASecondWriterAreRefused) {
  const auto dir = testing::fresh_dir("output_safety_partial");
  testing::write_file(dir / "s.yaml", kScenario);
  testing::write_file(dir / "out.h5.partial", "an interrupted run");
  expect_refused(testing::run_cli("run s.yaml -q -o out.h5", dir),
                 "out.h5.partial: error: the working file of an interrupted run is here",
                 "stale partial");
  EXPECT_EQ(bytes_of(dir / "out.h5.partial"), "an interrupted run");
  // A live writer holds the lock: a second one is refused, the first is unharmed.
  const std::string slow = kSource + "/scenarios/civil_violence.yaml";
  const std::string cmd = "run '" + slow + "' -q --set end=2003-12-31 -o busy.h5";
  const std::string background = "cd '" + dir.string() + "' && ('" + BORDERLAND_BINARY + "' " +
                                 cmd + " > first.txt 2>&1; echo $? > first_rc.txt) &";
  ASSERT_EQ(std::system(background.c_str()), 0);
  for (int i = 0; i < 200 && !fs::exists(dir / "busy.h5.partial"); ++i) usleep(20000);
  ASSERT_TRUE(fs::exists(dir / "busy.h5.partial"));
  expect_refused(testing::run_cli("run s.yaml -q -o busy.h5", dir),
                 "another borderland process is writing this output", "second writer");
  for (int i = 0; i < 1500 && !fs::exists(dir / "first_rc.txt"); ++i) usleep(20000);
  EXPECT_EQ(bytes_of(dir / "first_rc.txt"), "0\n") << bytes_of(dir / "first.txt");
  EXPECT_TRUE(fs::exists(dir / "busy.h5"));
  EXPECT_FALSE(fs::exists(dir / "busy.h5.partial"));
}

TEST(OutputSafety, MergeWithMissingRunsWritesNothingUnderTheFinalName) {
  const auto dir = testing::fresh_dir("output_safety_merge");
  const std::string sweep = "base:\n" + std::string("  model: civil_violence\n  seed: 1\n") +
                            "  start: 2000-01-01\n  end: 2000-01-10\n" +
                            "design: replicas\nreplicas: 4\nseed: 3\n";
  testing::write_file(dir / "sw.yaml", sweep);
  ASSERT_EQ(testing::run_cli("sweep sw.yaml -q --shard 0/2 -o a.h5", dir).exit_code, 0);
  ASSERT_EQ(testing::run_cli("sweep sw.yaml -q --shard 1/2 -o b.h5", dir).exit_code, 0);
  ASSERT_EQ(testing::run_cli("merge a.h5 b.h5 -q -o all.h5", dir).exit_code, 0);
  const auto good = testing::dataset_digest((dir / "all.h5").string());
  const auto partial = testing::run_cli("merge a.h5 -q -o all.h5", dir);
  EXPECT_EQ(partial.exit_code, 1) << partial.err;
  EXPECT_NE(partial.err.find("nothing written to all.h5"), std::string::npos) << partial.err;
  EXPECT_TRUE(testing::dataset_digest((dir / "all.h5").string()) == good);
  EXPECT_TRUE(fs::exists(dir / "all.h5.partial"));
  expect_refused(testing::run_cli("merge a.h5 b.h5 -q -o a.h5", dir),
                 "the output path is an input of this run", "merge onto a shard");
  // As the message advises, merging again with every shard finishes the job: merge replaces the
  // working file it left, and the result is the complete merge.
  EXPECT_NE(partial.err.find("merge again with every shard"), std::string::npos) << partial.err;
  const auto again = testing::run_cli("merge a.h5 b.h5 -q -o all.h5", dir);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_FALSE(fs::exists(dir / "all.h5.partial"));
  EXPECT_TRUE(testing::dataset_digest((dir / "all.h5").string()) == good);
  // Another working file (a sweep's own, here a shard's bytes) is never removed by merge.
  fs::copy_file(dir / "a.h5", dir / "w.h5.partial");
  expect_refused(testing::run_cli("merge a.h5 b.h5 -q -o w.h5", dir), "a working file is here",
                 "merge onto a sweep's working file");
  EXPECT_TRUE(fs::exists(dir / "w.h5.partial"));
}

// A damaged run status (bytes that are no status) is reported as damage, with
// what to do, for --resume and for merge; never as a run done twice.
TEST(OutputSafety, CorruptRunStatusIsReportedAsCorrupt) {
  const auto dir = testing::fresh_dir("output_safety_status");
  const std::string sweep = "base: " + kSource + "/scenarios/civil_violence.yaml\n" + kSmallGrid +
                            "  end: 2000-01-10\ndesign: replicas\nreplicas: 4\nseed: 3\n";
  testing::write_file(dir / "sw.yaml", sweep);
  ASSERT_EQ(testing::run_cli("sweep sw.yaml -q --shard 0/2 -o a.h5", dir).exit_code, 0);
  ASSERT_EQ(testing::run_cli("sweep sw.yaml -q --shard 1/2 -o b.h5", dir).exit_code, 0);
  ASSERT_EQ(testing::run_cli("merge a.h5 -q -o half.h5", dir).exit_code, 1);  // half.h5.partial
  auto damage = [&](const fs::path& file) {
    sim::h5::File f(file.string(), sim::h5::File::Mode::kReadWrite);
    f.open_dataset("runs/status").write_rows(0, std::vector<std::int8_t>{0, 77, 0, -3});
  };
  damage(dir / "half.h5.partial");
  const auto before = bytes_of(dir / "half.h5.partial");
  const auto resumed = testing::run_cli("sweep sw.yaml -q --resume -o half.h5", dir);
  expect_refused(resumed,
                 "half.h5.partial:/runs/status: error: the run status is corrupt: run 1 has "
                 "status 77",
                 "resume");
  EXPECT_NE(resumed.err.find("delete it"), std::string::npos) << resumed.err;
  EXPECT_EQ(bytes_of(dir / "half.h5.partial"), before);
  damage(dir / "b.h5");
  const auto merged = testing::run_cli("merge a.h5 b.h5 -q -o m.h5", dir);
  expect_refused(merged, "b.h5:/runs/status: error: the run status is corrupt: run 1 has status 77",
                 "merge");
  EXPECT_EQ(merged.err.find("also in"), std::string::npos) << merged.err;
  EXPECT_NE(merged.err.find("run it again"), std::string::npos) << merged.err;
  EXPECT_FALSE(fs::exists(dir / "m.h5"));
  EXPECT_FALSE(fs::exists(dir / "m.h5.partial"));
}

// A 2 MB tmpfs (needs root: CI runs as root; skipped elsewhere).
class DiskFull : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to mount a small tmpfs";
    dir_ = testing::fresh_dir("disk_full");
    full_ = dir_ / "full";
    fs::create_directory(full_);
    if (mount("tmpfs", full_.c_str(), "tmpfs", 0, "size=2m") != 0)
      GTEST_SKIP() << "cannot mount a tmpfs here (container without CAP_SYS_ADMIN?)";
    mounted_ = true;
  }
  void TearDown() override {
    if (mounted_) umount2(full_.c_str(), MNT_DETACH);
  }
  fs::path dir_, full_;
  bool mounted_ = false;
};

TEST_F(DiskFull, RunFailsCleanlyAndKeepsTheOlderResult) {
  const std::string cv = kSource + "/scenarios/civil_violence.yaml";
  const auto small =
      testing::run_cli("run '" + cv + "' -q --set end=2000-01-05 -o full/cv.h5", dir_);
  ASSERT_EQ(small.exit_code, 0) << small.err;
  const auto older = testing::dataset_digest((full_ / "cv.h5").string());
  const std::string big = "run '" + cv +
                          "' -q --set parameters.grid.width=120 --set parameters.grid.height=120 "
                          "--set output.snapshot_every=5 -o full/cv.h5";
  for (const std::string extra : {"", " --checkpoint-every 20"}) {
    const auto r = testing::run_cli(big + extra, dir_);
    EXPECT_EQ(r.exit_code, 1) << extra << r.err;  // not a crash (-1), not success
    EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << extra << r.err;
    EXPECT_NE(r.err.find("full/cv.h5.partial"), std::string::npos) << extra << r.err;
    EXPECT_EQ(r.err.find("wrote"), std::string::npos) << extra << r.err;
    EXPECT_TRUE(testing::dataset_digest((full_ / "cv.h5").string()) == older) << extra;
    fs::remove(full_ / "cv.h5.partial");
    fs::remove_all(full_ / "cv.h5.partial.data");
  }
}

TEST_F(DiskFull, SweepFailsCleanlyAndCanBeRedoneWithRoom) {
  const std::string sweep = "base: " + kSource + "/scenarios/civil_violence.yaml\n" + kSmallGrid +
                            "design: replicas\nreplicas: 300\n" + "seed: 3\n";
  testing::write_file(dir_ / "sw.yaml", sweep);
  // Compressed rows of 300 runs would fit in 2 MB: a disk of 256 KB holds the file's creation
  // and some runs.
  ASSERT_EQ(mount("tmpfs", full_.c_str(), "tmpfs", MS_REMOUNT, "size=256k"), 0);
  const auto r = testing::run_cli("sweep sw.yaml -q --threads 2 -o full/sw.h5", dir_);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(full_ / "sw.h5"));
  // Rows are compressed and allocated as runs finish: the disk fills during the sweep, and
  // the working file (if its creation fit) keeps the runs finished before, for --resume.
  // With room, the same command (or --resume) finishes.
  ASSERT_EQ(mount("tmpfs", full_.c_str(), "tmpfs", MS_REMOUNT, "size=64m"), 0);
  const auto done = testing::run_cli("sweep sw.yaml -q --threads 2 --resume -o full/sw.h5", dir_);
  EXPECT_EQ(done.exit_code, 0) << done.err;
  EXPECT_TRUE(fs::exists(full_ / "sw.h5"));
}

TEST_F(DiskFull, MergeFailsCleanly) {
  const std::string sweep = "base: " + kSource + "/scenarios/civil_violence.yaml\n" + kSmallGrid +
                            "design: replicas\nreplicas: 3000\n" + "seed: 3\n";
  testing::write_file(dir_ / "sw.yaml", sweep);
  ASSERT_EQ(testing::run_cli("sweep sw.yaml -q --threads 2 --shard 0/2 -o a.h5", dir_).exit_code,
            0);
  ASSERT_GT(fs::file_size(dir_ / "a.h5"), 2u << 20) << "the shard must not fit on the 2 MB disk";
  const auto r = testing::run_cli("merge a.h5 -q -o full/m.h5", dir_);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(full_ / "m.h5"));
  EXPECT_FALSE(fs::exists(full_ / "m.h5.partial"));
}

// A sweep's rows are one compressed chunk per run, written as each run ends;
// before writing them the engine checks there is room for them uncompressed.
// On a disk filled to the last byte a half-done sweep's resume stops cleanly
// (exit 1, the file and the cause named), its working file intact; with room
// again the resume finishes and is the sweep done in one go. (A write that
// fails anyway is the fault-injection test's case: tests/faults/.)
TEST_F(DiskFull, SweepRowsAreWrittenOnAFullDisk) {
  ASSERT_EQ(mount("tmpfs", full_.c_str(), "tmpfs", MS_REMOUNT, "size=8m"), 0);
  const std::string sweep = "base: " + kSource + "/scenarios/civil_violence.yaml\n" + kSmallGrid +
                            "design: replicas\nreplicas: 200\n" + "seed: 3\n";
  testing::write_file(dir_ / "sw.yaml", sweep);
  ASSERT_EQ(testing::run_cli("sweep sw.yaml -q --threads 2 -o whole.h5", dir_).exit_code, 0);
  ASSERT_EQ(testing::run_cli("sweep sw.yaml -q --threads 2 --shard 0/2 -o a.h5", dir_).exit_code,
            0);
  // Half the runs, in a working file on the small disk (merge leaves it when runs are missing).
  ASSERT_EQ(testing::run_cli("merge a.h5 -q -o full/sw.h5", dir_).exit_code, 1);
  ASSERT_TRUE(fs::exists(full_ / "sw.h5.partial"));
  {  // fill the disk to the last byte
    std::FILE* filler = std::fopen((full_ / "filler").c_str(), "wb");
    ASSERT_NE(filler, nullptr);
    const std::string block(4096, 'x');
    while (std::fwrite(block.data(), 1, block.size(), filler) == block.size()) {
    }
    std::fclose(filler);
  }
  const auto full = testing::run_cli("sweep sw.yaml -q --threads 2 --resume -o full/sw.h5", dir_);
  EXPECT_EQ(full.exit_code, 1) << full.err;
  EXPECT_NE(full.err.find("full/sw.h5.partial"), std::string::npos) << full.err;
  EXPECT_NE(full.err.find("No space left on device"), std::string::npos) << full.err;
  ASSERT_TRUE(fs::exists(full_ / "sw.h5.partial"));
  EXPECT_FALSE(fs::exists(full_ / "sw.h5"));
  fs::remove(full_ / "filler");  // room again
  const auto done = testing::run_cli("sweep sw.yaml -q --threads 2 --resume -o full/sw.h5", dir_);
  EXPECT_EQ(done.exit_code, 0) << done.err;
  ASSERT_TRUE(fs::exists(full_ / "sw.h5"));
  EXPECT_FALSE(fs::exists(full_ / "sw.h5.partial"));
  // Every series and summary as in the sweep done in one go (attributes such as the merge
  // count and the time of writing differ).
  for (const std::string dataset :
       {"runs/status", "runs/summary/peak_active", "runs/timeseries/active"}) {
    sim::h5::File a((dir_ / "whole.h5").string(), sim::h5::File::Mode::kReadOnly);
    sim::h5::File b((full_ / "sw.h5").string(), sim::h5::File::Mode::kReadOnly);
    EXPECT_EQ(a.open_dataset(dataset).read<double>(), b.open_dataset(dataset).read<double>())
        << dataset;
  }
}

}  // namespace borderland
