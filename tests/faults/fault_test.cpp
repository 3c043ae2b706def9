// Injected I/O errors (fault_shim.cpp, loaded with LD_PRELOAD): the Nth write,
// fsync or rename on the output folder fails with EIO or ENOSPC, for a range of
// N, in a run, a sweep and a merge. Each must exit 1 with a message naming the
// output, never crash, never put a broken file under the final name and never
// touch the final file already there; a sweep's working file resumes
// afterwards and gives the sweep done in one go.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "common/cli.hpp"
#include "common/h5_digest.hpp"

namespace borderland {

namespace {
namespace fs = std::filesystem;
const std::string kSource = BORDERLAND_SOURCE_DIR;

struct Command {
  std::string name;
  std::string args;    // writes out/<final>
  std::string final;   // the output's name in out/
  std::string resume;  // the command that finishes an interrupted one ("" if none)
};

// The Nth call to fail: every call for the first few, then spread out to the last one.
std::vector<long> call_numbers() {
  std::vector<long> at;
  for (long n = 1; n <= 4000; n = n < 6 ? n + 1 : n * 3 / 2) at.push_back(n);
  return at;
}

void set_fault(const std::string& op, long at, const std::string& error, const fs::path& report) {
  ::setenv("BORDERLAND_FAULT_OP", op.c_str(), 1);
  ::setenv("BORDERLAND_FAULT_AT", std::to_string(at).c_str(), 1);
  ::setenv("BORDERLAND_FAULT_ERRNO", error.c_str(), 1);
  ::setenv("BORDERLAND_FAULT_PATH", "/out/", 1);
  ::setenv("BORDERLAND_FAULT_REPORT", report.c_str(), 1);
  ::setenv("LD_PRELOAD", BORDERLAND_FAULT_SHIM, 1);
}

void clear_fault() {
  for (const char* name :
       {"LD_PRELOAD", "BORDERLAND_FAULT_OP", "BORDERLAND_FAULT_AT", "BORDERLAND_FAULT_ERRNO",
        "BORDERLAND_FAULT_PATH", "BORDERLAND_FAULT_REPORT"})
    ::unsetenv(name);
}

// Removes what a failed writer leaves for the next try (working files, folders, locks).
void remove_working_files(const fs::path& out, const std::string& final) {
  for (const auto& entry : fs::directory_iterator(out)) {
    const std::string name = entry.path().filename().string();
    if (name != final && name.rfind(final, 0) == 0) fs::remove_all(entry.path());
  }
}

class Faults : public ::testing::TestWithParam<Command> {
 protected:
  void SetUp() override {
    if (!fs::exists(BORDERLAND_FAULT_SHIM)) GTEST_SKIP() << "no fault shim built";
    dir_ = testing::fresh_dir("faults_" + GetParam().name);
    fs::create_directory(dir_ / "out");
    testing::write_file(dir_ / "s.yaml",
                        "model: civil_violence\nseed: 1\nstart: 2000-01-01\nend: 2000-01-30\n"
                        "parameters: {grid: {width: 12, height: 12}, citizens: {vision: 2}, "
                        "cops: {vision: 2}}\noutput: {snapshot_every: 10, flush_every: 7}\n");
    testing::write_file(dir_ / "sw.yaml",
                        "base: s.yaml\nset: {output.snapshot_every: 0}\ndesign: replicas\n"
                        "replicas: 6\nseed: 2\n");
    ASSERT_EQ(testing::run_cli("sweep sw.yaml -q --shard 0/2 -o a.h5", dir_).exit_code, 0);
    ASSERT_EQ(testing::run_cli("sweep sw.yaml -q --shard 1/2 -o b.h5", dir_).exit_code, 0);
  }
  void TearDown() override { clear_fault(); }
  fs::path dir_;
};

TEST_P(Faults, FailedWritesAreRunFailuresThatSpareTheFinalFile) {
  const Command& c = GetParam();
  const auto out = dir_ / "out";
  // The earlier result, which no failed attempt may touch.
  const auto made = testing::run_cli(c.args, dir_);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const auto reference = testing::dataset_digest((out / c.final).string());
  ASSERT_FALSE(reference.empty());
  int fired = 0;
  for (const std::string op : {"write", "fsync", "rename"}) {
    int index = 0;
    for (const long at : call_numbers()) {
      const std::string error = index++ % 2 == 0 ? "EIO" : "ENOSPC";
      const std::string what = c.name + ": " + op + " call " + std::to_string(at) + " " + error;
      const auto report = dir_ / "fault_report.txt";
      fs::remove(report);
      set_fault(op, at, error, report);
      const auto r = testing::run_cli(c.args, dir_);
      clear_fault();
      const bool hit = fs::exists(report);
      if (!hit) {  // fewer calls than `at`: an undisturbed write, then the next operation
        EXPECT_EQ(r.exit_code, 0) << what << "\n" << r.err;
        remove_working_files(out, c.final);
        break;
      }
      ++fired;
      EXPECT_EQ(r.exit_code, 1) << what << "\n" << r.err;
      EXPECT_NE(r.err.find("out/" + c.final), std::string::npos) << what << "\n" << r.err;
      EXPECT_EQ(r.err.find("terminate called"), std::string::npos) << what << "\n" << r.err;
      EXPECT_EQ(r.err.find("Sanitizer"), std::string::npos) << what << "\n" << r.err;
      EXPECT_TRUE(testing::dataset_digest((out / c.final).string()) == reference)
          << what << ": the final file changed\n"
          << r.err;
      if (!c.resume.empty() && fs::exists(out / (c.final + ".partial"))) {
        const auto resumed = testing::run_cli(c.resume, dir_);
        EXPECT_EQ(resumed.exit_code, 0) << what << ": resume\n" << resumed.err;
        EXPECT_TRUE(testing::dataset_digest((out / c.final).string()) == reference)
            << what << ": the resumed file differs";
      }
      remove_working_files(out, c.final);
    }
  }
  RecordProperty("faults_injected", fired);
  EXPECT_GT(fired, 10) << "the shim never fired: is it loaded?";
}

INSTANTIATE_TEST_SUITE_P(
    Commands, Faults,
    ::testing::Values(Command{"run", "run s.yaml -q -o out/r.h5 --checkpoint-every 10", "r.h5", ""},
                      Command{"sweep", "sweep sw.yaml -q --threads 1 -o out/w.h5", "w.h5",
                              "sweep sw.yaml -q --threads 1 --resume -o out/w.h5"},
                      Command{"merge", "merge a.h5 b.h5 -q -o out/m.h5", "m.h5", ""}),
    [](const ::testing::TestParamInfo<Command>& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace borderland
