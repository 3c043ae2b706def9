// A fault-injecting layer for tests, loaded with LD_PRELOAD into the borderland
// executable: the Nth call of one operation on a file whose path contains a
// given text fails with a given errno, as a failing disk or a full one would
// make it fail. Everything else goes to the C library unchanged.
//
//   BORDERLAND_FAULT_OP      write (write, pwrite, pwrite64, writev), fsync (fsync,
//                            fdatasync) or rename (rename, renameat)
//   BORDERLAND_FAULT_AT      N: the Nth matching call fails (1 = the first)
//   BORDERLAND_FAULT_ERRNO   EIO or ENOSPC
//   BORDERLAND_FAULT_PATH    only calls on paths containing this text count
//   BORDERLAND_FAULT_REPORT  a file that gets one line when the fault fires
//
// The call that fails does nothing (a write writes no byte), so the file is
// as a failed disk leaves it; later calls succeed again.
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

enum class Op { kNone, kWrite, kFsync, kRename };

struct Config {
  Op op = Op::kNone;
  long at = 0;
  int error = EIO;
  const char* path = "";
  const char* report = nullptr;
};

const Config& config() {
  static const Config c = [] {
    Config r;
    const char* op = std::getenv("BORDERLAND_FAULT_OP");
    const char* at = std::getenv("BORDERLAND_FAULT_AT");
    const char* error = std::getenv("BORDERLAND_FAULT_ERRNO");
    const char* path = std::getenv("BORDERLAND_FAULT_PATH");
    if (op != nullptr && std::strcmp(op, "write") == 0) r.op = Op::kWrite;
    if (op != nullptr && std::strcmp(op, "fsync") == 0) r.op = Op::kFsync;
    if (op != nullptr && std::strcmp(op, "rename") == 0) r.op = Op::kRename;
    r.at = at != nullptr ? std::atol(at) : 0;
    if (error != nullptr && std::strcmp(error, "ENOSPC") == 0) r.error = ENOSPC;
    if (path != nullptr) r.path = path;
    r.report = std::getenv("BORDERLAND_FAULT_REPORT");
    return r;
  }();
  return c;
}

std::atomic<long> calls{0};

template <class F>
F next(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

bool path_matches(const char* path) {
  return path != nullptr && std::strstr(path, config().path) != nullptr;
}

bool fd_matches(int fd) {
  if (fd <= STDERR_FILENO) return false;
  char link[64], target[4096];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = readlink(link, target, sizeof target - 1);
  if (n <= 0) return false;
  target[n] = '\0';
  return path_matches(target);
}

void report(const char* what) {
  if (config().report == nullptr) return;
  using Open = int (*)(const char*, int, ...);
  using Write = ssize_t (*)(int, const void*, size_t);
  static const Open real_open = next<Open>("open");
  static const Write real_write = next<Write>("write");
  const int fd = real_open(config().report, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;
  char line[128];
  const int n = std::snprintf(line, sizeof line, "%s call %ld failed with %s\n", what, calls.load(),
                              config().error == ENOSPC ? "ENOSPC" : "EIO");
  if (n > 0) (void)real_write(fd, line, static_cast<size_t>(n));
  close(fd);
}

// True when this call is the one to fail (errno is then set).
bool fail_now(Op op, bool matches, const char* what) {
  if (config().op != op || !matches) return false;
  if (calls.fetch_add(1) + 1 != config().at) return false;
  report(what);
  errno = config().error;
  return true;
}

}  // namespace

extern "C" {

ssize_t write(int fd, const void* buf, size_t count) {
  static const auto real = next<ssize_t (*)(int, const void*, size_t)>("write");
  if (config().op == Op::kWrite && fail_now(Op::kWrite, fd_matches(fd), "write")) return -1;
  return real(fd, buf, count);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
  static const auto real = next<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite");
  if (config().op == Op::kWrite && fail_now(Op::kWrite, fd_matches(fd), "pwrite")) return -1;
  return real(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off64_t offset) {
  static const auto real = next<ssize_t (*)(int, const void*, size_t, off64_t)>("pwrite64");
  if (config().op == Op::kWrite && fail_now(Op::kWrite, fd_matches(fd), "pwrite64")) return -1;
  return real(fd, buf, count, offset);
}

ssize_t writev(int fd, const struct iovec* iov, int n) {
  static const auto real = next<ssize_t (*)(int, const struct iovec*, int)>("writev");
  if (config().op == Op::kWrite && fail_now(Op::kWrite, fd_matches(fd), "writev")) return -1;
  return real(fd, iov, n);
}

int fsync(int fd) {
  static const auto real = next<int (*)(int)>("fsync");
  if (config().op == Op::kFsync && fail_now(Op::kFsync, fd_matches(fd), "fsync")) return -1;
  return real(fd);
}

int fdatasync(int fd) {
  static const auto real = next<int (*)(int)>("fdatasync");
  if (config().op == Op::kFsync && fail_now(Op::kFsync, fd_matches(fd), "fdatasync")) return -1;
  return real(fd);
}

int rename(const char* from, const char* to) {
  static const auto real = next<int (*)(const char*, const char*)>("rename");
  if (fail_now(Op::kRename, path_matches(from) || path_matches(to), "rename")) return -1;
  return real(from, to);
}

int renameat(int from_dir, const char* from, int to_dir, const char* to) {
  static const auto real = next<int (*)(int, const char*, int, const char*)>("renameat");
  if (fail_now(Op::kRename, path_matches(from) || path_matches(to), "renameat")) return -1;
  return real(from_dir, from, to_dir, to);
}

}  // extern "C"
