#pragma once
// A table's rows read from its leaf pages directly and decoded (scan_pages): read/scan.cpp's
// fast path past SQLite's statements, where SQLite's file format allows it.

#include "sqlite_format/row_range.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

struct sqlite3_file;

namespace heatmap_merge {

// A column value as SQLite's API hands it out (sqlite3_value_type() and the value of that type),
// whether read from a statement or decoded from a record on a page. Text and blob bytes belong to
// whoever read them, and stay valid only until the next row.
struct FieldValue {
  int type = 5; // SQLITE_NULL
  std::int64_t integer = 0;
  double real = 0;
  const void* bytes = nullptr;
  int size = 0;
};

// Where the columns a scan reads sit in the table's records, in the scan's column order (the
// statement's columns from 1: the time, the key columns, the compared columns).
struct RecordFields {
  std::vector<int> fields;
  // REAL affinity: an integer stored there is read as a real, as SQLite reads it.
  std::vector<bool> real_affinity;
};

// Whether a column declared with `declared_type` has REAL affinity, by SQLite's rules.
bool has_real_affinity(const std::string& declared_type);

// A row decoded from a leaf page: values[0] is unused, values[n] is the scan's column n.
struct RecordRow {
  std::int64_t rowid = 0;
  std::vector<FieldValue> values;
};

struct PageScanEnd {
  // The whole tree was walked; otherwise a page was not as SQLite writes one, and the rows above
  // last_rowid (all, if none) are left to SQLite, which reads them or reports the damage in its
  // own words.
  bool complete = false;
  std::optional<std::int64_t> last_rowid; // the largest row id walked past
};

// Reads the rows of the table whose b-tree is rooted at `root` in `file` from its leaf pages in
// row id order, as SQLite's full scan walks them, but for the row ids in `skip` (sorted,
// disjoint): each row is handed to `on_row`, decoded, or, when SQLite itself should read it, to
// `on_lookup` with its row id, in its place. SQLite reads the rows whose record spills to
// overflow pages, that hold fewer fields than the table has columns (added since: their default
// is in the schema, not the record), or whose record is not as SQLite writes one; when more than
// a few hundred rows need it and they outnumber the rows decoded, the walk ends there
// (complete = false) and SQLite reads the rest in one statement.
//
// Invariant: `file` is snapshot_pages() of a connection that stays open and keeps its snapshot
// until this returns; the pages are read with pread() through its handle, never a descriptor of
// ours, and a text encoding other than UTF-8 makes it read nothing (complete = false).
PageScanEnd scan_pages(sqlite3_file* file,
                       std::int64_t root,
                       const RecordFields& fields,
                       const std::vector<RowRange>& skip,
                       const std::function<void(const RecordRow&)>& on_row,
                       const std::function<void(std::int64_t)>& on_lookup);

} // namespace heatmap_merge
