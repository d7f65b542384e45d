// LD_PRELOAD recorder for the power-cut tests (tests/power/): logs, in order, every operation
// that changes a file or a directory entry under POWER_CUT_DIR, with the data written, into
// POWER_CUT_LOG, so that tests/power/replay.py can build what a disk would hold after a power cut.
//
//   LD_PRELOAD=libpower_cut.so POWER_CUT_DIR=dir POWER_CUT_LOG=run.log heatmap-merge ...
//
// A record is one line of tab-separated fields, paths absolute with their directory resolved:
//
//   create PATH               a file created (open with O_CREAT, creat, mkstemp)
//   trunc PATH SIZE           ftruncate, or an open with O_TRUNC of a file that existed
//   write PATH OFFSET LENGTH  followed by the LENGTH bytes written and a newline (write, pwrite,
//                             writev, pwritev, copy_file_range and a FICLONE of the data copied)
//   sync PATH BEGIN           fsync or fdatasync of a file done: it covers the records before
//                             the BEGIN-th (counted from 0), those logged before it began
//   dirsync PATH BEGIN        the same for a directory: its entries
//   rename FROM TO, unlink PATH, mkdir PATH, rmdir PATH
//
// An operation and its record happen under one lock, so that the log's order is the order in
// which the kernel saw them whatever the thread; a flush runs outside it. Writes through mmap
// (SQLite's -shm) are not seen: SQLite rebuilds the -shm on first open after a crash.
// heatmap-merge links SQLite statically, but SQLite's calls still go through the dynamic libc.
#include <dlfcn.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

namespace {

struct Recorder {
  std::string dir; // resolved, no trailing slash; empty: record nothing
  int log = -1;
  unsigned long records = 0;
  std::mutex lock;
};

Recorder& recorder() {
  static Recorder* k_recorder = [] {
    auto* r = new Recorder;
    const char* dir = std::getenv("POWER_CUT_DIR");
    const char* log = std::getenv("POWER_CUT_LOG");
    char resolved[PATH_MAX];
    if (dir != nullptr && log != nullptr && realpath(dir, resolved) != nullptr) {
      r->dir = resolved;
      r->log = static_cast<int>(
        syscall(SYS_openat, AT_FDCWD, log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    }
    return r;
  }();
  return *k_recorder;
}

template <typename Function>
Function next(const char* name) {
  return reinterpret_cast<Function>(dlsym(RTLD_NEXT, name));
}

bool under(const std::string& path) {
  const Recorder& r = recorder();
  // The directory itself counts: its flush makes its entries durable.
  return r.log >= 0 && path.size() >= r.dir.size() && path.compare(0, r.dir.size(), r.dir) == 0 &&
         (path.size() == r.dir.size() || path[r.dir.size()] == '/');
}

// What `fd` names now; empty for a deleted file or the log.
std::string fd_path(int fd) {
  if (fd < 0 || fd == recorder().log) {
    return {};
  }
  char link[64];
  char path[PATH_MAX];
  std::snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
  const ssize_t length = readlink(link, path, sizeof(path) - 1);
  if (length <= 0) {
    return {};
  }
  std::string result(path, static_cast<std::size_t>(length));
  return result.size() > 10 && result.compare(result.size() - 10, 10, " (deleted)") == 0
           ? std::string()
           : result;
}

// `name` relative to `dirfd`, its directory resolved but not itself (a rename moves a link).
std::string at_path(int dirfd, const char* name) {
  std::string path;
  if (name[0] == '/') {
    path = name;
  } else if (dirfd == AT_FDCWD) {
    char cwd[PATH_MAX];
    path = std::string(getcwd(cwd, sizeof(cwd)) != nullptr ? cwd : ".") + "/" + name;
  } else {
    path = fd_path(dirfd) + "/" + name;
  }
  while (path.size() > 1 && path.back() == '/') {
    path.pop_back();
  }
  const std::size_t slash = path.rfind('/');
  char parent[PATH_MAX];
  if (slash == std::string::npos || realpath(path.substr(0, slash).c_str(), parent) == nullptr) {
    return path;
  }
  return std::string(parent) + path.substr(slash);
}

// Appends one record (the caller holds the lock); errno is left as the operation set it.
void record(const std::string& line, const void* data = nullptr, std::size_t size = 0) {
  Recorder& r = recorder();
  const int saved_errno = errno;
  std::string head = line + "\n";
  iovec parts[3] = {{head.data(), head.size()},
                    {const_cast<void*>(data), size},
                    {const_cast<char*>("\n"), data != nullptr ? 1U : 0U}};
  std::size_t total = head.size() + size + parts[2].iov_len;
  // A record larger than a pipe's atomic write still goes out whole: the lock is held.
  iovec* part = parts;
  int count = 3;
  while (total > 0) {
    const ssize_t written = syscall(SYS_writev, r.log, part, count);
    if (written <= 0) {
      break;
    }
    total -= static_cast<std::size_t>(written);
    for (std::size_t left = static_cast<std::size_t>(written); left > 0 && count > 0;) {
      const std::size_t step = left < part->iov_len ? left : part->iov_len;
      part->iov_base = static_cast<char*>(part->iov_base) + step;
      part->iov_len -= step;
      left -= step;
      if (part->iov_len == 0) {
        ++part;
        --count;
      }
    }
  }
  ++r.records;
  errno = saved_errno;
}

std::string fields(std::initializer_list<std::string> items) {
  std::string line;
  for (const std::string& item : items) {
    line += (line.empty() ? "" : "\t") + item;
  }
  return line;
}

// The offset a write without one starts at.
off_t current_offset(int fd) {
  const int flags = fcntl(fd, F_GETFL);
  struct stat status {};
  if (flags >= 0 && (flags & O_APPEND) != 0 && fstat(fd, &status) == 0) {
    return status.st_size;
  }
  return lseek(fd, 0, SEEK_CUR);
}

void record_write(const std::string& path, off_t offset, const void* data, ssize_t written) {
  if (written > 0) {
    record(fields({"write", path, std::to_string(offset), std::to_string(written)}),
           data,
           static_cast<std::size_t>(written));
  }
}

void record_vector_write(
  const std::string& path, off_t offset, const iovec* vector, int count, ssize_t written) {
  std::string data;
  for (int i = 0; i < count && data.size() < static_cast<std::size_t>(written > 0 ? written : 0);
       ++i) {
    data.append(static_cast<const char*>(vector[i].iov_base), vector[i].iov_len);
  }
  if (written > 0) {
    data.resize(static_cast<std::size_t>(written));
  }
  record_write(path, offset, data.data(), written);
}

// `size` bytes of `fd` from `offset`, read back to log a copy the kernel made.
std::vector<char> read_range(int fd, off_t offset, std::size_t size) {
  std::vector<char> data(size);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t got =
      pread(fd, data.data() + done, size - done, offset + static_cast<off_t>(done));
    if (got <= 0) {
      break;
    }
    done += static_cast<std::size_t>(got);
  }
  data.resize(done);
  return data;
}

// Runs `operation` (returning its result) on a descriptor under the directory, and records it.
template <typename Operation, typename Log>
auto on_fd(int fd, Operation operation, Log log) {
  if (!under(fd_path(fd))) {
    return operation();
  }
  std::lock_guard<std::mutex> guard(recorder().lock);
  const std::string path = fd_path(fd);
  auto result = operation();
  if (under(path)) {
    log(path, result);
  }
  return result;
}

int flush(const char* name, int fd) {
  const auto sync = next<int (*)(int)>(name);
  const std::string path = fd_path(fd);
  if (!under(path)) {
    return sync(fd);
  }
  unsigned long begin = 0;
  {
    std::lock_guard<std::mutex> guard(recorder().lock);
    begin = recorder().records;
  }
  const int result = sync(fd);
  struct stat status {};
  if (result == 0 && fstat(fd, &status) == 0) {
    std::lock_guard<std::mutex> guard(recorder().lock);
    record(fields({S_ISDIR(status.st_mode) ? "dirsync" : "sync", path, std::to_string(begin)}));
  }
  return result;
}

// An open at `dirfd`/`name`: records a file it created, or one it truncated.
template <typename Open>
int opened(int dirfd, const char* name, int flags, Open open_it) {
  if ((flags & (O_CREAT | O_TRUNC)) == 0 || (flags & O_TMPFILE) == O_TMPFILE ||
      !under(at_path(dirfd, name))) {
    return open_it();
  }
  std::lock_guard<std::mutex> guard(recorder().lock);
  const std::string path = at_path(dirfd, name);
  struct stat status {};
  const bool existed = fstatat(dirfd, name, &status, AT_SYMLINK_NOFOLLOW) == 0;
  const int fd = open_it();
  if (fd >= 0 && !existed) {
    record(fields({"create", path}));
  } else if (fd >= 0 && (flags & O_TRUNC) != 0 && (flags & O_ACCMODE) != O_RDONLY &&
             S_ISREG(status.st_mode) && status.st_size > 0) {
    record(fields({"trunc", path, "0"}));
  }
  return fd;
}

mode_t mode_of(int flags, va_list args) {
  return (flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE ? va_arg(args, mode_t) : 0;
}

// A change of directory entries at `path` (and `to`), recorded when it succeeded.
template <typename Change>
int entry(const char* op, const std::string& path, const std::string& to, Change change) {
  if (!under(path) && !under(to)) {
    return change();
  }
  std::lock_guard<std::mutex> guard(recorder().lock);
  const int result = change();
  if (result == 0) {
    record(to.empty() ? fields({op, path}) : fields({op, path, to}));
  }
  return result;
}

} // namespace

extern "C" {

int fsync(int fd) {
  return flush("fsync", fd);
}

int fdatasync(int fd) {
  return flush("fdatasync", fd);
}

#define POWER_CUT_OPEN(NAME)                                                                       \
  int NAME(const char* name, int flags, ...) {                                                     \
    va_list args;                                                                                  \
    va_start(args, flags);                                                                         \
    const mode_t mode = mode_of(flags, args);                                                      \
    va_end(args);                                                                                  \
    return opened(AT_FDCWD, name, flags, [&] {                                                     \
      return next<int (*)(const char*, int, mode_t)>(#NAME)(name, flags, mode);                    \
    });                                                                                            \
  }
#define POWER_CUT_OPENAT(NAME)                                                                     \
  int NAME(int dirfd, const char* name, int flags, ...) {                                          \
    va_list args;                                                                                  \
    va_start(args, flags);                                                                         \
    const mode_t mode = mode_of(flags, args);                                                      \
    va_end(args);                                                                                  \
    return opened(dirfd, name, flags, [&] {                                                        \
      return next<int (*)(int, const char*, int, mode_t)>(#NAME)(dirfd, name, flags, mode);        \
    });                                                                                            \
  }
POWER_CUT_OPEN(open)
POWER_CUT_OPEN(open64)
POWER_CUT_OPENAT(openat)
POWER_CUT_OPENAT(openat64)

int creat(const char* name, mode_t mode) {
  return open(name, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

int creat64(const char* name, mode_t mode) {
  return open(name, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

// glibc's mkstemp opens through an internal call that the shim cannot see.
int mkstemp(char* name) {
  const std::string path = at_path(AT_FDCWD, name);
  if (!under(path)) {
    return next<int (*)(char*)>("mkstemp")(name);
  }
  std::lock_guard<std::mutex> guard(recorder().lock);
  const int fd = next<int (*)(char*)>("mkstemp")(name);
  if (fd >= 0) {
    record(fields({"create", at_path(AT_FDCWD, name)}));
  }
  return fd;
}

int mkstemp64(char* name) {
  return mkstemp(name);
}

ssize_t write(int fd, const void* data, size_t size) {
  off_t offset = 0;
  return on_fd(
    fd,
    [&] {
      offset = current_offset(fd);
      return next<ssize_t (*)(int, const void*, size_t)>("write")(fd, data, size);
    },
    [&](const std::string& path, ssize_t written) { record_write(path, offset, data, written); });
}

#define POWER_CUT_PWRITE(NAME)                                                                     \
  ssize_t NAME(int fd, const void* data, size_t size, off_t offset) {                              \
    return on_fd(                                                                                  \
      fd,                                                                                          \
      [&] {                                                                                        \
        return next<ssize_t (*)(int, const void*, size_t, off_t)>(#NAME)(fd, data, size, offset);  \
      },                                                                                           \
      [&](const std::string& path, ssize_t written) {                                              \
        record_write(path, offset, data, written);                                                 \
      });                                                                                          \
  }
POWER_CUT_PWRITE(pwrite)
POWER_CUT_PWRITE(pwrite64)

ssize_t writev(int fd, const iovec* vector, int count) {
  off_t offset = 0;
  return on_fd(
    fd,
    [&] {
      offset = current_offset(fd);
      return next<ssize_t (*)(int, const iovec*, int)>("writev")(fd, vector, count);
    },
    [&](const std::string& path, ssize_t written) {
      record_vector_write(path, offset, vector, count, written);
    });
}

#define POWER_CUT_PWRITEV(NAME)                                                                    \
  ssize_t NAME(int fd, const iovec* vector, int count, off_t offset) {                             \
    return on_fd(                                                                                  \
      fd,                                                                                          \
      [&] {                                                                                        \
        return next<ssize_t (*)(int, const iovec*, int, off_t)>(#NAME)(fd, vector, count, offset); \
      },                                                                                           \
      [&](const std::string& path, ssize_t written) {                                              \
        record_vector_write(path, offset, vector, count, written);                                 \
      });                                                                                          \
  }
POWER_CUT_PWRITEV(pwritev)
POWER_CUT_PWRITEV(pwritev64)

#define POWER_CUT_FTRUNCATE(NAME)                                                                  \
  int NAME(int fd, off_t size) {                                                                   \
    return on_fd(                                                                                  \
      fd,                                                                                          \
      [&] { return next<int (*)(int, off_t)>(#NAME)(fd, size); },                                  \
      [&](const std::string& path, int result) {                                                   \
        if (result == 0) {                                                                         \
          record(fields({"trunc", path, std::to_string(size)}));                                   \
        }                                                                                          \
      });                                                                                          \
  }
POWER_CUT_FTRUNCATE(ftruncate)
POWER_CUT_FTRUNCATE(ftruncate64)

// Logged as a write of the data copied, read back from the source.
ssize_t copy_file_range(
  int in_fd, off64_t* in_offset, int out_fd, off64_t* out_offset, size_t size, unsigned flags) {
  off_t from = 0;
  off_t to = 0;
  return on_fd(
    out_fd,
    [&] {
      from = in_offset != nullptr ? *in_offset : lseek(in_fd, 0, SEEK_CUR);
      to = out_offset != nullptr ? *out_offset : lseek(out_fd, 0, SEEK_CUR);
      return next<ssize_t (*)(int, off64_t*, int, off64_t*, size_t, unsigned)>("copy_file_range")(
        in_fd, in_offset, out_fd, out_offset, size, flags);
    },
    [&](const std::string& path, ssize_t copied) {
      if (copied > 0) {
        const std::vector<char> data = read_range(in_fd, from, static_cast<std::size_t>(copied));
        record_write(path, to, data.data(), static_cast<ssize_t>(data.size()));
      }
    });
}

// A reflink (FICLONE) is logged as the whole source written over the file.
int ioctl(int fd, unsigned long request, ...) {
  va_list args;
  va_start(args, request);
  void* argument = va_arg(args, void*);
  va_end(args);
  const auto call = [&] {
    return next<int (*)(int, unsigned long, void*)>("ioctl")(fd, request, argument);
  };
  if (request != FICLONE) {
    return call();
  }
  const int source = static_cast<int>(reinterpret_cast<intptr_t>(argument));
  return on_fd(fd, call, [&](const std::string& path, int result) {
    struct stat status {};
    if (result == 0 && fstat(source, &status) == 0) {
      const std::vector<char> data =
        read_range(source, 0, static_cast<std::size_t>(status.st_size));
      record(fields({"trunc", path, "0"}));
      record_write(path, 0, data.data(), static_cast<ssize_t>(data.size()));
    }
  });
}

int rename(const char* from, const char* to) {
  return entry("rename", at_path(AT_FDCWD, from), at_path(AT_FDCWD, to), [&] {
    return next<int (*)(const char*, const char*)>("rename")(from, to);
  });
}

int renameat(int from_dir, const char* from, int to_dir, const char* to) {
  return entry("rename", at_path(from_dir, from), at_path(to_dir, to), [&] {
    return next<int (*)(int, const char*, int, const char*)>("renameat")(
      from_dir, from, to_dir, to);
  });
}

int renameat2(int from_dir, const char* from, int to_dir, const char* to, unsigned flags) {
  return entry("rename", at_path(from_dir, from), at_path(to_dir, to), [&] {
    return next<int (*)(int, const char*, int, const char*, unsigned)>("renameat2")(
      from_dir, from, to_dir, to, flags);
  });
}

int unlink(const char* name) {
  return entry("unlink", at_path(AT_FDCWD, name), "", [&] {
    return next<int (*)(const char*)>("unlink")(name);
  });
}

int unlinkat(int dirfd, const char* name, int flags) {
  return entry((flags & AT_REMOVEDIR) != 0 ? "rmdir" : "unlink", at_path(dirfd, name), "", [&] {
    return next<int (*)(int, const char*, int)>("unlinkat")(dirfd, name, flags);
  });
}

int rmdir(const char* name) {
  return entry("rmdir", at_path(AT_FDCWD, name), "", [&] {
    return next<int (*)(const char*)>("rmdir")(name);
  });
}

int mkdir(const char* name, mode_t mode) {
  return entry("mkdir", at_path(AT_FDCWD, name), "", [&] {
    return next<int (*)(const char*, mode_t)>("mkdir")(name, mode);
  });
}

int mkdirat(int dirfd, const char* name, mode_t mode) {
  return entry("mkdir", at_path(dirfd, name), "", [&] {
    return next<int (*)(int, const char*, mode_t)>("mkdirat")(dirfd, name, mode);
  });
}

} // extern "C"
