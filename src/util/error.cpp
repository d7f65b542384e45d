// The tool's errors (error.hpp): the exit codes' names, and SQLite's failures turned into an
// Error with the exit code that tells a retry from a bug.

#include "util/error.hpp"

#include "util/terminal_text.hpp"

#include <SQLiteCpp/Exception.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <cerrno>
#include <cstring>

namespace heatmap_merge {

namespace {

// Each exit code with sysexits.h's name of it, without EX_ and in lower case.
struct ExitCodeName {
  ExitCode code;
  const char* name;
};

constexpr ExitCodeName k_exit_code_names[] = {
  {ExitCode::ok, "ok"},
  {ExitCode::usage, "usage"},
  {ExitCode::data, "dataerr"},
  {ExitCode::no_input, "noinput"},
  {ExitCode::software, "software"},
  {ExitCode::cant_create, "cantcreat"},
  {ExitCode::io, "ioerr"},
  {ExitCode::temp_fail, "tempfail"},
};

} // namespace

const char* exit_code_name(ExitCode code) {
  for (const ExitCodeName& entry : k_exit_code_names) {
    if (entry.code == code) {
      return entry.name;
    }
  }
  // A value outside the enumeration is a bug.
  return "software";
}

Error::Error(ExitCode code, const std::string& message)
    : std::runtime_error(message), m_code(code) {}

Error::Error(ExitCode code, const std::string& message, const std::filesystem::path& file)
    : std::runtime_error(message), m_code(code), m_file(file) {}

Error Error::corrupt(const std::filesystem::path& file, const std::string& message) {
  Error error(ExitCode::data, message, file);
  error.m_corrupt_file = file;
  return error;
}

namespace {

// SQLITE_CORRUPT: damage, or a schema that calls a function SQLite runs only from a trusted one
// (json_extract() in a generated column, say), which is not damage: every file is read untrusted
// (harden).
Error corrupt_schema_or_file(const std::filesystem::path& path,
                             const std::string& sqlite_message,
                             const std::string& doing) {
  const std::string file = display(path);
  if (sqlite_message.find("unsafe use of") != std::string::npos) {
    return Error(ExitCode::data,
                 fmt::format("{} cannot be read: its schema calls a function that SQLite runs "
                             "from a file's schema only when the file is trusted, and "
                             "heatmap-merge trusts no file (trusted_schema off) ({} while {})",
                             file,
                             sqlite_message,
                             doing),
                 path);
  }
  return Error::corrupt(path,
                        fmt::format("{} is corrupt ({} while {})", file, sqlite_message, doing));
}

} // namespace

Error stdout_error(const std::string& what) {
  const int error = errno;
  return Error(ExitCode::io,
               fmt::format("cannot write {} to standard output{}",
                           what,
                           error != 0 ? fmt::format(": {}", std::strerror(error)) : ""));
}

Error sqlite_error(const std::filesystem::path& path,
                   const SQLite::Exception& exception,
                   const std::string& doing) {
  // SQLiteCpp's own exceptions (built from a message) carry -1 as their extended code.
  const int code = exception.getExtendedErrorCode() >= 0 ? exception.getExtendedErrorCode()
                                                         : exception.getErrorCode();
  return sqlite_error(path, code, exception.what(), doing);
}

Error sqlite_error(const std::filesystem::path& path,
                   int extended_code,
                   const std::string& sqlite_message,
                   const std::string& doing) {
  const std::string file = display(path);
  switch (extended_code & 0xff) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return Error(ExitCode::temp_fail,
                 fmt::format("{} is locked by another process ({} while {}); try again later",
                             file,
                             sqlite_message,
                             doing),
                 path);
  case SQLITE_NOTADB:
    return Error(
      ExitCode::data, fmt::format("{} does not appear to be a valid SQLite database", file), path);
  case SQLITE_CORRUPT:
    return corrupt_schema_or_file(path, sqlite_message, doing);
  case SQLITE_CANTOPEN:
  case SQLITE_AUTH:
  case SQLITE_PERM:
    return Error(ExitCode::no_input,
                 fmt::format("cannot open {}: {} (while {})", file, sqlite_message, doing),
                 path);
  case SQLITE_READONLY:
    if (extended_code == SQLITE_READONLY_ROLLBACK) {
      return Error(
        ExitCode::temp_fail,
        fmt::format("{} has a hot journal ({}-journal): a writer stopped in the middle of a "
                    "transaction, and only a read-write open can roll it back (the service "
                    "does on its next write); try again later",
                    file,
                    file),
        path);
    }
    if (extended_code == SQLITE_READONLY_DIRECTORY || extended_code == SQLITE_READONLY_RECOVERY ||
        extended_code == SQLITE_READONLY_CANTINIT) {
      return Error(
        ExitCode::no_input,
        fmt::format("cannot read {}: it is in WAL mode and its -wal/-shm files cannot be "
                    "created or opened beside it ({})",
                    file,
                    sqlite_message),
        path);
    }
    if (extended_code == SQLITE_READONLY_DBMOVED) {
      // SQLite's "attempt to write a readonly database" would send the operator to the
      // permissions; the file was renamed over (a restore, VACUUM INTO then mv) or deleted.
      return Error(ExitCode::io,
                   fmt::format("{} was replaced or removed while this run had it open (another "
                               "file was renamed over it, or it was deleted), so nothing more "
                               "could be written to it (while {}); check which file the service "
                               "now writes, then run again",
                               file,
                               doing),
                   path);
    }
    return Error(ExitCode::io, fmt::format("{}: {} (while {})", file, sqlite_message, doing), path);
  case SQLITE_FULL:
  case SQLITE_IOERR:
  case SQLITE_NOMEM:
    return Error(ExitCode::io,
                 fmt::format("I/O error on {}: {} (while {})", file, sqlite_message, doing),
                 path);
  default:
    return Error(
      ExitCode::data, fmt::format("{}: {} (while {})", file, sqlite_message, doing), path);
  }
}

} // namespace heatmap_merge
