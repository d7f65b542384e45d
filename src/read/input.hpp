#pragma once
// The inputs as snapshots: each input opened read-only as one consistent snapshot (its read
// lock), the checks of its file, the private copy of a rollback-journal input, and open_snapshots.

#include "read/schema.hpp"
#include "util/remove_on_signal.hpp"

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

struct sqlite3_file;

namespace heatmap_merge {

class Error;
struct Options;

// The file `path` names, resolved once as the kernel resolves it (absolute, every link and ".."
// followed; a missing last part kept as given): what SQLite opens, and what every companion name
// (-wal, -journal, backups, lock files) and every identity check derives from.
std::filesystem::path resolved_file(const std::filesystem::path& path);

// Runs nothing that a database's schema declares: untrusted schema, defensive mode, triggers and
// views off. Every connection the tool opens goes through this.
void harden(SQLite::Database& database);

// Makes `database` wait up to `timeout` for a lock another connection holds, trying again every
// millisecond: SQLite's default busy handler sleeps up to 100 ms between tries, and beside a
// writer that commits back to back (a service on a slow disk) it keeps missing the short gaps
// between its transactions and gives up after the whole timeout. Every connection of the tool
// waits this way, for other processes and for the tool's own other connections alike.
void wait_for_locks(SQLite::Database& database, std::chrono::milliseconds timeout);

// Checks that `path` names a regular, non-empty file that starts like a SQLite database, so that
// a typo, a directory or a CSV file gets its own clear message before SQLite sees it. Returns
// the file's device and inode. It opens and closes the file, so it must run before any connection
// of the process opens it: a close drops every POSIX lock the process holds on the file, SQLite's
// included (refuse_repeated_inputs() keeps a second input from being the first one's file).
std::pair<dev_t, ino_t> check_input_file(const std::filesystem::path& path);

// Refuses (Error(usage)) the same file given twice as an input, by path or through a link: it
// would be matched against itself, and checking it again would close a descriptor of a file
// whose SQLite lock the process holds. Looks only at the files' identities (stat), opens none.
void refuse_repeated_inputs(const std::vector<std::filesystem::path>& inputs);

// An open file descriptor, closed when it goes.
class FileDescriptor {
public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : m_fd(fd) {}
  FileDescriptor(FileDescriptor&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
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

// `error` called an input corrupt: checks the file again with PRAGMA quick_check, through a new
// connection under a fresh read lock (every connection of the run that failed is closed by then),
// and returns the verdict that stands: the same data error, saying that the second check confirms
// it; or, if the file passes, Error(temp_fail): the file changed while it was read, which only a
// writer that ignores SQLite's locks can do.
Error confirm_corruption(const Error& error, std::chrono::milliseconds lock_timeout);

// A second read-only connection to a database file, for reading it from another thread. Waits up
// to `busy_timeout` for a lock: our own connections to one file (a WAL copy's recovery, a writer's
// commit) must wait for each other, never fail.
SQLite::Database open_reader(const std::filesystem::path& path,
                             std::chrono::milliseconds busy_timeout);

// The operating system's file below a connection's main database (below any wrapping VFS), for
// reading its pages directly (find_shared_rows): valid while the connection is open.
sqlite3_file* database_file(SQLite::Database& database);

// The file below `database` (database_file()) when its pages are the snapshot the connection
// reads, so that they may be read directly (page_scan.hpp); nullptr when they may not be. The
// caller holds a read transaction on `database` (an input inside its snapshot) or its file is a
// file of the tool's own that nothing else writes (the primary's copy). Then a rollback-journal
// file cannot change, and a WAL file whose -wal is absent or empty is its snapshot: a reader whose
// snapshot held frames keeps the -wal from being reset or truncated, and one that began with every
// frame in the file holds READ_LOCK(0), which a checkpoint must hold alone to write the file.
// The -wal is the one SQLite names (sqlite3_filename_wal), never one derived from a path as given.
sqlite3_file* snapshot_pages(SQLite::Database& database);

// One input, opened read-only (never created, never written, never checkpointed).
class Snapshot {
public:
  Snapshot(const std::filesystem::path& path, std::chrono::milliseconds lock_timeout);
  // Waits for a copy still being made (start_copy) and removes its name.
  ~Snapshot();
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  // Starts the read transaction that every later read of this input sees: one consistent
  // snapshot, even while the service writes (in WAL mode the writer is never blocked).
  // Tries for up to `wait`; false, holding no lock, if another process held one that long.
  bool try_snapshot(std::chrono::milliseconds wait);
  // Ends the read transaction (and lets its lock go), if one is open.
  void end_snapshot();
  // When the snapshot began: a rollback-journal input's read lock is held from then on.
  std::chrono::steady_clock::time_point snapshot_start() const {
    return m_snapshot_start;
  }
  // The exit-75 error for an input that stayed locked past the lock timeout.
  Error locked_error() const;

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
  // empty file): a reflink (FICLONE) where the file system makes one, else copy_file_range. Only
  // valid inside the snapshot: its SHARED lock keeps every writer from the file while the bytes
  // are copied, so the copy is that snapshot. `destination_name` is what a failure to write says
  // it could not write.
  void copy_file_to(int destination, const std::string& destination_name);

  // The file's size and whether its header says rollback journal, as read when it was opened,
  // before any lock: for estimating how long a read would hold the lock (open_snapshots).
  std::uintmax_t size() const {
    return m_size;
  }
  bool rollback_header() const {
    return m_rollback_header;
  }
  // How long copying the file into `directory` would take while the page cache takes the
  // copy's writes, from a timed copy of a sample of it (outside any lock: the bytes are thrown
  // away) and its pages' residency in the page cache; `reflink` tells that the file system
  // shares blocks (then that time is the whole copy's, with nothing to write back).
  struct CopyEstimate {
    std::chrono::duration<double> time;
    bool reflink = false;
  };
  CopyEstimate estimate_copy(const std::filesystem::path& directory) const;
  // How many of the file's bytes the page cache holds (mincore: no read, no lock).
  std::uintmax_t resident_bytes() const;
  // Inside the snapshot of a rollback-journal input: starts copying the file to a private file
  // in `directory`, on a thread of its own that touches only m_copy_source, never the connection
  // (which other threads may go on reading the snapshot through meanwhile).
  void start_copy(const std::filesystem::path& directory);
  // After start_copy(), on the thread that reads this input next: waits for the copy, ends the
  // snapshot (the lock goes), and reads the copy from then on, which no other process can write;
  // its name goes. Returns how long the copy held the lock; nothing if no copy was started.
  std::optional<std::chrono::duration<double>> finish_copy();
  // Makes copy_file_to() give up (exit 75) once copying has held the lock longer than `limit`
  // (--max-lock-hold): an estimate can be wrong, the bound must not be.
  void limit_copy_time(std::chrono::milliseconds limit) {
    m_max_hold = limit;
  }
  // True once finish_copy() has made the connection read the private copy.
  bool reads_copy() const {
    return m_reads_copy;
  }
  // How long finish_copy() found the snapshot's lock held, the copy and what was read meanwhile.
  std::chrono::duration<double> lock_held() const {
    return m_lock_held;
  }

private:
  std::filesystem::path m_path;
  std::chrono::milliseconds m_lock_timeout;
  std::pair<dev_t, ino_t> m_identity;
  // Declared before the connection so that it closes after it: closing any descriptor of the
  // file drops the process's POSIX locks on it, SQLite's included. Opened before the connection,
  // for the estimate and the copy, and kept open until the end.
  FileDescriptor m_copy_source;
  std::uintmax_t m_size = 0;
  bool m_rollback_header = true;
  SQLite::Database m_database;
  bool m_wal = false;
  bool m_reads_copy = false;
  std::optional<std::chrono::milliseconds> m_max_hold;
  std::chrono::steady_clock::time_point m_snapshot_start;
  std::chrono::duration<double> m_lock_held{};
  // The private copy's name, from start_copy() until SQLite has opened it, and its descriptor.
  std::string m_copy_name;
  RemoveOnSignal m_copy_on_signal;
  FileDescriptor m_copy_file;
  // Last, so that it is waited for before the descriptors close: the copy's time under the lock.
  std::future<std::chrono::duration<double>> m_copying;
};

// Every input open read-only as one consistent snapshot, with its click table's schema.
struct Snapshots {
  std::vector<std::unique_ptr<Snapshot>> databases; // [0] the primary; null once copied
  std::vector<TableSchema> tables;
  // What -v tells of how the inputs were opened (private copies, lock holds), for the key reader.
  std::vector<std::string> notes;
};

// Opens every input and starts its snapshot, then reads its click table's schema. A
// rollback-journal input whose read would hold its lock past options.max_lock_hold is copied
// under the lock to a private file in `copy_directory` (where the run spills), then read there;
// one whose copy would take longer still is refused with exit 75 before any lock.
Snapshots open_snapshots(const std::vector<std::filesystem::path>& paths,
                         const Options& options,
                         const std::filesystem::path& copy_directory);

} // namespace heatmap_merge
