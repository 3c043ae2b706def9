#pragma once
// Where an output may go, who may write it, and how it gets its final name.
//
// Every writer (run, sweep, merge) goes through these: an output is only ever
// a regular file or a new name, never one of the run's inputs; one process at a
// time writes NAME (it holds an flock on NAME.partial.lock); and NAME appears
// only by an atomic rename after the finished file and its folder are on disk.
#include <cstdint>
#include <string>
#include <vector>

namespace borderland::sim {

// What an existing file at the output path must be for us to replace it.
enum class OutputKind { kRun, kSweep };

struct OutputTarget {
  bool exists = false;  // NAME exists (a borderland output of the same kind) and will be replaced
};

// Checks, before any work, that `path` may be written: not empty, its folder
// exists, it is not a directory, device, pipe or socket, not any of `inputs`
// (the scenario, a sweep's base scenario, a checkpoint, a map ...), and if it
// exists it is a borderland output of `kind` (so that a scenario, a map asset
// or any other file is never replaced). InputError (exit 2) naming the path
// otherwise.
OutputTarget check_output_path(const std::string& path, OutputKind kind,
                               const std::vector<std::string>& inputs = {});

// The writer's claim on NAME: an exclusive flock on NAME.partial.lock, held
// for the object's life (the kernel drops it when the process dies, so a
// killed run leaves no stale claim). A second writer gets InputError.
class OutputLock {
 public:
  explicit OutputLock(const std::string& path);
  ~OutputLock();
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;
  void release();  // unlocks and removes the lock file (after the final rename)

 private:
  std::string lock_path_;
  int fd_ = -1;
};

// Flushes `file` to the disk (fsync), renames it to `final_path` (atomic on
// POSIX within one file system) and fsyncs the folder so the new name is
// durable. RunError naming the file and the cause when any step fails; then
// `final_path` is untouched.
void commit_file(const std::string& file, const std::string& final_path);

// RunError "FILE: cannot write: No space left on device (...)" unless the
// folder of `file` has at least `bytes` free. Called before the steps that copy
// whole HDF5 objects: HDF5 1.10's H5Ocopy crashes (SIGSEGV) when a write fails
// in the middle of a copy, so a full disk must be found before it.
void ensure_space(const std::string& file, std::uintmax_t bytes);

// A new file `to` with the bytes of `from` (read and written in blocks, each
// checked): RunError naming the file and the cause; `to` is removed then.
void copy_file_bytes(const std::string& from, const std::string& to);

// fsync of one file; RunError naming it and the cause.
void sync_file(const std::string& path);

// The text of errno for messages ("No space left on device").
std::string errno_text(int error);

}  // namespace borderland::sim
