#pragma once
// How much memory one run may plan to use. A scenario inside every key's range
// can still need more memory than the machine has (a 20000 x 20000 civil
// violence grid needs about 27 GB): the model estimates its memory from the
// scenario before allocating anything and refuses, as bad input (exit 2),
// rather than being killed by the kernel half-way through its set-up.
//
// The limit: BORDERLAND_MEMORY_LIMIT (or --memory-limit, which sets it), a
// size in bytes with an optional K, M, G or T suffix (powers of 1024) or
// "none"; by default 80 % of the memory this process may use (the machine's
// physical memory, or the cgroup's memory.max where that is smaller), leaving
// the rest to the system and the output's buffers.
#include <cstdint>
#include <optional>
#include <string>

namespace borderland::sim {

inline constexpr const char* kMemoryLimitVariable = "BORDERLAND_MEMORY_LIMIT";
inline constexpr double kDefaultMemoryShare = 0.8;  // of the memory available (see above)

// "4G" -> 4 GiB, "512M", "100000", "none" -> nullopt (no limit). InputError
// "WHERE: error: ..." for anything else.
std::optional<std::uint64_t> parse_memory_size(const std::string& text, const std::string& where);

// The limit in force (nullopt: none), read from the variable each time.
std::optional<std::uint64_t> memory_limit();

// "2.0 GiB": a size for messages.
std::string memory_text(std::uint64_t bytes);

// InputError "WHERE: error: WHAT needs about N of memory, more than the limit of L (...)" when
// `estimate` is over the limit. `where` is the scenario file, `what` the keys that size it
// ("parameters.grid: 20000 x 20000 cells with 296000000 agents").
void check_memory(const std::string& where, const std::string& what, std::uint64_t estimate);

}  // namespace borderland::sim
