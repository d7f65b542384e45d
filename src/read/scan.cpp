// The key scans: every row of an input's click table read once (through SQLite, or decoded from
// its pages), into the keys the planner matches; the rows shared with the primary, read for
// their instants only.
#include "read/scan.hpp"

#include "read/raw_statement.hpp"
#include "read/row_key.hpp"
#include "read/schema.hpp"
#include "sqlite_format/page_scan.hpp"
#include "util/options.hpp"
#include "util/progress.hpp"
#include "util/sql_text.hpp"
#include "util/terminal_text.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace heatmap_merge {

namespace {

// SELECT of the row id, the time, the key columns and `more` columns of the click table; if
// `in_range`, only of the row ids from ?1 to ?2.
std::string select_rows(const TableSchema& schema,
                        const Options& options,
                        const std::vector<std::string>& more,
                        bool in_range) {
  std::vector<std::string> columns{options.time_column};
  columns.insert(columns.end(), options.key_columns.begin(), options.key_columns.end());
  columns.insert(columns.end(), more.begin(), more.end());
  // ORDER BY: walk_on() and the page scan's hand-backs rely on row id order, which a plain
  // SELECT does not promise (with a covering index SQLite walks the index instead).
  const std::string rowid = schema.rowid_expression();
  return select_sql(rowid,
                    columns,
                    schema.table,
                    in_range ? fmt::format("WHERE {0} BETWEEN ?1 AND ?2 ORDER BY {0}", rowid)
                             : fmt::format("ORDER BY {}", rowid));
}

// Rows are counted to the progress in batches, which spares the shared counter a write per row;
// each scan adds the rest of its last batch when it ends, so that -v counts every row.
constexpr std::int64_t k_progress_batch = 4096;

// Reserves room for every row up front: growing a vector of a million keys copies it and faults
// in fresh pages several times over. The row count is bounded by the span of row ids (AUTOINCREMENT
// ids are nearly dense) and by the file's size.
void reserve_keys(SQLite::Database& database,
                  const std::filesystem::path& path,
                  const TableSchema& schema,
                  KeyStore& keys) {
  const RowRange span = row_span(database, schema, path);
  const std::int64_t by_ids = span.ids();
  std::error_code error;
  const std::uintmax_t file_size = std::filesystem::file_size(path, error);
  const std::int64_t by_size = error ? by_ids : static_cast<std::int64_t>(file_size / 16);
  const std::int64_t rows = std::max<std::int64_t>(0, std::min(by_ids, by_size));
  keys.reserve(static_cast<std::size_t>(rows));
}

// The parts of `gaps` (sorted, disjoint) above `last`: all of them when there is no `last`.
std::vector<RowRange> rows_after(const std::vector<RowRange>& gaps,
                                 std::optional<std::int64_t> last) {
  if (!last) {
    return gaps;
  }
  std::vector<RowRange> after;
  for (const RowRange& gap : gaps) {
    if (gap.last > *last) {
      after.push_back({std::max(gap.first, *last + 1), gap.last});
    }
  }
  return after;
}

} // namespace

RowRange
row_span(SQLite::Database& database, const TableSchema& schema, const std::filesystem::path& path) {
  // Two subqueries: min() and max() in one SELECT scan a whole index.
  const std::string table = "main." + quote_identifier(schema.table);
  RawStatement span(database,
                    fmt::format("SELECT coalesce((SELECT min({1}) FROM {0}), 1), "
                                "coalesce((SELECT max({1}) FROM {0}), 0)",
                                table,
                                schema.rowid_expression()),
                    path);
  span.step("reading its rows");
  return {sqlite3_column_int64(span.get(), 0), sqlite3_column_int64(span.get(), 1)};
}

std::optional<Instant> read_instant(sqlite3_stmt* statement, int column) {
  return read_instant(field_value(sqlite3_column_value(statement, column)));
}

namespace {

// One scan_keys(): the rows it reads, through SQLite or from their pages, and what it makes of
// them.
class KeyScan {
public:
  KeyScan(SQLite::Database& database,
          const std::filesystem::path& path,
          const TableSchema& schema,
          const ColumnLayout& layout,
          const Options& options,
          Progress& progress,
          KeyStore keys,
          bool ranged)
      : m_database(database), m_path(path), m_schema(schema), m_layout(layout), m_options(options),
        m_progress(progress), m_ranged(ranged),
        m_statement(database, select_rows(schema, options, layout.compared_columns, ranged), path),
        m_key_count(static_cast<int>(options.key_columns.size())),
        m_compared_count(static_cast<int>(layout.compared_columns.size())) {
    m_result.keys = std::move(keys);
    reserve_keys(database, path, schema, m_result.keys);
  }

  // SQLite reads the rows from `first` to `last` (every row, if the statement is not ranged).
  void read_rows(std::int64_t first, std::int64_t last) {
    sqlite3_stmt* row = m_statement.get();
    if (m_ranged) {
      m_statement.reset();
      sqlite3_bind_int64(row, 1, first);
      sqlite3_bind_int64(row, 2, last);
    }
    while (m_statement.step("reading its rows")) {
      take(StatementRow(row));
    }
  }

  // The rows read from their pages, but those that SQLite should read itself, in their place;
  // returns the ranges of `gaps` (the row ids outside `skip`) left for SQLite to read.
  std::vector<RowRange> read_pages(sqlite3_file* pages,
                                   const RecordFields& fields,
                                   const std::vector<RowRange>& skip,
                                   const std::vector<RowRange>& gaps) {
    std::int64_t decoded_rows = 0;
    std::int64_t looked_up = 0;
    const PageScanEnd end = scan_pages(
      pages,
      m_schema.root_page,
      fields,
      skip,
      [&](const RecordRow& decoded) {
        ++decoded_rows;
        take(DecodedRow(decoded));
      },
      [&](std::int64_t rowid) {
        ++looked_up;
        read_rows(rowid, rowid);
      });
    m_progress.note(fmt::format("{}: {} decoded from its pages, {} read through SQLite{}",
                                display(m_path),
                                counted(decoded_rows, "row"),
                                looked_up,
                                end.complete ? "" : ", and so are the rows after those"));
    if (end.complete) {
      return {};
    }
    if (skip.empty()) {
      walk_on();
      return {};
    }
    return rows_after(gaps, end.last_rowid);
  }

  Keys finish() {
    m_progress.add(m_result.rows % k_progress_batch);
    return std::move(m_result);
  }

private:
  // SQLite's own walk of the whole table, past the rows already read, so that a damaged file
  // reads as it reads without the page scan: seeking past the last row id would not.
  void walk_on() {
    RawStatement walk(
      m_database, select_rows(m_schema, m_options, m_layout.compared_columns, false), m_path);
    for (std::int64_t passed = 0; passed < m_result.rows && walk.step("reading its rows");) {
      ++passed;
    }
    while (walk.step("reading its rows")) {
      take(StatementRow(walk.get()));
    }
  }

  template <typename Row>
  void take(const Row& row) {
    const bool keyed = row_key(row, m_key_count, m_compared_count, m_buffer, m_key);
    if (++m_result.rows % k_progress_batch == 0) {
      m_progress.add(k_progress_batch);
    }
    m_result.max_rowid = std::max(m_result.max_rowid, m_key.rowid);
    if (m_key.instant != k_text_instant) {
      m_result.first = m_result.first ? std::min(*m_result.first, m_key.instant) : m_key.instant;
      m_result.last = m_result.last ? std::max(*m_result.last, m_key.instant) : m_key.instant;
      m_result.timeline.add(m_key.instant);
    }
    if (keyed) {
      m_result.keys.add(m_key);
    } else {
      m_result.unkeyed.push_back({m_key.instant, m_key.rowid, m_key.group_hi, m_key.group_lo});
    }
  }

  SQLite::Database& m_database;
  const std::filesystem::path& m_path;
  const TableSchema& m_schema;
  const ColumnLayout& m_layout;
  const Options& m_options;
  Progress& m_progress;
  const bool m_ranged;
  RawStatement m_statement;
  const int m_key_count;
  const int m_compared_count;
  Keys m_result;
  std::string m_buffer;
  RowKey m_key;
};

} // namespace

Keys scan_keys(SQLite::Database& database,
               const std::filesystem::path& path,
               const TableSchema& schema,
               const ColumnLayout& layout,
               const Options& options,
               Progress& progress,
               KeyStore keys,
               const std::vector<RowRange>& skip,
               sqlite3_file* pages) {
  // Columns: 0 row id, 1 time, then the key columns, then the compared columns.
  std::vector<std::string> columns{options.time_column};
  columns.insert(columns.end(), options.key_columns.begin(), options.key_columns.end());
  columns.insert(columns.end(), layout.compared_columns.begin(), layout.compared_columns.end());
  const std::optional<RecordFields> fields =
    pages != nullptr ? record_fields(schema, columns) : std::nullopt;

  KeyScan scan(database,
               path,
               schema,
               layout,
               options,
               progress,
               std::move(keys),
               !skip.empty() || fields.has_value());
  std::vector<RowRange> gaps = complement(skip);
  if (fields) {
    gaps = scan.read_pages(pages, *fields, skip, gaps);
  }
  // The rows between the skipped ranges, one range of row ids after the other.
  for (const RowRange& gap : gaps) {
    scan.read_rows(gap.first, gap.last);
  }
  return scan.finish();
}

namespace {

// The earlier of two optional instants, or the later.
std::optional<Instant> earliest(std::optional<Instant> a, std::optional<Instant> b) {
  return a && b ? std::min(*a, *b) : a ? a : b;
}
std::optional<Instant> latest(std::optional<Instant> a, std::optional<Instant> b) {
  return a && b ? std::max(*a, *b) : a ? a : b;
}

} // namespace

std::vector<RowRange> complement(const std::vector<RowRange>& ranges) {
  std::vector<RowRange> gaps;
  std::int64_t from = INT64_MIN;
  for (const RowRange& range : ranges) {
    if (range.first > from) {
      gaps.push_back({from, range.first - 1});
    }
    if (range.last == INT64_MAX) {
      return gaps;
    }
    from = range.last + 1;
  }
  gaps.push_back({from, INT64_MAX});
  return gaps;
}

SharedKeys scan_shared(SQLite::Database& database,
                       const std::filesystem::path& path,
                       const TableSchema& schema,
                       const Options& options,
                       Progress& progress,
                       const std::vector<RowRange>& ranges) {
  const std::string sql = select_rows(schema, options, {}, true);
  const int column_count = 2 + static_cast<int>(options.key_columns.size());

  SharedKeys shared;
  RawStatement statement(database, sql, path);
  sqlite3_stmt* row = statement.get();
  std::int64_t rows = 0;
  for (const RowRange& range : ranges) {
    statement.reset();
    sqlite3_bind_int64(row, 1, range.first);
    sqlite3_bind_int64(row, 2, range.last);
    while (statement.step("reading its rows")) {
      if (++rows % k_progress_batch == 0) {
        progress.add(k_progress_batch);
      }
      // As read_row_key: a NULL time or key column makes the row unkeyed.
      sqlite3_value* time = sqlite3_column_value(row, 1);
      bool keyed = sqlite3_value_type(time) != SQLITE_NULL;
      for (int column = 2; column < column_count && keyed; ++column) {
        keyed = sqlite3_column_type(row, column) != SQLITE_NULL;
      }
      const Instant instant = sqlite3_value_type(time) == SQLITE_NULL
                                ? k_text_instant
                                : read_instant(field_value(time)).value_or(k_text_instant);
      const std::int64_t rowid = sqlite3_column_int64(row, 0);
      shared.max_rowid = std::max(shared.max_rowid, rowid);
      if (instant != k_text_instant) {
        shared.first = earliest(shared.first, instant);
        shared.last = latest(shared.last, instant);
        shared.timeline.add(instant);
      }
      // A row with a NULL key pairs with its twin too: it is the same row, in every column.
      ++shared.paired;
      if (!keyed) {
        ++shared.unkeyed;
      }
    }
  }
  progress.add(rows % k_progress_batch);
  return shared;
}

void add_shared(Keys& keys, const SharedKeys& shared) {
  keys.paired = shared.paired;
  keys.paired_unkeyed = shared.unkeyed;
  keys.rows += shared.rows();
  keys.max_rowid = std::max(keys.max_rowid, shared.max_rowid);
  keys.first = earliest(keys.first, shared.first);
  keys.last = latest(keys.last, shared.last);
  keys.timeline.add(shared.timeline);
}

void add_rows(Keys& keys, Keys more) {
  more.keys.finish();
  more.keys.for_each([&keys](const RowKey& key) { keys.keys.add(key); });
  keys.unkeyed.insert(keys.unkeyed.end(), more.unkeyed.begin(), more.unkeyed.end());
  keys.rows += more.rows;
  keys.max_rowid = std::max(keys.max_rowid, more.max_rowid);
  keys.first = earliest(keys.first, more.first);
  keys.last = latest(keys.last, more.last);
  keys.timeline.add(more.timeline);
}

bool read_row_key(
  sqlite3_stmt* row, int key_count, int compared_count, std::string& buffer, RowKey& key) {
  return row_key(StatementRow(row), key_count, compared_count, buffer, key);
}

std::optional<RecordFields> record_fields(const TableSchema& schema,
                                          const std::vector<std::string>& columns) {
  if (schema.generated_columns) {
    return std::nullopt;
  }
  RecordFields fields;
  for (const std::string& name : columns) {
    const std::optional<std::size_t> column = schema.find(name);
    if (!column || column == schema.rowid_alias) {
      return std::nullopt;
    }
    fields.fields.push_back(static_cast<int>(*column));
    fields.real_affinity.push_back(has_real_affinity(schema.columns[*column].declared_type));
  }
  return fields;
}

} // namespace heatmap_merge
