// The private copies of rollback-journal inputs (--max-lock-hold): which inputs are copied under
// their read lock, or refused, from estimates made before any lock (copy_estimate.cpp); and the
// copy itself, made under the lock on a thread of its own (open_snapshots, KeyReader::note_copy).
#include "read/private_copy.hpp"

#include "read/copy_estimate.hpp"
#include "sqlite_format/readahead_vfs.hpp"
#include "util/duration.hpp"
#include "util/error.hpp"
#include "util/options.hpp"
#include "util/terminal_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <linux/fs.h>
#include <memory>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <vector>

namespace heatmap_merge {

namespace {

using Clock = std::chrono::steady_clock;

// What copy_file_to() copies between two looks at the clock: about 0.1 s at the 550 MB/s of
// write-back measured here, the most a copy given up can overshoot its budget by.
constexpr off_t k_copy_chunk_bytes = off_t{64} << 20;

// The buffer of a copy by read and write (copy_range where copy_file_range cannot copy).
constexpr std::size_t k_copy_buffer_bytes = std::size_t{4} << 20;

} // namespace

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
  // One buffer for the whole range, left unfilled: a zeroed 1 MiB buffer a call, mapped and
  // faulted in anew each time, held a copy to another file system to 60-100 MiB/s, and so every
  // run with its output on a tmpfs to exit 75.
  const std::size_t size = std::min(length, k_copy_buffer_bytes);
  const std::unique_ptr<char[]> buffer = std::make_unique_for_overwrite<char[]>(size);
  std::size_t done = 0;
  while (done < length) {
    const ssize_t got = pread(source,
                              buffer.get(),
                              std::min(size, length - done),
                              from + static_cast<off_t>(done));
    if (got <= 0) {
      if (done > 0) {
        break; // what was copied counts; the next call meets the error again
      }
      return got;
    }
    for (ssize_t written = 0; written < got;) {
      const ssize_t now = pwrite(destination,
                                 buffer.get() + written,
                                 static_cast<std::size_t>(got - written),
                                 to + static_cast<off_t>(done) + written);
      if (now < 0) {
        return -1;
      }
      written += now;
    }
    done += static_cast<std::size_t>(got);
  }
  return static_cast<ssize_t>(done);
}

void Snapshot::copy_file_to(int destination, const std::string& destination_name) {
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
        fmt::format("cannot write {}: {}", destination_name, std::strerror(errno)));
    }
    if (copied == 0) {
      break; // the file ended early: the header's page count decides, as SQLite reads it
    }
    done += copied;
  }
}

void Snapshot::start_copy(const std::filesystem::path& directory) {
  std::string name = (directory / ".heatmap-merge-snapshot-XXXXXX").string();
  RemoveOnSignal removal;
  FileDescriptor copy(RemoveOnSignal::create(name, removal));
  if (copy.get() < 0) {
    throw Error(ExitCode::cant_create,
                fmt::format("cannot create a copy of {} in {}: {}",
                            display(m_path),
                            display(directory),
                            std::strerror(errno)));
  }
  m_copy_name = std::move(name);
  m_copy_on_signal = std::move(removal);
  m_copy_file = std::move(copy);
  // Its name is hidden and removed at once: a failure names what it is a copy of, and where.
  std::string failure = fmt::format("the private copy of {} in {} (see --max-lock-hold)",
                                    display(m_path),
                                    display(directory));
  m_copying = std::async(std::launch::async, [this, failure = std::move(failure)] {
    const Clock::time_point start = Clock::now();
    copy_file_to(m_copy_file.get(), failure);
    return std::chrono::duration<double>(Clock::now() - start);
  });
}

std::optional<std::chrono::duration<double>> Snapshot::finish_copy() {
  if (!m_copying.valid()) {
    return std::nullopt;
  }
  // The name goes once SQLite has the copy open (or the copy failed): no end of the run,
  // however abrupt after this, leaves it behind.
  struct Unlink {
    std::string& name;
    RemoveOnSignal& on_signal;
    ~Unlink() {
      unlink(name.c_str());
      name.clear();
      on_signal.forget();
    }
  } unlink_copy{m_copy_name, m_copy_on_signal};
  std::chrono::duration<double> held{};
  try {
    held = m_copying.get();
  } catch (...) {
    end_snapshot();
    throw;
  }
  end_snapshot();
  m_lock_held = Clock::now() - m_snapshot_start;
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

Snapshot::~Snapshot() {
  if (m_copying.valid()) {
    m_copying.wait();
  }
  if (!m_copy_name.empty()) {
    unlink(m_copy_name.c_str());
  }
}

namespace {

std::string mib_text(std::uintmax_t bytes) {
  return fmt::format("{:.0f} MiB", static_cast<double>(bytes) / (1 << 20));
}

// The exit-75 refusal of an input whose copy alone would hold its lock past the budget.
Error lock_hold_error(const Snapshot& input,
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

// What -v says of a rollback-journal input's copy: the primary's into the output, one instead of
// a read in place that would hold the lock for `plain`, or one because the run would hold the
// lock through `unbounded`, a phase no estimate bounds.
std::string copy_note(const Snapshot& input,
                      bool into_output,
                      std::chrono::duration<double> copy,
                      std::chrono::duration<double> plain,
                      const char* unbounded,
                      const Options& options) {
  if (into_output) {
    return fmt::format("{} uses a rollback journal: its copy should hold its read lock for "
                       "about {} (--max-lock-hold {})",
                       display(input.path()),
                       seconds_text(copy),
                       seconds_text(options.max_lock_hold));
  }
  if (unbounded != nullptr) {
    return fmt::format("{} uses a rollback journal: read in place, the run would hold its read "
                       "lock through {}, which no estimate bounds; it is read from a private "
                       "copy made under the lock instead (about {}, --max-lock-hold {})",
                       display(input.path()),
                       unbounded,
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

// The phase, past reading, planning and describing, through which a run reads its inputs and
// whose length depends on what no estimate sees: the new output's flush to the disk (a slow one
// takes seconds for a few MB), --in-place's paced transactions on the live primary, a patch
// written to whatever reads it. Nothing for a dry run's report, which is written after every
// snapshot has ended.
const char* unbounded_phase(const Options& options) {
  switch (write_mode(options)) {
  case WriteMode::new_output:
    return "the output's flush to disk";
  case WriteMode::in_place:
    return "the paced writes into the live primary";
  case WriteMode::dry_run:
    break;
  }
  return options.format == ReportFormat::sql ? "the writing of the patch to its reader" : nullptr;
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

std::vector<Snapshot*>
plan_copies(Snapshots& inputs, const Options& options, const std::filesystem::path& directory) {
  const bool primary_copied = write_mode(options) != WriteMode::dry_run;
  std::uintmax_t total = 0;
  for (const std::unique_ptr<Snapshot>& input : inputs.databases) {
    total += input->size();
  }
  const std::chrono::duration<double> plain(static_cast<double>(total) / k_plain_bytes_per_second);
  std::vector<Snapshot*> copies;
  std::uintmax_t copy_bytes = 0;
  CopyTimer timer(directory);
  // In the order the copies are made: the private ones first (open_snapshots), the primary's into
  // the output last (PrimaryCopy::start).
  const std::size_t count = inputs.databases.size();
  for (std::size_t n = 0; n < count; ++n) {
    const std::size_t i = primary_copied ? (n + 1) % count : n;
    Snapshot& input = *inputs.databases[i];
    const bool into_output = i == 0 && primary_copied;
    // A copy is never slower than a whole run through the same bytes: the primary copied into
    // the output is estimated only when even that could outlast the budget, so that a small run
    // pays for no sample.
    const std::chrono::duration<double> own(static_cast<double>(input.size()) /
                                            k_plain_bytes_per_second);
    // Read in place, an input's lock lasts to the end of the run, so it is read in place only
    // when every phase that reads it is bounded by the estimate (unbounded_phase); the primary
    // copied into the output is let go once copied.
    const char* unbounded = into_output ? nullptr : unbounded_phase(options);
    if (!input.rollback_header() ||
        (unbounded == nullptr && (into_output ? own : plain) <= options.max_lock_hold)) {
      continue;
    }
    const std::chrono::duration<double> copy = timer.time(input, options.max_lock_hold);
    if (copy > options.max_lock_hold) {
      throw lock_hold_error(input, copy, options.max_lock_hold);
    }
    inputs.notes.push_back(copy_note(input, into_output, copy, plain, unbounded, options));
    if (!into_output) {
      copies.push_back(&input);
      copy_bytes += input.size();
    }
  }
  refuse_copies_past_free_space(directory, copy_bytes);
  return copies;
}

} // namespace heatmap_merge
