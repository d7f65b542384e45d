#include "heatmap_merge/input.hpp"

#include "heatmap_merge/error.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace heatmap_merge {

namespace {

// Debian's SQLite parses a name starting with "file:" as a URI: an absolute path never does.
std::string sqlite_file_name(const std::filesystem::path& path) {
  return std::filesystem::absolute(path).lexically_normal().string();
}

SQLite::Database open_read_only(const std::filesystem::path& path,
                                std::chrono::milliseconds lock_timeout) {
  check_input_file(path);
  try {
    // No OPEN_CREATE: a missing file is an error, never a new empty database.
    return SQLite::Database(sqlite_file_name(path),
                            SQLite::OPEN_READONLY,
                            static_cast<int>(lock_timeout.count()));
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(path, e, "opening it");
  }
}

} // namespace

void harden(SQLite::Database& database) {
  sqlite3* handle = database.getHandle();
  sqlite3_db_config(handle, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_db_config(handle, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(handle, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
  sqlite3_db_config(handle, SQLITE_DBCONFIG_ENABLE_VIEW, 0, nullptr);
}

void check_input_file(const std::filesystem::path& path) {
  const std::string name = display(path);
  struct stat link_status {};
  if (lstat(path.c_str(), &link_status) != 0) {
    throw Error(ExitCode::no_input, fmt::format("cannot read {}: {}", name, std::strerror(errno)));
  }
  struct stat status {};
  if (stat(path.c_str(), &status) != 0) {
    if (S_ISLNK(link_status.st_mode)) {
      throw Error(ExitCode::no_input,
                  fmt::format("cannot read {}: it is a symbolic link to a missing file", name));
    }
    throw Error(ExitCode::no_input, fmt::format("cannot read {}: {}", name, std::strerror(errno)));
  }
  if (S_ISDIR(status.st_mode)) {
    throw Error(ExitCode::no_input, fmt::format("cannot read {}: it is a directory", name));
  }
  if (!S_ISREG(status.st_mode)) {
    throw Error(ExitCode::no_input,
                fmt::format("cannot read {}: not a regular file (a FIFO, socket or device)", name));
  }
  if (status.st_size == 0) {
    // SQLite would take an empty file for an empty database: it is far more likely a mistake.
    throw Error(ExitCode::data, fmt::format("{} is empty (0 bytes), not a SQLite database", name));
  }
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    throw Error(ExitCode::no_input, fmt::format("cannot read {}: {}", name, std::strerror(errno)));
  }
  std::array<char, 16> header{};
  const ssize_t got = read(fd, header.data(), header.size());
  close(fd);
  constexpr std::string_view k_magic("SQLite format 3\0", 16);
  if (got != static_cast<ssize_t>(header.size()) ||
      std::string_view(header.data(), header.size()) != k_magic) {
    throw Error(ExitCode::data, fmt::format("{} does not appear to be a valid SQLite database", name));
  }
}

InputDatabase::InputDatabase(const std::filesystem::path& path, std::chrono::milliseconds lock_timeout)
    : m_path(path), m_lock_timeout(lock_timeout), m_database(open_read_only(path, lock_timeout)) {
  harden(m_database);
}

void InputDatabase::begin_snapshot() {
  try {
    m_database.exec("PRAGMA query_only = ON");
    m_database.exec("BEGIN");
    // The first read fixes the snapshot; it also makes SQLite read the header and the schema.
    SQLite::Statement mode(m_database, "PRAGMA main.journal_mode");
    mode.executeStep();
    m_wal = mode.getColumn(0).getString() == "wal";
    SQLite::Statement schema(m_database, "SELECT count(*) FROM main.sqlite_schema");
    schema.executeStep();
  } catch (const SQLite::Exception& e) {
    if ((e.getErrorCode() & 0xff) == SQLITE_BUSY) {
      throw Error(ExitCode::temp_fail,
                  fmt::format("{} stayed locked by another process for {:.1f} s; try again later",
                              display(m_path),
                              static_cast<double>(m_lock_timeout.count()) / 1000.0));
    }
    throw sqlite_error(m_path, e, "reading its schema");
  }
}

} // namespace heatmap_merge
