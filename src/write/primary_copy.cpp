// The primary's copy into the temporary output, made on a thread of its own beside the key scans
// and flushed early, and the integrity check of what the run builds on (PrimaryCopy): the write
// side's part of the read phase.
#include "write/primary_copy.hpp"

#include "sqlite_format/readahead_vfs.hpp"
#include "util/error.hpp"
#include "util/options.hpp"
#include "util/terminal_text.hpp"
#include "write/output.hpp"

#include <SQLiteCpp/Backup.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <thread>

namespace heatmap_merge {

namespace {

// `busy_timeout`: the copy's integrity check reads the file from a connection of its own, and a
// WAL copy (a WAL primary's) opens its -wal and -shm there too; each waits for the other.
SQLite::Database open_output(const std::filesystem::path& temp_path,
                             std::chrono::milliseconds busy_timeout) {
  try {
    SQLite::Database database(
      temp_path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX, 0, readahead_vfs());
    wait_for_locks(database, busy_timeout);
    // The temporary file is deleted on any failure and flushed once at the end. Before harden():
    // defensive mode silently ignores journal_mode = OFF.
    database.exec("PRAGMA journal_mode = OFF");
    database.exec("PRAGMA synchronous = OFF");
    // Normal locking: the copy's integrity check reads the file from another connection while
    // the added rows are written.
    database.exec("PRAGMA locking_mode = NORMAL");
    harden(database);
    return database;
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(temp_path, e, "creating the output");
  }
}

void backup_database(SQLite::Database& source,
                     const std::filesystem::path& source_path,
                     SQLite::Database& output,
                     const std::filesystem::path& output_path,
                     std::chrono::milliseconds lock_timeout) {
  try {
    SQLite::Backup backup(output, "main", source, "main");
    const std::chrono::steady_clock::time_point deadline =
      std::chrono::steady_clock::now() + lock_timeout;
    for (;;) {
      const int rc = backup.executeStep(-1);
      if (rc == SQLITE_DONE) {
        return;
      }
      if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
          std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        continue;
      }
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        throw Error(ExitCode::temp_fail,
                    fmt::format("{} stayed locked by another process; try again later",
                                display(source_path)));
      }
    }
  } catch (const SQLite::Exception& e) {
    const int primary_code = e.getErrorCode() & 0xff;
    const bool output_side = primary_code == SQLITE_FULL || primary_code == SQLITE_IOERR;
    throw sqlite_error(output_side ? output_path : source_path, e, "copying the primary");
  }
}

// Checks the primary's copy once it is made. Takes what it needs by value: it may outlive the
// read phase, running on while the added rows are written.
void check_copy(std::shared_future<SQLite::Database*> made,
                std::filesystem::path copy_path,
                std::filesystem::path primary_path,
                std::chrono::milliseconds lock_timeout,
                bool beside_others) {
  made.get();
  if (beside_others) {
    yield_to_primary_scan(10);
  }
  SQLite::Database copy = open_reader(copy_path, lock_timeout);
  verify_database(copy, primary_path);
}

// A dry run's check of a rollback-journal primary, beside the scans: see start_check.
void check_snapshot_beside(std::filesystem::path primary, std::chrono::milliseconds lock_timeout) {
  yield_to_primary_scan(10);
  SQLite::Database second = open_reader(primary, lock_timeout);
  verify_database(second, primary);
}

} // namespace

SQLite::Database copy_primary(Snapshot& primary,
                              const std::filesystem::path& temp_path,
                              std::chrono::milliseconds lock_timeout) {
  if (!primary.wal()) {
    const FileDescriptor destination(open(temp_path.c_str(), O_WRONLY | O_CLOEXEC));
    if (destination.get() < 0) {
      throw Error(ExitCode::cant_create,
                  fmt::format("cannot write {}: {}", display(temp_path), std::strerror(errno)));
    }
    primary.copy_file_to(destination.get(), display(temp_path));
    return open_output(temp_path, lock_timeout);
  }
  SQLite::Database output = open_output(temp_path, lock_timeout);
  backup_database(primary.database(), primary.path(), output, temp_path, lock_timeout);
  return output;
}

PrimaryCopy::PrimaryCopy(OutputFile* file,
                         const Options& options,
                         std::uintmax_t bytes_beside_check)
    : m_file(file), m_options(options), m_bytes_beside_check(bytes_beside_check) {
  m_in_progress.made = m_made.get_future().share();
  if (file != nullptr) {
    m_in_progress.path = file->temp_path();
  }
}

void PrimaryCopy::start(Snapshot& primary) {
  if (m_file == nullptr) {
    m_snapshot = &primary;
    return;
  }
  m_copying = std::async(std::launch::async, [this, &primary] {
    try {
      m_database.emplace(copy_primary(primary, m_file->temp_path(), m_options.lock_timeout));
      if (m_options.optimizations.early_flush) {
        m_file->flush_early();
      }
    } catch (...) {
      m_made.set_exception(std::current_exception()); // the key reader throws it
      return;
    }
    m_made.set_value(&*m_database);
  });
}

void PrimaryCopy::start_check() {
  if (!m_options.verify || !m_options.optimizations.overlapped_check) {
    return;
  }
  // The copy's check runs beside the scans and the planning: a thread of its own, so that
  // whichever core is free takes it up.
  if (m_file != nullptr) {
    m_check = std::async(std::launch::async,
                         check_copy,
                         m_in_progress.made,
                         m_file->temp_path(),
                         m_options.primary,
                         m_options.lock_timeout,
                         true);
    m_beside = true;
    return;
  }
  // A dry run checks the primary itself. While the snapshot's SHARED lock holds, nothing can
  // change a rollback-journal file, so a second connection checks that very snapshot, beside the
  // scans and the planning (the merge waits for it before it reports or writes the patch's
  // transactions); it shares the lock (SQLite's locks are per process and file) and so never
  // waits for a writer. A WAL primary's second connection would see a newer snapshot: checked
  // after the scans, on the snapshot's own connection. So is a primary read from a private copy
  // (--max-lock-hold), which has no name left to open a second connection by.
  if (!m_snapshot->wal() && !m_snapshot->reads_copy()) {
    m_check = std::async(
      std::launch::async, check_snapshot_beside, m_options.primary, m_options.lock_timeout);
    m_beside = true;
  }
}

void PrimaryCopy::check_after_scans() {
  if (!m_options.verify || m_beside) {
    return;
  }
  if (m_file != nullptr) {
    check_copy(
      m_in_progress.made, m_file->temp_path(), m_options.primary, m_options.lock_timeout, false);
  } else {
    verify_database(m_snapshot->database(), m_options.primary);
  }
}

void PrimaryCopy::wait_for_check() {
  if (m_check.valid()) {
    m_check.get();
  }
}

SQLite::Database& PrimaryCopy::rows() {
  return m_file != nullptr ? *m_database : m_snapshot->database();
}

} // namespace heatmap_merge
