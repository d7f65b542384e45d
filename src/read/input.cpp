#include "read/input.hpp"

#include "util/duration.hpp"
#include "util/error.hpp"
#include "util/options.hpp"
#include "read/read_keys.hpp"
#include "sqlite_format/readahead_vfs.hpp"
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
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/fs.h>
#include <string_view>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
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

// What estimate_copy() copies of each part of a file (in the page cache, on disk) to time it:
// enough to outlast the clock's and the scheduler's noise, little beside a file worth copying.
constexpr std::uintmax_t k_sample_bytes = std::uintmax_t{8} << 20;

// What copy_file_to() copies between two looks at the clock: about 0.1 s at the 550 MB/s of
// write-back measured here, the most a copy given up can overshoot its budget by.
constexpr off_t k_copy_chunk_bytes = off_t{64} << 20;

// Copies `length` bytes of `source` at `from` to `destination` at `to`, with copy_file_range while
// `kernel` holds, else (another file system, an old kernel: `kernel` turns false) by read and
// write. Returns the bytes copied, fewer at the end of the file, or -1 with errno.
ssize_t
copy_range(int source, off_t from, int destination, off_t to, std::size_t length, bool& kernel) {
  if (kernel) {
    off_t in = from;
    off_t out = to;
    const ssize_t copied = copy_file_range(source, &in, destination, &out, length, 0);
    if (copied >= 0 ||
        (errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP)) {
      return copied;
    }
    kernel = false;
  }
  std::vector<char> buffer(std::min<std::size_t>(length, 1 << 20));
  const ssize_t got = pread(source, buffer.data(), buffer.size(), from);
  for (ssize_t written = 0; written < got;) {
    const ssize_t now = pwrite(
      destination, buffer.data() + written, static_cast<std::size_t>(got - written), to + written);
    if (now < 0) {
      return -1;
    }
    written += now;
  }
  return got;
}

// A file of our own in `directory` that no directory lists, for timing copies: O_TMPFILE, or a
// name unlinked at once where the file system has none.
FileDescriptor scratch_file(const std::filesystem::path& directory) {
  FileDescriptor file(open(directory.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600));
  if (file.get() < 0) {
    std::string name = (directory / ".heatmap-merge-sample-XXXXXX").string();
    file = FileDescriptor(mkstemp(name.data()));
    if (file.get() >= 0) {
      unlink(name.c_str());
    }
  }
  if (file.get() < 0) {
    throw Error(
      ExitCode::cant_create,
      fmt::format("cannot create a file in {}: {}", display(directory), std::strerror(errno)));
  }
  return file;
}

// How much of a file the page cache holds, and where the first page it holds and the first it
// lacks lie. mincore() on a mapping of the file: no read, no open, no lock.
struct Residency {
  std::uintmax_t resident = 0;
  std::uintmax_t first_resident = 0;
  std::uintmax_t first_missing = 0;
};

Residency page_residency(int file, std::uintmax_t size) {
  Residency residency;
  const std::uintmax_t page = static_cast<std::uintmax_t>(sysconf(_SC_PAGESIZE));
  void* map = size > 0 ? mmap(nullptr, size, PROT_READ, MAP_SHARED, file, 0) : MAP_FAILED;
  if (map == MAP_FAILED) {
    return residency; // unknown: taken as on disk, the slower
  }
  std::vector<unsigned char> pages((size + page - 1) / page);
  if (mincore(map, size, pages.data()) == 0) {
    bool resident_seen = false;
    bool missing_seen = false;
    for (std::size_t i = 0; i < pages.size(); ++i) {
      if ((pages[i] & 1) != 0) {
        residency.resident += std::min(page, size - i * page);
        residency.first_resident = resident_seen ? residency.first_resident : i * page;
        resident_seen = true;
      } else {
        residency.first_missing = missing_seen ? residency.first_missing : i * page;
        missing_seen = true;
      }
    }
  }
  munmap(map, size);
  return residency;
}

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
// Read before any lock, so only a guess: the snapshot says for sure (InputDatabase::wal()).
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

InputDatabase::InputDatabase(const std::filesystem::path& path,
                             std::chrono::milliseconds lock_timeout)
    : m_path(path), m_lock_timeout(lock_timeout), m_identity(check_input_file(path)),
      m_copy_source(open_source(path, m_identity)), m_size(file_size(m_copy_source.get())),
      m_rollback_header(rollback_header_of(m_copy_source.get())),
      m_database(open_read_only(path, lock_timeout)) {
  harden(m_database);
}

bool InputDatabase::try_snapshot(std::chrono::milliseconds wait) {
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

void InputDatabase::end_snapshot() {
  if (sqlite3_get_autocommit(m_database.getHandle()) == 0) {
    sqlite3_exec(m_database.getHandle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

Error InputDatabase::locked_error() const {
  return Error(ExitCode::temp_fail,
               fmt::format("{} stayed locked by another process for {:.1f} s; try again later",
                           display(m_path),
                           static_cast<double>(m_lock_timeout.count()) / 1000.0));
}

void InputDatabase::copy_file_to(int destination, const std::filesystem::path& destination_path) {
  struct stat status {};
  if (fstat(m_copy_source.get(), &status) != 0) {
    throw Error(ExitCode::no_input,
                fmt::format("cannot read {}: {}", display(m_path), std::strerror(errno)),
                m_path);
  }
  // A reflink shares the blocks (btrfs, XFS): the lock is held for a few milliseconds at any size.
  if (ioctl(destination, FICLONE, m_copy_source.get()) == 0) {
    return;
  }
  const off_t size = status.st_size;
  bool kernel_copy = true;
  // A chunk at a time, so that a copy slower than its estimate (the disk holding the page cache's
  // writes back) is given up soon after the budget, not after the whole file: the estimate
  // decides whether to start, this bounds how long the service's writers wait.
  const Clock::time_point start = Clock::now();
  for (off_t done = 0; done < size;) {
    if (m_max_hold && Clock::now() - start > *m_max_hold) {
      throw Error(ExitCode::temp_fail,
                  fmt::format("{} uses a rollback journal, in which the service cannot write "
                              "while heatmap-merge holds its read lock, and copying its {:.0f} MiB "
                              "under the lock took longer than --max-lock-hold {} ms ({:.0f} MiB "
                              "copied): given up; put the service's database in WAL mode (PRAGMA "
                              "journal_mode = WAL), or run in a quiet period with a larger "
                              "--max-lock-hold",
                              display(m_path),
                              static_cast<double>(size) / (1 << 20),
                              m_max_hold->count(),
                              static_cast<double>(done) / (1 << 20)));
    }
    const ssize_t copied =
      copy_range(m_copy_source.get(),
                 done,
                 destination,
                 done,
                 static_cast<std::size_t>(std::min<off_t>(size - done, k_copy_chunk_bytes)),
                 kernel_copy);
    if (copied < 0) {
      throw Error(
        ExitCode::io,
        fmt::format("cannot write {}: {}", display(destination_path), std::strerror(errno)));
    }
    if (copied == 0) {
      break; // the file ended early: the header's page count decides, as SQLite reads it
    }
    done += copied;
  }
}

InputDatabase::CopyEstimate
InputDatabase::estimate_copy(const std::filesystem::path& directory) const {
  const FileDescriptor sample = scratch_file(directory);
  const Clock::time_point start = Clock::now();
  if (ioctl(sample.get(), FICLONE, m_copy_source.get()) == 0) {
    return {Clock::now() - start, true}; // the whole copy, done: a reflink
  }
  // Pages in the page cache copy at memory speed, the others at the disk's: each part is timed
  // apart, on a sample taken where the first page of its kind lies.
  const Residency residency = page_residency(m_copy_source.get(), m_size);
  bool kernel_copy = true;
  double seconds = 0;
  // Seconds a byte of the sample at `from` took.
  const auto time_sample = [&](std::uintmax_t from) {
    const std::size_t length = static_cast<std::size_t>(std::min(k_sample_bytes, m_size - from));
    const Clock::time_point begin = Clock::now();
    const ssize_t copied = copy_range(
      m_copy_source.get(), static_cast<off_t>(from), sample.get(), 0, length, kernel_copy);
    const double elapsed = std::chrono::duration<double>(Clock::now() - begin).count();
    if (ftruncate(sample.get(), 0) != 0 || copied <= 0) {
      throw Error(ExitCode::io,
                  fmt::format("cannot time a copy of {} in {}: {}",
                              display(m_path),
                              display(directory),
                              std::strerror(copied == 0 ? EIO : errno)));
    }
    return std::max(elapsed, 1e-6) / static_cast<double>(copied);
  };
  if (residency.resident > 0) {
    // The median of three: on a busy machine one sample can lose its core for a while.
    std::array<double, 3> per_byte{};
    for (double& time : per_byte) {
      time = time_sample(residency.first_resident);
    }
    std::sort(per_byte.begin(), per_byte.end());
    seconds += static_cast<double>(residency.resident) * per_byte[1];
  }
  if (residency.resident < m_size) {
    seconds +=
      static_cast<double>(m_size - residency.resident) * time_sample(residency.first_missing);
  }
  return {std::chrono::duration<double>(seconds), false};
}

std::uintmax_t InputDatabase::resident_bytes() const {
  return page_residency(m_copy_source.get(), m_size).resident;
}

void InputDatabase::start_copy(const std::filesystem::path& directory) {
  std::string name = (directory / ".heatmap-merge-snapshot-XXXXXX").string();
  FileDescriptor copy(mkstemp(name.data()));
  if (copy.get() < 0) {
    throw Error(ExitCode::cant_create,
                fmt::format("cannot create a copy of {} in {}: {}",
                            display(m_path),
                            display(directory),
                            std::strerror(errno)));
  }
  m_copy_name = std::move(name);
  m_copy_file = std::move(copy);
  m_copying = std::async(std::launch::async, [this] {
    const Clock::time_point start = Clock::now();
    copy_file_to(m_copy_file.get(), m_copy_name);
    return std::chrono::duration<double>(Clock::now() - start);
  });
}

std::optional<std::chrono::duration<double>> InputDatabase::finish_copy() {
  if (!m_copying.valid()) {
    return std::nullopt;
  }
  // The name goes once SQLite has the copy open (or the copy failed): no end of the run,
  // however abrupt after this, leaves it behind.
  struct Unlink {
    std::string& name;
    ~Unlink() {
      unlink(name.c_str());
      name.clear();
    }
  } unlink_copy{m_copy_name};
  std::chrono::duration<double> held{};
  try {
    held = m_copying.get();
  } catch (...) {
    end_snapshot();
    throw;
  }
  end_snapshot();
  // Closed before SQLite opens it: closing a descriptor drops the process's locks on the file.
  m_copy_file = FileDescriptor();
  try {
    SQLite::Database database(
      m_copy_name, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX, 0, readahead_vfs());
    wait_for_locks(database, m_lock_timeout);
    harden(database);
    m_database = std::move(database);
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(m_path, e, "opening its copy");
  }
  m_reads_copy = true;
  return held;
}

InputDatabase::~InputDatabase() {
  if (m_copying.valid()) {
    m_copying.wait();
  }
  if (!m_copy_name.empty()) {
    unlink(m_copy_name.c_str());
  }
}

namespace {

// How long one input's snapshot may wait before the others' are let go and all are tried again.
constexpr std::chrono::milliseconds k_snapshot_wait{50};

// Starts every input's snapshot, never holding one input's read lock while waiting long for
// another's: a service writing to the first could not commit meanwhile, and after its own 5 s
// busy timeout would lose the click. When one input is busy, the snapshots taken are released
// and all are tried again, until `lock_timeout` has passed.
void take_snapshots(const std::vector<InputDatabase*>& databases,
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

// What the kernel lets a copy write before it makes the copy wait for the disk: a copy's pages
// are dirty until written back, and past the midpoint between dirty_background_ratio and
// dirty_ratio (or their _bytes) of the dirtyable memory, balance_dirty_pages() holds the writer
// to the disk's speed. Measured at 16M events: a 3.1 GiB copy whose 8 MiB sample said 1.3 s took
// 4.9 s under its lock, 2.0 GiB after it 6.1 s. The bytes past this headroom are counted at the
// disk's write speed (write_back_seconds_per_byte).
double dirty_headroom() {
  const auto read_number = [](const char* path) {
    std::FILE* file = std::fopen(path, "re");
    unsigned long long value = 0;
    if (file != nullptr) {
      if (std::fscanf(file, "%llu", &value) != 1) {
        value = 0;
      }
      std::fclose(file);
    }
    return static_cast<double>(value);
  };
  double dirtyable = 0;
  double dirty = 0;
  if (std::FILE* meminfo = std::fopen("/proc/meminfo", "re")) {
    char name[64];
    unsigned long long kib = 0;
    while (std::fscanf(meminfo, "%63s %llu kB", name, &kib) == 2) {
      const std::string_view field(name);
      const double bytes = static_cast<double>(kib) * 1024;
      if (field == "MemFree:" || field == "Active(file):" || field == "Inactive(file):") {
        dirtyable += bytes;
      } else if (field == "Dirty:" || field == "Writeback:") {
        dirty += bytes;
      }
    }
    std::fclose(meminfo);
  }
  const double limit_bytes = read_number("/proc/sys/vm/dirty_bytes");
  const double background_bytes = read_number("/proc/sys/vm/dirty_background_bytes");
  const double limit =
    limit_bytes > 0 ? limit_bytes : dirtyable * read_number("/proc/sys/vm/dirty_ratio") / 100;
  const double background =
    background_bytes > 0 ? background_bytes
                         : dirtyable * read_number("/proc/sys/vm/dirty_background_ratio") / 100;
  return std::max(0.0, (limit + background) / 2 - dirty);
}

// Seconds a byte takes to reach the disk under `directory`: a timed O_DIRECT write of a sample,
// which no page cache absorbs. 0 where the file system takes no O_DIRECT (tmpfs: nothing to
// write back).
double write_back_seconds_per_byte(const std::filesystem::path& directory) {
  const FileDescriptor file(
    open(directory.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC | O_DIRECT, 0600));
  if (file.get() < 0) {
    return 0;
  }
  // Large enough to outlast a virtual disk's own cache: 16 MiB said 1.3 GB/s here, where the
  // copies were held to 550 MB/s.
  constexpr std::size_t k_bytes = 64 << 20;
  void* buffer = nullptr;
  if (posix_memalign(&buffer, 4096, k_bytes) != 0) {
    return 0;
  }
  std::memset(buffer, 0, k_bytes);
  const Clock::time_point begin = Clock::now();
  const ssize_t written = pwrite(file.get(), buffer, k_bytes, 0);
  fdatasync(file.get());
  const double elapsed = std::chrono::duration<double>(Clock::now() - begin).count();
  std::free(buffer);
  return written > 0 ? elapsed / static_cast<double>(written) : 0;
}

// How fast the plain path gets through its inputs: a rollback-journal input's read lock is held
// from its snapshot to the end of the run (its rows are read again for the report and the
// writing), and a run takes about 3 s per GiB of input at 16M events on the 2-core machine of
// bench/README.md (5.1 GiB in 14-16 s), less when the machine is busy: 128 MiB/s, pessimistic,
// so that a loaded machine still keeps within the budget.
constexpr double k_plain_bytes_per_second = 128.0 * (1 << 20);

// The slowest a copy of pages the page cache holds goes, into pages it takes without waiting for
// the disk: `cp` of the 196 MiB bench primary took 76 ms idle here (2.6 GB/s) and 175-376 ms with
// four busy loops on the two cores (520 MiB/s at worst). A copy whose bound this keeps within the
// budget is not sampled (estimate_copy's three timed 8 MiB copies cost 20-25 ms at 1M); the pages
// it lacks count at k_plain_bytes_per_second, and the deadline of copy_file_to() still holds the
// copy if the estimate is wrong.
constexpr double k_cached_copy_bytes_per_second = 384.0 * (1 << 20);


std::string mib_text(std::uintmax_t bytes) {
  return fmt::format("{:.0f} MiB", static_cast<double>(bytes) / (1 << 20));
}

// The exit-75 refusal of an input whose copy alone would hold its lock past the budget.
Error lock_hold_error(const InputDatabase& input,
                      std::chrono::duration<double> copy,
                      std::chrono::milliseconds budget) {
  return Error(ExitCode::temp_fail,
               fmt::format("{} uses a rollback journal, in which the service cannot write while "
                           "heatmap-merge holds its read lock, and copying its {} under the lock "
                           "would take about {}, past --max-lock-hold {}; put the service's "
                           "database in WAL mode (PRAGMA journal_mode = WAL), or run in a quiet "
                           "period with a larger --max-lock-hold",
                           display(input.path()),
                           mib_text(input.size()),
                           seconds_text(copy),
                           seconds_text(budget)));
}

// Decides, before any lock, which rollback-journal inputs are read from a private copy made
// under their lock, and refuses (exit 75) those whose copy alone would outlast the budget. The
// primary of a run with an output is copied into it under its lock anyway (copy_primary), then
// let go: its copy is what must fit. WAL inputs never block the service's writers: read as ever.
std::vector<InputDatabase*>
plan_copies(Inputs& inputs, const Options& options, const std::filesystem::path& directory) {
  const bool primary_copied = write_mode(options) != WriteMode::dry_run;
  std::uintmax_t total = 0;
  for (const std::unique_ptr<InputDatabase>& input : inputs.databases) {
    total += input->size();
  }
  const std::chrono::duration<double> plain(static_cast<double>(total) / k_plain_bytes_per_second);
  std::vector<InputDatabase*> copies;
  std::uintmax_t copy_bytes = 0;
  // Shared by the copies in the order they are made (the private ones, then the primary's into
  // the output): each leaves its pages dirty for the next.
  double headroom = -1;
  double disk_per_byte = 0;
  // In the order the copies are made: the private ones first, the primary's into the output
  // last (read_keys).
  std::vector<std::size_t> order(inputs.databases.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = primary_copied ? (i + 1) % order.size() : i;
  }
  for (const std::size_t i : order) {
    InputDatabase& input = *inputs.databases[i];
    const bool into_output = i == 0 && primary_copied;
    // A copy is never slower than a whole run through the same bytes: the primary copied into
    // the output is estimated only when even that could outlast the budget, so that a small run
    // pays for no sample.
    const std::chrono::duration<double> own(static_cast<double>(input.size()) /
                                            k_plain_bytes_per_second);
    if (!input.rollback_header() || (into_output ? own : plain) <= options.max_lock_hold) {
      continue;
    }
    if (headroom < 0) {
      headroom = dirty_headroom();
    }
    const double size = static_cast<double>(input.size());
    const double resident = static_cast<double>(input.resident_bytes());
    const std::chrono::duration<double> bound(resident / k_cached_copy_bytes_per_second +
                                              (size - resident) / k_plain_bytes_per_second);
    const bool bounded = size <= headroom && bound <= options.max_lock_hold;
    const InputDatabase::CopyEstimate sampled =
      bounded ? InputDatabase::CopyEstimate{bound, false} : input.estimate_copy(directory);
    std::chrono::duration<double> copy = sampled.time;
    if (!sampled.reflink) {
      const double past = std::max(0.0, size - headroom);
      // The disk is timed (a 64 MiB write) only for a copy that goes past the headroom.
      if (past > 0 && disk_per_byte == 0) {
        disk_per_byte = write_back_seconds_per_byte(directory);
      }
      const double sampled_per_byte = sampled.time.count() / size;
      copy += std::chrono::duration<double>(past * std::max(0.0, disk_per_byte - sampled_per_byte));
      headroom = std::max(0.0, headroom - size);
    }
    if (copy > options.max_lock_hold) {
      throw lock_hold_error(input, copy, options.max_lock_hold);
    }
    inputs.notes.push_back(
      into_output
        ? fmt::format("{} uses a rollback journal: its copy should hold its read lock for "
                      "about {} (--max-lock-hold {})",
                      display(input.path()),
                      seconds_text(copy),
                      seconds_text(options.max_lock_hold))
        : fmt::format("{} uses a rollback journal: read in place, the run would hold "
                      "its read lock for about {}, past --max-lock-hold {}; it is read "
                      "from a private copy made under the lock instead (about {})",
                      display(input.path()),
                      seconds_text(plain),
                      seconds_text(options.max_lock_hold),
                      seconds_text(copy)));
    if (!into_output) {
      copies.push_back(&input);
      copy_bytes += input.size();
    }
  }
  // The copies must fit beside the spill files: refused before any lock, not half made.
  struct statvfs space {};
  if (copy_bytes > 0 && statvfs(directory.c_str(), &space) == 0 &&
      static_cast<std::uintmax_t>(space.f_bavail) * space.f_frsize < copy_bytes) {
    throw Error(
      ExitCode::io,
      fmt::format("no room for private copies of the rollback-journal inputs in {}: "
                  "they take {}, and {} is free (see --max-lock-hold; TMPDIR sets the "
                  "directory of a dry run)",
                  display(directory),
                  mib_text(copy_bytes),
                  mib_text(static_cast<std::uintmax_t>(space.f_bavail) * space.f_frsize)));
  }
  return copies;
}

} // namespace

Inputs open_inputs(const std::vector<std::filesystem::path>& paths,
                   const Options& options,
                   const std::filesystem::path& copy_directory) {
  use_readahead(options.optimizations.readahead);
  Inputs inputs;
  for (const std::filesystem::path& path : paths) {
    inputs.databases.push_back(std::make_unique<InputDatabase>(path, options.lock_timeout));
    inputs.databases.back()->limit_copy_time(options.max_lock_hold);
  }
  const std::vector<InputDatabase*> copies = plan_copies(inputs, options, copy_directory);
  std::vector<InputDatabase*> all;
  for (const std::unique_ptr<InputDatabase>& input : inputs.databases) {
    all.push_back(input.get());
  }
  take_snapshots(all, options.lock_timeout);
  // Each copy starts at once under the lock just taken, on a thread of its own, and goes on
  // beside the schemas and the primary's copy into the output; the input's reader waits for it
  // (finish_copy, read_keys). No lock is held while another is waited for (take_snapshots).
  for (InputDatabase* input : copies) {
    if (!input->wal()) { // else switched to WAL since its header was read: it blocks no writer
      input->start_copy(copy_directory);
    }
  }
  for (const std::unique_ptr<InputDatabase>& input : inputs.databases) {
    try {
      inputs.tables.push_back(read_table_schema(input->database(), input->path(), options.table));
    } catch (const SQLite::Exception& e) {
      throw sqlite_error(input->path(), e, "reading its schema");
    }
  }
  return inputs;
}

} // namespace heatmap_merge
