#pragma once

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <filesystem>
#include <sys/types.h>
#include <utility>

namespace heatmap_merge {

// Runs nothing that a database's schema declares: untrusted schema, defensive mode, triggers and
// views off. Every connection the tool opens goes through this.
void harden(SQLite::Database& database);

// Checks that `path` names a regular, non-empty file that starts like a SQLite database, so that
// a typo, a directory or a CSV file gets its own clear message before SQLite sees it. Returns
// the file's device and inode.
std::pair<dev_t, ino_t> check_input_file(const std::filesystem::path& path);

// An open file descriptor, closed when it goes.
class FileDescriptor {
public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : m_fd(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  FileDescriptor& operator=(FileDescriptor&& other) noexcept;
  ~FileDescriptor();
  int get() const {
    return m_fd;
  }

private:
  int m_fd = -1;
};

// Runs PRAGMA quick_check on `database` and throws a data error naming `path` with SQLite's
// first findings unless it says "ok". O(N): it reads every page.
void verify_database(SQLite::Database& database, const std::filesystem::path& path);

// A second read-only connection to a database file, for reading it from another thread.
SQLite::Database open_reader(const std::filesystem::path& path);

// One input, opened read-only (never created, never written, never checkpointed).
class InputDatabase {
public:
  InputDatabase(const std::filesystem::path& path, std::chrono::milliseconds lock_timeout);

  // Starts the read transaction that every later read of this input sees: one consistent
  // snapshot, even while the service writes (in WAL mode the writer is never blocked).
  void begin_snapshot();

  SQLite::Database& database() {
    return m_database;
  }
  const std::filesystem::path& path() const {
    return m_path;
  }
  // True when the file is in WAL mode.
  bool wal() const {
    return m_wal;
  }

  // Copies the file of a rollback-journal database, byte for byte, to `destination` (an open,
  // empty file). Only valid inside the snapshot: its SHARED lock keeps every writer from the
  // file while the bytes are copied, so the copy is that snapshot.
  void copy_file_to(int destination, const std::filesystem::path& destination_path);

private:
  std::filesystem::path m_path;
  std::chrono::milliseconds m_lock_timeout;
  std::pair<dev_t, ino_t> m_identity;
  // Declared before the connection so that it closes after it: closing any descriptor of the
  // file drops the process's POSIX locks on it, SQLite's included.
  FileDescriptor m_copy_source;
  SQLite::Database m_database;
  bool m_wal = false;
};

} // namespace heatmap_merge
