// borderland view: start viewer/server (Python standard library + analysis/) on PATH.
#include "app/cmd_view.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace borderland::app {
namespace {

// Debian's interpreter, which has the project's Python packages (h5py, numpy, pandas).
constexpr const char* kPython = "/usr/bin/python3";
constexpr int kExitCannotStart = 1;
constexpr int kMaxPort = 65535;

// The viewer folder (server and built page): the source tree this binary was built from,
// unless BORDERLAND_VIEWER_DIR names another (a copied or installed tree).
std::string viewer_dir() {
  const char* env = std::getenv("BORDERLAND_VIEWER_DIR");
  return (env != nullptr && *env != '\0') ? std::string(env) : std::string(BORDERLAND_VIEWER_DIR);
}

}  // namespace

CLI::App* add_view_command(CLI::App& app, ViewArgs& args) {
  CLI::App* view = app.add_subcommand(
      "view",
      "Serve an interactive viewer of results on 127.0.0.1: map, events, series, comparisons");
  view->add_option("path", args.path,
                   "a run file, a sweep file, or a folder of them (e.g. the main job's output)")
      ->required();
  view->add_option("--port", args.port, "TCP port (0: any free port)")
      ->check(CLI::Range(0, kMaxPort))
      ->capture_default_str();
  view->add_flag("-q,--quiet", args.quiet, "no line per request");
  return view;
}

int command_view(const ViewArgs& args) {
  const std::string server = viewer_dir() + "/server";
  const std::string port = std::to_string(args.port);
  std::vector<std::string> words = {kPython, server, args.path, "--port", port};
  if (args.quiet) words.emplace_back("--quiet");
  std::vector<char*> argv;
  argv.reserve(words.size() + 1);
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  execv(kPython, argv.data());
  // Only reached when the interpreter cannot be started.
  fmt::print(stderr, "borderland: view: cannot start {} ({}); scripts/setup.sh installs python3\n",
             kPython, std::strerror(errno));
  return kExitCannotStart;
}

}  // namespace borderland::app
