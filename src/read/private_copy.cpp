// The private copies of rollback-journal inputs (--max-lock-hold): how long a copy would hold
// an input's read lock, estimated before any lock; which inputs are copied, or refused; and the
// copy itself, made under the lock on a thread of its own (open_inputs, KeyReader::note_copy).
#include "read/private_copy.hpp"

#include "sqlite_format/readahead_vfs.hpp"
#include "util/error.hpp"
#include "util/options.hpp"
#include "util/terminal_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/fs.h>
#include <string_view>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <vector>

namespace heatmap_merge {

namespace {

using Clock = std::chrono::steady_clock;

// What estimate_copy() copies of each part of a file (in the page cache, on disk) to time it:
// enough to outlast the clock's and the scheduler's noise, little beside a file worth copying.
constexpr std::uintmax_t k_sample_bytes = std::uintmax_t{8} << 20;

// What copy_file_to() copies between two looks at the clock: about 0.1 s at the 550 MB/s of
// write-back measured here, the most a copy given up can overshoot its budget by.
constexpr off_t k_copy_chunk_bytes = off_t{64} << 20;

// Copies `length` bytes of `source` at `from` to `destination` at `to`, with copy_file_range while
// `kernel` holds, else (another file system, an old kernel: `kernel` turns false) by read and
// write. Returns the bytes copied, fewer at the end of the file, or -1 with errno.
ssize_t
copy_range(int source, off_t from, int destination, off_t to, std::size_t length, bool& kernel) {
  if (kernel) {
    off_t in = from;
    off_t out = to;
    const ssize_t copied = copy_file_range(source, &in, destination, &out, length, 0);
    if (copied >= 0 ||
        (errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP)) {
      return copied;
    }
    kernel = false;
  }
  std::vector<char> buffer(std::min<std::size_t>(length, 1 << 20));
  const ssize_t got = pread(source, buffer.data(), buffer.size(), from);
  for (ssize_t written = 0; written < got;) {
    const ssize_t now = pwrite(
      destination, buffer.data() + written, static_cast<std::size_t>(got - written), to + written);
    if (now < 0) {
      return -1;
    }
    written += now;
  }
  return got;
}

// A file of our own in `directory` that no directory lists, for timing copies: O_TMPFILE, or a
// name unlinked at once where the file system has none.
FileDescriptor scratch_file(const std::filesystem::path& directory) {
  FileDescriptor file(open(directory.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600));
  if (file.get() < 0) {
    std::string name = (directory / ".heatmap-merge-sample-XXXXXX").string();
    file = FileDescriptor(mkstemp(name.data()));
    if (file.get() >= 0) {
      unlink(name.c_str());
    }
  }
  if (file.get() < 0) {
    throw Error(
      ExitCode::cant_create,
      fmt::format("cannot create a file in {}: {}", display(directory), std::strerror(errno)));
  }
  return file;
}

// How much of a file the page cache holds, and where the first page it holds and the first it
// lacks lie. mincore() on a mapping of the file: no read, no open, no lock.
struct Residency {
  std::uintmax_t resident = 0;
  std::uintmax_t first_resident = 0;
  std::uintmax_t first_missing = 0;
};

Residency page_residency(int file, std::uintmax_t size) {
  Residency residency;
  const std::uintmax_t page = static_cast<std::uintmax_t>(sysconf(_SC_PAGESIZE));
  void* map = size > 0 ? mmap(nullptr, size, PROT_READ, MAP_SHARED, file, 0) : MAP_FAILED;
  if (map == MAP_FAILED) {
    return residency; // unknown: taken as on disk, the slower
  }
  std::vector<unsigned char> pages((size + page - 1) / page);
  if (mincore(map, size, pages.data()) == 0) {
    bool resident_seen = false;
    bool missing_seen = false;
    for (std::size_t i = 0; i < pages.size(); ++i) {
      if ((pages[i] & 1) != 0) {
        residency.resident += std::min(page, size - i * page);
        residency.first_resident = resident_seen ? residency.first_resident : i * page;
        resident_seen = true;
      } else {
        residency.first_missing = missing_seen ? residency.first_missing : i * page;
        missing_seen = true;
      }
    }
  }
  munmap(map, size);
  return residency;
}

} // namespace

void InputDatabase::copy_file_to(int destination, const std::filesystem::path& destination_path) {
  struct stat status {};
  if (fstat(m_copy_source.get(), &status) != 0) {
    throw Error(ExitCode::no_input,
                fmt::format("cannot read {}: {}", display(m_path), std::strerror(errno)),
                m_path);
  }
  // A reflink shares the blocks (btrfs, XFS): the lock is held for a few milliseconds at any size.
  if (ioctl(destination, FICLONE, m_copy_source.get()) == 0) {
    return;
  }
  const off_t size = status.st_size;
  bool kernel_copy = true;
  // A chunk at a time, so that a copy slower than its estimate (the disk holding the page cache's
  // writes back) is given up soon after the budget, not after the whole file: the estimate
  // decides whether to start, this bounds how long the service's writers wait.
  const Clock::time_point start = Clock::now();
  for (off_t done = 0; done < size;) {
    if (m_max_hold && Clock::now() - start > *m_max_hold) {
      throw Error(ExitCode::temp_fail,
                  fmt::format("{} uses a rollback journal, in which the service cannot write "
                              "while heatmap-merge holds its read lock, and copying its {:.0f} MiB "
                              "under the lock took longer than --max-lock-hold {} ms ({:.0f} MiB "
                              "copied): given up; put the service's database in WAL mode (PRAGMA "
                              "journal_mode = WAL), or run in a quiet period with a larger "
                              "--max-lock-hold",
                              display(m_path),
                              static_cast<double>(size) / (1 << 20),
                              m_max_hold->count(),
                              static_cast<double>(done) / (1 << 20)));
    }
    const ssize_t copied =
      copy_range(m_copy_source.get(),
                 done,
                 destination,
                 done,
                 static_cast<std::size_t>(std::min<off_t>(size - done, k_copy_chunk_bytes)),
                 kernel_copy);
    if (copied < 0) {
      throw Error(
        ExitCode::io,
        fmt::format("cannot write {}: {}", display(destination_path), std::strerror(errno)));
    }
    if (copied == 0) {
      break; // the file ended early: the header's page count decides, as SQLite reads it
    }
    done += copied;
  }
}

InputDatabase::CopyEstimate
InputDatabase::estimate_copy(const std::filesystem::path& directory) const {
  const FileDescriptor sample = scratch_file(directory);
  const Clock::time_point start = Clock::now();
  if (ioctl(sample.get(), FICLONE, m_copy_source.get()) == 0) {
    return {Clock::now() - start, true}; // the whole copy, done: a reflink
  }
  // Pages in the page cache copy at memory speed, the others at the disk's: each part is timed
  // apart, on a sample taken where the first page of its kind lies.
  const Residency residency = page_residency(m_copy_source.get(), m_size);
  bool kernel_copy = true;
  double seconds = 0;
  // Seconds a byte of the sample at `from` took.
  const auto time_sample = [&](std::uintmax_t from) {
    const std::size_t length = static_cast<std::size_t>(std::min(k_sample_bytes, m_size - from));
    const Clock::time_point begin = Clock::now();
    const ssize_t copied = copy_range(
      m_copy_source.get(), static_cast<off_t>(from), sample.get(), 0, length, kernel_copy);
    const double elapsed = std::chrono::duration<double>(Clock::now() - begin).count();
    if (ftruncate(sample.get(), 0) != 0 || copied <= 0) {
      throw Error(ExitCode::io,
                  fmt::format("cannot time a copy of {} in {}: {}",
                              display(m_path),
                              display(directory),
                              std::strerror(copied == 0 ? EIO : errno)));
    }
    return std::max(elapsed, 1e-6) / static_cast<double>(copied);
  };
  if (residency.resident > 0) {
    // The median of three: on a busy machine one sample can lose its core for a while.
    std::array<double, 3> per_byte{};
    for (double& time : per_byte) {
      time = time_sample(residency.first_resident);
    }
    std::sort(per_byte.begin(), per_byte.end());
    seconds += static_cast<double>(residency.resident) * per_byte[1];
  }
  if (residency.resident < m_size) {
    seconds +=
      static_cast<double>(m_size - residency.resident) * time_sample(residency.first_missing);
  }
  return {std::chrono::duration<double>(seconds), false};
}

std::uintmax_t InputDatabase::resident_bytes() const {
  return page_residency(m_copy_source.get(), m_size).resident;
}

void InputDatabase::start_copy(const std::filesystem::path& directory) {
  std::string name = (directory / ".heatmap-merge-snapshot-XXXXXX").string();
  FileDescriptor copy(mkstemp(name.data()));
  if (copy.get() < 0) {
    throw Error(ExitCode::cant_create,
                fmt::format("cannot create a copy of {} in {}: {}",
                            display(m_path),
                            display(directory),
                            std::strerror(errno)));
  }
  m_copy_name = std::move(name);
  m_copy_file = std::move(copy);
  m_copying = std::async(std::launch::async, [this] {
    const Clock::time_point start = Clock::now();
    copy_file_to(m_copy_file.get(), m_copy_name);
    return std::chrono::duration<double>(Clock::now() - start);
  });
}

std::optional<std::chrono::duration<double>> InputDatabase::finish_copy() {
  if (!m_copying.valid()) {
    return std::nullopt;
  }
  // The name goes once SQLite has the copy open (or the copy failed): no end of the run,
  // however abrupt after this, leaves it behind.
  struct Unlink {
    std::string& name;
    ~Unlink() {
      unlink(name.c_str());
      name.clear();
    }
  } unlink_copy{m_copy_name};
  std::chrono::duration<double> held{};
  try {
    held = m_copying.get();
  } catch (...) {
    end_snapshot();
    throw;
  }
  end_snapshot();
  // Closed before SQLite opens it: closing a descriptor drops the process's locks on the file.
  m_copy_file = FileDescriptor();
  try {
    SQLite::Database database(
      m_copy_name, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX, 0, readahead_vfs());
    wait_for_locks(database, m_lock_timeout);
    harden(database);
    m_database = std::move(database);
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(m_path, e, "opening its copy");
  }
  m_reads_copy = true;
  return held;
}

InputDatabase::~InputDatabase() {
  if (m_copying.valid()) {
    m_copying.wait();
  }
  if (!m_copy_name.empty()) {
    unlink(m_copy_name.c_str());
  }
}

namespace {

// What the kernel lets a copy write before it makes the copy wait for the disk: a copy's pages
// are dirty until written back, and past the midpoint between dirty_background_ratio and
// dirty_ratio (or their _bytes) of the dirtyable memory, balance_dirty_pages() holds the writer
// to the disk's speed. Measured at 16M events: a 3.1 GiB copy whose 8 MiB sample said 1.3 s took
// 4.9 s under its lock, 2.0 GiB after it 6.1 s. The bytes past this headroom are counted at the
// disk's write speed (write_back_seconds_per_byte).
double dirty_headroom() {
  const auto read_number = [](const char* path) {
    std::FILE* file = std::fopen(path, "re");
    unsigned long long value = 0;
    if (file != nullptr) {
      if (std::fscanf(file, "%llu", &value) != 1) {
        value = 0;
      }
      std::fclose(file);
    }
    return static_cast<double>(value);
  };
  double dirtyable = 0;
  double dirty = 0;
  if (std::FILE* meminfo = std::fopen("/proc/meminfo", "re")) {
    char name[64];
    unsigned long long kib = 0;
    while (std::fscanf(meminfo, "%63s %llu kB", name, &kib) == 2) {
      const std::string_view field(name);
      const double bytes = static_cast<double>(kib) * 1024;
      if (field == "MemFree:" || field == "Active(file):" || field == "Inactive(file):") {
        dirtyable += bytes;
      } else if (field == "Dirty:" || field == "Writeback:") {
        dirty += bytes;
      }
    }
    std::fclose(meminfo);
  }
  const double limit_bytes = read_number("/proc/sys/vm/dirty_bytes");
  const double background_bytes = read_number("/proc/sys/vm/dirty_background_bytes");
  const double limit =
    limit_bytes > 0 ? limit_bytes : dirtyable * read_number("/proc/sys/vm/dirty_ratio") / 100;
  const double background =
    background_bytes > 0 ? background_bytes
                         : dirtyable * read_number("/proc/sys/vm/dirty_background_ratio") / 100;
  return std::max(0.0, (limit + background) / 2 - dirty);
}

// Seconds a byte takes to reach the disk under `directory`: a timed O_DIRECT write of a sample,
// which no page cache absorbs. 0 where the file system takes no O_DIRECT (tmpfs: nothing to
// write back).
double write_back_seconds_per_byte(const std::filesystem::path& directory) {
  const FileDescriptor file(
    open(directory.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC | O_DIRECT, 0600));
  if (file.get() < 0) {
    return 0;
  }
  // Large enough to outlast a virtual disk's own cache: 16 MiB said 1.3 GB/s here, where the
  // copies were held to 550 MB/s.
  constexpr std::size_t k_bytes = 64 << 20;
  void* buffer = nullptr;
  if (posix_memalign(&buffer, 4096, k_bytes) != 0) {
    return 0;
  }
  std::memset(buffer, 0, k_bytes);
  const Clock::time_point begin = Clock::now();
  const ssize_t written = pwrite(file.get(), buffer, k_bytes, 0);
  fdatasync(file.get());
  const double elapsed = std::chrono::duration<double>(Clock::now() - begin).count();
  std::free(buffer);
  return written > 0 ? elapsed / static_cast<double>(written) : 0;
}

// How fast the plain path gets through its inputs: a rollback-journal input's read lock is held
// from its snapshot to the end of the run (its rows are read again for the report and the
// writing), and a run takes about 3 s per GiB of input at 16M events on the 2-core machine of
// bench/README.md (5.1 GiB in 14-16 s), less when the machine is busy: 128 MiB/s, pessimistic,
// so that a loaded machine still keeps within the budget.
constexpr double k_plain_bytes_per_second = 128.0 * (1 << 20);

// The slowest a copy of pages the page cache holds goes, into pages it takes without waiting for
// the disk: `cp` of the 196 MiB bench primary took 76 ms idle here (2.6 GB/s) and 175-376 ms with
// four busy loops on the two cores (520 MiB/s at worst). A copy whose bound this keeps within the
// budget is not sampled (estimate_copy's three timed 8 MiB copies cost 20-25 ms at 1M); the pages
// it lacks count at k_plain_bytes_per_second, and the deadline of copy_file_to() still holds the
// copy if the estimate is wrong.
constexpr double k_cached_copy_bytes_per_second = 384.0 * (1 << 20);

std::string mib_text(std::uintmax_t bytes) {
  return fmt::format("{:.0f} MiB", static_cast<double>(bytes) / (1 << 20));
}

// The exit-75 refusal of an input whose copy alone would hold its lock past the budget.
Error lock_hold_error(const InputDatabase& input,
                      std::chrono::duration<double> copy,
                      std::chrono::milliseconds budget) {
  return Error(ExitCode::temp_fail,
               fmt::format("{} uses a rollback journal, in which the service cannot write while "
                           "heatmap-merge holds its read lock, and copying its {} under the lock "
                           "would take about {}, past --max-lock-hold {}; put the service's "
                           "database in WAL mode (PRAGMA journal_mode = WAL), or run in a quiet "
                           "period with a larger --max-lock-hold",
                           display(input.path()),
                           mib_text(input.size()),
                           seconds_text(copy),
                           seconds_text(budget)));
}

// How long copying each input would hold its lock, for the inputs in the order their copies are
// made: each copy leaves its pages dirty for the next, which has less headroom (dirty_headroom).
class CopyTimer {
public:
  explicit CopyTimer(const std::filesystem::path& directory) : m_directory(directory) {}
  std::chrono::duration<double> time(const InputDatabase& input, std::chrono::milliseconds budget);

private:
  const std::filesystem::path& m_directory;
  double m_headroom = -1;     // read at the first copy, less each copy's bytes since
  double m_disk_per_byte = 0; // timed at the first copy that goes past the headroom
};

std::chrono::duration<double> CopyTimer::time(const InputDatabase& input,
                                              std::chrono::milliseconds budget) {
  if (m_headroom < 0) {
    m_headroom = dirty_headroom();
  }
  const double size = static_cast<double>(input.size());
  const double resident = static_cast<double>(input.resident_bytes());
  const std::chrono::duration<double> bound(resident / k_cached_copy_bytes_per_second +
                                            (size - resident) / k_plain_bytes_per_second);
  const bool bounded = size <= m_headroom && bound <= budget;
  const InputDatabase::CopyEstimate sampled =
    bounded ? InputDatabase::CopyEstimate{bound, false} : input.estimate_copy(m_directory);
  std::chrono::duration<double> copy = sampled.time;
  if (!sampled.reflink) {
    const double past = std::max(0.0, size - m_headroom);
    // The disk is timed (a 64 MiB write) only for a copy that goes past the headroom.
    if (past > 0 && m_disk_per_byte == 0) {
      m_disk_per_byte = write_back_seconds_per_byte(m_directory);
    }
    const double sampled_per_byte = sampled.time.count() / size;
    copy += std::chrono::duration<double>(past * std::max(0.0, m_disk_per_byte - sampled_per_byte));
    m_headroom = std::max(0.0, m_headroom - size);
  }
  return copy;
}

// What -v says of a rollback-journal input's copy: the primary's into the output, or a private
// one instead of a read in place that would hold the lock for `plain`.
std::string copy_note(const InputDatabase& input,
                      bool into_output,
                      std::chrono::duration<double> copy,
                      std::chrono::duration<double> plain,
                      const Options& options) {
  if (into_output) {
    return fmt::format("{} uses a rollback journal: its copy should hold its read lock for "
                       "about {} (--max-lock-hold {})",
                       display(input.path()),
                       seconds_text(copy),
                       seconds_text(options.max_lock_hold));
  }
  return fmt::format("{} uses a rollback journal: read in place, the run would hold "
                     "its read lock for about {}, past --max-lock-hold {}; it is read "
                     "from a private copy made under the lock instead (about {})",
                     display(input.path()),
                     seconds_text(plain),
                     seconds_text(options.max_lock_hold),
                     seconds_text(copy));
}

// The copies must fit beside the spill files: refused before any lock, not half made.
void refuse_copies_past_free_space(const std::filesystem::path& directory,
                                   std::uintmax_t copy_bytes) {
  struct statvfs space {};
  if (copy_bytes > 0 && statvfs(directory.c_str(), &space) == 0 &&
      static_cast<std::uintmax_t>(space.f_bavail) * space.f_frsize < copy_bytes) {
    throw Error(
      ExitCode::io,
      fmt::format("no room for private copies of the rollback-journal inputs in {}: "
                  "they take {}, and {} is free (see --max-lock-hold; TMPDIR sets the "
                  "directory of a dry run)",
                  display(directory),
                  mib_text(copy_bytes),
                  mib_text(static_cast<std::uintmax_t>(space.f_bavail) * space.f_frsize)));
  }
}

} // namespace

std::vector<InputDatabase*>
plan_copies(Inputs& inputs, const Options& options, const std::filesystem::path& directory) {
  const bool primary_copied = write_mode(options) != WriteMode::dry_run;
  std::uintmax_t total = 0;
  for (const std::unique_ptr<InputDatabase>& input : inputs.databases) {
    total += input->size();
  }
  const std::chrono::duration<double> plain(static_cast<double>(total) / k_plain_bytes_per_second);
  std::vector<InputDatabase*> copies;
  std::uintmax_t copy_bytes = 0;
  CopyTimer timer(directory);
  // In the order the copies are made: the private ones first (open_inputs), the primary's into
  // the output last (PrimaryCopy::start).
  const std::size_t count = inputs.databases.size();
  for (std::size_t n = 0; n < count; ++n) {
    const std::size_t i = primary_copied ? (n + 1) % count : n;
    InputDatabase& input = *inputs.databases[i];
    const bool into_output = i == 0 && primary_copied;
    // A copy is never slower than a whole run through the same bytes: the primary copied into
    // the output is estimated only when even that could outlast the budget, so that a small run
    // pays for no sample.
    const std::chrono::duration<double> own(static_cast<double>(input.size()) /
                                            k_plain_bytes_per_second);
    if (!input.rollback_header() || (into_output ? own : plain) <= options.max_lock_hold) {
      continue;
    }
    const std::chrono::duration<double> copy = timer.time(input, options.max_lock_hold);
    if (copy > options.max_lock_hold) {
      throw lock_hold_error(input, copy, options.max_lock_hold);
    }
    inputs.notes.push_back(copy_note(input, into_output, copy, plain, options));
    if (!into_output) {
      copies.push_back(&input);
      copy_bytes += input.size();
    }
  }
  refuse_copies_past_free_space(directory, copy_bytes);
  return copies;
}

} // namespace heatmap_merge
