// The inputs as snapshots: each input opened read-only (hardened, never written), its read
// transaction and lock, the checks of its file, and open_snapshots, which opens them all; the
// private copies of rollback-journal inputs are in private_copy.cpp.
#include "read/input.hpp"

#include "read/private_copy.hpp"
#include "read/schema.hpp"
#include "sqlite_format/readahead_vfs.hpp"
#include "util/duration.hpp"
#include "util/error.hpp"
#include "util/options.hpp"
#include "util/terminal_text.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <string_view>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace heatmap_merge {

namespace {

// Debian's SQLite parses a name starting with "file:" as a URI: an absolute path never does.
std::string sqlite_file_name(const std::filesystem::path& path) {
  return resolved_file(path).string();
}

// The busy handler of wait_for_locks: `timeout` is the milliseconds to wait, and every try after
// the first follows a sleep of one.
int try_every_millisecond(void* timeout, int tries) {
  if (tries >= static_cast<int>(reinterpret_cast<std::intptr_t>(timeout))) {
    return 0;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return 1;
}

SQLite::Database open_read_only(const std::filesystem::path& path,
                                std::chrono::milliseconds lock_timeout) {
  try {
    // No OPEN_CREATE: a missing file is an error, never a new empty database. NOMUTEX: each
    // connection is used by one thread at a time, and serialized mode's locking on every column
    // read cost a quarter of the run.
    SQLite::Database database(
      sqlite_file_name(path), SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX, 0, readahead_vfs());
    wait_for_locks(database, lock_timeout);
    return database;
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(path, e, "opening it");
  }
}

// What PRAGMA quick_check finds, on one line: "ok", or its first findings joined by "; " (one
// finding may span lines).
std::string quick_check(SQLite::Database& database) {
  SQLite::Statement check(database, "PRAGMA main.quick_check(3)");
  std::string findings;
  while (check.executeStep()) {
    for (const char c : check.getColumn(0).getString()) {
      findings += c == '\n' ? std::string("; ") : std::string(1, c);
    }
    findings += "; ";
  }
  return findings.empty() ? findings : findings.substr(0, findings.size() - 2);
}

using Clock = std::chrono::steady_clock;

// The input's descriptor for the estimate and the copy, opened before SQLite opens the file and
// kept as long as the connection: it must be the file that check_input_file() looked at.
FileDescriptor open_source(const std::filesystem::path& path, std::pair<dev_t, ino_t> identity) {
  FileDescriptor file(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  struct stat status {};
  if (file.get() < 0 || fstat(file.get(), &status) != 0) {
    throw Error(ExitCode::no_input,
                fmt::format("cannot read {}: {}", display(path), std::strerror(errno)),
                path);
  }
  if (std::make_pair(status.st_dev, status.st_ino) != identity) {
    throw Error(
      ExitCode::temp_fail,
      fmt::format("{} was replaced by another file while being read; try again", display(path)));
  }
  return file;
}

std::uintmax_t file_size(int file) {
  struct stat status {};
  return fstat(file, &status) == 0 ? static_cast<std::uintmax_t>(status.st_size) : 0;
}

// The header's file format versions (bytes 18 and 19): 2 in WAL mode, 1 with a rollback journal.
// Read before any lock, so only a guess: the snapshot says for sure (Snapshot::wal()).
bool rollback_header_of(int file) {
  std::array<unsigned char, 2> versions{};
  return pread(file, versions.data(), versions.size(), 18) != 2 || versions[0] != 2 ||
         versions[1] != 2;
}

} // namespace

std::filesystem::path resolved_file(const std::filesystem::path& path) {
  // Not lexically_normal(): "link/../x" is where the link points, then up, as the kernel walks it.
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(path, error);
  if (error) {
    return path;
  }
  std::filesystem::path resolved = std::filesystem::weakly_canonical(absolute, error);
  return error ? absolute : resolved;
}

void wait_for_locks(SQLite::Database& database, std::chrono::milliseconds timeout) {
  const std::intptr_t milliseconds = std::clamp<std::intptr_t>(timeout.count(), 0, INT_MAX);
  sqlite3_busy_handler(
    database.getHandle(), try_every_millisecond, reinterpret_cast<void*>(milliseconds));
}

void harden(SQLite::Database& database) {
  sqlite3* handle = database.getHandle();
  sqlite3_db_config(handle, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_db_config(handle, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(handle, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
  sqlite3_db_config(handle, SQLITE_DBCONFIG_ENABLE_VIEW, 0, nullptr);
}

void verify_database(SQLite::Database& database, const std::filesystem::path& path) {
  std::string findings;
  try {
    findings = quick_check(database);
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(path, e, "checking its integrity");
  }
  if (findings != "ok") {
    throw Error::corrupt(
      path, fmt::format("{} is corrupt (PRAGMA quick_check: {})", display(path), findings));
  }
}

Error confirm_corruption(const Error& error, std::chrono::milliseconds lock_timeout) {
  const std::filesystem::path& path = error.corrupt_file();
  std::string findings;
  try {
    SQLite::Database database = open_read_only(path, lock_timeout);
    harden(database);
    SQLite::Transaction snapshot(database); // BEGIN: one read lock over the whole check
    findings = quick_check(database);
  } catch (const SQLite::Exception& e) {
    const int code = e.getErrorCode() & 0xff;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
      return Error(ExitCode::temp_fail,
                   fmt::format("{}; it could not be checked again, since another process held "
                               "its lock for {:.1f} s: try again later",
                               error.what(),
                               static_cast<double>(lock_timeout.count()) / 1000.0));
    }
    findings = e.what();
  } catch (const Error& e) {
    findings = e.what();
  }
  if (findings == "ok") {
    return Error(
      ExitCode::temp_fail,
      fmt::format("{} changed while it was read: it seemed corrupt ({}), but "
                  "PRAGMA quick_check under a fresh read lock finds it intact; try again",
                  display(path),
                  error.what()));
  }
  return Error::corrupt(path,
                        fmt::format("{}; a second check under a fresh read lock confirms it: {}",
                                    error.what(),
                                    findings));
}

SQLite::Database open_reader(const std::filesystem::path& path,
                             std::chrono::milliseconds busy_timeout) {
  try {
    SQLite::Database database(
      sqlite_file_name(path), SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX, 0, readahead_vfs());
    wait_for_locks(database, busy_timeout);
    harden(database);
    return database;
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(path, e, "opening it");
  }
}

sqlite3_file* database_file(SQLite::Database& database) {
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(database.getHandle(), "main", SQLITE_FCNTL_FILE_POINTER, &file) !=
      SQLITE_OK) {
    return nullptr;
  }
  return unwrapped_file(file);
}

sqlite3_file* snapshot_pages(SQLite::Database& database) {
  // The -wal SQLite itself reads: beside the file a link resolves to, not beside the link.
  const char* main_file = sqlite3_db_filename(database.getHandle(), "main");
  const char* wal_path = main_file != nullptr ? sqlite3_filename_wal(main_file) : nullptr;
  if (wal_path == nullptr || *wal_path == '\0') {
    return nullptr;
  }
  // stat(), not open(): closing a descriptor of the -wal would drop no lock, but the rule that
  // none of the inputs' files is opened outside SQLite is simpler kept whole.
  struct stat wal {};
  const bool unused = stat(wal_path, &wal) == 0 ? wal.st_size == 0 : errno == ENOENT;
  if (!unused) {
    return nullptr;
  }
  return database_file(database);
}

void refuse_repeated_inputs(const std::vector<std::filesystem::path>& inputs) {
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      std::error_code error;
      if (std::filesystem::equivalent(inputs[j], inputs[i], error)) {
        throw Error(ExitCode::usage,
                    fmt::format("{} and {} are the same file: give each replica once",
                                display(inputs[j]),
                                display(inputs[i])));
      }
    }
  }
}

std::pair<dev_t, ino_t> check_input_file(const std::filesystem::path& path) {
  const std::string name = display(path);
  struct stat link_status {};
  if (lstat(path.c_str(), &link_status) != 0) {
    throw Error(
      ExitCode::no_input, fmt::format("cannot read {}: {}", name, std::strerror(errno)), path);
  }
  struct stat status {};
  if (stat(path.c_str(), &status) != 0) {
    if (S_ISLNK(link_status.st_mode)) {
      throw Error(ExitCode::no_input,
                  fmt::format("cannot read {}: it is a symbolic link to a missing file", name),
                  path);
    }
    throw Error(
      ExitCode::no_input, fmt::format("cannot read {}: {}", name, std::strerror(errno)), path);
  }
  if (S_ISDIR(status.st_mode)) {
    throw Error(ExitCode::no_input, fmt::format("cannot read {}: it is a directory", name), path);
  }
  if (!S_ISREG(status.st_mode)) {
    throw Error(ExitCode::no_input,
                fmt::format("cannot read {}: not a regular file (a FIFO, socket or device)", name),
                path);
  }
  if (status.st_size == 0) {
    // SQLite would take an empty file for an empty database: it is far more likely a mistake.
    throw Error(
      ExitCode::data, fmt::format("{} is empty (0 bytes), not a SQLite database", name), path);
  }
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    throw Error(
      ExitCode::no_input, fmt::format("cannot read {}: {}", name, std::strerror(errno)), path);
  }
  std::array<char, 16> header{};
  const ssize_t got = read(fd, header.data(), header.size());
  close(fd);
  constexpr std::string_view k_magic("SQLite format 3\0", 16);
  if (got != static_cast<ssize_t>(header.size()) ||
      std::string_view(header.data(), header.size()) != k_magic) {
    throw Error(
      ExitCode::data, fmt::format("{} does not appear to be a valid SQLite database", name), path);
  }
  return {status.st_dev, status.st_ino};
}

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
  if (this != &other) {
    if (m_fd >= 0) {
      close(m_fd);
    }
    m_fd = std::exchange(other.m_fd, -1);
  }
  return *this;
}

FileDescriptor::~FileDescriptor() {
  if (m_fd >= 0) {
    close(m_fd);
  }
}

Snapshot::Snapshot(const std::filesystem::path& path, std::chrono::milliseconds lock_timeout)
    : m_path(path), m_lock_timeout(lock_timeout), m_identity(check_input_file(path)),
      m_copy_source(open_source(path, m_identity)), m_size(file_size(m_copy_source.get())),
      m_rollback_header(rollback_header_of(m_copy_source.get())),
      m_database(open_read_only(path, lock_timeout)) {
  harden(m_database);
}

bool Snapshot::try_snapshot(std::chrono::milliseconds wait) {
  wait_for_locks(m_database, wait);
  try {
    m_database.exec("PRAGMA query_only = ON");
    m_database.exec("BEGIN");
    m_snapshot_start = Clock::now(); // the read lock is taken by the statement below
    // The first read fixes the snapshot; it also makes SQLite read the header and the schema.
    SQLite::Statement schema(m_database, "SELECT count(*) FROM main.sqlite_schema");
    schema.executeStep();
    SQLite::Statement mode(m_database, "PRAGMA main.journal_mode");
    mode.executeStep();
    m_wal = mode.getColumn(0).getString() == "wal";
  } catch (const SQLite::Exception& e) {
    if ((e.getErrorCode() & 0xff) == SQLITE_BUSY) {
      end_snapshot();
      wait_for_locks(m_database, m_lock_timeout);
      return false;
    }
    throw sqlite_error(m_path, e, "reading its schema");
  }
  wait_for_locks(m_database, m_lock_timeout);
  return true;
}

void Snapshot::end_snapshot() {
  if (sqlite3_get_autocommit(m_database.getHandle()) == 0) {
    sqlite3_exec(m_database.getHandle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

Error Snapshot::locked_error() const {
  return Error(ExitCode::temp_fail,
               fmt::format("{} stayed locked by another process for {:.1f} s; try again later",
                           display(m_path),
                           static_cast<double>(m_lock_timeout.count()) / 1000.0));
}

namespace {

// How long one input's snapshot may wait before the others' are let go and all are tried again.
constexpr std::chrono::milliseconds k_snapshot_wait{50};

// Starts every input's snapshot, never holding one input's read lock while waiting long for
// another's: a service writing to the first could not commit meanwhile, and after its own 5 s
// busy timeout would lose the click. When one input is busy, the snapshots taken are released
// and all are tried again, until `lock_timeout` has passed.
void take_snapshots(const std::vector<Snapshot*>& databases,
                    std::chrono::milliseconds lock_timeout) {
  const std::chrono::steady_clock::time_point deadline =
    std::chrono::steady_clock::now() + lock_timeout;
  for (;;) {
    std::size_t taken = 0;
    while (taken < databases.size() && databases[taken]->try_snapshot(k_snapshot_wait)) {
      ++taken;
    }
    if (taken == databases.size()) {
      return;
    }
    for (std::size_t i = 0; i < taken; ++i) {
      databases[i]->end_snapshot();
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      throw databases[taken]->locked_error();
    }
    // A little apart, so that a writer waiting on an input we just let go gets in.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

} // namespace

Snapshots open_snapshots(const std::vector<std::filesystem::path>& paths,
                         const Options& options,
                         const std::filesystem::path& copy_directory) {
  use_readahead(options.optimizations.readahead);
  Snapshots inputs;
  for (const std::filesystem::path& path : paths) {
    inputs.databases.push_back(std::make_unique<Snapshot>(path, options.lock_timeout));
    inputs.databases.back()->limit_copy_time(options.max_lock_hold);
  }
  const std::vector<Snapshot*> copies = plan_copies(inputs, options, copy_directory);
  std::vector<Snapshot*> all;
  for (const std::unique_ptr<Snapshot>& input : inputs.databases) {
    all.push_back(input.get());
  }
  take_snapshots(all, options.lock_timeout);
  // Each copy starts at once under the lock just taken, on a thread of its own, and goes on
  // beside the schemas and the primary's copy into the output; the input's reader waits for it
  // (finish_copy, KeyReader::note_copy). No lock is held while another is waited for
  // (take_snapshots).
  for (Snapshot* input : copies) {
    if (!input->wal()) { // else switched to WAL since its header was read: it blocks no writer
      input->start_copy(copy_directory);
    }
  }
  for (const std::unique_ptr<Snapshot>& input : inputs.databases) {
    try {
      inputs.tables.push_back(read_table_schema(input->database(), input->path(), options.table));
    } catch (const SQLite::Exception& e) {
      throw sqlite_error(input->path(), e, "reading its schema");
    }
    for (const auto& [node, columns] : options.peer_added_columns) {
      if (node == input->path()) {
        leave_out_columns(inputs.tables.back(), columns);
      }
    }
  }
  return inputs;
}

} // namespace heatmap_merge