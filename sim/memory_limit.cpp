#include "sim/memory_limit.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <limits>

#include "sim/error.hpp"

namespace borderland::sim {

namespace {
// The cgroup v2 limit of this process (containers, Slurm jobs), if any.
std::optional<std::uint64_t> cgroup_limit() {
  std::ifstream in("/sys/fs/cgroup/memory.max");
  std::string text;
  if (!(in >> text) || text == "max") return std::nullopt;
  try {
    return std::stoull(text);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::uint64_t default_limit() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  std::uint64_t available =
      pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page)
                            : std::numeric_limits<std::uint64_t>::max();
  if (const auto group = cgroup_limit(); group && *group < available) available = *group;
  return static_cast<std::uint64_t>(static_cast<double>(available) * kDefaultMemoryShare);
}
}  // namespace

std::optional<std::uint64_t> parse_memory_size(const std::string& text, const std::string& where) {
  if (text == "none") return std::nullopt;
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  const std::string suffix = text.substr(digits);
  int shift = -1;
  if (suffix.empty() || suffix == "B") shift = 0;
  if (suffix == "K" || suffix == "KiB") shift = 10;
  if (suffix == "M" || suffix == "MiB") shift = 20;
  if (suffix == "G" || suffix == "GiB") shift = 30;
  if (suffix == "T" || suffix == "TiB") shift = 40;
  constexpr std::size_t kMaxDigits = 12;  // a number of at most 10^12 - 1 units: no overflow
  if (digits == 0 || digits > kMaxDigits || shift < 0)
    throw InputError(fmt::format(
        "{}: error: expected a memory size such as 4G, 512M or 100000 (bytes; K, M, G, T are "
        "powers of 1024) or \"none\", got \"{}\"",
        where, text));
  const std::uint64_t units = std::stoull(text.substr(0, digits));
  if (units == 0)
    throw InputError(fmt::format(
        "{}: error: a memory limit of 0 leaves no room; expected a size such as 4G or \"none\"",
        where));
  return units << shift;
}

std::optional<std::uint64_t> memory_limit() {
  const char* text = std::getenv(kMemoryLimitVariable);
  if (text == nullptr || *text == '\0') return default_limit();
  return parse_memory_size(text, kMemoryLimitVariable);
}

std::string memory_text(std::uint64_t bytes) {
  constexpr double kGiB = 1024.0 * 1024.0 * 1024.0, kMiB = 1024.0 * 1024.0;
  const auto b = static_cast<double>(bytes);
  return b >= kGiB ? fmt::format("{:.1f} GiB", b / kGiB) : fmt::format("{:.1f} MiB", b / kMiB);
}

void check_memory(const std::string& where, const std::string& what, std::uint64_t estimate) {
  const char* set = std::getenv(kMemoryLimitVariable);
  const auto limit = memory_limit();
  if (!limit || estimate <= *limit) return;
  throw InputError(fmt::format(
      "{}: error: {} needs about {} of memory, more than the limit of {} ({}); make it smaller, "
      "or raise the limit with --memory-limit SIZE or {}=SIZE",
      where, what, memory_text(estimate), memory_text(*limit),
      set != nullptr && *set != '\0'
          ? fmt::format("set to {} by --memory-limit or {}", set, kMemoryLimitVariable)
          : fmt::format("the default, {:.0f} % of this machine's memory",
                        kDefaultMemoryShare * 100),
      kMemoryLimitVariable));
}

}  // namespace borderland::sim
