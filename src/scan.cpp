#include "heatmap_merge/scan.hpp"

#include "heatmap_merge/options.hpp"
#include "heatmap_merge/progress.hpp"
#include "heatmap_merge/schema.hpp"
#include "raw_statement.hpp"

#include <fmt/format.h>
// Inlined: the keys are short, and a call into the shared library costs as much as hashing them.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sys/mman.h>

namespace heatmap_merge {

namespace {

template <typename T>
void append_raw(std::string& buffer, const T& value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  buffer.append(bytes, sizeof(T));
}

// Appends a value so that two values are appended alike exactly when SQLite's = holds between
// them (10 = 10.0), with types never mixed (10 and '10' differ). Values, not sqlite3_column_*:
// each of those checks the statement and its column again, which cost a tenth of the scan.
void append_value(std::string& buffer, sqlite3_value* value) {
  switch (sqlite3_value_type(value)) {
  case SQLITE_INTEGER:
    buffer.push_back('i');
    append_raw(buffer, static_cast<std::int64_t>(sqlite3_value_int64(value)));
    break;
  case SQLITE_FLOAT: {
    const double number = sqlite3_value_double(value);
    if (number == std::trunc(number) && std::fabs(number) < 9.2e18) {
      buffer.push_back('i');
      append_raw(buffer, static_cast<std::int64_t>(number));
    } else {
      buffer.push_back('r');
      append_raw(buffer, number);
    }
    break;
  }
  case SQLITE_TEXT: {
    const unsigned char* text = sqlite3_value_text(value);
    const int size = sqlite3_value_bytes(value);
    buffer.push_back('t');
    append_raw(buffer, static_cast<std::uint32_t>(size));
    buffer.append(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
    break;
  }
  case SQLITE_BLOB: {
    const void* data = sqlite3_value_blob(value);
    const int size = sqlite3_value_bytes(value);
    buffer.push_back('b');
    append_raw(buffer, static_cast<std::uint32_t>(size));
    buffer.append(static_cast<const char*>(data), static_cast<std::size_t>(size));
    break;
  }
  default:
    buffer.push_back('n');
    break;
  }
}

std::optional<Instant> read_instant(sqlite3_value* value) {
  switch (sqlite3_value_type(value)) {
  case SQLITE_INTEGER:
    return instant_from_epoch(static_cast<std::int64_t>(sqlite3_value_int64(value)));
  case SQLITE_FLOAT:
    return instant_from_epoch(sqlite3_value_double(value));
  case SQLITE_TEXT: {
    const char* text = reinterpret_cast<const char*>(sqlite3_value_text(value));
    return parse_instant(
      std::string_view(text, static_cast<std::size_t>(sqlite3_value_bytes(value))));
  }
  default:
    return std::nullopt;
  }
}

constexpr std::int64_t k_progress_batch = 4096;

// Reserves room for every row up front: growing a vector of a million keys copies it and faults
// in fresh pages several times over. The row count is bounded by the span of row ids (AUTOINCREMENT
// ids are nearly dense) and by the file's size.
void reserve_keys(SQLite::Database& database,
                  const std::filesystem::path& path,
                  const TableSchema& schema,
                  std::vector<RowKey>& keys) {
  RawStatement span(database,
                    // Two subqueries: min() and max() in one SELECT scan a whole index.
                    fmt::format("SELECT (SELECT max(_rowid_) FROM main.{0}) - "
                                "(SELECT min(_rowid_) FROM main.{0}) + 1",
                                quote_identifier(schema.table)),
                    path);
  span.step("reading its rows");
  const std::int64_t by_ids = sqlite3_column_int64(span.get(), 0);
  std::error_code error;
  const std::uintmax_t file_size = std::filesystem::file_size(path, error);
  const std::int64_t by_size = error ? by_ids : static_cast<std::int64_t>(file_size / 16);
  const std::int64_t rows = std::max<std::int64_t>(0, std::min(by_ids, by_size));
  keys.reserve(static_cast<std::size_t>(rows));
  // Faulting in tens of MiB page by page costs more than reading them; huge pages fault 512x less.
  const std::uintptr_t begin = reinterpret_cast<std::uintptr_t>(keys.data());
  const std::uintptr_t end = begin + keys.capacity() * sizeof(RowKey);
  constexpr std::uintptr_t k_huge = 2u << 20;
  const std::uintptr_t huge_begin = (begin + k_huge - 1) & ~(k_huge - 1);
  const std::uintptr_t huge_end = end & ~(k_huge - 1);
  if (huge_begin < huge_end) {
    if (!getenv("NOHUGE")) madvise(reinterpret_cast<void*>(huge_begin), huge_end - huge_begin, MADV_HUGEPAGE);
  }
}

} // namespace

std::optional<Instant> read_instant(sqlite3_stmt* statement, int column) {
  return read_instant(sqlite3_column_value(statement, column));
}

InputKeys scan_keys(SQLite::Database& database,
                    const std::filesystem::path& path,
                    const TableSchema& schema,
                    const ColumnLayout& layout,
                    const Options& options,
                    Progress& progress) {
  // Columns: 0 row id, 1 time, then the key columns, then the compared columns.
  std::string sql =
    fmt::format("SELECT {}, {}", schema.rowid_expression(), quote_identifier(options.time_column));
  for (const std::string& key : options.key_columns) {
    sql += ", " + quote_identifier(key);
  }
  for (const std::string& compared : layout.compared_columns) {
    sql += ", " + quote_identifier(compared);
  }
  sql += fmt::format(" FROM main.{}", quote_identifier(schema.table));

  const int first_compared = 2 + static_cast<int>(options.key_columns.size());
  const int column_count = first_compared + static_cast<int>(layout.compared_columns.size());

  InputKeys result;
  reserve_keys(database, path, schema, result.keys);
  RawStatement statement(database, sql, path);
  sqlite3_stmt* row = statement.get();
  std::string buffer;
  RowKey key;
  while (statement.step("reading its rows")) {
    if (++result.rows % k_progress_batch == 0) {
      progress.add(k_progress_batch);
    }
    const bool keyed =
      read_row_key(row, first_compared - 2, column_count - first_compared, buffer, key);
    result.max_rowid = std::max(result.max_rowid, key.rowid);
    if (key.instant != k_text_instant) {
      result.first = result.first ? std::min(*result.first, key.instant) : key.instant;
      result.last = result.last ? std::max(*result.last, key.instant) : key.instant;
    }
    if (keyed) {
      result.keys.push_back(key);
    } else {
      result.unkeyed.push_back({key.instant, key.rowid});
    }
  }
  return result;
}

bool read_row_key(
  sqlite3_stmt* row, int key_count, int compared_count, std::string& buffer, RowKey& key) {
  key.rowid = sqlite3_column_int64(row, 0);
  sqlite3_value* time = sqlite3_column_value(row, 1);
  const bool time_null = sqlite3_value_type(time) == SQLITE_NULL;
  const std::optional<Instant> instant = time_null ? std::nullopt : read_instant(time);
  key.instant = instant.value_or(k_text_instant);

  bool null_key = time_null;
  buffer.clear();
  for (int column = 2; column < 2 + key_count && !null_key; ++column) {
    sqlite3_value* value = sqlite3_column_value(row, column);
    null_key = sqlite3_value_type(value) == SQLITE_NULL;
    append_value(buffer, value);
  }
  if (null_key) {
    return false;
  }
  if (!instant) {
    // A time that is no date-time is compared as text, exactly.
    buffer.push_back('T');
    append_value(buffer, time);
  }
  const XXH128_hash_t group_hash = XXH3_128bits(buffer.data(), buffer.size());
  key.group_hi = group_hash.high64;
  key.group_lo = static_cast<std::uint32_t>(group_hash.low64);

  buffer.clear();
  for (int column = 2 + key_count; column < 2 + key_count + compared_count; ++column) {
    append_value(buffer, sqlite3_column_value(row, column));
  }
  key.payload = static_cast<std::uint32_t>(XXH3_64bits(buffer.data(), buffer.size()));
  return true;
}

} // namespace heatmap_merge
