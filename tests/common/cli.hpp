#pragma once
// Runs the borderland executable from tests and captures what it printed.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace borderland::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// A fresh, empty folder under the system temp folder.
inline std::filesystem::path fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("borderland_test_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// `args` is passed through the shell as written (quote what needs quoting).
inline CliResult run_cli(const std::string& args, const std::filesystem::path& workdir) {
  const auto out = workdir / "stdout.txt", err = workdir / "stderr.txt";
  const std::string command = "cd '" + workdir.string() + "' && '" + BORDERLAND_BINARY + "' " +
                              args + " >'" + out.string() + "' 2>'" + err.string() + "' </dev/null";
  const int status = std::system(command.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

inline void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p) << text;
}

// Starts the borderland binary with `args` in `dir` without waiting (stdout and
// stderr to spawn_out.txt / spawn_err.txt there); returns the pid.
inline pid_t spawn_cli(const std::vector<std::string>& args, const std::filesystem::path& dir) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0) _exit(127);
    const int out = open("spawn_out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open("spawn_err.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> argv{const_cast<char*>(BORDERLAND_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(BORDERLAND_BINARY, argv.data());
    _exit(127);
  }
  return pid;
}

}  // namespace borderland::testing
