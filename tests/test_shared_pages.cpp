// Shared pages (sqlite_format/shared_pages.hpp): the rows two inputs hold on pages equal byte for
// byte, the read locks kept while comparing, and the rows outside the shared ranges
// (read/scan.hpp).
#include "pipeline/merge.hpp"
#include "read/input.hpp"
#include "read/scan.hpp"
#include "shared_pages_files.hpp"
#include "sqlite_format/shared_pages.hpp"
#include "temp_database.hpp"
#include "util/options.hpp"
#include "util/progress.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {

using heatmap_merge::find_shared_rows;
using heatmap_merge::RowRange;
using heatmap_merge::SharedRows;

constexpr const char* k_schema =
  "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v INTEGER, pad TEXT);"
  "CREATE INDEX t_v ON t(v);";

// Rows `from` to `to`, each with `pad` bytes of padding whose letter tells the replica apart.
void fill(const std::string& path, int from, int to, char letter, int pad = 120) {
  SQLite::Database database(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  if (!database.tableExists("t")) {
    database.exec(k_schema);
  }
  SQLite::Statement insert(
    database, "INSERT INTO t(id, v, pad) VALUES (?1, ?1 % 97, printf('%.*c', ?2, ?3))");
  database.exec("BEGIN");
  for (int id = from; id <= to; ++id) {
    insert.bind(1, id);
    insert.bind(2, pad);
    insert.bind(3, std::string(1, letter));
    insert.exec();
    insert.reset();
  }
  database.exec("COMMIT");
}

void run(const std::string& path, const std::string& sql) {
  SQLite::Database database(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  database.exec(sql);
}

std::int64_t root_of(const std::string& path, const std::string& table = "t") {
  SQLite::Database database(path, SQLite::OPEN_READONLY);
  SQLite::Statement query(database, "SELECT rootpage FROM sqlite_schema WHERE name = ?1");
  query.bind(1, table);
  query.executeStep();
  return query.getColumn(0).getInt64();
}

SharedRows shared(const std::string& a, const std::string& b) {
  return shared_rows_of_files(a, root_of(a), b, root_of(b));
}

// What the ranges promise, checked with SQL: in every range both tables hold the same rows, and
// the rows counted are the rows in the ranges.
void check_promise(const std::string& a, const std::string& b, const SharedRows& rows) {
  SQLite::Database database(a, SQLite::OPEN_READONLY);
  database.exec("ATTACH '" + b + "' AS b");
  std::int64_t total = 0;
  std::int64_t previous_last = INT64_MIN;
  for (const RowRange& range : rows.ranges) {
    CHECK(range.first <= range.last);
    CHECK(range.first > previous_last);
    previous_last = range.last;
    SQLite::Statement count(
      database,
      "SELECT (SELECT count(*) FROM main.t WHERE id BETWEEN ?1 AND ?2), "
      "(SELECT count(*) FROM b.t WHERE id BETWEEN ?1 AND ?2), "
      "(SELECT count(*) FROM (SELECT * FROM main.t WHERE id BETWEEN ?1 AND ?2 "
      "EXCEPT SELECT * FROM b.t WHERE id BETWEEN ?1 AND ?2))");
    count.bind(1, range.first);
    count.bind(2, range.last);
    REQUIRE(count.executeStep());
    CHECK(count.getColumn(0).getInt64() == count.getColumn(1).getInt64());
    CHECK(count.getColumn(2).getInt64() == 0);
    total += count.getColumn(0).getInt64();
  }
  CHECK(total == rows.rows);
}

bool covers(const SharedRows& rows, std::int64_t id) {
  for (const RowRange& range : rows.ranges) {
    if (id >= range.first && id <= range.last) {
      return true;
    }
  }
  return false;
}

// A primary with 3000 rows of history and a secondary seeded from a copy of it; then each goes
// on with rows of its own under the same ids.
void seed(const TempDatabase& primary, const TempDatabase& secondary) {
  fill(primary.path(), 1, 3000, 'h');
  std::filesystem::copy_file(primary.path(), secondary.path());
  fill(primary.path(), 3001, 3400, 'p');
  fill(secondary.path(), 3001, 3200, 's');
}

} // namespace

TEST_CASE("shared pages: a replica seeded from a copy shares its history, and only that") {
  const TempDatabase primary("seeded-primary.db");
  const TempDatabase secondary("seeded-secondary.db");
  seed(primary, secondary);
  const SharedRows rows = shared(primary.path(), secondary.path());
  check_promise(primary.path(), secondary.path(), rows);
  // Only the last leaf of the history took rows of each replica's own afterwards.
  CHECK(rows.rows > 2900);
  CHECK(rows.ranges.size() == 1);
  CHECK(!covers(rows, 3001));
  // The same the other way round.
  const SharedRows back = shared(secondary.path(), primary.path());
  check_promise(secondary.path(), primary.path(), back);
  CHECK(back.rows == rows.rows);
}

TEST_CASE("shared pages: a comparison stopped by another thread finds nothing, so every row is read") {
  const TempDatabase primary("stopped-primary.db");
  const TempDatabase secondary("stopped-secondary.db");
  seed(primary, secondary);
  SQLite::Database first = heatmap_merge::open_reader(primary.path(), std::chrono::milliseconds(0));
  SQLite::Database second =
    heatmap_merge::open_reader(secondary.path(), std::chrono::milliseconds(0));
  const std::atomic<bool> go_on{false};
  const SharedRows found = find_shared_rows(heatmap_merge::database_file(first),
                                            root_of(primary.path()),
                                            heatmap_merge::database_file(second),
                                            root_of(secondary.path()),
                                            &go_on);
  REQUIRE(found.rows > 0);
  // --max-lock-hold reached while the pages are compared (KeyReader::release_primary).
  const std::atomic<bool> stop{true};
  const SharedRows stopped = find_shared_rows(heatmap_merge::database_file(first),
                                              root_of(primary.path()),
                                              heatmap_merge::database_file(second),
                                              root_of(secondary.path()),
                                              &stop);
  CHECK(stopped.rows == 0);
  CHECK(stopped.ranges.empty());
}

// Whether another process may write `path` now (the sqlite3 shell, without waiting for a lock).
bool another_process_can_write(const std::string& path) {
  const std::string command = "sqlite3 '" + path +
                              "' 'PRAGMA busy_timeout = 0; INSERT INTO t(v) VALUES (1)' "
                              ">/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

TEST_CASE("shared pages: comparing the pages keeps both inputs' read locks") {
  const TempDatabase primary("lock-primary.db");
  const TempDatabase secondary("lock-secondary.db");
  seed(primary, secondary);
  // Both inputs under a read transaction, as the merge holds them.
  SQLite::Database first = heatmap_merge::open_reader(primary.path(), std::chrono::milliseconds(0));
  SQLite::Database second =
    heatmap_merge::open_reader(secondary.path(), std::chrono::milliseconds(0));
  for (SQLite::Database* database : {&first, &second}) {
    database->exec("BEGIN");
    SQLite::Statement read(*database, "SELECT count(*) FROM t");
    read.executeStep();
  }
  REQUIRE_FALSE(another_process_can_write(primary.path()));
  const SharedRows rows = find_shared_rows(heatmap_merge::database_file(first),
                                           root_of(primary.path()),
                                           heatmap_merge::database_file(second),
                                           root_of(secondary.path()));
  CHECK(rows.rows > 0);
  // Closing a descriptor of its own on either file would have dropped the process's locks.
  CHECK_FALSE(another_process_can_write(primary.path()));
  CHECK_FALSE(another_process_can_write(secondary.path()));
  first.exec("COMMIT");
  second.exec("COMMIT");
  CHECK(another_process_can_write(primary.path()));
}

TEST_CASE("shared pages: a row changed or deleted on one side leaves its page out") {
  const TempDatabase primary("changed-primary.db");
  const TempDatabase secondary("changed-secondary.db");
  seed(primary, secondary);
  run(secondary.path(), "UPDATE t SET v = -1 WHERE id = 1000");
  run(primary.path(), "DELETE FROM t WHERE id = 2000");
  const SharedRows rows = shared(primary.path(), secondary.path());
  check_promise(primary.path(), secondary.path(), rows);
  CHECK(!covers(rows, 1000));
  CHECK(!covers(rows, 2000));
  CHECK(!covers(rows, 1999)); // the deleted row's neighbours share its page
  CHECK(covers(rows, 10));
  CHECK(covers(rows, 1500));
  CHECK(covers(rows, 2500));
  CHECK(rows.ranges.size() == 3);
}

TEST_CASE("shared pages: rows with overflow pages are read, not compared") {
  const TempDatabase primary("overflow-primary.db");
  const TempDatabase secondary("overflow-secondary.db");
  fill(primary.path(), 1, 500, 'h');
  fill(primary.path(), 501, 510, 'h', 6000);
  fill(primary.path(), 511, 1000, 'h');
  std::filesystem::copy_file(primary.path(), secondary.path());
  const SharedRows rows = shared(primary.path(), secondary.path());
  check_promise(primary.path(), secondary.path(), rows);
  CHECK(covers(rows, 100));
  CHECK(covers(rows, 900));
  for (std::int64_t id = 501; id <= 510; ++id) {
    CHECK(!covers(rows, id));
  }
}

TEST_CASE("shared pages: files of other page sizes or text encodings share nothing") {
  const TempDatabase primary("size-primary.db");
  const TempDatabase other_size("size-other.db");
  const TempDatabase other_encoding("size-encoding.db");
  fill(primary.path(), 1, 500, 'h');
  // Set in the connection that creates the table: the setting lasts only once a page is written.
  run(other_size.path(), std::string("PRAGMA page_size = 8192;") + k_schema);
  fill(other_size.path(), 1, 500, 'h');
  run(other_encoding.path(), std::string("PRAGMA encoding = 'UTF-16le';") + k_schema);
  fill(other_encoding.path(), 1, 500, 'h');
  CHECK(shared(primary.path(), other_size.path()).ranges.empty());
  CHECK(shared(primary.path(), other_encoding.path()).ranges.empty());
}

TEST_CASE("shared pages: a damaged file never shares what it does not hold") {
  const TempDatabase primary("damaged-primary.db");
  const TempDatabase secondary("damaged-secondary.db");
  seed(primary, secondary);
  const std::int64_t root = root_of(secondary.path());
  const std::uintmax_t size = std::filesystem::file_size(secondary.path());
  // Bytes of the root (an interior page), of a page in the middle and of the last page, each
  // set to every value: the comparison stays inside the files and only claims rows whose pages
  // are equal in both (checked in the primary, which is intact).
  const std::uintmax_t page = 4096;
  for (const std::uintmax_t offset : {(root - 1) * page,
                                      (root - 1) * page + 3,
                                      (root - 1) * page + 8,
                                      (root - 1) * page + 12,
                                      (root - 1) * page + 13,
                                      size / 2 + 1,
                                      size - page + 3,
                                      size - 5}) {
    for (int value : {0x00, 0x01, 0x05, 0x0d, 0x7f, 0xff}) {
      const TempDatabase damaged("damaged-copy.db");
      std::filesystem::copy_file(secondary.path(), damaged.path());
      {
        std::fstream file(damaged.path(), std::ios::binary | std::ios::in | std::ios::out);
        file.seekp(static_cast<std::streamoff>(offset));
        file.put(static_cast<char>(value));
      }
      const SharedRows rows =
        shared_rows_of_files(primary.path(), root_of(primary.path()), damaged.path(), root);
      std::int64_t total = 0;
      SQLite::Database database(primary.path(), SQLite::OPEN_READONLY);
      for (const RowRange& range : rows.ranges) {
        SQLite::Statement count(database, "SELECT count(*) FROM t WHERE id BETWEEN ?1 AND ?2");
        count.bind(1, range.first);
        count.bind(2, range.last);
        count.executeStep();
        total += count.getColumn(0).getInt64();
      }
      CHECK(total == rows.rows);
    }
  }
  // A file cut short, and a file that is no database at all.
  const TempDatabase cut("damaged-cut.db");
  std::filesystem::copy_file(secondary.path(), cut.path());
  std::filesystem::resize_file(cut.path(), size / 3);
  check_promise(primary.path(),
                primary.path(),
                shared_rows_of_files(primary.path(), root_of(primary.path()), cut.path(), root));
  const TempDatabase text("damaged-text.db");
  {
    std::ofstream file(text.path());
    file << "id,page_url\n1,/\n";
  }
  CHECK(
    shared_rows_of_files(primary.path(), root_of(primary.path()), text.path(), 2).ranges.empty());
  CHECK(find_shared_rows(nullptr, 2, nullptr, 2).ranges.empty());
}

TEST_CASE("shared pages: the row ids outside a set of ranges") {
  using heatmap_merge::complement;
  const auto as_pairs = [](const std::vector<RowRange>& ranges) {
    std::vector<std::pair<std::int64_t, std::int64_t>> pairs;
    for (const RowRange& range : ranges) {
      pairs.emplace_back(range.first, range.last);
    }
    return pairs;
  };
  using Pairs = std::vector<std::pair<std::int64_t, std::int64_t>>;
  CHECK(as_pairs(complement({})) == Pairs{{INT64_MIN, INT64_MAX}});
  CHECK(as_pairs(complement({{5, 9}})) == Pairs{{INT64_MIN, 4}, {10, INT64_MAX}});
  CHECK(as_pairs(complement({{1, 3}, {4, 6}, {9, 9}})) ==
        Pairs{{INT64_MIN, 0}, {7, 8}, {10, INT64_MAX}});
  CHECK(as_pairs(complement({{INT64_MIN, 3}, {8, INT64_MAX}})) == Pairs{{4, 7}});
  CHECK(complement({{INT64_MIN, INT64_MAX}}).empty());
}

namespace {

constexpr const char* k_clicks_schema =
  "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT, page_url TEXT NOT NULL,"
  " x REAL NOT NULL, y REAL NOT NULL, viewport_width INTEGER, viewport_height INTEGER,"
  " scroll_y INTEGER, user_agent TEXT, created_at TEXT NOT NULL)";

// Clicks `from` to `to`, one a second from 2026-02-18 09:00 UTC; `x_sign` tells the replicas'
// own clicks apart.
void add_clicks(const std::string& path, int from, int to, int x_sign) {
  SQLite::Database database(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  if (!database.tableExists("click_events")) {
    database.exec(k_clicks_schema);
  }
  SQLite::Statement insert(
    database,
    "INSERT INTO click_events (id, page_url, x, y, scroll_y, user_agent, created_at) "
    "VALUES (?1, '/', ?1 * ?2, ?1, 0, printf('%.150c', 'u'), "
    "strftime('%Y-%m-%d %H:%M:%f', '2026-02-18 09:00:00', '+' || ?1 || ' seconds'))");
  database.exec("BEGIN");
  for (int id = from; id <= to; ++id) {
    insert.bind(1, id);
    insert.bind(2, x_sign);
    insert.exec();
    insert.reset();
  }
  database.exec("COMMIT");
}

// A leaf page of the click table: its number, its first row id, and where in the file that id's
// varint lies.
struct Leaf {
  std::int64_t page = 0;
  std::int64_t first_rowid = 0;
  std::streamoff rowid_offset = 0;
};

// The click table's leaf pages (of 4096 bytes) in row id order.
std::vector<Leaf> leaves_of(const std::string& path) {
  std::vector<Leaf> leaves;
  {
    SQLite::Database database(path, SQLite::OPEN_READONLY);
    SQLite::Statement query(database,
                            "SELECT pageno FROM dbstat WHERE name = 'click_events' AND "
                            "pagetype = 'leaf' ORDER BY path");
    while (query.executeStep()) {
      leaves.push_back({query.getColumn(0).getInt64()});
    }
  }
  std::ifstream file(path, std::ios::binary);
  for (Leaf& leaf : leaves) {
    unsigned char bytes[16];
    const std::streamoff page = (leaf.page - 1) * 4096;
    file.seekg(page + 8); // the first cell pointer
    file.read(reinterpret_cast<char*>(bytes), 2);
    const int cell = bytes[0] << 8 | bytes[1];
    file.seekg(page + cell);
    file.read(reinterpret_cast<char*>(bytes), 16);
    int at = 0;
    while ((bytes[at] & 0x80) != 0) { // the payload's size
      ++at;
    }
    ++at;
    leaf.rowid_offset = page + cell + at;
    while ((bytes[at] & 0x80) != 0) {
      leaf.first_rowid = leaf.first_rowid << 7 | (bytes[at++] & 0x7f);
    }
    leaf.first_rowid = leaf.first_rowid << 7 | bytes[at];
  }
  return leaves;
}

} // namespace

TEST_CASE("shared pages: where SQLite reads other rows in a shared range, both inputs read it") {
  using namespace heatmap_merge;
  const TempDatabase primary("fallback-primary.db");
  const TempDatabase secondary("fallback-secondary.db");
  const TempDatabase read_all("fallback-secondary-wal.db");
  add_clicks(primary.path(), 1, 600, 1);
  // A click deleted from the history of both, in the middle of a leaf page.
  const std::vector<Leaf> history = leaves_of(primary.path());
  REQUIRE(history.size() > 12);
  const std::int64_t gap = history[10].first_rowid + 3;
  REQUIRE(gap < history[11].first_rowid - 1);
  run(primary.path(), "DELETE FROM click_events WHERE id = " + std::to_string(gap));
  std::filesystem::copy_file(primary.path(), secondary.path());
  add_clicks(primary.path(), 601, 700, 1);
  add_clicks(secondary.path(), 601, 650, -1);
  // Damage: the secondary's next leaf claims the deleted id for its first row. A scan of the ids
  // of the page before it, which both files hold byte for byte, then runs on into it and reads
  // one row more than that page holds.
  const Leaf next = leaves_of(secondary.path())[11];
  // Both 2-byte varints, so the id is written over in place.
  REQUIRE(next.first_rowid >= 128);
  REQUIRE(next.first_rowid < 16384);
  REQUIRE(gap >= 128);
  {
    std::fstream file(secondary.path(), std::ios::binary | std::ios::in | std::ios::out);
    const char id[2] = {static_cast<char>(0x80 | (gap >> 7)), static_cast<char>(gap & 0x7f)};
    file.seekp(next.rowid_offset);
    file.write(id, 2);
  }
  std::filesystem::copy_file(secondary.path(), read_all.path());
  run(read_all.path(), "PRAGMA journal_mode = WAL");

  const auto merged = [&](const std::string& second, std::string& log) {
    Options options;
    options.dry_run = true;
    options.primary = primary.path();
    options.secondaries = {second};
    options.verbosity = 1;
    std::FILE* stream = std::tmpfile();
    REQUIRE(stream != nullptr);
    MergeResult result;
    {
      Progress progress(false, std::chrono::milliseconds(0), true, stream);
      result = merge(options, progress);
    }
    std::rewind(stream);
    char line[512];
    while (std::fgets(line, sizeof line, stream) != nullptr) {
      log += line;
    }
    std::fclose(stream);
    return result;
  };
  std::string shared_log;
  std::string read_all_log;
  const MergeResult shared = merged(secondary.path(), shared_log);
  const MergeResult all = merged(read_all.path(), read_all_log);
  // The page before the damaged one is shared, and its ids run past the one claimed.
  const SharedRows found = shared_rows_of_files(primary.path(),
                                                root_of(primary.path(), "click_events"),
                                                secondary.path(),
                                                root_of(secondary.path(), "click_events"));
  CHECK(covers(found, gap - 1));
  CHECK(covers(found, gap + 1));
  // The pages were compared, found shared, and then not trusted: nothing paired unread.
  CHECK(shared_log.find("byte for byte") == std::string::npos);
  CHECK(shared.plan.rows_out == all.plan.rows_out);
  CHECK(shared.plan.shares[1].rows == all.plan.shares[1].rows);
  CHECK(shared.plan.shares[1].duplicates_exact == all.plan.shares[1].duplicates_exact);
  CHECK(shared.plan.shares[1].added.size() == all.plan.shares[1].added.size());
  CHECK(shared.plan.shares[0].rows == all.plan.shares[0].rows);
}
