#pragma once
// The new output (--output), and what --in-place shares of it: the refusals of a bad target, the
// run's lock, the temporary file renamed into place, the primary's copy, the writing of the rows.

#include "plan/plan.hpp"
#include "read/input.hpp"
#include "util/remove_on_signal.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace heatmap_merge {

struct TableSchema;
struct ColumnLayout;
class Progress;
class Snapshot;
struct Snapshots;
class PrimaryCopy;
struct Options;

// Flushes `directory` (its entries: files created, renamed or removed there) to disk; throws
// Error(io), naming `named`, if it cannot.
void flush_directory(const std::filesystem::path& directory, const std::filesystem::path& named);

// Refuses, before anything is read, an output that would overwrite an input, that exists
// without --force, or whose directory is missing.
void check_output_target(const std::filesystem::path& target,
                         bool force,
                         const std::vector<std::filesystem::path>& inputs);

// Keeps two runs from writing the same file at once: an flock on ".NAME.lock" beside `entry`,
// released when the run ends (even by SIGKILL). Throws Error(temp_fail) when another run holds it.
// `entry` is the directory entry written: its directory is resolved (a link to it, ".."), its
// name kept, since a rename replaces a link of that name rather than writing through it; a file
// written through a link (the in-place primary) is passed resolved, with `shown` for messages.
// The lock file is readable by all (0644) and opened read-only, so that a run as one user (root)
// never keeps out a later run as another.
class RunLock {
public:
  explicit RunLock(const std::filesystem::path& entry, const std::filesystem::path& shown = {});
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock();

private:
  int m_fd = -1;
};

// The output database: built under a temporary name in the target's directory and renamed into
// place when complete, so the target only ever holds nothing, its old content, or a complete
// database. A lock file beside the target keeps two runs from writing it at once.
class OutputFile {
public:
  // Takes the lock (exit 75 if another run holds it, or if a process still uses what an earlier
  // database left beside the target) and creates the temporary file with the permissions of
  // `like` (the primary), never looser.
  // `lock` false: the caller already holds a lock that covers the target (--in-place's backup).
  OutputFile(const std::filesystem::path& target,
             bool force,
             const std::filesystem::path& like,
             bool lock = true);
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  // Removes the temporary file unless commit() succeeded.
  ~OutputFile();

  const std::filesystem::path& temp_path() const {
    return m_temp;
  }
  const std::filesystem::path& target() const {
    return m_target;
  }
  // Flushes the temporary file to disk and renames it over the target. Every connection to the
  // temporary file must be closed first. What an earlier database left beside the target (a
  // -wal, -journal or -shm, which SQLite would apply to the new file) is removed first, and
  // told to `note`; exit 75 if a process still uses it.
  void commit(const std::function<void(const std::string&)>& note = {});
  // Starts flushing what the temporary file holds (the primary's copy, PrimaryCopy::start) to
  // disk in the background: a flush costs time in proportion to the data written since the last
  // one, and commit() then waits only for what was written since this call, and reports its
  // failure too.
  void flush_early();

private:
  std::filesystem::path m_target;
  std::filesystem::path m_temp;
  // The temporary file and its companions, for a signal that ends the run before commit().
  std::vector<RemoveOnSignal> m_remove_on_signal;
  bool m_force;
  std::optional<RunLock> m_lock;
  bool m_committed = false;
  // The temporary file, open from its creation to the end of the run, for the flushes: closing
  // any descriptor of a file drops every POSIX lock the process holds on it, and SQLite's
  // connections (the copy's check reads under a shared lock while the early flush runs) would
  // lose theirs to a descriptor opened and closed beside them.
  FileDescriptor m_file;
  std::future<int> m_early_flush; // its errno, 0 when done; last: destroyed (waited for) first
};

// Writes a new output: appends the plan's added rows to the primary's copy in one transaction,
// committed only once the copy has passed its integrity check (which may still be running), and
// renames the file into place.
void write_new_output(PrimaryCopy& copy,
                      OutputFile& file,
                      Snapshots& inputs,
                      const ColumnLayout& layout,
                      const Plan& plan,
                      Progress& progress);

} // namespace heatmap_merge
