#pragma once

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <filesystem>

namespace heatmap_merge {

// Runs nothing that a database's schema declares: untrusted schema, defensive mode, triggers and
// views off. Every connection the tool opens goes through this.
void harden(SQLite::Database& database);

// Checks that `path` names a regular, non-empty file that starts like a SQLite database, so that
// a typo, a directory or a CSV file gets its own clear message before SQLite sees it.
void check_input_file(const std::filesystem::path& path);

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

private:
  std::filesystem::path m_path;
  std::chrono::milliseconds m_lock_timeout;
  SQLite::Database m_database;
  bool m_wal = false;
};

} // namespace heatmap_merge
