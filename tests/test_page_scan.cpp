// The page scan (scan_pages(), and scan_keys() with `pages`) against SQLite's own reading: for each
// shape of database, scan_keys() through SQLite and through the pages must give the same keys,
// counts and timeline; scan_pages() itself must decode each value as SQLite reads it, hand SQLite
// exactly the rows it should read, and stop at a damaged page.
#include "util/error.hpp"
#include "read/input.hpp"
#include "util/options.hpp"
#include "sqlite_format/page_scan.hpp"
#include "plan/plan.hpp"
#include "util/progress.hpp"
#include "read/scan.hpp"
#include "read/schema.hpp"
#include "scan_outcome.hpp"
#include "temp_database.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace {

namespace hm = heatmap_merge;
using hm::Instant;
using hm::RowRange;

constexpr std::chrono::milliseconds k_no_wait{0};
constexpr Instant k_second = 1'000'000'000;
constexpr Instant k_hour = 3600 * k_second;

const std::string k_click_schema = "CREATE TABLE click_events ("
                                   "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
                                   "  page_url TEXT NOT NULL,"
                                   "  x REAL NOT NULL,"
                                   "  y REAL NOT NULL,"
                                   "  viewport_width INTEGER,"
                                   "  viewport_height INTEGER,"
                                   "  scroll_y INTEGER,"
                                   "  user_agent TEXT,"
                                   "  created_at TEXT NOT NULL);"
                                   "CREATE INDEX idx_click_events_page ON click_events(page_url);";

// `rows` clicks with ids from `from`: a few pages, integral and fractional x and y (x REAL holds
// an integral value as an integer), NULL and set scroll_y, a double click now and then; `pad`
// bytes of user agent.
std::string click_rows(int from, int rows, int pad = 40) {
  return fmt::format(
    "WITH RECURSIVE n(i) AS (SELECT {0} UNION ALL SELECT i + 1 FROM n WHERE i < {1}) "
    "INSERT INTO click_events(id, page_url, x, y, viewport_width, viewport_height, scroll_y, "
    "user_agent, created_at) "
    "SELECT i, '/page/' || (i % 17), (i * 37) % 1280, (i * 53) % 800 + 0.5 * (i % 2), 1280, 800, "
    "CASE WHEN i % 11 = 0 THEN NULL ELSE i % 300 END, printf('Mozilla/5.0 %.*c', {2}, 'u'), "
    "strftime('%Y-%m-%dT%H:%M:%fZ', 1771400000 + (i - i % 50 / 49) * 7, 'unixepoch') FROM n",
    from,
    from + rows - 1,
    pad);
}

void make_database(const std::string& path, const std::string& sql, int page_size = 4096) {
  SQLite::Database database(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  database.exec(fmt::format("PRAGMA page_size = {}", page_size));
  database.exec(sql);
}

void run(const std::string& path, const std::string& sql) {
  SQLite::Database database(path, SQLite::OPEN_READWRITE);
  database.exec(sql);
}

hm::Options click_options() {
  return hm::Options();
}

hm::Options table_options(const std::string& time, const std::vector<std::string>& keys) {
  hm::Options options;
  options.table = "t";
  options.time_column = time;
  options.key_columns = keys;
  return options;
}

// A connection as the merge holds an input: read-only, inside a read transaction.
SQLite::Database open_snapshot(const std::string& path) {
  SQLite::Database database = hm::open_reader(path, k_no_wait);
  database.exec("BEGIN");
  SQLite::Statement read(database, "SELECT count(*) FROM sqlite_schema");
  read.executeStep();
  return database;
}

// What scan_keys() gave, or the error it threw.
using Outcome = ScanOutcome;

// scan_keys() on the table of `database` (a connection to `path`, in a read transaction) as the
// merge calls it for a lone input, through SQLite or, with `pages`, through the table's pages.
Outcome scan_on(SQLite::Database& database,
                const std::string& path,
                const hm::Options& options,
                bool pages,
                const std::vector<RowRange>& skip) {
  Outcome outcome;
  try {
    const hm::TableSchema schema = hm::read_table_schema(database, path, options.table);
    const hm::ColumnLayout layout = hm::check_schemas({schema}, options);
    hm::Progress progress(false, k_no_wait);
    sqlite3_file* file = pages ? hm::database_file(database) : nullptr;
    if (pages && file == nullptr) {
      throw std::logic_error("no file below the connection");
    }
    hm::InputKeys keys =
      hm::scan_keys(database, path, schema, layout, options, progress, hm::KeyStore(), skip, file);
    outcome = outcome_of(keys);
  } catch (const hm::Error& e) {
    outcome.error = e.what();
    outcome.code = static_cast<int>(e.code());
  } catch (const SQLite::Exception& e) {
    outcome.error = std::string("SQLite::Exception: ") + e.what();
    outcome.code = -1;
  }
  return outcome;
}

Outcome scan(const std::string& path,
             const hm::Options& options,
             bool pages,
             const std::vector<RowRange>& skip = {}) {
  SQLite::Database database = open_snapshot(path);
  return scan_on(database, path, options, pages, skip);
}

// scan_keys() through SQLite, then through the pages, on one connection as the merge has one per
// input. One connection, not two: on a damaged page SQLite may read a cell past the page's end,
// into memory of its page cache that differs between connections, and read other rows each time.
std::pair<Outcome, Outcome> both_scans(const std::string& path,
                                       const hm::Options& options,
                                       const std::vector<RowRange>& skip = {}) {
  SQLite::Database database = open_snapshot(path);
  Outcome plain = scan_on(database, path, options, false, skip);
  Outcome paged = scan_on(database, path, options, true, skip);
  return {std::move(plain), std::move(paged)};
}

// The instants both outcomes hold (their keys' and unkeyed rows'), but text ones.
std::set<Instant> instants_of(const Outcome& a, const Outcome& b) {
  std::set<Instant> instants;
  for (const Outcome* outcome : {&a, &b}) {
    for (const auto& key : outcome->keys) {
      instants.insert(std::get<1>(key));
    }
    for (const auto& row : outcome->unkeyed) {
      instants.insert(row.first);
    }
  }
  instants.erase(hm::k_text_instant);
  return instants;
}

Instant hour_of(Instant instant) {
  const Instant hour = instant / k_hour;
  return (hour - (instant % k_hour < 0 ? 1 : 0)) * k_hour;
}

// How two outcomes differ, first difference only; empty when they are the same.
std::string difference(const Outcome& plain, const Outcome& paged) {
  if (plain.ok != paged.ok) {
    return fmt::format("plain {}, paged {}",
                       plain.ok ? "succeeded" : "threw: " + plain.error,
                       paged.ok ? "succeeded" : "threw: " + paged.error);
  }
  if (!plain.ok) {
    return plain.code == paged.code && plain.error == paged.error
             ? ""
             : fmt::format("errors differ: plain '{}', paged '{}'", plain.error, paged.error);
  }
  if (plain.rows != paged.rows) {
    return fmt::format("rows: plain {}, paged {}", plain.rows, paged.rows);
  }
  if (plain.max_rowid != paged.max_rowid) {
    return fmt::format("max_rowid: plain {}, paged {}", plain.max_rowid, paged.max_rowid);
  }
  if (plain.paired != paged.paired) {
    return fmt::format("paired: plain {}, paged {}", plain.paired, paged.paired);
  }
  if (plain.first != paged.first || plain.last != paged.last) {
    return "first or last instant";
  }
  if (plain.unkeyed != paged.unkeyed || plain.unkeyed_hashes != paged.unkeyed_hashes) {
    return fmt::format(
      "unkeyed rows: plain {}, paged {}", plain.unkeyed.size(), paged.unkeyed.size());
  }
  if (plain.keys != paged.keys) {
    for (std::size_t i = 0; i < std::min(plain.keys.size(), paged.keys.size()); ++i) {
      if (plain.keys[i] != paged.keys[i]) {
        return fmt::format("keys: #{} of {} differs (plain row {}, paged row {})",
                           i,
                           plain.keys.size(),
                           std::get<0>(plain.keys[i]),
                           std::get<0>(paged.keys[i]));
      }
    }
    return fmt::format("keys: plain {}, paged {}", plain.keys.size(), paged.keys.size());
  }
  // The timelines: the rows of every hour that holds an instant, and every such second.
  const std::set<Instant> instants = instants_of(plain, paged);
  std::int64_t plain_total = 0;
  std::int64_t paged_total = 0;
  std::set<Instant> hours;
  for (const Instant instant : instants) {
    hours.insert(hour_of(instant));
    const bool inside = instant > INT64_MIN + 2 * k_second && instant < INT64_MAX - 2 * k_second;
    if (inside && plain.timeline.any_between(instant - k_second, instant + k_second) !=
                    paged.timeline.any_between(instant - k_second, instant + k_second)) {
      return fmt::format("timeline: the second of {}", instant);
    }
  }
  for (const Instant hour : hours) {
    const std::int64_t in_plain = plain.timeline.rows_in_hour(hour);
    if (in_plain != paged.timeline.rows_in_hour(hour)) {
      return fmt::format("timeline: the hour of {}", hour);
    }
    plain_total += in_plain;
    paged_total += paged.timeline.rows_in_hour(hour);
  }
  std::int64_t timed = 0;
  for (const auto& key : plain.keys) {
    timed += std::get<1>(key) != hm::k_text_instant ? 1 : 0;
  }
  for (const auto& row : plain.unkeyed) {
    timed += row.first != hm::k_text_instant ? 1 : 0;
  }
  if (plain_total != timed || paged_total != timed) {
    return fmt::format(
      "timeline: {} rows counted, {} and {} in the timelines", timed, plain_total, paged_total);
  }
  return "";
}

// Both scans of `path` agree, and succeed; returns the outcome.
Outcome check_same_scans(const std::string& path,
                         const hm::Options& options,
                         const std::vector<RowRange>& skip = {}) {
  const auto [plain, paged] = both_scans(path, options, skip);
  REQUIRE_MESSAGE(plain.ok, plain.error);
  CHECK(difference(plain, paged) == "");
  return plain;
}

// What scan_pages() handed out, in order.
struct Walk {
  hm::PageScanEnd end;
  std::vector<std::int64_t> decoded;
  std::vector<std::int64_t> looked_up;
  std::vector<std::int64_t> order;
};

// scan_pages() over `columns` of table `table`; `on_row` sees every decoded row, with SQLite's
// connection at hand.
template <typename OnRow>
Walk walk(const std::string& path,
          const std::string& table,
          const std::vector<std::string>& columns,
          const std::vector<RowRange>& skip,
          OnRow on_row) {
  SQLite::Database database = open_snapshot(path);
  const hm::TableSchema schema = hm::read_table_schema(database, path, table);
  const std::optional<hm::RecordFields> fields = hm::record_fields(schema, columns);
  REQUIRE(fields);
  Walk result;
  result.end = hm::scan_pages(
    hm::database_file(database),
    schema.root_page,
    *fields,
    skip,
    [&](const hm::RecordRow& row) {
      result.decoded.push_back(row.rowid);
      result.order.push_back(row.rowid);
      on_row(database, row);
    },
    [&](std::int64_t rowid) {
      result.looked_up.push_back(rowid);
      result.order.push_back(rowid);
    });
  return result;
}

Walk walk(const std::string& path,
          const std::string& table,
          const std::vector<std::string>& columns,
          const std::vector<RowRange>& skip = {}) {
  return walk(path, table, columns, skip, [](SQLite::Database&, const hm::RecordRow&) {});
}

std::vector<std::string> click_columns() {
  return {"created_at",
          "page_url",
          "x",
          "y",
          "viewport_width",
          "viewport_height",
          "scroll_y",
          "user_agent"};
}

// The row ids of `path`'s table that `where` selects, in order.
std::vector<std::int64_t>
rowids(const std::string& path, const std::string& table, const std::string& where = "1") {
  SQLite::Database database(path, SQLite::OPEN_READONLY);
  SQLite::Statement query(database,
                          fmt::format("SELECT _rowid_ FROM {} WHERE {} ORDER BY 1", table, where));
  std::vector<std::int64_t> ids;
  while (query.executeStep()) {
    ids.push_back(query.getColumn(0).getInt64());
  }
  return ids;
}

// A value as SQLite hands it out, in the decoder's terms.
hm::FieldValue sqlite_value(sqlite3_value* value) {
  hm::FieldValue field;
  field.type = sqlite3_value_type(value);
  if (field.type == SQLITE_INTEGER) {
    field.integer = sqlite3_value_int64(value);
  } else if (field.type == SQLITE_FLOAT) {
    field.real = sqlite3_value_double(value);
  } else if (field.type == SQLITE_TEXT) {
    field.bytes = sqlite3_value_text(value);
    field.size = sqlite3_value_bytes(value);
  } else if (field.type == SQLITE_BLOB) {
    field.bytes = sqlite3_value_blob(value);
    field.size = sqlite3_value_bytes(value);
  }
  return field;
}

std::string describe(const hm::FieldValue& value) {
  switch (value.type) {
  case SQLITE_INTEGER:
    return fmt::format("integer {}", value.integer);
  case SQLITE_FLOAT:
    return fmt::format("real {}", value.real);
  case SQLITE_TEXT:
  case SQLITE_BLOB: {
    std::string hex;
    for (int i = 0; i < value.size; ++i) {
      hex += fmt::format("{:02x}", static_cast<const unsigned char*>(value.bytes)[i]);
    }
    return fmt::format("{} x'{}'", value.type == SQLITE_TEXT ? "text" : "blob", hex);
  }
  default:
    return "null";
  }
}

// The same value, to the bit (-0.0 is not 0.0).
bool same_value(const hm::FieldValue& a, const hm::FieldValue& b) {
  if (a.type != b.type) {
    return false;
  }
  switch (a.type) {
  case SQLITE_INTEGER:
    return a.integer == b.integer;
  case SQLITE_FLOAT:
    return std::memcmp(&a.real, &b.real, sizeof(a.real)) == 0;
  case SQLITE_TEXT:
  case SQLITE_BLOB:
    return a.size == b.size && (a.size == 0 || std::memcmp(a.bytes, b.bytes, a.size) == 0);
  default:
    return true;
  }
}

// A statement through SQLite's C API, for its column values as sqlite3_value.
class Query {
public:
  Query(SQLite::Database& database, const std::string& sql) {
    REQUIRE(sqlite3_prepare_v2(database.getHandle(), sql.c_str(), -1, &m_statement, nullptr) ==
            SQLITE_OK);
  }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query() {
    sqlite3_finalize(m_statement);
  }
  sqlite3_stmt* get() const {
    return m_statement;
  }

private:
  sqlite3_stmt* m_statement = nullptr;
};

// scan_pages() over `columns`: every decoded value must be what SQLite reads for that row, to
// the bit. Returns the walk.
Walk check_decoded_values(const std::string& path,
                          const std::string& table,
                          const std::vector<std::string>& columns) {
  std::string list;
  for (const std::string& column : columns) {
    list += (list.empty() ? "" : ", ") + fmt::format("\"{}\"", column);
  }
  const std::string sql = fmt::format("SELECT {} FROM {} WHERE _rowid_ = ?1", list, table);
  int mismatches = 0;
  Walk result =
    walk(path, table, columns, {}, [&](SQLite::Database& database, const hm::RecordRow& row) {
      const Query query(database, sql);
      sqlite3_bind_int64(query.get(), 1, row.rowid);
      REQUIRE(sqlite3_step(query.get()) == SQLITE_ROW);
      for (std::size_t column = 0; column < columns.size(); ++column) {
        const hm::FieldValue expected =
          sqlite_value(sqlite3_column_value(query.get(), static_cast<int>(column)));
        const hm::FieldValue& got = row.values[column + 1];
        if (!same_value(expected, got) && ++mismatches <= 20) {
          FAIL_CHECK(fmt::format("row {} column {}: SQLite reads {}, the page scan {}",
                                 row.rowid,
                                 columns[column],
                                 describe(expected),
                                 describe(got)));
        }
      }
    });
  CHECK(mismatches == 0);
  return result;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.flush());
}

// The leaf pages of `table`, in row id order (SQLite's dbstat).
std::vector<std::int64_t> leaf_pages_of(const std::string& path, const std::string& table) {
  SQLite::Database database(path, SQLite::OPEN_READONLY);
  SQLite::Statement query(
    database, "SELECT pageno FROM dbstat WHERE name = ?1 AND pagetype = 'leaf' ORDER BY path");
  query.bind(1, table);
  std::vector<std::int64_t> pages;
  while (query.executeStep()) {
    pages.push_back(query.getColumn(0).getInt64());
  }
  return pages;
}

std::int64_t page_size_of(const std::string& path) {
  SQLite::Database database(path, SQLite::OPEN_READONLY);
  return database.execAndGet("PRAGMA page_size").getInt64();
}

std::uint64_t varint(const unsigned char*& at) {
  std::uint64_t value = 0;
  for (int n = 0; n < 9; ++n) {
    const unsigned char byte = *at++;
    if (n == 8) {
      return (value << 8) | byte;
    }
    value = (value << 7) | (byte & 0x7f);
    if ((byte & 0x80) == 0) {
      break;
    }
  }
  return value;
}

// The row ids of the cells of a sound table leaf page, in order.
std::vector<std::int64_t>
leaf_rowids(const std::string& bytes, std::int64_t page_size, std::int64_t page) {
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data()) + (page - 1) * page_size;
  const int cells = data[3] << 8 | data[4];
  std::vector<std::int64_t> ids;
  for (int cell = 0; cell < cells; ++cell) {
    const unsigned char* at = data + (data[8 + 2 * cell] << 8 | data[9 + 2 * cell]);
    varint(at);
    ids.push_back(static_cast<std::int64_t>(varint(at)));
  }
  return ids;
}

} // namespace

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

// Values of every storage class and every integer width, as SQL.
const std::vector<std::string> k_values = {
  "NULL",
  "0",
  "1",
  "-1",
  "2",
  "127",
  "-128",
  "128",
  "32767",
  "-32768",
  "32768",
  "8388607",
  "-8388608",
  "8388608",
  "2147483647",
  "-2147483648",
  "2147483648",
  "140737488355327",
  "-140737488355328",
  "140737488355328",
  "9223372036854775807",
  "-9223372036854775807 - 1",
  "0.0",
  "-0.0",
  "1e308",
  "-1e308",
  "10.0",
  "0.5",
  "-2.5",
  "4.9e-324",
  "9.2e18",
  "1e19",
  "9007199254740993",
  "''",
  "'text'",
  "'a' || char(0) || 'b'",
  "CAST(x'fffe80c0' AS TEXT)",
  "CAST(x'00' AS TEXT)",
  "x''",
  "x'00'",
  "x'deadbeef'",
  "zeroblob(100)",
  "'10'",
  "' 10 '",
  "'1e3'",
  "'2026-02-18T10:00:03Z'",
  "'2026-02-18 10:00:03.500000'",
  "'2026-02-18T12:00:03+02:00'",
  "1771408803",
  "1771408803500",
  "1771408803.25",
  "-1771408803",
  "'1771408803'",
  "'not a time'",
};

// Every value of k_values in every column: row r holds value (r + column) in each column, then
// some more rows of another mix.
std::string every_value_rows(int columns) {
  const int count = static_cast<int>(k_values.size());
  std::string sql = "BEGIN;";
  for (int row = 0; row < 3 * count; ++row) {
    std::string values;
    for (int column = 0; column < columns; ++column) {
      const int pick = row < count ? (row + column) % count : (row * 7 + column * 13) % count;
      values += (column == 0 ? "" : ", ") + k_values[static_cast<std::size_t>(pick)];
    }
    sql += "INSERT INTO t VALUES (" + values + ");";
  }
  return sql + "COMMIT;";
}

const std::string k_typed_table =
  "CREATE TABLE t (tm, k1, k2 TEXT, c_none, c_text TEXT, c_numeric NUMERIC, c_int INTEGER, "
  "c_real REAL, c_blob BLOB, c_double \"DOUBLE PRECISION\", c_float FLOAT, "
  "c_floating \"FLOATING POINT\", c_varchar VARCHAR(10), c_decimal DECIMAL(10, 2));";

std::vector<std::string> typed_columns() {
  return {"tm",
          "k1",
          "k2",
          "c_none",
          "c_text",
          "c_numeric",
          "c_int",
          "c_real",
          "c_blob",
          "c_double",
          "c_float",
          "c_floating",
          "c_varchar",
          "c_decimal"};
}

TEST_CASE("page scan: every value of every type in every column reads as through SQLite") {
  const TempDatabase database("types.db");
  make_database(database.path(), k_typed_table + every_value_rows(14));
  const Walk all = check_decoded_values(database.path(), "t", typed_columns());
  CHECK(all.end.complete);
  CHECK(all.looked_up.empty());
  CHECK(all.decoded.size() == 3 * k_values.size());
  // As the time and key columns, and as compared columns, each in turn.
  check_same_scans(database.path(), table_options("tm", {"k1", "k2"}));
  check_same_scans(database.path(), table_options("c_real", {"c_int"}));
  check_same_scans(database.path(), table_options("c_text", {"c_none", "c_double"}));
  check_same_scans(database.path(), table_options("c_float", {"c_blob"}));
  check_same_scans(database.path(), table_options("c_numeric", {"c_floating", "c_decimal"}));
}

TEST_CASE("page scan: REAL affinity reads a stored integer as a real") {
  const TempDatabase database("real-affinity.db");
  make_database(database.path(),
                "CREATE TABLE t (tm REAL, k \"DOUBLE PRECISION\", a FLOAT, b REAL, c real, "
                "d \"Double\", e \"FLOATING POINT\", f NUMERIC);"
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 200) "
                "INSERT INTO t SELECT 1771408803 + i, i % 7, i * 10, -i, 10.0 * i, 2.5 * i, "
                "i * 10, i * 10.0 FROM n;"
                "INSERT INTO t VALUES (1771408803.5, 0.5, 9223372036854775807, "
                "-9223372036854775807 - 1, 9007199254740993, -0.0, 10.0, 1e300)");
  SQLite::Database check(database.path(), SQLite::OPEN_READONLY);
  // SQLite reads an integral value of a REAL column as a real, whatever the record holds.
  CHECK(check.execAndGet("SELECT typeof(b) FROM t WHERE rowid = 5").getString() == "real");
  const Walk all =
    check_decoded_values(database.path(), "t", {"tm", "k", "a", "b", "c", "d", "e", "f"});
  CHECK(all.decoded.size() == 202);
  check_same_scans(database.path(), table_options("tm", {"k", "a"}));
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

TEST_CASE("page scan: a UTF-16 database is read by SQLite alone") {
  for (const char* encoding : {"UTF-16le", "UTF-16be"}) {
    CAPTURE(encoding);
    const TempDatabase database(std::string("utf16-") + encoding + ".db");
    make_database(database.path(),
                  fmt::format("PRAGMA encoding = '{}';", encoding) + k_click_schema +
                    click_rows(1, 500) + ";" + k_typed_table + every_value_rows(14));
    check_same_scans(database.path(), click_options());
    check_same_scans(database.path(), table_options("tm", {"k1", "k2"}));
    const Walk all = walk(database.path(), "click_events", click_columns());
    CHECK_FALSE(all.end.complete);
    CHECK_FALSE(all.end.last_rowid);
    CHECK(all.order.empty());
  }
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

namespace {

// A click table over some 40 leaves of 1024 bytes: rows with overflow pages, and rows from
// before a column was added, among them (both read by SQLite, by row id).
void make_small_clicks(const std::string& path) {
  make_database(path,
                k_click_schema + click_rows(1, 150) + ";" + click_rows(151, 2, 3000) +
                  ";ALTER TABLE click_events ADD COLUMN source TEXT DEFAULT 'x';" +
                  click_rows(153, 150) + ";UPDATE click_events SET source = 'app' WHERE id > 250",
                1024);
}

// `bytes` with byte `offset` of page `page` set to `value`.
std::string
with_byte(std::string bytes, std::int64_t page_size, std::int64_t page, int offset, int value) {
  bytes[static_cast<std::size_t>((page - 1) * page_size + offset)] = static_cast<char>(value);
  return bytes;
}

// Where in page `page` of a sound file the cell of row `rowid` starts.
int cell_of(const std::string& bytes,
            std::int64_t page_size,
            std::int64_t page,
            std::int64_t rowid) {
  const std::vector<std::int64_t> ids = leaf_rowids(bytes, page_size, page);
  const auto found = std::find(ids.begin(), ids.end(), rowid);
  REQUIRE(found != ids.end());
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data()) + (page - 1) * page_size;
  const std::size_t cell = static_cast<std::size_t>(found - ids.begin());
  return data[8 + 2 * cell] << 8 | data[9 + 2 * cell];
}

// The leaf page of a sound file that holds row `rowid`.
std::int64_t leaf_of(const std::string& path, std::int64_t rowid) {
  const std::string bytes = read_bytes(path);
  const std::int64_t page_size = page_size_of(path);
  for (const std::int64_t page : leaf_pages_of(path, "click_events")) {
    const std::vector<std::int64_t> ids = leaf_rowids(bytes, page_size, page);
    if (std::find(ids.begin(), ids.end(), rowid) != ids.end()) {
      return page;
    }
  }
  FAIL("no leaf holds row " << rowid);
  return 0;
}

} // namespace

TEST_CASE("page scan: a leaf of another kind ends the walk, and SQLite reports the damage") {
  const TempDatabase sound("damaged-type-sound.db");
  const TempDatabase damaged("damaged-type.db");
  make_database(sound.path(), k_click_schema + click_rows(1, 3000), 1024);
  const std::string bytes = read_bytes(sound.path());
  const std::int64_t page_size = page_size_of(sound.path());
  const std::vector<std::int64_t> leaves = leaf_pages_of(sound.path(), "click_events");
  REQUIRE(leaves.size() > 20);
  const std::size_t bad = leaves.size() / 2;
  const std::int64_t last_good = leaf_rowids(bytes, page_size, leaves[bad - 1]).back();
  for (const int type : {0x0a, 0x02, 0x05, 0x00, 0xff}) {
    CAPTURE(type);
    write_bytes(damaged.path(), with_byte(bytes, page_size, leaves[bad], 0, type));
    const Walk result = walk(damaged.path(), "click_events", click_columns());
    CHECK_FALSE(result.end.complete);
    CHECK(result.end.last_rowid == last_good);
    REQUIRE_FALSE(result.order.empty());
    CHECK(result.order.back() == last_good);
    // SQLite's walk, past the rows decoded, meets the page and calls the file corrupt, as it does
    // without the page scan: the same error.
    const auto [plain, paged] = both_scans(damaged.path(), click_options());
    CHECK_FALSE(plain.ok);
    CHECK(plain.code == static_cast<int>(hm::ExitCode::data));
    CHECK(plain.error.find("database disk image is malformed") != std::string::npos);
    CHECK(difference(plain, paged) == "");
  }
}

TEST_CASE("page scan: a cell pointer out of range ends the walk") {
  const TempDatabase sound("damaged-cell-sound.db");
  const TempDatabase damaged("damaged-cell.db");
  make_database(sound.path(), k_click_schema + click_rows(1, 3000), 1024);
  const std::string bytes = read_bytes(sound.path());
  const std::int64_t page_size = page_size_of(sound.path());
  const std::vector<std::int64_t> leaves = leaf_pages_of(sound.path(), "click_events");
  const std::size_t bad = leaves.size() / 2;
  const std::vector<std::int64_t> ids = leaf_rowids(bytes, page_size, leaves[bad]);
  REQUIRE(ids.size() > 4);
  const std::int64_t before = leaf_rowids(bytes, page_size, leaves[bad - 1]).back();
  // Cell 3's pointer into the page header, past the page, onto the page size (SQLite masks it
  // to 0), and to 0: SQLite then fails on two and reads the other two as some row.
  for (const int pointer : {0x0002, 0xffff, 0x0400, 0x0000}) {
    CAPTURE(pointer);
    std::string broken = with_byte(bytes, page_size, leaves[bad], 8 + 2 * 3, pointer >> 8);
    broken = with_byte(broken, page_size, leaves[bad], 8 + 2 * 3 + 1, pointer & 0xff);
    write_bytes(damaged.path(), broken);
    const Walk result = walk(damaged.path(), "click_events", click_columns());
    // Before the damaged cell, or before its leaf.
    CHECK_FALSE(result.end.complete);
    REQUIRE(result.end.last_rowid);
    CHECK(*result.end.last_rowid >= before);
    CHECK(*result.end.last_rowid <= ids[2]);
    const auto [plain, paged] = both_scans(damaged.path(), click_options());
    CHECK(difference(plain, paged) == "");
  }
}

// SQLite calls a record whose fields end before its payload does corrupt, once it has read the
// header through (here the last column, created_at, is read).
TEST_CASE("page scan: a record whose fields do not fill it is as corrupt as SQLite finds it") {
  const TempDatabase sound("short-fields-sound.db");
  const TempDatabase damaged("short-fields.db");
  make_database(sound.path(), k_click_schema + click_rows(1, 100));
  const std::string bytes = read_bytes(sound.path());
  const std::int64_t page_size = page_size_of(sound.path());
  const std::int64_t page = leaf_of(sound.path(), 50);
  // The cell: payload size, row id, header size, then the serial types from the id's.
  const int cell = cell_of(bytes, page_size, page, 50);
  const int user_agent_type = cell + 1 + 1 + 1 + 7;
  const auto original = static_cast<unsigned char>(
    bytes[static_cast<std::size_t>((page - 1) * page_size + user_agent_type)]);
  REQUIRE(original == 13 + 2 * 52); // 'Mozilla/5.0 ' and 40 bytes of padding
  // The user agent one byte shorter: the record ends a byte after its last field.
  write_bytes(damaged.path(), with_byte(bytes, page_size, page, user_agent_type, original - 2));
  const auto [plain, paged] = both_scans(damaged.path(), click_options());
  CHECK_FALSE(plain.ok);
  CHECK(plain.error.find("database disk image is malformed") != std::string::npos);
  CHECK(difference(plain, paged) == "");
}

// A leaf other than the root that holds no cells: SQLite calls the file corrupt (getAndInitPage()).
TEST_CASE("page scan: a leaf without cells is as corrupt as SQLite finds it") {
  const TempDatabase sound("empty-leaf-sound.db");
  const TempDatabase damaged("empty-leaf.db");
  make_database(sound.path(), k_click_schema + click_rows(1, 3000), 1024);
  const std::string bytes = read_bytes(sound.path());
  const std::int64_t page_size = page_size_of(sound.path());
  const std::vector<std::int64_t> leaves = leaf_pages_of(sound.path(), "click_events");
  const std::int64_t page = leaves[leaves.size() / 2];
  write_bytes(damaged.path(),
              with_byte(with_byte(bytes, page_size, page, 3, 0), page_size, page, 4, 0));
  const auto [plain, paged] = both_scans(damaged.path(), click_options());
  CHECK_FALSE(plain.ok);
  CHECK(plain.error.find("database disk image is malformed") != std::string::npos);
  CHECK(difference(plain, paged) == "");
}

// An interior page other than the root that holds no cells (only its right child): SQLite calls
// the file corrupt (getAndInitPage(), as for a leaf).
TEST_CASE("page scan: an interior page without cells is as corrupt as SQLite finds it") {
  const TempDatabase sound("empty-interior-sound.db");
  const TempDatabase damaged("empty-interior.db");
  make_database(sound.path(), k_click_schema + click_rows(1, 3000), 1024);
  std::vector<std::int64_t> interior;
  {
    SQLite::Database database(sound.path(), SQLite::OPEN_READONLY);
    SQLite::Statement query(database,
                            "SELECT pageno FROM dbstat WHERE name = 'click_events' AND "
                            "pagetype = 'internal' AND path LIKE '/___/' ORDER BY path");
    while (query.executeStep()) {
      interior.push_back(query.getColumn(0).getInt64());
    }
  }
  // The root's second child, an interior page over leaves.
  REQUIRE(interior.size() >= 2);
  const std::string bytes = read_bytes(sound.path());
  const std::int64_t page_size = page_size_of(sound.path());
  write_bytes(
    damaged.path(),
    with_byte(with_byte(bytes, page_size, interior[1], 3, 0), page_size, interior[1], 4, 0));
  const auto [plain, paged] = both_scans(damaged.path(), click_options());
  CHECK_FALSE(plain.ok);
  CHECK(plain.error.find("database disk image is malformed") != std::string::npos);
  CHECK(difference(plain, paged) == "");
}

// SQLite takes the page count in the header when it is valid, and calls a page past it corrupt.
TEST_CASE("page scan: a leaf past the header's page count is as corrupt as SQLite finds it") {
  const TempDatabase sound("short-count-sound.db");
  const TempDatabase damaged("short-count.db");
  make_small_clicks(sound.path());
  std::string bytes = read_bytes(sound.path());
  const std::int64_t page_size = page_size_of(sound.path());
  const std::vector<std::int64_t> leaves = leaf_pages_of(sound.path(), "click_events");
  const auto pages = static_cast<std::int64_t>(bytes.size()) / page_size;
  REQUIRE(std::find(leaves.begin(), leaves.end(), pages) != leaves.end());
  // The header's page count (offset 28) one short: the file's last page is a leaf of the table.
  REQUIRE(bytes[31] != 0);
  bytes[31] = static_cast<char>(bytes[31] - 1);
  write_bytes(damaged.path(), bytes);
  const auto [plain, paged] = both_scans(damaged.path(), click_options());
  CHECK_FALSE(plain.ok);
  CHECK(plain.error.find("database disk image is malformed") != std::string::npos);
  CHECK(difference(plain, paged) == "");
}

// A row SQLite reads by row id (here: written before ALTER TABLE) is found through the interior
// pages, which send a row id outside its leaf's range elsewhere, while SQLite's own scan reads
// the cell on the leaf: the leaf must not be decoded.
TEST_CASE("page scan: a row id outside its leaf's range reads as SQLite reads it") {
  const TempDatabase sound("misplaced-rowid-sound.db");
  const TempDatabase damaged("misplaced-rowid.db");
  make_small_clicks(sound.path());
  const std::string bytes = read_bytes(sound.path());
  const std::int64_t page_size = page_size_of(sound.path());
  const std::vector<std::int64_t> leaves = leaf_pages_of(sound.path(), "click_events");
  // The last cell of the second leaf says row 100 (a one-byte varint, as its own id).
  const std::vector<std::int64_t> ids = leaf_rowids(bytes, page_size, leaves[1]);
  REQUIRE(ids.back() < 100);
  const int cell = cell_of(bytes, page_size, leaves[1], ids.back());
  write_bytes(damaged.path(), with_byte(bytes, page_size, leaves[1], cell + 1, 100));
  const auto [plain, paged] = both_scans(damaged.path(), click_options());
  REQUIRE_MESSAGE(plain.ok, plain.error); // SQLite's scan does not check the order of row ids
  CHECK(plain.rows == 302);
  CHECK(difference(plain, paged) == "");
}

// The same, with a row id repeated later in its leaf, where SQLite's binary search for the row
// looks first: a lookup would read that other cell, unless the leaf is checked whole first.
TEST_CASE("page scan: a row id repeated in its leaf reads as SQLite reads it") {
  const TempDatabase sound("repeated-rowid-sound.db");
  const TempDatabase damaged("repeated-rowid.db");
  make_small_clicks(sound.path());
  const std::string bytes = read_bytes(sound.path());
  const std::int64_t page_size = page_size_of(sound.path());
  const std::vector<std::int64_t> leaves = leaf_pages_of(sound.path(), "click_events");
  const std::vector<std::int64_t> ids = leaf_rowids(bytes, page_size, leaves[1]);
  REQUIRE(ids.size() >= 5);
  REQUIRE(ids.back() < 128);
  // The cell SQLite's search of the leaf looks at first says it is the leaf's second row.
  const std::size_t middle = (ids.size() - 1) / 2;
  const int cell = cell_of(bytes, page_size, leaves[1], ids[middle]);
  write_bytes(damaged.path(),
              with_byte(bytes, page_size, leaves[1], cell + 1, static_cast<int>(ids[1])));
  const auto [plain, paged] = both_scans(damaged.path(), click_options());
  REQUIRE_MESSAGE(plain.ok, plain.error);
  CHECK(difference(plain, paged) == "");
}

// 300 copies of a small click table, each with a few bytes of one leaf page overwritten (a fixed
// seed): whatever SQLite makes of the copy, reading it, or calling it corrupt, the page scan must
// make the same.
TEST_CASE("page scan: random damage to leaf pages, against SQLite's reading") {
  const TempDatabase sound("random-sound.db");
  const TempDatabase damaged("random-damaged.db");
  make_small_clicks(sound.path());
  const std::string bytes = read_bytes(sound.path());
  const std::int64_t page_size = page_size_of(sound.path());
  const std::vector<std::int64_t> leaves = leaf_pages_of(sound.path(), "click_events");
  REQUIRE(leaves.size() > 20);
  std::mt19937 random(20261201);
  std::map<std::string, int> outcomes;
  for (int round = 0; round < 300; ++round) {
    std::string broken = bytes;
    const std::int64_t page = leaves[random() % leaves.size()];
    const int changes = 1 + static_cast<int>(random() % 4);
    std::string what = fmt::format("page {}:", page);
    for (int change = 0; change < changes; ++change) {
      // Half of them in the first 64 bytes: the header, the cell pointers and (on pages of few
      // cells) the first record's header.
      const std::uint32_t span = random() % 2 == 0 ? 64 : static_cast<std::uint32_t>(page_size);
      const int offset = static_cast<int>(random() % span);
      const int value = static_cast<int>(random() % 256);
      broken = with_byte(broken, page_size, page, offset, value);
      what += fmt::format(" [{}]={:#04x}", offset, value);
    }
    write_bytes(damaged.path(), broken);
    const auto [plain, paged] = both_scans(damaged.path(), click_options());
    const std::string differs = difference(plain, paged);
    const char* kind = plain.ok == paged.ok ? (plain.ok ? "both read it" : "both call it corrupt")
                       : plain.ok           ? "only SQLite reads it"
                                            : "only the page scan reads it";
    ++outcomes[differs.empty() ? kind : std::string(kind) + ", differently"];
    CHECK_MESSAGE(differs.empty(), "round ", round, ", ", what, ": ", differs);
  }
  for (const auto& [kind, count] : outcomes) {
    MESSAGE(kind, ": ", count);
  }
  // Both outcomes are common: the damage is neither always harmless nor always fatal.
  CHECK(outcomes["both read it"] > 50);
  CHECK(outcomes["both call it corrupt"] > 50);
}
