// How long copying an input would hold its read lock, estimated before any lock: the pages the
// page cache holds and those it lacks, each timed on a sample, and the room the kernel gives a
// copy's writes before it holds them to the disk's speed (plan_copies).
#include "read/copy_estimate.hpp"

#include "read/private_copy.hpp"
#include "util/error.hpp"
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
#include <unistd.h>
#include <vector>

namespace heatmap_merge {

namespace {

using Clock = std::chrono::steady_clock;

// What estimate_copy() copies of each part of a file (in the page cache, on disk) to time it:
// enough to outlast the clock's and the scheduler's noise, little beside a file worth copying.
constexpr std::uintmax_t k_sample_bytes = std::uintmax_t{8} << 20;

// The slowest a copy of pages the page cache holds goes, into pages it takes without waiting for
// the disk: `cp` of the 196 MiB bench primary took 76 ms idle here (2.6 GB/s) and 175-376 ms with
// four busy loops on the two cores (520 MiB/s at worst). A copy whose bound this keeps within the
// budget is not sampled (estimate_copy's three timed 8 MiB copies cost 20-25 ms at 1M); the pages
// it lacks count at k_plain_bytes_per_second, and the deadline of copy_file_to() still holds the
// copy if the estimate is wrong.
constexpr double k_cached_copy_bytes_per_second = 384.0 * (1 << 20);

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

} // namespace

Snapshot::CopyEstimate Snapshot::estimate_copy(const std::filesystem::path& directory) const {
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

std::uintmax_t Snapshot::resident_bytes() const {
  return page_residency(m_copy_source.get(), m_size).resident;
}

std::chrono::duration<double> CopyTimer::time(const Snapshot& input,
                                              std::chrono::milliseconds budget) {
  if (m_headroom < 0) {
    m_headroom = dirty_headroom();
  }
  const double size = static_cast<double>(input.size());
  const double resident = static_cast<double>(input.resident_bytes());
  const std::chrono::duration<double> bound(resident / k_cached_copy_bytes_per_second +
                                            (size - resident) / k_plain_bytes_per_second);
  const bool bounded = size <= m_headroom && bound <= budget;
  const Snapshot::CopyEstimate sampled =
    bounded ? Snapshot::CopyEstimate{bound, false} : input.estimate_copy(m_directory);
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

} // namespace heatmap_merge
