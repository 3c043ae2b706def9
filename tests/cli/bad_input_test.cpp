// Bad input of every kind: a clear message that says where and what, exit
// code 2, and nothing already written is lost or replaced.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "common/cli.hpp"

namespace borderland {

namespace {
const std::string kBase = "model: civil_violence\nstart: 2000-01-01\nend: 2000-01-20\n";

struct BadInput {
  std::string name;
  std::string scenario;               // written to s.yaml
  std::string args;                   // command line after `borderland`
  std::vector<std::string> expected;  // every one must appear in stderr
};

// Names the case in failure messages instead of dumping its bytes.
[[maybe_unused]] void PrintTo(const BadInput& c, std::ostream* os) {
  *os << c.name;
}

std::vector<BadInput> cases() {
  const std::string run = "run s.yaml -o out.h5 ";
  return {
      {"yaml_syntax",
       "model: civil_violence\nparameters: {legitimacy: 0.8\n",
       run,
       {"s.yaml:", "YAML syntax"}},
      {"yaml_indentation",
       "model: civil_violence\n  start: 2000-01-01\n bad: [\n",
       run,
       {"s.yaml:", "YAML syntax"}},
      {"empty_file",
       "",
       run,
       {"s.yaml: error: expected a mapping of scenario keys at the top, got nothing"}},
      {"top_level_list",
       "- model\n- start\n",
       run,
       {"s.yaml: error: expected a mapping", "got a list"}},
      {"unknown_top_key",
       kBase + "sed: 3\n",
       run,
       {"s.yaml:4:1: error: sed: unknown key", "did you mean 'seed'"}},
      {"unknown_parameter",
       kBase + "parameters:\n  legitimacy: 0.8\n  threshhold: 0.1\n",
       run,
       {"s.yaml:6:3: error: parameters.threshhold: unknown parameter",
        "did you mean 'parameters.threshold'"}},
      {"wrong_type",
       kBase + "parameters:\n  legitimacy: high\n",
       run,
       {"s.yaml:5:15: error: parameters.legitimacy: expected a number", "got \"high\""}},
      {"out_of_range",
       kBase + "parameters:\n  legitimacy: 1.5\n",
       run,
       {"s.yaml:5:15: error: parameters.legitimacy: expected a number in [0, 1], got \"1.5\""}},
      {"not_an_integer",
       kBase + "parameters:\n  max_jail_term: 2.5\n",
       run,
       {"s.yaml:5:18: error: parameters.max_jail_term: expected an integer", "got \"2.5\""}},
      {"not_a_bool",
       kBase + "parameters:\n  movement: sometimes\n",
       run,
       {"parameters.movement: expected true or false, got \"sometimes\""}},
      {"bad_choice",
       kBase + "parameters:\n  vision_shape: circle\n",
       run,
       {"parameters.vision_shape: expected one of von_neumann, disc, cross, square, got "
        "\"circle\""}},
      {"nested_group_not_a_map",
       kBase + "parameters:\n  grid: 40\n",
       run,
       {"s.yaml:5:9: error: parameters.grid: expected a mapping of parameters, got \"40\""}},
      {"impossible_date",
       "model: civil_violence\nstart: 2000-01-01\nend: 2000-02-30\n",
       run,
       {"s.yaml:3:6: error: end: expected a date (YYYY-MM-DD), got \"2000-02-30\""}},
      {"end_before_start",
       "model: civil_violence\nstart: 2000-01-01\nend: 1999-12-31\n",
       run,
       {"s.yaml:3:6: error: end: must not be before start (2000-01-01)"}},
      {"missing_start", "model: civil_violence\nend: 2000-01-20\n", run, {"error: start: missing"}},
      {"unknown_model",
       "model: civil_violance\nstart: 2000-01-01\nend: 2000-01-20\n",
       run,
       {"s.yaml:1:8: error: model: unknown model \"civil_violance\"",
        "did you mean 'civil_violence'"}},
      {"unknown_policy",
       kBase + "policies:\n  - {policy: legitimacy, start: 2000-01-05}\n",
       run,
       {"s.yaml:5:14: error: policies[0].policy: unknown policy \"legitimacy\"",
        "did you mean 'legitimacy_shift'"}},
      {"bad_policy_strength",
       kBase + "policies:\n  - {policy: legitimacy_shift, start: 2000-01-05, delta: 3}\n",
       run,
       {"policies[0].delta: expected a number in [-1, 1], got \"3\""}},
      {"impossible_combination",
       kBase + "parameters:\n  citizens: {density: 0.97}\n  cops: {density: 0.05}\n",
       run,
       {"s.yaml: error: parameters: citizens.density + cops.density"}},
      {"missing_scenario_file",
       kBase,
       "run nothere.yaml -o out.h5",
       {"nothere.yaml: error: scenario file not found"}},
      {"scenario_is_a_folder",
       kBase,
       "run sub -o out.h5",
       {"sub: error: scenario file is a directory"}},
      {"output_folder_missing",
       kBase,
       "run s.yaml -o nodir/x.h5",
       {"nodir/x.h5: error: output folder 'nodir' does not exist"}},
      {"output_is_a_folder",
       kBase,
       "run s.yaml -o sub",
       {"sub: error: output path is a directory"}},
      {"output_unwritable",
       kBase,
       "run s.yaml -o /proc/x.h5",
       {"/proc/x.h5: error: cannot write output here"}},
      {"unknown_flag", kBase, run + "--threds 2", {"borderland: error:", "--threds"}},
      {"negative_threads", kBase, run + "--threads -1", {"borderland: error:", "--threads"}},
      {"seed_not_a_number", kBase, run + "--seed abc", {"--seed: error: expected an integer"}},
      {"set_without_value",
       kBase,
       run + "--set parameters.legitimacy",
       {"--set parameters.legitimacy: error: expected KEY=VALUE"}},
      {"set_unknown_key",
       kBase,
       run + "--set parameters.legitimcy=0.5",
       {"--set parameters.legitimcy: error: parameters.legitimcy: unknown parameter",
        "did you mean 'parameters.legitimacy'"}},
      {"set_out_of_range",
       kBase,
       run + "--set parameters.legitimacy=2",
       {"--set parameters.legitimacy: error: parameters.legitimacy: expected a number in [0, "
        "1], "
        "got \"2\""}},
      {"until_not_a_date",
       kBase,
       run + "--until soon",
       {"--until: error: expected a date (YYYY-MM-DD), got \"soon\""}},
      {"until_before_start",
       kBase,
       run + "--until 1999-01-01",
       {"--until: error: date 1999-01-01 is before the scenario start"}},
      {"no_command", kBase, "", {"Usage: borderland"}},
      {"seed_negative", kBase, run + "--seed -1", {"--seed: error: expected an integer in [0, "}},
      {"seed_too_large",
       kBase,
       run + "--seed 18446744073709551616",
       {"--seed: error: expected an integer in [0, 9223372036854775807], got "
        "\"18446744073709551616\""}},
      {"seed_empty", kBase, run + "--seed ''", {"--seed: error: expected an integer"}},
      {"seed_in_file_too_large",
       kBase + "seed: 9223372036854775808\n",
       run,
       {"s.yaml:4:7: error: seed: expected an integer in [0, 9223372036854775807]"}},
      {"output_empty", kBase, "run s.yaml -o ''", {"run: error: --output: the file name is empty"}},
      {"duplicate_top_key",
       kBase + "seed: 1\nseed: 2\n",
       run,
       {"s.yaml:5:1: error: key 'seed' appears twice in this mapping"}},
      {"duplicate_nested_key",
       kBase + "parameters:\n  legitimacy: 0.8\n  legitimacy: 0.9\n",
       run,
       {"s.yaml:6:3: error: key 'legitimacy' appears twice in this mapping"}},
      {"second_document",
       kBase + "---\nmodel: ttp\n",
       run,
       {"s.yaml: error: a second YAML document"}},
      {"yaml_tag",
       kBase + "parameters: {legitimacy: !!str 0.5}\n",
       run,
       {"s.yaml:4:26: error: YAML tag '!!str' is not supported"}},
      {"invalid_utf8",
       kBase + "description: \"caf\xe9\"\n",
       run,
       {"s.yaml:4:18: error: invalid UTF-8"}},
      {"utf16",
       std::string("\xff\xfem\0o\0d\0", 8),
       run,
       {"s.yaml:1:1: error: the file is UTF-16"}},
      {"too_deep",
       kBase + "parameters: " + std::string(40, '[') + std::string(40, ']') + "\n",
       run,
       {"s.yaml:4:", "nested deeper than 32 levels"}},
      {"model_wrong_type",
       "model: [civil_violence]\nstart: 2000-01-01\nend: 2000-01-20\n",
       run,
       {"s.yaml:1:8: error: model: expected a model name (one of civil_violence, ttp), got a "
        "list"}},
      {"snapshot_field_twice",
       kBase + "output: {snapshot_every: 5, snapshot_fields: [state, state]}\n",
       run,
       {"output.snapshot_fields: field \"state\" is listed twice"}},
      {"validate_grid_too_large",
       kBase + "parameters: {grid: {width: 100000, height: 100000}}\n",
       "validate s.yaml",
       {"s.yaml: error: parameters.grid: 100000 x 100000 = 10000000000 cells is too large; at most "
        "2^31 - 1 = 2147483647 cells"}},
      {"validate_directory",
       kBase,
       "validate sub",
       {"sub: error: scenario or sweep file is a directory"}},
      {"validate_device",
       kBase,
       "validate /dev/zero",
       {"/dev/zero: error: scenario or sweep file is not a regular file"}},
      {"set_error_at_the_flag",
       kBase,
       run + "--set end=1999-01-01",
       {"--set end: error: end: must not be before start"}},
      {"set_list_index_error_at_the_flag",
       kBase + "policies:\n  - {policy: legitimacy_shift, start: 2000-01-05, delta: 0.1}\n",
       run + "--set policies.0.end=2000-01-01",
       {"--set policies.0.end: error: policies[0].end: must not be before start"}},
      {"unknown_command", kBase, "rnu s.yaml", {"unknown command 'rnu'; did you mean 'run'?"}},
      {"validate_unknown_key",
       kBase + "seeed: 1\n",
       "validate s.yaml",
       {"s.yaml:4:1: error: seeed: unknown key"}},
      {"inspect_not_hdf5", kBase, "inspect s.yaml", {"s.yaml: error: not an HDF5 file"}},
      {"inspect_missing", kBase, "inspect gone.h5", {"gone.h5: error: file not found"}},
      {"inspect_corrupt",
       kBase,
       "inspect corrupt.h5",
       {"corrupt.h5: error: corrupt or truncated HDF5 file"}},
      {"models_unknown", kBase, "models ttq", {"models: error: unknown model \"ttq\""}},
      // Paths the system refuses: the real cause, not a guess.
      {"output_name_too_long",
       kBase,
       "run s.yaml -o " + std::string(300, 'x') + ".h5",
       {"xxx.h5: error: the file name is too long (303 bytes; at most 255 in one name"}},
      {"output_lock_name_too_long",
       kBase,
       "run s.yaml -o " + std::string(250, 'y') + ".h5",
       {"yyy.h5: error: with the suffix .partial.lock the file name is too long (266 bytes"}},
      {"scenario_name_too_long",
       kBase,
       "run " + std::string(300, 'x') + ".yaml",
       {"xxx.yaml: error: cannot read scenario file: File name too long"}},
      {"restart_name_too_long",
       kBase,
       "run --restart " + std::string(300, 'x') + ".h5",
       {"xxx.h5: error: cannot open: File name too long"}},
      {"restart_from_a_directory",
       kBase,
       "run --restart sub",
       {"sub: error: is a directory, expected an HDF5 file"}},
      {"scenario_below_a_file",
       kBase,
       "run s.yaml/x.yaml",
       {"s.yaml/x.yaml: error: cannot read scenario file: Not a directory"}},
      {"output_folder_is_a_file",
       kBase,
       "run s.yaml -o s.yaml/x.h5",
       {"s.yaml/x.h5: error: output folder 's.yaml' is a file, not a folder"}},
      // A grid in range that needs more memory than the limit (sim/memory_limit.hpp).
      {"validate_memory_over_the_limit",
       kBase + "parameters: {grid: {width: 20000, height: 20000}}\n",
       "validate s.yaml --memory-limit 1G",
       {"s.yaml: error: parameters.grid: 20000 x 20000 cells with densities 0.7 + 0.04 needs "
        "about 25.1 GiB of memory, more than the limit of 1.0 GiB",
        "--memory-limit SIZE or BORDERLAND_MEMORY_LIMIT=SIZE"}},
      {"run_memory_over_the_limit",
       kBase + "parameters: {grid: {width: 2000, height: 2000}}\n",
       run + "--memory-limit 64M",
       {"s.yaml: error: parameters.grid: 2000 x 2000 cells", "limit of 64.0 MiB"}},
      {"memory_limit_malformed",
       kBase,
       run + "--memory-limit 4X",
       {"--memory-limit: error: expected a memory size such as 4G", "got \"4X\""}},
  };
}
}  // namespace

class BadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputTest, SaysWhereAndWhatExitsTwoAndKeepsEarlierOutput) {
  const BadInput& c = GetParam();
  const auto dir = testing::fresh_dir("bad_" + c.name);
  testing::write_file(dir / "s.yaml", c.scenario);
  std::filesystem::create_directory(dir / "sub");
  testing::write_file(dir / "corrupt.h5",
                      std::string("\x89HDF\r\n\x1a\n", 8) + "truncated garbage");
  const std::string previous = "an earlier result that must survive";
  testing::write_file(dir / "out.h5", previous);

  const testing::CliResult r = testing::run_cli(c.args, dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  for (const auto& text : c.expected)
    EXPECT_NE(r.err.find(text), std::string::npos) << "missing: " << text << "\nin:\n" << r.err;
  EXPECT_EQ(testing::slurp(dir / "out.h5"), previous)
      << "bad input must not touch an existing output";
  EXPECT_FALSE(std::filesystem::exists(dir / "out.h5.partial"));
  EXPECT_FALSE(std::filesystem::exists(dir / "nodir"));
  EXPECT_EQ(r.err.find("terminate called"), std::string::npos) << "no crash";
}

INSTANTIATE_TEST_SUITE_P(Table, BadInputTest, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<BadInput>& param_info) {
                           return param_info.param.name;
                         });

}  // namespace borderland

namespace borderland {

// The limit from the environment, for every command that builds a model; a
// value that is not a size is bad input naming the variable.
TEST(MemoryLimit, FromTheEnvironment) {
  const auto dir = testing::fresh_dir("memory_limit_env");
  testing::write_file(dir / "s.yaml", kBase + "parameters: {grid: {width: 1000, height: 1000}}\n");
  ::setenv("BORDERLAND_MEMORY_LIMIT", "32M", 1);
  const auto refused = testing::run_cli("run s.yaml -o out.h5", dir);
  const auto validated = testing::run_cli("validate s.yaml", dir);
  ::setenv("BORDERLAND_MEMORY_LIMIT", "lots", 1);
  const auto malformed = testing::run_cli("validate s.yaml", dir);
  ::setenv("BORDERLAND_MEMORY_LIMIT", "1G", 1);
  const auto allowed = testing::run_cli("validate s.yaml", dir);
  ::unsetenv("BORDERLAND_MEMORY_LIMIT");
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find("s.yaml: error: parameters.grid: 1000 x 1000 cells"),
            std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("more than the limit of 32.0 MiB (set to 32M by --memory-limit or "
                             "BORDERLAND_MEMORY_LIMIT)"),
            std::string::npos)
      << refused.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out.h5.partial"));
  EXPECT_EQ(validated.exit_code, 2) << validated.err;
  EXPECT_EQ(malformed.exit_code, 2) << malformed.err;
  EXPECT_NE(malformed.err.find("BORDERLAND_MEMORY_LIMIT: error: expected a memory size"),
            std::string::npos)
      << malformed.err;
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
}

// Something that is not a file where the working file goes, for each writer:
// the cause and the path, exit 2, and the earlier result untouched.
TEST(OutputPaths, ADirectoryInTheWayOfTheWorkingFile) {
  const auto dir = testing::fresh_dir("partial_directory");
  testing::write_file(dir / "s.yaml", kBase +
                                          "parameters: {grid: {width: 12, height: 12}, "
                                          "citizens: {vision: 2}, cops: {vision: 2}}\n");
  testing::write_file(dir / "sw.yaml", "base: s.yaml\ndesign: replicas\nreplicas: 2\nseed: 1\n");
  ASSERT_EQ(testing::run_cli("sweep sw.yaml -o shard.h5 -q", dir).exit_code, 0);
  for (const std::string out : {"r.h5", "w.h5", "m.h5"}) {
    std::filesystem::create_directory(dir / (out + ".partial"));
    testing::write_file(dir / (out + ".partial") / "keep.txt", "mine");
  }
  const std::vector<std::pair<std::string, std::string>> commands{
      {"run s.yaml -o r.h5", "r.h5.partial"},
      {"sweep sw.yaml -o w.h5", "w.h5.partial"},
      {"merge shard.h5 -o m.h5", "m.h5.partial"}};
  for (const auto& [args, partial] : commands) {
    const auto r = testing::run_cli(args, dir);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(partial + ": error: a directory is in the way of the working file"),
              std::string::npos)
        << args << "\n"
        << r.err;
    EXPECT_EQ(testing::slurp(dir / partial / "keep.txt"), "mine") << args;
  }
}

}  // namespace borderland
