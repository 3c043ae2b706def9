#pragma once
// borderland view PATH [--port N]: the interactive viewer (viewer/), served by Debian's Python
// with the package's readers (python/borderland/viewer). Declared apart from commands.hpp so
// that the command comes as one file and two lines in main.cpp.
#include <CLI/CLI.hpp>

#include <string>

namespace borderland::app {

struct ViewArgs {
  std::string path;
  int port = 8050;  // 0: any free port
  bool quiet = false;
};

// Adds the `view` subcommand to `app`, filling `args` on parse.
CLI::App* add_view_command(CLI::App& app, ViewArgs& args);

// Replaces this process with the viewer's server (so Ctrl-C and its exit code are the
// server's: 0 stopped, 2 bad input); returns only if that cannot start.
int command_view(const ViewArgs& args);

}  // namespace borderland::app
