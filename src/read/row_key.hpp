#pragma once
// A row's key as the planner matches it (RowKey), built from a row read by SQLite or decoded
// from its page: its group's hash from the time and key columns, its payload's hash from the
// compared columns. Inline, for the key scan's loop (scan.cpp), its only user.

#include "plan/plan.hpp"
#include "sqlite_format/page_scan.hpp"
#include "util/timestamp.hpp"

#include <sqlite3.h>
// Inlined: the keys are short, and a call into the shared library costs as much as hashing them.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace heatmap_merge {

// Builds a key's bytes in a buffer that only grows: one check of its room per value, and none
// per byte, since std::string::append checks and branches on every call.
class KeyBytes {
public:
  explicit KeyBytes(std::string& storage) : m_storage(storage) {}

  // Appends a value so that two values are appended alike exactly when SQLite's = holds between
  // them (10 = 10.0), with types never mixed (10 and '10' differ).
  void append(const FieldValue& value) {
    switch (value.type) {
    case SQLITE_INTEGER:
      put_number('i', value.integer);
      break;
    case SQLITE_FLOAT:
      // Every whole real in the int64 range is an integer exactly (SQLite's = compares them
      // exactly): 9.2e18 was left a real, unequal to the integer 9200000000000000000.
      if (value.real == std::trunc(value.real) && value.real >= -9223372036854775808.0 &&
          value.real < 9223372036854775808.0) {
        put_number('i', static_cast<std::int64_t>(value.real));
      } else {
        put_number('r', value.real);
      }
      break;
    case SQLITE_TEXT:
      put_bytes('t', value.bytes, value.size);
      break;
    case SQLITE_BLOB:
      put_bytes('b', value.bytes, value.size);
      break;
    default:
      append_tag('n');
      break;
    }
  }

  // Appends a value so that two values are appended alike exactly when they are the same value
  // of the same type (x IS y AND typeof(x) = typeof(y), as the SQL patch compares rows): 10 and
  // 10.0 differ here.
  void append_exact(const FieldValue& value) {
    if (value.type == SQLITE_FLOAT) {
      put_number('r', value.real == 0 ? 0.0 : value.real); // -0.0 IS 0.0
    } else {
      append(value);
    }
  }

  void append_tag(char tag) {
    *room(1) = tag;
    m_used += 1;
  }

  const char* data() const {
    return m_storage.data();
  }
  std::size_t size() const {
    return m_used;
  }

private:
  char* room(std::size_t bytes) {
    if (m_used + bytes > m_storage.size()) {
      m_storage.resize(std::max(m_used + bytes, 2 * m_storage.size()));
    }
    return m_storage.data() + m_used;
  }

  template <typename T>
  void put_number(char tag, T number) {
    char* out = room(1 + sizeof(T));
    out[0] = tag;
    std::memcpy(out + 1, &number, sizeof(T));
    m_used += 1 + sizeof(T);
  }

  void put_bytes(char tag, const void* bytes, int size) {
    const std::uint32_t length = static_cast<std::uint32_t>(size);
    char* out = room(1 + sizeof(length) + length);
    out[0] = tag;
    std::memcpy(out + 1, &length, sizeof(length));
    if (length > 0) {
      std::memcpy(out + 1 + sizeof(length), bytes, length);
    }
    m_used += 1 + sizeof(length) + length;
  }

  std::string& m_storage;
  std::size_t m_used = 0;
};

// A statement's column as a FieldValue. sqlite3_value_*, not sqlite3_column_*: each of those
// checks the statement and its column again, which cost a tenth of the scan.
inline FieldValue field_value(sqlite3_value* value) {
  FieldValue field;
  field.type = sqlite3_value_type(value);
  switch (field.type) {
  case SQLITE_INTEGER:
    field.integer = sqlite3_value_int64(value);
    break;
  case SQLITE_FLOAT:
    field.real = sqlite3_value_double(value);
    break;
  case SQLITE_TEXT:
    field.bytes = sqlite3_value_text(value);
    field.size = sqlite3_value_bytes(value);
    break;
  case SQLITE_BLOB:
    field.bytes = sqlite3_value_blob(value);
    field.size = sqlite3_value_bytes(value);
    break;
  default:
    break;
  }
  return field;
}

inline std::optional<Instant> read_instant(const FieldValue& value) {
  switch (value.type) {
  case SQLITE_INTEGER:
    return instant_from_epoch(value.integer);
  case SQLITE_FLOAT:
    return instant_from_epoch(value.real);
  case SQLITE_TEXT:
    return parse_instant(std::string_view(static_cast<const char*>(value.bytes),
                                          static_cast<std::size_t>(value.size)));
  default:
    return std::nullopt;
  }
}

// The current row of a statement whose columns are the row id, then the scan's columns.
class StatementRow {
public:
  explicit StatementRow(sqlite3_stmt* statement) : m_statement(statement) {}
  std::int64_t rowid() const {
    return sqlite3_column_int64(m_statement, 0);
  }
  FieldValue value(int column) const {
    return field_value(sqlite3_column_value(m_statement, column));
  }

private:
  sqlite3_stmt* m_statement;
};

// A row decoded from its page (page_scan.hpp).
class DecodedRow {
public:
  explicit DecodedRow(const RecordRow& row) : m_row(row) {}
  std::int64_t rowid() const {
    return m_row.rowid;
  }
  const FieldValue& value(int column) const {
    return m_row.values[static_cast<std::size_t>(column)];
  }

private:
  const RecordRow& m_row;
};

// read_row_key() for either kind of row.
template <typename Row>
bool row_key(const Row& row, int key_count, int compared_count, std::string& buffer, RowKey& key) {
  key.rowid = row.rowid();
  const FieldValue time = row.value(1);
  const bool time_null = time.type == SQLITE_NULL;
  const std::optional<Instant> instant = time_null ? std::nullopt : read_instant(time);
  key.instant = instant.value_or(k_text_instant);

  bool null_key = time_null;
  KeyBytes group(buffer);
  for (int column = 2; column < 2 + key_count && !null_key; ++column) {
    const FieldValue value = row.value(column);
    null_key = value.type == SQLITE_NULL;
    group.append(value);
  }
  if (null_key) {
    // Never a duplicate of another click; only the very same row, equal in every column read
    // (the time as stored), is: hashed apart from every keyed group by its first tag.
    KeyBytes whole(buffer);
    whole.append_tag('U');
    for (int column = 1; column < 2 + key_count + compared_count; ++column) {
      whole.append_exact(row.value(column));
    }
    const XXH128_hash_t whole_hash = XXH3_128bits(whole.data(), whole.size());
    key.group_hi = whole_hash.high64;
    key.group_lo = static_cast<std::uint32_t>(whole_hash.low64);
    key.payload = 0;
    return false;
  }
  if (!instant) {
    // A time that is no date-time is compared as text, exactly.
    group.append_tag('T');
    group.append(time);
  }
  const XXH128_hash_t group_hash = XXH3_128bits(group.data(), group.size());
  key.group_hi = group_hash.high64;
  key.group_lo = static_cast<std::uint32_t>(group_hash.low64);

  KeyBytes payload(buffer);
  for (int column = 2 + key_count; column < 2 + key_count + compared_count; ++column) {
    payload.append(row.value(column));
  }
  key.payload = static_cast<std::uint32_t>(XXH3_64bits(payload.data(), payload.size()));
  return true;
}

} // namespace heatmap_merge
