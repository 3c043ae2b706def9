#include "sim/input_text.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/error.hpp"

namespace borderland::sim {

std::string read_text_file(const std::string& path, const std::string& what) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (path.empty()) throw InputError(fmt::format("error: {}: the file name is empty", what));
  if (ec && ec != std::errc::no_such_file_or_directory)  // too long a name, a file as a folder
    throw InputError(fmt::format("{}: error: cannot read {}: {}", path, what, ec.message()));
  if (!fs::exists(status)) throw InputError(fmt::format("{}: error: {} not found", path, what));
  if (fs::is_directory(status))
    throw InputError(fmt::format("{}: error: {} is a directory, expected a file", path, what));
  if (!fs::is_regular_file(status) && !fs::is_fifo(status))
    throw InputError(
        fmt::format("{}: error: {} is not a regular file (a device or socket?)", path, what));
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError(fmt::format("{}: error: cannot read {}: {}", path, what,
                                 errno != 0 ? std::strerror(errno) : "cannot open it"));
  std::string text;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxInputBytes)
      throw InputError(
          fmt::format("{}: error: {} is larger than {} MiB; expected a small text file", path, what,
                      kMaxInputBytes >> 20));
  }
  if (in.bad()) throw InputError(fmt::format("{}: error: cannot read {}", path, what));
  return text;
}

std::string utf8_problem(const std::string& text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  if (text.size() >= 2 &&
      ((byte(0) == 0xFF && byte(1) == 0xFE) || (byte(0) == 0xFE && byte(1) == 0xFF)))
    return "1:1: the file is UTF-16 encoded; save it as UTF-8";
  int line = 1, column = 1;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = byte(i);
    if (c == 0)
      return fmt::format("{}:{}: a NUL byte (is the file UTF-16? save it as UTF-8)", line, column);
    std::size_t length = 1;
    std::uint32_t min_code = 0;
    if (c >= 0xF0 && c <= 0xF4)
      length = 4, min_code = 0x10000;
    else if (c >= 0xE0 && c <= 0xEF)
      length = 3, min_code = 0x800;
    else if (c >= 0xC2 && c <= 0xDF)
      length = 2, min_code = 0x80;
    else if (c >= 0x80)
      return fmt::format("{}:{}: invalid UTF-8 byte 0x{:02x}", line, column, c);
    std::uint32_t code = length == 1 ? c : (c & (0x7Fu >> length));
    for (std::size_t k = 1; k < length; ++k) {
      if (i + k >= text.size() || (byte(i + k) & 0xC0) != 0x80)
        return fmt::format("{}:{}: invalid UTF-8 sequence starting with byte 0x{:02x}", line,
                           column, c);
      code = (code << 6) | (byte(i + k) & 0x3F);
    }
    if (code < min_code || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
      return fmt::format("{}:{}: invalid UTF-8 sequence starting with byte 0x{:02x}", line, column,
                         c);
    if (c == '\n')
      ++line, column = 1;
    else
      ++column;
    i += length;
  }
  return {};
}

namespace {

// Thrown out of the parser's callbacks to stop at the first structural problem.
struct StopParsing {
  std::string message;
};

class StrictChecker : public YAML::EventHandler {
 public:
  explicit StrictChecker(std::string source) : source_(std::move(source)) {}
  std::vector<std::string> problems;

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { on_node(mark, nullptr); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { on_node(mark, nullptr); }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                const std::string& value) override {
    check_tag(mark, tag);
    on_node(mark, &value);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    open(mark, tag, false);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    open(mark, tag, true);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    bool is_map = false;
    bool expecting_key = true;
    std::set<std::string> keys;
  };

  std::string at(const YAML::Mark& mark) const {
    return fmt::format("{}:{}:{}", source_, mark.line + 1, mark.column + 1);
  }
  void check_tag(const YAML::Mark& mark, const std::string& tag) {
    // "?" is a plain node, "!" a quoted scalar: neither is an explicit tag.
    if (tag.empty() || tag == "?" || tag == "!") return;
    const std::string core = "tag:yaml.org,2002:";
    const std::string shown = tag.rfind(core, 0) == 0 ? "!!" + tag.substr(core.size()) : tag;
    problems.push_back(
        fmt::format("{}: error: YAML tag '{}' is not supported; write the value without a tag",
                    at(mark), shown));
  }
  // A node (scalar, or a container about to open) takes its place in the parent.
  void on_node(const YAML::Mark& mark, const std::string* scalar) {
    if (frames_.empty()) return;
    Frame& parent = frames_.back();
    if (!parent.is_map) return;
    if (parent.expecting_key) {
      if (scalar != nullptr && !parent.keys.insert(*scalar).second)
        problems.push_back(
            fmt::format("{}: error: key '{}' appears twice in this mapping; give each key once",
                        at(mark), *scalar));
      if (scalar == nullptr && !frames_opening_)
        problems.push_back(fmt::format("{}: error: expected a plain key", at(mark)));
    }
    parent.expecting_key = !parent.expecting_key;
  }
  void open(const YAML::Mark& mark, const std::string& tag, bool is_map) {
    check_tag(mark, tag);
    if (!frames_.empty() && frames_.back().is_map && frames_.back().expecting_key)
      problems.push_back(fmt::format(
          "{}: error: a mapping key must be plain text, not a list or mapping", at(mark)));
    frames_opening_ = true;
    on_node(mark, nullptr);
    frames_opening_ = false;
    if (static_cast<int>(frames_.size()) >= kMaxYamlDepth)
      throw StopParsing{
          fmt::format("{}: error: nested deeper than {} levels", at(mark), kMaxYamlDepth)};
    frames_.push_back(Frame{is_map, true, {}});
  }
  void close() {
    if (!frames_.empty()) frames_.pop_back();
  }

  std::string source_;
  std::vector<Frame> frames_;
  bool frames_opening_ = false;
};

}  // namespace

std::vector<std::string> strict_yaml_problems(const std::string& text, const std::string& source) {
  if (const std::string problem = utf8_problem(text); !problem.empty())
    return {fmt::format(
        "{}:{}", source,
        problem.substr(0, problem.find(' ')) + " error: " + problem.substr(problem.find(' ') + 1))};
  std::istringstream in(text);
  StrictChecker checker(source);
  try {
    YAML::Parser parser(in);
    int documents = 0;
    while (true) {
      if (!parser.HandleNextDocument(checker)) break;
      if (++documents == 2) {
        checker.problems.push_back(fmt::format(
            "{}: error: a second YAML document ('---'); a file holds one scenario or sweep",
            source));
        break;
      }
    }
  } catch (const StopParsing& stop) {
    // What was seen before the stop may be an artefact of the broken part.
    return {stop.message};
  } catch (const YAML::ParserException& e) {
    return {fmt::format("{}:{}:{}: error: YAML syntax: {}", source, e.mark.line + 1,
                        e.mark.column + 1, e.msg)};
  }
  return checker.problems;
}

}  // namespace borderland::sim
