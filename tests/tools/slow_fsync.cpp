// LD_PRELOAD shim for the torture and end-to-end tests: every fsync and fdatasync waits
// SLOW_FSYNC_MS milliseconds (default 20) before doing its work, as on an ordinary disk, so that a
// commit costs what it costs in production (a rollback-journal commit flushes three times, a WAL
// one once). With SLOW_FSYNC_LOG=FILE it also logs, one line each, every flush, rename and write
// (write, pwrite, writev, copy_file_range...) with the file's path, so that a test can check the
// order in which a file was written, flushed and renamed:
//
//   LD_PRELOAD=libslow_fsync.so SLOW_FSYNC_MS=20 heatmap-merge ...
//   LD_PRELOAD=libslow_fsync.so SLOW_FSYNC_MS=0 SLOW_FSYNC_LOG=calls.log heatmap-merge ...
//
// A log line is "CALL PATH" ("rename FROM TO" for renames; a flush twice, "fsync PATH" as it
// begins and "fsync-done PATH" once done), PATH as /proc/self/fd/N names the descriptor at the
// time of the call; writes to the log itself and to descriptors 0 to 2 are not logged.
//
// heatmap-merge links SQLite statically, but SQLite's calls still go through the dynamic libc, so
// the shim sees them. Under AddressSanitizer, set ASAN_OPTIONS=verify_asan_link_order=0.
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace {

using SyncFunction = int (*)(int);

long delay_ms() {
  static const long k_delay_ms = [] {
    const char* value = std::getenv("SLOW_FSYNC_MS");
    return value != nullptr ? std::atol(value) : 20L;
  }();
  return k_delay_ms;
}

void wait_like_a_disk() {
  if (delay_ms() <= 0) {
    return;
  }
  timespec remaining{delay_ms() / 1000, (delay_ms() % 1000) * 1000000};
  const int saved_errno = errno;
  while (nanosleep(&remaining, &remaining) != 0 && errno == EINTR) {
  }
  errno = saved_errno;
}

// The libc function the shim stands in front of; dlsym is cheap next to a disk flush.
template <typename Function>
Function next_function(const char* name) {
  return reinterpret_cast<Function>(dlsym(RTLD_NEXT, name));
}

int call_next(const char* name, int fd) {
  const auto next = next_function<SyncFunction>(name);
  if (next == nullptr) {
    errno = ENOSYS;
    return -1;
  }
  return next(fd);
}

// The log's descriptor, opened on first use (-1: no log). Lines go out with raw system calls, in
// one write each (O_APPEND), so that threads do not mix them and the shim never calls itself.
int log_fd() {
  static const int k_fd = [] {
    const char* path = std::getenv("SLOW_FSYNC_LOG");
    if (path == nullptr || *path == '\0') {
      return -1;
    }
    return static_cast<int>(
      syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  }();
  return k_fd;
}

// What `fd` names, or "fd:N" when /proc cannot tell.
void fd_path(int fd, char* path, std::size_t size) {
  char link[64];
  std::snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
  const ssize_t length = readlink(link, path, size - 1);
  if (length < 0) {
    std::snprintf(path, size, "fd:%d", fd);
    return;
  }
  path[length] = '\0';
}

// `name` as opened relative to `dirfd`.
void at_path(int dirfd, const char* name, char* path, std::size_t size) {
  if (name[0] == '/' || dirfd == AT_FDCWD) {
    if (name[0] != '/' && getcwd(path, size) != nullptr) {
      const std::size_t used = std::strlen(path);
      std::snprintf(path + used, size - used, "/%s", name);
      return;
    }
    std::snprintf(path, size, "%s", name);
    return;
  }
  fd_path(dirfd, path, size);
  const std::size_t used = std::strlen(path);
  std::snprintf(path + used, size - used, "/%s", name);
}

void log_line(const char* call, const char* first, const char* second = nullptr) {
  const int saved_errno = errno;
  char line[8300];
  const int length = second != nullptr
                       ? std::snprintf(line, sizeof(line), "%s %s %s\n", call, first, second)
                       : std::snprintf(line, sizeof(line), "%s %s\n", call, first);
  if (length > 0) {
    syscall(SYS_write, log_fd(), line, static_cast<std::size_t>(length));
  }
  errno = saved_errno;
}

void log_fd_call(const char* call, int fd) {
  if (log_fd() < 0 || fd == log_fd() || fd <= 2) {
    return;
  }
  char path[4096];
  fd_path(fd, path, sizeof(path));
  log_line(call, path);
}

void log_rename(const char* call, int from_dir, const char* from, int to_dir, const char* to) {
  if (log_fd() < 0) {
    return;
  }
  char from_path[4096];
  char to_path[4096];
  at_path(from_dir, from, from_path, sizeof(from_path));
  at_path(to_dir, to, to_path, sizeof(to_path));
  log_line(call, from_path, to_path);
}

} // namespace

// A flush is logged as it begins and once done ("fsync-done PATH"): what was written before it
// began is what it makes durable, and it is durable once it is done.
extern "C" int fsync(int fd) {
  log_fd_call("fsync", fd);
  wait_like_a_disk();
  const int result = call_next("fsync", fd);
  log_fd_call(result == 0 ? "fsync-done" : "fsync-failed", fd);
  return result;
}

extern "C" int fdatasync(int fd) {
  log_fd_call("fdatasync", fd);
  wait_like_a_disk();
  const int result = call_next("fdatasync", fd);
  log_fd_call(result == 0 ? "fdatasync-done" : "fdatasync-failed", fd);
  return result;
}

// The writes are logged before they happen, the renames once done.
extern "C" ssize_t write(int fd, const void* buffer, size_t count) {
  log_fd_call("write", fd);
  return next_function<ssize_t (*)(int, const void*, size_t)>("write")(fd, buffer, count);
}

extern "C" ssize_t pwrite(int fd, const void* buffer, size_t count, off_t offset) {
  log_fd_call("write", fd);
  return next_function<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite")(
    fd, buffer, count, offset);
}

extern "C" ssize_t pwrite64(int fd, const void* buffer, size_t count, off64_t offset) {
  log_fd_call("write", fd);
  return next_function<ssize_t (*)(int, const void*, size_t, off64_t)>("pwrite64")(
    fd, buffer, count, offset);
}

extern "C" ssize_t writev(int fd, const struct iovec* vector, int count) {
  log_fd_call("write", fd);
  return next_function<ssize_t (*)(int, const struct iovec*, int)>("writev")(fd, vector, count);
}

extern "C" ssize_t pwritev(int fd, const struct iovec* vector, int count, off_t offset) {
  log_fd_call("write", fd);
  return next_function<ssize_t (*)(int, const struct iovec*, int, off_t)>("pwritev")(
    fd, vector, count, offset);
}

extern "C" ssize_t copy_file_range(
  int in_fd, off64_t* in_offset, int out_fd, off64_t* out_offset, size_t count, unsigned flags) {
  log_fd_call("write", out_fd);
  return next_function<ssize_t (*)(int, off64_t*, int, off64_t*, size_t, unsigned)>(
    "copy_file_range")(in_fd, in_offset, out_fd, out_offset, count, flags);
}

extern "C" int rename(const char* from, const char* to) {
  const int result = next_function<int (*)(const char*, const char*)>("rename")(from, to);
  if (result == 0) {
    log_rename("rename", AT_FDCWD, from, AT_FDCWD, to);
  }
  return result;
}

extern "C" int renameat(int from_dir, const char* from, int to_dir, const char* to) {
  const int result = next_function<int (*)(int, const char*, int, const char*)>("renameat")(
    from_dir, from, to_dir, to);
  if (result == 0) {
    log_rename("rename", from_dir, from, to_dir, to);
  }
  return result;
}

extern "C" int
renameat2(int from_dir, const char* from, int to_dir, const char* to, unsigned flags) {
  const int result = next_function<int (*)(int, const char*, int, const char*, unsigned)>(
    "renameat2")(from_dir, from, to_dir, to, flags);
  if (result == 0) {
    log_rename("rename", from_dir, from, to_dir, to);
  }
  return result;
}
