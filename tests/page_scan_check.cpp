// The tools of page_scan_check.hpp, for the page scan's unit tests.
#include "page_scan_check.hpp"

#include "plan/plan.hpp"
#include "util/error.hpp"
#include "util/progress.hpp"

#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace page_scan_check {

using hm::Instant;

namespace {

constexpr std::chrono::milliseconds k_no_wait{0};
constexpr Instant k_second = 1'000'000'000;
constexpr Instant k_hour = 3600 * k_second;

} // namespace

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

std::string click_rows(int from, int rows, int pad) {
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

void make_database(const std::string& path, const std::string& sql, int page_size) {
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

SQLite::Database open_snapshot(const std::string& path) {
  SQLite::Database database = hm::open_reader(path, k_no_wait);
  database.exec("BEGIN");
  SQLite::Statement read(database, "SELECT count(*) FROM sqlite_schema");
  read.executeStep();
  return database;
}

namespace {

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
    hm::Keys keys =
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

} // namespace

Outcome scan(const std::string& path,
             const hm::Options& options,
             bool pages,
             const std::vector<RowRange>& skip) {
  SQLite::Database database = open_snapshot(path);
  return scan_on(database, path, options, pages, skip);
}

std::pair<Outcome, Outcome>
both_scans(const std::string& path, const hm::Options& options, const std::vector<RowRange>& skip) {
  SQLite::Database database = open_snapshot(path);
  Outcome plain = scan_on(database, path, options, false, skip);
  Outcome paged = scan_on(database, path, options, true, skip);
  return {std::move(plain), std::move(paged)};
}

namespace {

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

} // namespace

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

Outcome check_same_scans(const std::string& path,
                         const hm::Options& options,
                         const std::vector<RowRange>& skip) {
  const auto [plain, paged] = both_scans(path, options, skip);
  REQUIRE_MESSAGE(plain.ok, plain.error);
  CHECK(difference(plain, paged) == "");
  return plain;
}

Walk walk(const std::string& path,
          const std::string& table,
          const std::vector<std::string>& columns,
          const std::vector<RowRange>& skip) {
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

std::vector<std::int64_t>
rowids(const std::string& path, const std::string& table, const std::string& where) {
  SQLite::Database database(path, SQLite::OPEN_READONLY);
  SQLite::Statement query(database,
                          fmt::format("SELECT _rowid_ FROM {} WHERE {} ORDER BY 1", table, where));
  std::vector<std::int64_t> ids;
  while (query.executeStep()) {
    ids.push_back(query.getColumn(0).getInt64());
  }
  return ids;
}

namespace {

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

std::string gather_insights(const hm::FieldValue& value) {
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

} // namespace

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
                                 gather_insights(expected),
                                 gather_insights(got)));
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

namespace {

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

} // namespace

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

} // namespace page_scan_check
