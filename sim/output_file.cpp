#include "sim/output_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <vector>

#include "sim/error.hpp"
#include "sim/h5.hpp"

namespace borderland::sim {

namespace fs = std::filesystem;

std::string errno_text(int error) {
  return std::strerror(error);
}

namespace {
const char* kind_format(OutputKind kind) {
  return kind == OutputKind::kRun ? "borderland" : "borderland-sweep";
}

const char* file_type_name(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a named pipe";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISREG(mode)) return "a file";
  return "not a regular file";
}

// The `format` attribute of an HDF5 file, or "" when it is not one of ours.
std::string format_of(const std::string& path) {
  if (!h5::is_hdf5(path)) return "";
  try {
    const h5::File f(path, h5::File::Mode::kReadOnly);
    return f.has_attr("format") ? f.attr_string("format") : "";
  } catch (const Error&) {
    return "";
  }
}
}  // namespace

OutputTarget check_output_path(const std::string& path, OutputKind kind,
                               const std::vector<std::string>& inputs) {
  std::error_code ec;
  if (path.empty()) throw InputError("-o: error: empty output path");
  const fs::path parent = fs::path(path).parent_path();
  struct stat st {};
  if (!parent.empty() && ::stat(parent.c_str(), &st) != 0)
    throw InputError(fmt::format(
        "{}: error: output folder '{}' {}", path, parent.string(),
        errno == ENOENT ? "does not exist" : "cannot be reached: " + errno_text(errno)));
  if (!parent.empty() && !S_ISDIR(st.st_mode))
    throw InputError(fmt::format("{}: error: output folder '{}' is {}, not a folder", path,
                                 parent.string(), file_type_name(st.st_mode)));
  // The working file and its lock add a suffix to the name: each must be a name the system takes.
  for (const std::string& name : {path, path + ".partial.lock"})
    if (fs::path(name).filename().string().size() > NAME_MAX || (name.size() >= PATH_MAX))
      throw InputError(
          fmt::format("{}: error: {}the file name is too long ({} bytes; at most {} in one name "
                      "and {} in a path)",
                      path, name == path ? "" : "with the suffix .partial.lock ",
                      fs::path(name).filename().string().size(), NAME_MAX, PATH_MAX - 1));
  OutputTarget target;
  if (::stat(path.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode))
      throw InputError(fmt::format(
          "{}: error: output path is {}; an output must be a regular file or a new name", path,
          file_type_name(st.st_mode)));
    for (const auto& input : inputs)
      if (!input.empty() && fs::equivalent(path, input, ec))
        throw InputError(fmt::format(
            "{}: error: the output path is an input of this run ({}); choose another -o", path,
            input));
    const std::string format = format_of(path);
    if (format != kind_format(kind))
      throw InputError(fmt::format(
          "{}: error: the file exists and is not a borderland {} output ({}); refusing to "
          "replace it: choose another -o or delete it",
          path, kind == OutputKind::kRun ? "run" : "sweep",
          format.empty() ? "not a borderland HDF5 file" : "format \"" + format + "\""));
    target.exists = true;
  }
  const std::string partial = path + ".partial";
  if (::lstat(partial.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    throw InputError(fmt::format(
        "{}: error: {} is in the way of the working file; remove it or choose another -o", partial,
        file_type_name(st.st_mode)));
  return target;
}

OutputLock::OutputLock(const std::string& path) : lock_path_(path + ".partial.lock") {
  fd_ = ::open(lock_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw InputError(fmt::format("{}: error: cannot write output here (the lock file {}: {})", path,
                                 lock_path_, errno_text(errno)));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK)
      throw InputError(fmt::format(
          "{}: error: another borderland process is writing this output (it holds {}); wait for "
          "it or choose another -o",
          path, lock_path_));
    throw InputError(
        fmt::format("{}: error: cannot lock {}: {}", path, lock_path_, errno_text(error)));
  }
}

OutputLock::~OutputLock() {
  if (fd_ >= 0) ::close(fd_);  // closing drops the flock; the file stays for the next writer
}

void OutputLock::release() {
  if (fd_ < 0) return;
  ::unlink(lock_path_.c_str());  // while still locked: no other writer holds a lock on it
  ::close(fd_);
  fd_ = -1;
}

void ensure_space(const std::string& file, std::uintmax_t bytes) {
  fs::path folder = fs::absolute(file).parent_path();
  struct statvfs st {};
  if (::statvfs(folder.c_str(), &st) != 0) return;  // cannot tell: the writes will say
  const std::uintmax_t free_bytes = static_cast<std::uintmax_t>(st.f_bavail) * st.f_frsize;
  constexpr double kMiB = 1024.0 * 1024.0;
  if (free_bytes < bytes)
    throw RunError(fmt::format(
        "{}: cannot write: No space left on device (about {:.1f} MiB needed, {:.1f} MiB free)",
        file, static_cast<double>(bytes) / kMiB, static_cast<double>(free_bytes) / kMiB));
}

void sync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw RunError(fmt::format("{}: cannot open to sync: {}", path, errno_text(errno)));
  const int status = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (status != 0)
    throw RunError(fmt::format("{}: cannot sync to disk: {}", path, errno_text(error)));
}

void copy_file_bytes(const std::string& from, const std::string& to) {
  const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) throw RunError(fmt::format("{}: cannot read: {}", from, errno_text(errno)));
  const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (out < 0) {
    const int error = errno;
    ::close(in);
    throw RunError(fmt::format("{}: cannot create: {}", to, errno_text(error)));
  }
  std::vector<char> block(std::size_t{1} << 20);
  std::string failure;
  while (failure.empty()) {
    const ssize_t n = ::read(in, block.data(), block.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) failure = fmt::format("{}: cannot read: {}", from, errno_text(errno));
    if (n <= 0) break;
    for (ssize_t done = 0; done < n && failure.empty();) {
      const ssize_t w = ::write(out, block.data() + done, static_cast<std::size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) failure = fmt::format("{}: cannot write: {}", to, errno_text(errno));
      done += w > 0 ? w : 0;
    }
  }
  ::close(in);
  if (::close(out) != 0 && failure.empty())
    failure = fmt::format("{}: cannot write: {}", to, errno_text(errno));
  if (!failure.empty()) {
    ::unlink(to.c_str());
    throw RunError(failure);
  }
}

void commit_file(const std::string& file, const std::string& final_path) {
  sync_file(file);
  if (::rename(file.c_str(), final_path.c_str()) != 0)
    throw RunError(fmt::format("{}: cannot rename to {}: {}", file, final_path, errno_text(errno)));
  fs::path folder = fs::path(final_path).parent_path();
  if (folder.empty()) folder = ".";
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {  // a folder that cannot be opened for sync still has the new name
    const int status = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (status != 0 && error != EINVAL)  // EINVAL: the file system does not sync folders
      throw RunError(fmt::format("{}: cannot sync folder {}: {}", final_path, folder.string(),
                                 errno_text(error)));
  }
}

}  // namespace borderland::sim
