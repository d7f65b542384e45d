// The read-ahead VFS (sqlite_format/readahead_vfs.hpp): reads what SQLite wrote, never a chunk
// older than another process's write, and a WAL database's commits and checkpoints.
#include "sqlite_format/readahead_vfs.hpp"
#include "temp_database.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace {

using heatmap_merge::readahead_vfs;

// Rows big enough that a table spans hundreds of pages, and an index whose pages lie between.
void fill(SQLite::Database& database, int from, int to) {
  database.exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v INTEGER, pad TEXT)");
  database.exec("CREATE INDEX IF NOT EXISTS t_v ON t(v)");
  SQLite::Statement insert(database,
                           "INSERT INTO t(id, v, pad) VALUES (?1, ?1 * 7, printf('%.300c', 'x'))");
  database.exec("BEGIN");
  for (int id = from; id <= to; ++id) {
    insert.bind(1, id);
    insert.exec();
    insert.reset();
  }
  database.exec("COMMIT");
}

std::int64_t sum_of(SQLite::Database& database, const std::string& sql) {
  SQLite::Statement query(database, sql);
  query.executeStep();
  return query.getColumn(0).getInt64();
}

} // namespace

TEST_CASE("readahead VFS: scans, reverse scans, seeks and quick_check read what SQLite wrote") {
  TempDatabase file("read");
  {
    SQLite::Database writer(file.path(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    fill(writer, 1, 5000);
  }
  SQLite::Database plain(file.path(), SQLite::OPEN_READONLY);
  SQLite::Database chunked(file.path(), SQLite::OPEN_READONLY, 0, readahead_vfs());
  for (const std::string sql : {"SELECT sum(v) + count(*) + sum(length(pad)) FROM t",
                                "SELECT sum(x) FROM (SELECT v * id AS x FROM t ORDER BY id DESC)",
                                "SELECT sum(v) FROM t INDEXED BY t_v WHERE v % 13 = 0",
                                "SELECT sum(v) FROM t WHERE id IN (4999, 7, 2500, 1, 3333)"}) {
    CAPTURE(sql);
    CHECK(sum_of(chunked, sql) == sum_of(plain, sql));
  }
  SQLite::Statement check(chunked, "PRAGMA quick_check");
  REQUIRE(check.executeStep());
  CHECK(check.getColumn(0).getString() == "ok");
}

TEST_CASE("readahead VFS: a chunk read before another process wrote is never served after") {
  TempDatabase file("rollback");
  SQLite::Database writer(file.path(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  fill(writer, 1, 3000);
  SQLite::Database reader(file.path(), SQLite::OPEN_READONLY, 0, readahead_vfs());
  const std::string sql = "SELECT sum(v) + count(*) FROM t";
  const std::int64_t before = sum_of(reader, sql);
  // Changes every page of the table in place (same size), then grows the file.
  writer.exec("UPDATE t SET v = v + 1");
  fill(writer, 3001, 4000);
  CHECK(sum_of(reader, sql) == sum_of(writer, sql));
  CHECK(sum_of(reader, sql) != before);
}

TEST_CASE("readahead VFS: a WAL database sees other processes' commits and checkpoints") {
  TempDatabase file("wal");
  SQLite::Database writer(file.path(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  writer.exec("PRAGMA journal_mode = WAL");
  fill(writer, 1, 3000);
  writer.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  SQLite::Database reader(file.path(), SQLite::OPEN_READONLY, 0, readahead_vfs());
  const std::string sql = "SELECT sum(v) + count(*) FROM t";
  CHECK(sum_of(reader, sql) == sum_of(writer, sql));
  writer.exec("UPDATE t SET v = v + 1");
  writer.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  CHECK(sum_of(reader, sql) == sum_of(writer, sql));
  writer.exec("UPDATE t SET v = v + 1");
  CHECK(sum_of(reader, sql) == sum_of(writer, sql));
}
