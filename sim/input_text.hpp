#pragma once
// Input text before it is parsed: read with a size limit, checked to be UTF-8,
// and (for YAML) checked for what yaml-cpp accepts silently but a scenario
// must not contain. Every message says file:line:col and what.
#include <cstddef>
#include <string>
#include <vector>

namespace borderland::sim {

// Input files are small text files; anything larger is a wrong path (a device,
// a data file), refused before it exhausts memory.
inline constexpr std::size_t kMaxInputBytes = std::size_t{16} << 20;
// Deeper nesting than this has no meaning in a scenario or sweep.
inline constexpr int kMaxYamlDepth = 32;

// Reads a whole regular file (or a pipe) of at most kMaxInputBytes; InputError
// naming the file when it is missing, a directory, a device or too large.
std::string read_text_file(const std::string& path, const std::string& what);

// "" when `text` is valid UTF-8 without NUL bytes, else the problem with its
// place ("3:7: invalid UTF-8 byte 0xff"); UTF-16 files are named as such.
std::string utf8_problem(const std::string& text);

// The problems yaml-cpp lets through: a key given twice in one mapping, a
// second document, explicit tags (`!!str 0.5`), nesting deeper than
// kMaxYamlDepth. Each as "source:line:col: error: ..."; syntax errors too.
std::vector<std::string> strict_yaml_problems(const std::string& text, const std::string& source);

}  // namespace borderland::sim
