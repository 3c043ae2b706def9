// borderland view: start the viewer's server (python/borderland/viewer) on PATH.
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
// The source tree this binary was built from: its Python package and the built page.
constexpr const char* kSourceDir = BORDERLAND_SOURCE_DIR;

}  // namespace

CLI::App* add_view_command(CLI::App& app, ViewArgs& args) {
  CLI::App* view = app.add_subcommand(
      "view",
      "Serve an interactive viewer of results on 127.0.0.1: map, events, series, comparisons");
  view->add_option("path", args.path,
                   "a run file, a sweep file, or a folder of them (e.g. the main job's output)")
      ->required()
      ->type_name("PATH");
  view->add_option("--port", args.port, "TCP port (0: any free port)")
      ->type_name("PORT")
      ->check(CLI::Range(0, kMaxPort).description(""))
      ->capture_default_str();
  view->add_flag("-q,--quiet", args.quiet, "no line per request");
  return view;
}

int command_view(const ViewArgs& args) {
  // This checkout's package first, so that the server matches the page built beside it.
  std::string python_path = std::string(kSourceDir) + "/python";
  if (const char* old = std::getenv("PYTHONPATH"); old != nullptr && *old != '\0') {
    python_path += std::string(":") + old;
  }
  setenv("PYTHONPATH", python_path.c_str(), 1);
  std::vector<std::string> words = {kPython,
                                    "-m",
                                    "borderland.viewer",
                                    args.path,
                                    "--port",
                                    std::to_string(args.port),
                                    "--static",
                                    std::string(kSourceDir) + "/viewer/dist"};
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
