// The page scan's decoding against SQLite's reading: every value of every storage class in
// columns of every affinity, REAL affinity's reals, and a UTF-16 database left to SQLite.
#include "page_scan_check.hpp"
#include "temp_database.hpp"

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>
#include <vector>

using namespace page_scan_check;
using heatmap_merge::Instant;

namespace {

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

} // namespace

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
