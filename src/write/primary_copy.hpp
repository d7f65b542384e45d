#pragma once
// The primary's copy into the temporary output (a new output, or --in-place's backup): made from
// the primary's snapshot on a thread of its own beside the key scans, flushed early; and the one
// integrity check of what the run builds on: that copy, or in a dry run the primary's snapshot.

#include "read/input.hpp"
#include "read/read_keys.hpp"

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <future>
#include <optional>

namespace heatmap_merge {

struct Options;
class OutputFile;

// Copies the primary, as its snapshot sees it, into the temporary output and opens that for
// writing, with no journal (it is thrown away on failure anyway). A rollback-journal primary is
// copied as a file, which is as fast as a copy gets; a WAL primary, whose main file a checkpoint
// may rewrite meanwhile, page by page through SQLite's backup API.
SQLite::Database copy_primary(Snapshot& primary,
                              const std::filesystem::path& temp_path,
                              std::chrono::milliseconds lock_timeout);

// The write side's hold on the primary through a run: its copy and the copy's check. The
// pipeline starts both beside the key scans (start, start_check), and the writers wait for the
// check's verdict here (wait_for_check) before they build on the copy.
class PrimaryCopy {
public:
  // `file`: where the copy goes; null in a dry run, which copies nothing and checks the
  // primary's snapshot instead. `bytes_beside_check`: what the added rows may take in memory
  // while the check still reads the copy.
  PrimaryCopy(OutputFile* file, const Options& options, std::uintmax_t bytes_beside_check);
  PrimaryCopy(const PrimaryCopy&) = delete;
  PrimaryCopy& operator=(const PrimaryCopy&) = delete;
  // Waits for the check, then for the copy.
  ~PrimaryCopy() = default;

  // Starts copying `primary`'s snapshot into the file on a thread of its own, which then starts
  // flushing the copy to disk (early_flush). The key reader lets the snapshot go once the copy
  // is made (KeyReader::release_primary): this side no longer touches it then. A dry run only
  // keeps the snapshot, to check it.
  void start(Snapshot& primary);
  // The copy as the key readers see it; null in a dry run.
  const CopyInProgress* in_progress() const {
    return m_file != nullptr ? &m_in_progress : nullptr;
  }

  // Starts the check on a thread of its own, beside the scans and what follows them, where it
  // may run there (overlapped_check): the copy once made, or a dry run's rollback-journal
  // snapshot on a second connection. After the key reader has started (KeyReader's constructor
  // waits for a dry run's private copy of the primary, which then has no name to open).
  void start_check();
  // After the scans: runs the check now if it does not run beside them.
  void check_after_scans();
  // Waits for the check and throws its finding (a corrupt copy or primary), if it had one: the
  // one place the check is waited for. Idempotent.
  void wait_for_check();

  // Where the primary's rows are read from now: the copy, or the snapshot in a dry run.
  SQLite::Database& rows();
  // The copy's connection, open for writing (after the scans).
  SQLite::Database& database() {
    return *m_database;
  }
  // Closes the copy's connection, before the file is committed.
  void close() {
    m_database.reset();
  }
  std::uintmax_t bytes_beside_check() const {
    return m_bytes_beside_check;
  }

private:
  OutputFile* m_file;
  const Options& m_options;
  std::uintmax_t m_bytes_beside_check;
  Snapshot* m_snapshot = nullptr; // a dry run's primary
  std::optional<SQLite::Database> m_database;
  std::promise<SQLite::Database*> m_made;
  CopyInProgress m_in_progress;
  std::future<void> m_copying;
  bool m_beside = false; // the check runs on its own thread
  // Last: destroyed, so waited for, first; it reads the copy, which m_copying makes.
  std::future<void> m_check;
};

} // namespace heatmap_merge
