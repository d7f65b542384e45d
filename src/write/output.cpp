// The new output (output.hpp): a temporary file beside the target, locked against another run,
// that starts as the primary's copy, takes the added rows, and is flushed and renamed into place.
#include "write/output.hpp"

#include "read/input.hpp"
#include "read/read_keys.hpp"
#include "read/schema.hpp"
#include "sqlite_format/readahead_vfs.hpp"
#include "util/error.hpp"
#include "util/options.hpp"
#include "util/progress.hpp"
#include "util/sql_text.hpp"
#include "util/terminal_text.hpp"
#include "write/append_rows.hpp"
#include "write/primary_copy.hpp"
#include "write/remove_replays.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <future>
#include <optional>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace heatmap_merge {

namespace {

// The lock file's mode: see RunLock.
constexpr mode_t k_lock_mode = 0644;

void fsync_path(const std::filesystem::path& path, int flags, const std::filesystem::path& named) {
  const int fd = open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0 || fsync(fd) != 0) {
    const int error = errno;
    if (fd >= 0) {
      close(fd);
    }
    throw Error(ExitCode::io,
                fmt::format("cannot flush {} to disk: {}", display(named), std::strerror(error)));
  }
  close(fd);
}

// The files SQLite keeps beside a database, by the database's name. Whatever database they came
// from, SQLite applies a -wal or a hot -journal it finds beside a file to that file when it opens
// it: left by an earlier output, they would corrupt the new one.
constexpr std::array<const char*, 3> k_sqlite_companions = {"-journal", "-wal", "-shm"};

// The companions of `target` that exist (as any kind of file). By the name given, not the one a
// symbolic link there points to: the rename replaces the link itself, and SQLite then looks for
// the new file's companions beside that name.
std::vector<std::filesystem::path> leftovers_of(const std::filesystem::path& target) {
  std::vector<std::filesystem::path> present;
  for (const char* suffix : k_sqlite_companions) {
    std::filesystem::path companion = target.string() + suffix;
    struct stat status {};
    if (lstat(companion.c_str(), &status) == 0) {
      present.push_back(std::move(companion));
    }
  }
  return present;
}

// Throws Error(temp_fail) when a process holds a lock on `file`: SQLite's locks are POSIX record
// locks, and a live connection holds one on its database while it reads or writes, and on the
// -shm as long as it is open in WAL mode. Only asks (F_OFD_GETLK): this process has no SQLite
// connection to these files, so opening and closing them here drops no lock of ours.
void refuse_if_locked(const std::filesystem::path& file, const std::filesystem::path& target) {
  const FileDescriptor fd(open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0) {
    const int error = errno;
    // Gone meanwhile, or a symbolic link, which SQLite did not make: nothing to ask.
    if (error == ENOENT || error == ELOOP) {
      return;
    }
    throw Error(ExitCode::cant_create,
                fmt::format("cannot replace {}: cannot tell whether a process still uses {}: {}",
                            display(target),
                            display(file),
                            std::strerror(error)),
                target);
  }
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET; // l_start and l_len 0: the whole file
  if (fcntl(fd.get(), F_OFD_GETLK, &lock) != 0) {
    const int error = errno;
    throw Error(ExitCode::io,
                fmt::format("cannot tell whether a process still uses {}: {}",
                            display(file),
                            std::strerror(error)),
                target);
  }
  if (lock.l_type == F_UNLCK) {
    return;
  }
  // An OFD lock has no process: l_pid is -1.
  const std::string holder =
    lock.l_pid > 0 ? fmt::format("process {}", lock.l_pid) : std::string("another process");
  throw Error(ExitCode::temp_fail,
              fmt::format("{} is still in use: {} holds a lock on {}; nothing was changed; try "
                          "again once that program has closed it",
                          display(target),
                          holder,
                          display(file)),
              target);
}

// Refuses (exit 75) to replace `target` while a process still uses it or its `leftovers`.
void refuse_if_in_use(const std::filesystem::path& target,
                      const std::vector<std::filesystem::path>& leftovers) {
  if (leftovers.empty()) {
    return; // a plain file: whoever reads it keeps reading the old file after the rename
  }
  refuse_if_locked(target, target);
  for (const std::filesystem::path& companion : leftovers) {
    refuse_if_locked(companion, target);
  }
}

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code error;
  return std::filesystem::equivalent(a, b, error);
}

std::filesystem::path directory_of(const std::filesystem::path& target) {
  const std::filesystem::path parent = std::filesystem::absolute(target).parent_path();
  return parent.empty() ? std::filesystem::path(".") : parent;
}

// Removes what an earlier database at `target` left beside it (leftovers_of), once no process
// uses it, so that the new file renamed there next is read as it is; returns what it removed,
// the old target first if it went too.
// Without `force` an existing target is left alone: the rename refuses to replace it.
// The old target goes first when a -wal or -journal is among them: it may need them (a
// transaction or checkpoint cut short), and a stop before the rename must leave nothing rather
// than a damaged old file. The directory is flushed before the rename, so that no crash keeps
// the rename and loses a removal.
std::vector<std::filesystem::path> remove_leftovers(const std::filesystem::path& target,
                                                    bool force) {
  struct stat status {};
  const bool exists = lstat(target.c_str(), &status) == 0;
  const std::vector<std::filesystem::path> leftovers = leftovers_of(target);
  if ((exists && !force) || leftovers.empty()) {
    return {};
  }
  refuse_if_in_use(target, leftovers);
  const bool needed =
    std::any_of(leftovers.begin(), leftovers.end(), [&](const std::filesystem::path& companion) {
      return companion.string() != target.string() + "-shm";
    });
  std::vector<std::filesystem::path> removed;
  if (exists && needed) {
    removed.push_back(target);
  }
  removed.insert(removed.end(), leftovers.begin(), leftovers.end());
  for (const std::filesystem::path& file : removed) {
    if (unlink(file.c_str()) != 0 && errno != ENOENT) {
      const int error = errno;
      throw Error(ExitCode::cant_create,
                  fmt::format("cannot remove {}, left beside {} by an earlier database: {}",
                              display(file),
                              display(target),
                              std::strerror(error)),
                  target);
    }
  }
  fsync_path(directory_of(target), O_RDONLY | O_DIRECTORY, directory_of(target));
  return removed;
}

} // namespace

void flush_directory(const std::filesystem::path& directory, const std::filesystem::path& named) {
  fsync_path(directory, O_RDONLY | O_DIRECTORY, named);
}

void check_output_target(const std::filesystem::path& target,
                         bool force,
                         const std::vector<std::filesystem::path>& inputs) {
  for (const std::filesystem::path& input : inputs) {
    if (same_file(input, target)) {
      throw Error(ExitCode::usage,
                  fmt::format("the output {} is the input {}: inputs are never modified",
                              display(target),
                              display(input)),
                  target);
    }
  }
  const std::filesystem::path directory = directory_of(target);
  struct stat status {};
  if (stat(directory.c_str(), &status) != 0 || !S_ISDIR(status.st_mode)) {
    // A parent that is a file ("-o notes.txt/out.db") exists: "no such directory" would mislead.
    const bool not_directory = stat(directory.c_str(), &status) == 0 || errno == ENOTDIR;
    throw Error(ExitCode::cant_create,
                not_directory ? fmt::format("cannot create {}: {} is not a directory",
                                            display(target),
                                            display(directory))
                              : fmt::format("cannot create {}: no such directory {}",
                                            display(target),
                                            display(directory)),
                target);
  }
  if (lstat(target.c_str(), &status) == 0) {
    // A link to a directory (a volume mounted there) is one too: a rename would replace the link.
    struct stat followed {};
    if (S_ISDIR(status.st_mode) ||
        (stat(target.c_str(), &followed) == 0 && S_ISDIR(followed.st_mode))) {
      throw Error(ExitCode::cant_create,
                  fmt::format("cannot create {}: it is a directory", display(target)),
                  target);
    }
    if (!force) {
      throw Error(ExitCode::cant_create,
                  fmt::format("{} already exists (use --force to replace it)", display(target)),
                  target);
    }
  }
  // Before anything is read, and in a dry run too: leftovers a live process still uses would
  // refuse the rename (remove_leftovers() asks again then).
  refuse_if_in_use(target, leftovers_of(target));
}

RunLock::RunLock(const std::filesystem::path& entry, const std::filesystem::path& shown) {
  // Runs that name one directory by different paths (a link to it, "..") take one lock.
  const std::filesystem::path directory = resolved_file(directory_of(entry));
  const std::string base = std::filesystem::absolute(entry).filename().string();
  const std::filesystem::path target = shown.empty() ? entry : shown;
  // The lock file stays: removing it would let a third run lock a different file.
  const std::filesystem::path lock = directory / fmt::format(".{}.lock", base);
  // flock() needs no write access: opened read-only, and readable by all whatever the umask,
  // the lock file never keeps out a later run as another user (a run as root once made it 0600
  // and root's, and every run of the service user failed). It is empty: reading it tells nothing.
  m_fd = open(lock.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, k_lock_mode);
  if (m_fd < 0) {
    const int error = errno;
    struct stat existing {};
    throw Error(
      ExitCode::cant_create,
      error == EACCES && lstat(lock.c_str(), &existing) == 0
        ? fmt::format("cannot open the lock file {}: {} (an older heatmap-merge run "
                      "as another user left it unreadable: remove it while no run "
                      "is going on)",
                      display(lock),
                      std::strerror(error))
        : fmt::format("cannot create the lock file {}: {}", display(lock), std::strerror(error)),
      lock);
  }
  // One of ours made before this rule (0600) is opened up; only an empty file with one name that
  // this user owns: never, as root, a file someone linked there.
  struct stat status {};
  if (fstat(m_fd, &status) == 0 && S_ISREG(status.st_mode) && status.st_uid == geteuid() &&
      status.st_nlink == 1 && status.st_size == 0 && (status.st_mode & 07777) != k_lock_mode) {
    static_cast<void>(fchmod(m_fd, k_lock_mode));
  }
  if (flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
    close(m_fd);
    throw Error(ExitCode::temp_fail,
                fmt::format("another heatmap-merge is writing {} (it holds {}); try again later",
                            display(target),
                            display(lock)),
                target);
  }
}

RunLock::~RunLock() {
  close(m_fd);
}

OutputFile::OutputFile(const std::filesystem::path& target,
                       bool force,
                       const std::filesystem::path& like,
                       bool lock)
    : m_target(target), m_force(force) {
  if (lock) {
    m_lock.emplace(target);
  }
  const std::filesystem::path directory = directory_of(target);
  const std::string base = std::filesystem::absolute(target).filename().string();
  std::string pattern = (directory / fmt::format(".{}.tmp-XXXXXX", base)).string();
  RemoveOnSignal temp_removal;
  const int fd = RemoveOnSignal::create(pattern, temp_removal);
  if (fd < 0) {
    const int error = errno;
    throw Error(ExitCode::cant_create,
                fmt::format("cannot create a temporary file in {}: {}",
                            display(directory),
                            std::strerror(error)),
                target);
  }
  m_temp = pattern;
  m_remove_on_signal.push_back(std::move(temp_removal));
  for (const char* suffix : k_sqlite_companions) {
    m_remove_on_signal.emplace_back(m_temp.string() + suffix);
  }
  // Clicks are personal data: the output gets the primary's permissions at most.
  struct stat status {};
  const bool known = stat(like.c_str(), &status) == 0;
  fchmod(fd, known ? (status.st_mode & 0666) : 0600);
  // Run as root, the output keeps the primary's owner and group, so its group bits mean the same.
  if (known && geteuid() == 0) {
    static_cast<void>(fchown(fd, status.st_uid, status.st_gid));
  }
  m_file = FileDescriptor(fd);
}

OutputFile::~OutputFile() {
  if (!m_committed && !m_temp.empty()) {
    unlink(m_temp.c_str());
    for (const char* suffix : k_sqlite_companions) {
      unlink((m_temp.string() + suffix).c_str());
    }
  }
}

void OutputFile::flush_early() {
  m_early_flush = std::async(std::launch::async,
                             [fd = m_file.get()]() { return fdatasync(fd) == 0 ? 0 : errno; });
}

void OutputFile::commit(const std::function<void(const std::string&)>& note) {
  // A head start, but its failure counts: Linux reports a write-back error to one flush of a
  // descriptor, and the next one then succeeds though the pages are lost.
  const int early_error = m_early_flush.valid() ? m_early_flush.get() : 0;
  if (early_error != 0 || fsync(m_file.get()) != 0) {
    const int error = early_error != 0 ? early_error : errno;
    throw Error(
      ExitCode::io,
      fmt::format("cannot flush {} to disk: {}", display(m_target), std::strerror(error)));
  }
  const std::vector<std::filesystem::path> removed = remove_leftovers(m_target, m_force);
  if (!removed.empty() && note) {
    const bool old_removed = removed.front() == m_target;
    std::vector<std::string> names;
    for (std::size_t i = old_removed ? 1 : 0; i < removed.size(); ++i) {
      names.push_back(display(removed[i]));
    }
    note(fmt::format("removed {}, left by an earlier database that no process uses (SQLite would "
                     "have applied them to the new {}){}",
                     fmt::join(names, ", "),
                     display(m_target),
                     old_removed
                       ? fmt::format(", and the old {}, which needed them", display(m_target))
                       : std::string()));
  }
  // Without --force the rename must not replace a file that appeared meanwhile.
  const unsigned int flags = m_force ? 0 : RENAME_NOREPLACE;
  if (renameat2(AT_FDCWD, m_temp.c_str(), AT_FDCWD, m_target.c_str(), flags) != 0) {
    const int error = errno;
    if (error == EEXIST) {
      throw Error(ExitCode::cant_create,
                  fmt::format("{} already exists (use --force to replace it)", display(m_target)),
                  m_target);
    }
    throw Error(
      ExitCode::cant_create,
      fmt::format("cannot rename the output into {}: {}", display(m_target), std::strerror(error)),
      m_target);
  }
  m_committed = true;
  m_remove_on_signal.clear();
  fsync_path(directory_of(m_target), O_RDONLY | O_DIRECTORY, directory_of(m_target));
}

void write_new_output(PrimaryCopy& copy,
                      OutputFile& file,
                      Snapshots& inputs,
                      const ColumnLayout& layout,
                      const Plan& plan,
                      Progress& progress) {
  std::int64_t adding = 0;
  std::uintmax_t adding_bytes = 0; // estimated from each secondary's bytes per row
  for (std::size_t i = 1; i < plan.shares.size(); ++i) {
    const Share& input = plan.shares[i];
    adding += static_cast<std::int64_t>(input.added.size());
    std::error_code error;
    const std::uintmax_t size = std::filesystem::file_size(inputs.databases[i]->path(), error);
    if (!error && input.rows > 0) {
      adding_bytes += size / static_cast<std::uintmax_t>(input.rows) * input.added.size();
    }
  }
  progress.phase("writing", adding);
  SQLite::Database& output = copy.database();
  try {
    // While the check reads the copy, the added rows' pages stay in memory (nothing may reach
    // the file before the commit): only if they fit in the budget, else the check goes first.
    if (adding_bytes > copy.bytes_beside_check()) {
      copy.wait_for_check();
    } else {
      output.exec("PRAGMA cache_spill = OFF");
    }
    SQLite::Transaction transaction(output);
    try {
      // Messages name the output asked for, not its temporary file.
      add_columns(output, file.target(), inputs.tables.front(), layout);
      for (std::size_t i = 1; i < inputs.tables.size(); ++i) {
        append_rows(output,
                    file.target(),
                    inputs.tables.front(),
                    layout,
                    inputs.databases[i]->database(),
                    inputs.tables[i],
                    plan.shares[i].added,
                    progress);
      }
      // --remove-replays: the primary's replayed duplicates, from its copy.
      remove_from_output(output, file.target(), inputs.tables.front(), plan);
    } catch (...) {
      copy.wait_for_check(); // a finding of the check comes before any error of the writing
      throw;
    }
    // Nothing is built on the copy before it has passed its check.
    copy.wait_for_check();
    transaction.commit();
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(file.target(), e, "writing the output");
  }
  progress.phase("flushing to disk", 0);
  copy.close();
  file.commit([&progress](const std::string& line) { progress.tell(line); });
}

} // namespace heatmap_merge
