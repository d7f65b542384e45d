// The new output file (write/output.hpp): flushing its temporary file keeps SQLite's locks.
#include "temp_database.hpp"
#include "write/output.hpp"

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>

#include <fcntl.h>
#include <filesystem>
#include <sys/wait.h>
#include <unistd.h>

namespace {

// Whether another process sees a read lock on `path` where SQLite takes its SHARED lock (the
// 510 bytes after the pending and reserved bytes at 1 GiB). Asked from a child process: a
// process never sees its own POSIX locks as conflicts.
bool shared_lock_held(const std::filesystem::path& path) {
  const pid_t child = fork();
  if (child == 0) {
    const int fd = open(path.c_str(), O_RDWR);
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = 0x40000000 + 2;
    lock.l_len = 510;
    const bool held = fd >= 0 && fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type == F_RDLCK;
    _exit(held ? 0 : 1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

} // namespace

TEST_CASE("output: flushing the temporary file keeps the locks SQLite holds on it") {
  const TempDatabase target("flush-locks.db");
  heatmap_merge::OutputFile file(target.path(), false, target.path(), false);
  {
    SQLite::Database writer(file.temp_path().string(), SQLite::OPEN_READWRITE);
    writer.exec("CREATE TABLE t (v); INSERT INTO t VALUES (1)");
  }
  // As the copy's integrity check reads while the copy is flushed early.
  SQLite::Database reader(file.temp_path().string(), SQLite::OPEN_READONLY);
  reader.exec("BEGIN");
  CHECK(reader.execAndGet("SELECT count(*) FROM t").getInt() == 1);
  REQUIRE(shared_lock_held(file.temp_path()));
  file.flush_early();
  file.commit(); // waits for the early flush, flushes again and renames
  CHECK(shared_lock_held(target.path()));
  reader.exec("COMMIT");
  CHECK_FALSE(shared_lock_held(target.path()));
}
