// LD_PRELOAD fault injector for the I/O fault matrix (tests/power/faults.sh): the N-th write or
// flush of a file under IO_FAULT_DIR fails with EIO or ENOSPC, as on a failing or full disk.
//
//   LD_PRELOAD=libio_fault.so IO_FAULT_DIR=dir IO_FAULT_CALL=write|flush|any IO_FAULT_AT=N
//     IO_FAULT_ERRNO=EIO|ENOSPC IO_FAULT_COUNT_LOG=calls.log heatmap-merge ...
//
// Writes: write, pwrite, pwritev, writev (and their 64 variants), copy_file_range, ftruncate,
// fallocate and ioctl FICLONE; flushes: fsync and fdatasync (a directory's too, the directory
// IO_FAULT_DIR included). A call counts when its descriptor, resolved through /proc/self/fd,
// names IO_FAULT_DIR or a file under it (an unlinked or O_TMPFILE one included). Without
// IO_FAULT_AT nothing fails: a clean run counts the calls. IO_FAULT_COUNT_LOG gets a line a
// counted call, "KIND K CALL PATH" (K: its number among the calls of its kind, from 1), and
// "fault KIND K CALL PATH ERRNO" for the one made to fail, so the driver knows the range of N.
//
// Standard output through stdio never reaches the interposed write (glibc writes from inside):
// when descriptor 1 is under IO_FAULT_DIR, std::cout is given a stdio stream whose writes go
// through write() here, as glibc's own stream would make them. SQLite's calls, though SQLite is
// linked statically, go through the dynamic libc, so the shim sees them.
#include <dlfcn.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ext/stdio_sync_filebuf.h>
#include <iostream>
#include <string>

namespace {

enum class Kind { write, flush };

struct Config {
  std::string dir; // resolved; empty: count nothing
  bool writes = false;
  bool flushes = false;
  long at = 0; // 0: fail nothing
  int error = EIO;
  int log = -1;
};

const Config& config() {
  static const Config* k_config = [] {
    auto* c = new Config;
    const char* dir = std::getenv("IO_FAULT_DIR");
    char resolved[PATH_MAX];
    if (dir != nullptr && realpath(dir, resolved) != nullptr) {
      c->dir = resolved;
    }
    const char* call = std::getenv("IO_FAULT_CALL");
    const std::string calls = call != nullptr ? call : "any";
    c->writes = calls == "write" || calls == "any";
    c->flushes = calls == "flush" || calls == "any";
    const char* at = std::getenv("IO_FAULT_AT");
    c->at = at != nullptr ? std::atol(at) : 0;
    const char* error = std::getenv("IO_FAULT_ERRNO");
    c->error = error != nullptr && std::strcmp(error, "ENOSPC") == 0 ? ENOSPC : EIO;
    const char* log = std::getenv("IO_FAULT_COUNT_LOG");
    if (log != nullptr && *log != '\0') {
      c->log = static_cast<int>(
        syscall(SYS_openat, AT_FDCWD, log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    }
    return c;
  }();
  return *k_config;
}

// Counted per kind; the selected calls (IO_FAULT_CALL) have a counter of their own for N.
std::atomic<long> g_writes{0};
std::atomic<long> g_flushes{0};
std::atomic<long> g_selected{0};

bool fd_path(int fd, char* path, std::size_t size) {
  char link[64];
  std::snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
  const ssize_t length = readlink(link, path, size - 1);
  if (length < 0) {
    return false;
  }
  path[length] = '\0';
  return true;
}

void log_line(const char* format, ...) {
  if (config().log < 0) {
    return;
  }
  char line[PATH_MAX + 128];
  va_list arguments;
  va_start(arguments, format);
  const int length = std::vsnprintf(line, sizeof(line), format, arguments);
  va_end(arguments);
  if (length > 0) {
    syscall(
      SYS_write, config().log, line, std::min(static_cast<std::size_t>(length), sizeof(line)));
  }
}

// Counts the call when `fd` is under the directory; true when it is the one to fail (errno set).
bool fails(Kind kind, int fd, const char* call) {
  const Config& c = config();
  if (c.dir.empty() || fd < 0 || fd == c.log) {
    return false;
  }
  const int saved_errno = errno;
  char path[PATH_MAX];
  const bool known = fd_path(fd, path, sizeof(path));
  errno = saved_errno;
  if (!known || std::strncmp(path, c.dir.c_str(), c.dir.size()) != 0 ||
      (path[c.dir.size()] != '/' && path[c.dir.size()] != '\0')) {
    return false;
  }
  const char* name = kind == Kind::write ? "write" : "flush";
  const long number = (kind == Kind::write ? g_writes : g_flushes).fetch_add(1) + 1;
  const bool selected = kind == Kind::write ? c.writes : c.flushes;
  if (!selected || c.at <= 0 || g_selected.fetch_add(1) + 1 != c.at) {
    log_line("%s %ld %s %s\n", name, number, call, path);
    return false;
  }
  log_line("fault %s %ld %s %s %s\n", name, number, call, path, c.error == EIO ? "EIO" : "ENOSPC");
  errno = c.error;
  return true;
}

template <typename Function>
Function next_function(const char* name) {
  return reinterpret_cast<Function>(dlsym(RTLD_NEXT, name));
}

// std::cout's stream when standard output is under the directory: each buffer glibc would hand
// its internal write goes through the interposed write instead. On an error it returns what was
// written, as glibc's own _IO_new_file_write does (fopencookie(3): never a negative value).
ssize_t cookie_write(void*, const char* buffer, size_t size) {
  size_t done = 0;
  while (done < size) {
    const ssize_t written = write(1, buffer + done, size - done);
    if (written < 0) {
      break;
    }
    done += static_cast<std::size_t>(written);
  }
  return static_cast<ssize_t>(done);
}

__attribute__((constructor)) void take_standard_output() {
  const Config& c = config();
  char path[PATH_MAX];
  if (c.dir.empty() || !fd_path(1, path, sizeof(path)) ||
      std::strncmp(path, c.dir.c_str(), c.dir.size()) != 0) {
    return;
  }
  cookie_io_functions_t functions{};
  functions.write = cookie_write;
  FILE* stream = fopencookie(nullptr, "w", functions);
  if (stream == nullptr) {
    return;
  }
  setvbuf(stream, nullptr, _IOFBF, BUFSIZ);
  static std::ios_base::Init k_init; // std::cout exists from here on
  static __gnu_cxx::stdio_sync_filebuf<char> k_buffer(stream);
  std::cout.rdbuf(&k_buffer);
  stdout = stream;
}

} // namespace

extern "C" ssize_t write(int fd, const void* buffer, size_t count) {
  if (fails(Kind::write, fd, "write")) {
    return -1;
  }
  return next_function<ssize_t (*)(int, const void*, size_t)>("write")(fd, buffer, count);
}

extern "C" ssize_t pwrite(int fd, const void* buffer, size_t count, off_t offset) {
  if (fails(Kind::write, fd, "pwrite")) {
    return -1;
  }
  return next_function<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite")(
    fd, buffer, count, offset);
}

extern "C" ssize_t pwrite64(int fd, const void* buffer, size_t count, off64_t offset) {
  if (fails(Kind::write, fd, "pwrite64")) {
    return -1;
  }
  return next_function<ssize_t (*)(int, const void*, size_t, off64_t)>("pwrite64")(
    fd, buffer, count, offset);
}

extern "C" ssize_t writev(int fd, const struct iovec* vector, int count) {
  if (fails(Kind::write, fd, "writev")) {
    return -1;
  }
  return next_function<ssize_t (*)(int, const struct iovec*, int)>("writev")(fd, vector, count);
}

extern "C" ssize_t pwritev(int fd, const struct iovec* vector, int count, off_t offset) {
  if (fails(Kind::write, fd, "pwritev")) {
    return -1;
  }
  return next_function<ssize_t (*)(int, const struct iovec*, int, off_t)>("pwritev")(
    fd, vector, count, offset);
}

extern "C" ssize_t pwritev64(int fd, const struct iovec* vector, int count, off64_t offset) {
  if (fails(Kind::write, fd, "pwritev64")) {
    return -1;
  }
  return next_function<ssize_t (*)(int, const struct iovec*, int, off64_t)>("pwritev64")(
    fd, vector, count, offset);
}

extern "C" ssize_t copy_file_range(
  int in_fd, off64_t* in_offset, int out_fd, off64_t* out_offset, size_t count, unsigned flags) {
  if (fails(Kind::write, out_fd, "copy_file_range")) {
    return -1;
  }
  return next_function<ssize_t (*)(int, off64_t*, int, off64_t*, size_t, unsigned)>(
    "copy_file_range")(in_fd, in_offset, out_fd, out_offset, count, flags);
}

extern "C" int ftruncate(int fd, off_t length) {
  if (fails(Kind::write, fd, "ftruncate")) {
    return -1;
  }
  return next_function<int (*)(int, off_t)>("ftruncate")(fd, length);
}

extern "C" int ftruncate64(int fd, off64_t length) {
  if (fails(Kind::write, fd, "ftruncate64")) {
    return -1;
  }
  return next_function<int (*)(int, off64_t)>("ftruncate64")(fd, length);
}

extern "C" int fallocate(int fd, int mode, off_t offset, off_t length) {
  if (fails(Kind::write, fd, "fallocate")) {
    return -1;
  }
  return next_function<int (*)(int, int, off_t, off_t)>("fallocate")(fd, mode, offset, length);
}

// A reflink copies data into the file: a write, which a full disk can refuse.
extern "C" int ioctl(int fd, unsigned long request, ...) {
  va_list arguments;
  va_start(arguments, request);
  void* argument = va_arg(arguments, void*);
  va_end(arguments);
  if (request == FICLONE && fails(Kind::write, fd, "ioctl-FICLONE")) {
    return -1;
  }
  return next_function<int (*)(int, unsigned long, void*)>("ioctl")(fd, request, argument);
}

extern "C" int fsync(int fd) {
  if (fails(Kind::flush, fd, "fsync")) {
    return -1;
  }
  return next_function<int (*)(int)>("fsync")(fd);
}

extern "C" int fdatasync(int fd) {
  if (fails(Kind::flush, fd, "fdatasync")) {
    return -1;
  }
  return next_function<int (*)(int)>("fdatasync")(fd);
}
