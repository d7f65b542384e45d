// LD_PRELOAD shim for the torture tests: every fsync and fdatasync waits SLOW_FSYNC_MS
// milliseconds (default 20) before doing its work, as on an ordinary disk, so that a commit costs
// what it costs in production (a rollback-journal commit flushes three times, a WAL one once).
//
//   LD_PRELOAD=libslow_fsync.so SLOW_FSYNC_MS=20 heatmap-merge ...
//
// heatmap-merge links SQLite statically, but SQLite's fsync and fdatasync calls still go through
// the dynamic libc, so the shim sees them. Under AddressSanitizer, set
// ASAN_OPTIONS=verify_asan_link_order=0.
#include <dlfcn.h>

#include <cerrno>
#include <cstdlib>
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
  timespec remaining{delay_ms() / 1000, (delay_ms() % 1000) * 1000000};
  const int saved_errno = errno;
  while (nanosleep(&remaining, &remaining) != 0 && errno == EINTR) {
  }
  errno = saved_errno;
}

int call_next(const char* name, int fd) {
  // The libc function the shim stands in front of; dlsym is cheap next to a disk flush.
  const auto next = reinterpret_cast<SyncFunction>(dlsym(RTLD_NEXT, name));
  if (next == nullptr) {
    errno = ENOSYS;
    return -1;
  }
  return next(fd);
}

} // namespace

extern "C" int fsync(int fd) {
  wait_like_a_disk();
  return call_next("fsync", fd);
}

extern "C" int fdatasync(int fd) {
  wait_like_a_disk();
  return call_next("fdatasync", fd);
}
