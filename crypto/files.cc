#include "crypto/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

namespace jejak {
namespace {

// A temporary name beside `path`, unique within the process and across processes.
std::string TempNameFor(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  return path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

// Creates `tmp` with `data`, fsynced when `sync`. On error nothing is left behind.
Status WriteTemp(const std::string& tmp, const std::string& path, std::string_view data,
                 unsigned mode, bool sync) {
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == ENOSPC) return ResourceExhausted("no space left on device while writing " + path);
    return IOError(tmp + ": " + ErrnoText(errno));
  }
  auto fail = [&](const char* what) {
    const int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    if (err == ENOSPC) return ResourceExhausted("no space left on device while writing " + path);
    return IOError(path + ": " + what + ": " + ErrnoText(err));
  };
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write");
    }
    off += static_cast<size_t>(n);
  }
  if (sync && ::fsync(fd) != 0) return fail("fsync");
  ::close(fd);
  return Status::Ok();
}

Status RenameInto(const std::string& tmp, const std::string& path) {
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return IOError(path + ": rename: " + ErrnoText(err));
  }
  return Status::Ok();
}

std::string ParentOf(const std::string& path) {
  const std::filesystem::path p(path);
  return p.has_parent_path() ? p.parent_path().string() : ".";
}

}  // namespace

std::string ErrnoText(int err) { return std::strerror(err); }

std::string_view FileTypeName(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

Result<std::string> ReadFile(const std::string& path, size_t max_bytes, FileSource source) {
  // Opened without blocking (a FIFO with no writer would wait forever), and
  // judged by what was opened, not by a name that could change in between.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return NotFound(path + ": no such file");
    return IOError(path + ": " + ErrnoText(err));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return IOError(path + ": " + ErrnoText(err));
  }
  const bool pipe_ok = source == FileSource::kAlsoPipes && S_ISFIFO(st.st_mode);
  if (!S_ISREG(st.st_mode) && !pipe_ok) {
    ::close(fd);
    return InvalidArgument(
        fmt::format("{}: {}, not a regular file", path, FileTypeName(st.st_mode)));
  }
  // Reads block again (a pipe's writer may be slow).
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  std::string out;
  char buf[65536];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return IOError(path + ": " + ErrnoText(err));
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      ::close(fd);
      return InvalidArgument(path + ": file is larger than " + std::to_string(max_bytes) +
                             " bytes");
    }
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IOError(dir + ": " + ErrnoText(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return IOError(dir + ": fsync: " + ErrnoText(err));
  return Status::Ok();
}

Status WriteFileAtomic(const std::string& path, std::string_view data, unsigned mode,
                       bool no_clobber) {
  const std::string tmp = TempNameFor(path);
  RETURN_IF_ERROR(WriteTemp(tmp, path, data, mode, /*sync=*/true));
  if (no_clobber) {
    // link() fails rather than replace, so an existing file is never lost.
    const int rc = ::link(tmp.c_str(), path.c_str());
    const int err = errno;
    ::unlink(tmp.c_str());
    if (rc != 0) {
      if (err == EEXIST) return AlreadyExists(path + " already exists; not overwriting it");
      return IOError(path + ": " + ErrnoText(err));
    }
  } else {
    RETURN_IF_ERROR(RenameInto(tmp, path));
  }
  return SyncDirectory(ParentOf(path));
}

Status WriteFileUnsynced(const std::string& path, std::string_view data) {
  const std::string tmp = TempNameFor(path);
  RETURN_IF_ERROR(WriteTemp(tmp, path, data, 0644, /*sync=*/false));
  return RenameInto(tmp, path);
}

Status SyncFileSystem(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IOError(path + ": " + ErrnoText(errno));
  const int rc = ::syncfs(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return IOError(path + ": syncfs: " + ErrnoText(err));
  return Status::Ok();
}

Status MakeDirectories(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IOError(dir + ": " + ec.message());
  return Status::Ok();
}

}  // namespace jejak
