// The page scan (scan_pages(), and scan_keys() with `pages`) against SQLite's own reading on sound
// files of every shape: b-tree levels, page sizes, overflow pages, ALTER TABLE, deleted rows,
// extreme row ids, generated columns, skipped ranges, and a -wal with frames.
#include "page_scan_check.hpp"
#include "temp_database.hpp"

#include "sqlite_format/page_scan.hpp"

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

using namespace page_scan_check;
using heatmap_merge::Instant;

TEST_CASE("page scan: the service's table over several b-tree levels reads as through SQLite") {
  for (const int page_size : {1024, 4096}) {
    CAPTURE(page_size);
    const TempDatabase database("clicks-" + std::to_string(page_size) + ".db");
    make_database(database.path(), k_click_schema + click_rows(1, 3000), page_size);
    const Outcome outcome = check_same_scans(database.path(), click_options());
    CHECK(outcome.rows == 3000);
    CHECK(outcome.keys.size() == 3000);
    const Walk all = check_decoded_values(database.path(), "click_events", click_columns());
    CHECK(all.end.complete);
    CHECK(all.end.last_rowid == 3000);
    CHECK(all.decoded.size() == 3000);
    CHECK(all.looked_up.empty());
    CHECK(std::is_sorted(all.order.begin(), all.order.end()));
    if (page_size == 1024) {
      // Leaves under two levels of interior pages.
      SQLite::Database check(database.path(), SQLite::OPEN_READONLY);
      CHECK(check
              .execAndGet("SELECT max(length(path) - length(replace(path, '/', ''))) FROM "
                          "dbstat WHERE name = 'click_events'")
              .getInt() >= 3);
    }
  }
}

TEST_CASE("page scan: 512- and 65536-byte pages") {
  for (const int page_size : {512, 65536}) {
    CAPTURE(page_size);
    const TempDatabase database("pages-" + std::to_string(page_size) + ".db");
    make_database(database.path(), k_click_schema + click_rows(1, 2000), page_size);
    const Outcome outcome = check_same_scans(database.path(), click_options());
    CHECK(outcome.rows == 2000);
    const Walk all = check_decoded_values(database.path(), "click_events", click_columns());
    CHECK(all.end.complete);
    CHECK(all.decoded.size() == 2000);
  }
}

TEST_CASE("page scan: rows with overflow pages are read by SQLite, in their place") {
  const TempDatabase database("overflow.db");
  make_database(database.path(),
                k_click_schema + click_rows(1, 500) + ";" + click_rows(501, 10, 10000) + ";" +
                  click_rows(511, 300) + ";" +
                  "UPDATE click_events SET page_url = printf('/long/%.*c', 10000, 'p') "
                  "WHERE id IN (3, 700, 810)");
  check_same_scans(database.path(), click_options());
  const Walk all = walk(database.path(), "click_events", click_columns());
  CHECK(all.end.complete);
  const std::vector<std::int64_t> overflow =
    rowids(database.path(), "click_events", "length(page_url) + length(user_agent) > 4000");
  CHECK(overflow.size() == 13);
  CHECK(all.looked_up == overflow);
  CHECK(all.decoded.size() == 810 - 13);
  CHECK(std::is_sorted(all.order.begin(), all.order.end()));
  CHECK(all.order == rowids(database.path(), "click_events"));
}

TEST_CASE("page scan: rows from before ALTER TABLE ADD COLUMN are read by SQLite") {
  const TempDatabase database("altered.db");
  make_database(database.path(),
                k_click_schema + click_rows(1, 200) +
                  ";ALTER TABLE click_events ADD COLUMN source TEXT DEFAULT 'x';" +
                  click_rows(201, 500) +
                  ";UPDATE click_events SET source = 'app' WHERE id % 3 = 0 AND id > 600;"
                  "UPDATE click_events SET scroll_y = 1 WHERE id = 5;");
  const Outcome outcome = check_same_scans(database.path(), click_options());
  CHECK(outcome.rows == 700);
  std::vector<std::string> columns = click_columns();
  columns.push_back("source");
  const Walk all = check_decoded_values(database.path(), "click_events", columns);
  CHECK(all.end.complete);
  // Rows written before the column was added hold one field less; an UPDATE writes the whole
  // record again, with the default (row 5).
  std::vector<std::int64_t> before;
  for (std::int64_t id = 1; id <= 200; ++id) {
    if (id != 5) {
      before.push_back(id);
    }
  }
  CHECK(all.looked_up == before);
  CHECK(all.decoded.size() == 501);
  CHECK(all.order == rowids(database.path(), "click_events"));
  // Without the added column among those read, no row is left to SQLite.
  CHECK(walk(database.path(), "click_events", click_columns()).looked_up.empty());
  // The added column as a key column too.
  hm::Options options = click_options();
  options.key_columns = {"page_url", "source"};
  check_same_scans(database.path(), options);
}

TEST_CASE("page scan: when most rows need SQLite, it reads the rest itself") {
  const TempDatabase database("altered-most.db");
  make_database(database.path(),
                k_click_schema + click_rows(1, 2000) +
                  ";ALTER TABLE click_events ADD COLUMN source TEXT DEFAULT 'x';" +
                  click_rows(2001, 300));
  std::vector<std::string> columns = click_columns();
  columns.push_back("source");
  const Walk all = walk(database.path(), "click_events", columns);
  // The walk gives up after some lookups, and only lookups, in order.
  CHECK_FALSE(all.end.complete);
  REQUIRE(all.end.last_rowid);
  CHECK(*all.end.last_rowid < 2000);
  CHECK(all.decoded.empty());
  CHECK(all.looked_up.size() == static_cast<std::size_t>(*all.end.last_rowid));
  CHECK(all.looked_up.back() == *all.end.last_rowid);
  const Outcome outcome = check_same_scans(database.path(), click_options());
  CHECK(outcome.rows == 2300);
  // With skipped ranges, the rest is read range by range.
  check_same_scans(database.path(), click_options(), {{100, 200}, {1500, 2100}});
}

TEST_CASE("page scan: deleted rows, and the file VACUUMed") {
  const TempDatabase database("deleted.db");
  make_database(database.path(),
                k_click_schema + click_rows(1, 3000) +
                  ";DELETE FROM click_events WHERE id % 3 = 0 OR id BETWEEN 1000 AND 1800;",
                1024);
  Outcome outcome = check_same_scans(database.path(), click_options());
  CHECK(outcome.rows == static_cast<std::int64_t>(rowids(database.path(), "click_events").size()));
  const Walk all = walk(database.path(), "click_events", click_columns());
  CHECK(all.order == rowids(database.path(), "click_events"));
  run(database.path(), "VACUUM");
  const Outcome vacuumed = check_same_scans(database.path(), click_options());
  CHECK(difference(outcome, vacuumed) == "");
}

// Row ids from INT64_MIN up, and up to INT64_MAX, each in a table of its own: a table whose row
// ids span INT64_MAX or more overflows reserve_keys() (below).
TEST_CASE("page scan: negative row ids and the extreme ones") {
  const TempDatabase database("extreme-ids.db");
  make_database(
    database.path(),
    "CREATE TABLE t (id INTEGER PRIMARY KEY, tm TEXT, k TEXT, v);"
    "WITH RECURSIVE n(i) AS (SELECT -300 UNION ALL SELECT i + 1 FROM n WHERE i < -1) "
    "INSERT INTO t SELECT i * 1000003, '2026-02-18T10:00:00Z', 'k' || (i % 5), i FROM n;"
    "INSERT INTO t VALUES (-9223372036854775807 - 1, '2026-02-18T10:00:02Z', 'min', 2);"
    "INSERT INTO t VALUES (-9223372036854775807, '2026-02-18T10:00:03Z', NULL, 4);"
    "INSERT INTO t VALUES (-2, NULL, 'minus two', 3);"
    "CREATE TABLE u (id INTEGER PRIMARY KEY, tm TEXT, k TEXT, v);"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) "
    "INSERT INTO u SELECT i * 1000003, '2026-02-18T10:00:00Z', 'k' || (i % 5), i FROM n;"
    "INSERT INTO u VALUES (9223372036854775807, '2026-02-18T10:00:01Z', 'max', 1);"
    "INSERT INTO u VALUES (9223372036854775806, NULL, 'max-1', 3);",
    512);
  const Outcome low = check_same_scans(database.path(), table_options("tm", {"k"}));
  CHECK(low.rows == 303);
  CHECK(low.max_rowid == 0); // counted from 0
  CHECK(low.unkeyed.size() == 2);
  const Walk all = walk(database.path(), "t", {"tm", "k", "v"});
  CHECK(all.end.complete);
  CHECK(all.end.last_rowid == -2);
  CHECK(all.order == rowids(database.path(), "t"));
  CHECK(all.order.front() == INT64_MIN);
  hm::Options high_options = table_options("tm", {"k"});
  high_options.table = "u";
  const Outcome high = check_same_scans(database.path(), high_options);
  CHECK(high.rows == 302);
  CHECK(high.max_rowid == INT64_MAX);
  const Walk high_walk = walk(database.path(), "u", {"tm", "k", "v"});
  CHECK(high_walk.end.complete);
  CHECK(high_walk.end.last_rowid == INT64_MAX);
  CHECK(high_walk.order == rowids(database.path(), "u"));
  // A table without a row id alias too.
  const TempDatabase plain("extreme-ids-plain.db");
  make_database(plain.path(),
                "CREATE TABLE t (tm TEXT, k TEXT, v);"
                "INSERT INTO t(rowid, tm, k, v) VALUES (-5, 'a', 'b', 1), (-3, 'a', 'c', 2), "
                "(-2, 'a', 'd', 3), (-9223372036854775807 - 1, 'c', 'f', 5)");
  check_same_scans(plain.path(), table_options("tm", {"k"}));
}

// The span of row ids from INT64_MIN to INT64_MAX, which overflowed `max - min + 1` in
// reserve_keys() (RowRange::ids() saturates).
TEST_CASE("page scan: a table with both INT64_MIN and INT64_MAX") {
  const TempDatabase database("extreme-span.db");
  make_database(database.path(),
                "CREATE TABLE t (id INTEGER PRIMARY KEY, tm TEXT, k TEXT, v);"
                "INSERT INTO t VALUES (-9223372036854775807 - 1, '2026-02-18T10:00:02Z', 'min', 2);"
                "INSERT INTO t VALUES (-1, '2026-02-18T10:00:02Z', 'minus one', 2);"
                "INSERT INTO t VALUES (9223372036854775807, '2026-02-18T10:00:01Z', 'max', 1);");
  const Outcome outcome = check_same_scans(database.path(), table_options("tm", {"k"}));
  CHECK(outcome.rows == 3);
  CHECK(outcome.max_rowid == INT64_MAX);
}

TEST_CASE("page scan: an empty table") {
  const TempDatabase database("empty.db");
  make_database(database.path(), k_click_schema);
  const Outcome outcome = check_same_scans(database.path(), click_options());
  CHECK(outcome.rows == 0);
  const Walk all = walk(database.path(), "click_events", click_columns());
  CHECK(all.end.complete);
  CHECK_FALSE(all.end.last_rowid);
  CHECK(all.order.empty());
  // Emptied after it held rows over several pages.
  run(database.path(), click_rows(1, 2000) + ";DELETE FROM click_events");
  check_same_scans(database.path(), click_options());
  CHECK(walk(database.path(), "click_events", click_columns()).order.empty());
}

TEST_CASE("page scan: generated columns and the row id alias are not decoded") {
  const TempDatabase database("generated.db");
  make_database(database.path(),
                "CREATE TABLE t (id INTEGER PRIMARY KEY, tm TEXT, k TEXT, v INTEGER, "
                "g INTEGER GENERATED ALWAYS AS (v * 2) VIRTUAL, w TEXT, "
                "s TEXT GENERATED ALWAYS AS (w || '!') STORED, z);"
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) "
                "INSERT INTO t(tm, k, v, w, z) SELECT '2026-02-18T10:00:00Z', 'k' || (i % 7), i, "
                "'w' || i, i FROM n;"
                "CREATE TABLE u (id INTEGER PRIMARY KEY, tm TEXT, k TEXT, v INTEGER);"
                "INSERT INTO u(tm, k, v) SELECT tm, k, v FROM t;");
  SQLite::Database connection = open_snapshot(database.path());
  const hm::TableSchema generated = hm::read_table_schema(connection, database.path(), "t");
  CHECK(generated.generated_columns);
  CHECK_FALSE(hm::record_fields(generated, {"tm", "k", "v"}));
  CHECK_FALSE(hm::record_fields(generated, {"tm", "k", "z"}));
  const hm::TableSchema plain = hm::read_table_schema(connection, database.path(), "u");
  CHECK(hm::record_fields(plain, {"tm", "k", "v"}));
  CHECK_FALSE(hm::record_fields(plain, {"tm", "id"}));
  CHECK_FALSE(hm::record_fields(plain, {"ID", "k"}));
  CHECK_FALSE(hm::record_fields(plain, {"tm", "missing"}));
  // Both read through SQLite then, and alike.
  check_same_scans(database.path(), table_options("tm", {"k"}));
  check_same_scans(database.path(), table_options("tm", {"k", "z"}));
  hm::Options by_id = table_options("tm", {"id"});
  by_id.table = "u";
  check_same_scans(database.path(), by_id);
  hm::Options id_time = table_options("id", {"k"});
  id_time.table = "u";
  check_same_scans(database.path(), id_time);
}

// "INTEGER PRIMARY KEY DESC" is no alias of the row id (a quirk SQLite keeps:
// https://www.sqlite.org/lang_createtable.html#rowid): SQLite's scan and the page scan both read
// `id` as a column of its own.
TEST_CASE("page scan: a primary key declared DESC is no row id alias") {
  const TempDatabase database("desc-key.db");
  make_database(database.path(),
                "CREATE TABLE t (id INTEGER PRIMARY KEY DESC, tm TEXT, k TEXT, v INTEGER);"
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) "
                "INSERT INTO t SELECT 1000 - i * 10, '2026-02-18T10:00:00Z', 'k' || i, i FROM n");
  SQLite::Database connection = open_snapshot(database.path());
  // The premise: SQLite's row ids are not the ids.
  CHECK(connection.execAndGet("SELECT count(*) FROM t WHERE rowid = id").getInt() == 0);
  const hm::TableSchema schema = hm::read_table_schema(connection, database.path(), "t");
  CHECK_FALSE(schema.rowid_alias);
  check_same_scans(database.path(), table_options("tm", {"k"}));
}

TEST_CASE("page scan: rows in the skipped ranges are not handed out") {
  const TempDatabase database("skip.db");
  make_database(database.path(),
                k_click_schema + click_rows(1, 2000) + ";" + click_rows(2001, 5, 6000) +
                  ";DELETE FROM click_events WHERE id BETWEEN 300 AND 320;",
                1024);
  const std::vector<std::vector<RowRange>> skips = {
    {{1, 100}},
    {{INT64_MIN, 0}, {50, 60}, {299, 321}, {1999, 2002}},
    {{10, 10}, {12, 12}, {1500, INT64_MAX}},
    {{INT64_MIN, INT64_MAX}},
    {{-5, 5}, {2003, 2003}, {2006, 3000}},
  };
  const std::vector<std::int64_t> all_ids = rowids(database.path(), "click_events");
  for (const std::vector<RowRange>& skip : skips) {
    CAPTURE(skip.size());
    CAPTURE(skip.front().first);
    std::vector<std::int64_t> expected;
    for (const std::int64_t id : all_ids) {
      const bool skipped = std::any_of(skip.begin(), skip.end(), [id](const RowRange& range) {
        return id >= range.first && id <= range.last;
      });
      if (!skipped) {
        expected.push_back(id);
      }
    }
    const Walk result = walk(database.path(), "click_events", click_columns(), skip);
    CHECK(result.end.complete);
    CHECK(result.end.last_rowid == all_ids.back());
    CHECK(result.order == expected);
    for (const std::int64_t id : result.looked_up) {
      CHECK(id > 2000);
    }
    const Outcome outcome = check_same_scans(database.path(), click_options(), skip);
    CHECK(outcome.rows == static_cast<std::int64_t>(expected.size()));
  }
}

TEST_CASE("page scan: snapshot_pages gives the file only while the -wal holds no frames") {
  const TempDatabase database("wal.db");
  make_database(database.path(), "PRAGMA journal_mode = WAL;" + k_click_schema + click_rows(1, 50));
  {
    // A writer whose frames are not yet checkpointed.
    SQLite::Database writer(database.path(), SQLite::OPEN_READWRITE);
    writer.exec("PRAGMA wal_autocheckpoint = 0;" + click_rows(51, 10));
    SQLite::Database reader = open_snapshot(database.path());
    CHECK(hm::snapshot_pages(reader) == nullptr);
    // scan_keys without the pages then reads the rows in the -wal too.
    const Outcome outcome = scan(database.path(), click_options(), false);
    CHECK(outcome.rows == 60);
  }
  // The last connection checkpointed and removed the -wal.
  SQLite::Database reader = open_snapshot(database.path());
  CHECK(hm::snapshot_pages(reader) != nullptr);
  const Outcome outcome = check_same_scans(database.path(), click_options());
  CHECK(outcome.rows == 60);
}

TEST_CASE("page scan: snapshot_pages looks at the -wal beside the file a link resolves to") {
  const TempDatabase database("linked-wal.db");
  make_database(database.path(), "PRAGMA journal_mode = WAL;" + k_click_schema + click_rows(1, 50));
  const std::filesystem::path link = database.path() + "-link";
  std::filesystem::create_symlink(database.path(), link);
  {
    SQLite::Database writer(database.path(), SQLite::OPEN_READWRITE);
    writer.exec("PRAGMA wal_autocheckpoint = 0;" + click_rows(51, 10));
    // No "-link-wal" exists: only SQLite's own name for the -wal shows the frames.
    SQLite::Database reader = open_snapshot(link.string());
    CHECK(hm::snapshot_pages(reader) == nullptr);
  }
  std::filesystem::remove(link);
}
