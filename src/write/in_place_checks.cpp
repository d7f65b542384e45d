// --in-place's preflight (in_place_checks.hpp): what the effective user may write, checked with
// the rights the writes will have, and the rollback of a hot journal before the primary is read.
#include "write/in_place_checks.hpp"

#include "read/input.hpp"
#include "util/error.hpp"
#include "util/options.hpp"
#include "util/terminal_text.hpp"

#include <SQLiteCpp/Database.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace heatmap_merge {

void check_primary_writable(const std::filesystem::path& primary_path) {
  // The rights of the effective user, as the writes will have them: root may write a 0444 file,
  // and nobody writes on a read-only file system (EROFS).
  // The directory SQLite writes the journal in is the real file's, wherever a link stands.
  const std::filesystem::path file = resolved_file(primary_path);
  const std::filesystem::path directory = file.parent_path();
  const auto refuse = [&](const std::string& why) {
    return Error(ExitCode::cant_create,
                 fmt::format("cannot merge into {} in place: {}; nothing was changed or backed up",
                             display(primary_path),
                             why),
                 primary_path);
  };
  if (faccessat(AT_FDCWD, file.c_str(), W_OK, AT_EACCESS) != 0) {
    throw refuse(fmt::format("it is not writable ({})", std::strerror(errno)));
  }
  // SQLite names a journal after the name a file was opened by: a writer through another hard
  // link would not see ours if we died mid-transaction (sqlite.org/howtocorrupt.html, 2.5).
  struct stat status {};
  if (stat(file.c_str(), &status) == 0 && status.st_nlink > 1) {
    throw refuse(fmt::format("it has {} hard links, and SQLite keeps a transaction's journal under "
                             "one name only: a writer using another link could read a half-written "
                             "file; merge with -o, or remove the other links",
                             status.st_nlink));
  }
  if (faccessat(AT_FDCWD, directory.c_str(), W_OK | X_OK, AT_EACCESS) != 0) {
    throw refuse(fmt::format("its directory {} is not writable ({}), and SQLite writes its "
                             "journal there",
                             display(directory),
                             std::strerror(errno)));
  }
}

void check_backup_directory(const Options& options) {
  if (!options.backup_dir) {
    return; // the primary's own directory, which check_primary_writable() checked
  }
  const std::filesystem::path& directory = *options.backup_dir;
  const auto refuse = [&](const std::string& why) {
    return Error(ExitCode::cant_create,
                 fmt::format("cannot merge into {} in place: the backup directory {} {}; nothing "
                             "was changed or backed up",
                             display(options.primary),
                             display(directory),
                             why),
                 directory);
  };
  struct stat status {};
  if (stat(directory.c_str(), &status) != 0) {
    throw refuse(fmt::format("cannot be used ({})", std::strerror(errno)));
  }
  if (!S_ISDIR(status.st_mode)) {
    throw refuse("is not a directory");
  }
  if (faccessat(AT_FDCWD, directory.c_str(), W_OK | X_OK, AT_EACCESS) != 0) {
    throw refuse(fmt::format("is not writable ({})", std::strerror(errno)));
  }
}

bool roll_back_hot_journal(const std::filesystem::path& primary_path,
                           std::chrono::milliseconds lock_timeout) {
  const std::string name = resolved_file(primary_path).string();
  try {
    {
      // SQLite itself tells a hot journal from a live writer's (which holds a lock).
      SQLite::Database reader(name, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX);
      wait_for_locks(reader, lock_timeout);
      harden(reader);
      try {
        reader.execAndGet("SELECT count(*) FROM main.sqlite_schema");
        return false;
      } catch (const SQLite::Exception& e) {
        if (e.getExtendedErrorCode() != SQLITE_READONLY_ROLLBACK) {
          return false; // the input's own open reports it, with its usual message
        }
      }
    }
    SQLite::Database writer(name, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX);
    wait_for_locks(writer, lock_timeout);
    harden(writer);
    writer.execAndGet("SELECT count(*) FROM main.sqlite_schema");
    return true;
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(primary_path, e, "rolling back its hot journal");
  }
}

} // namespace heatmap_merge
