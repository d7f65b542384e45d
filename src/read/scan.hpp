#pragma once
// The key scan of one snapshot: every row's key read through SQLite or decoded from its pages,
// and the row-id helpers the scans share (read layer, the read phase's work).

#include "plan/plan.hpp"
#include "sqlite_format/page_scan.hpp"
#include "sqlite_format/row_range.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3_stmt;
struct sqlite3_file;

namespace SQLite {
class Database;
}

namespace heatmap_merge {

struct Options;
struct TableSchema;
struct ColumnLayout;
class Progress;

// The smallest and largest row id of the click table, found in O(log n) ({1, 0} when it is
// empty): under AUTOINCREMENT ids are nearly dense, so the span estimates the rows.
RowRange
row_span(SQLite::Database& database, const TableSchema& schema, const std::filesystem::path& path);

// The instant of a time value as the planner sees it: ISO 8601 text, epoch numbers; nothing for
// NULL or text that is no date-time.
std::optional<Instant> read_instant(sqlite3_stmt* statement, int column);

// Reads the key of the current row of `row`, whose columns are the row id, the time, `key_count`
// key columns and `compared_count` compared columns. Returns false, with only the row id and
// instant set, when the time or a key column is NULL: such a row never matches. The statement's
// connection must be opened NOMUTEX (as all of ours are): its column values are read as
// sqlite3_value, which SQLite allows only without a connection mutex.
bool read_row_key(
  sqlite3_stmt* row, int key_count, int compared_count, std::string& buffer, RowKey& key);

// Reads what the planner needs of every row of the click table, in one pass, but for the rows
// whose ids lie in `skip` (sorted, disjoint ranges), into `keys` (empty, with its memory budget).
// `path` names the file in error messages. With `pages` (snapshot_pages() of `database`), the rows
// are decoded from the table's leaf pages (scan_pages()), SQLite reading only those it should.
Keys scan_keys(SQLite::Database& database,
               const std::filesystem::path& path,
               const TableSchema& schema,
               const ColumnLayout& layout,
               const Options& options,
               Progress& progress,
               KeyStore keys,
               const std::vector<RowRange>& skip = {},
               sqlite3_file* pages = nullptr);

// The row ids outside `ranges` (sorted, disjoint), as sorted, disjoint ranges.
std::vector<RowRange> complement(const std::vector<RowRange>& ranges);

// What the planner needs of the rows that the primary and the secondary hold byte for byte: only
// their instants (for the report) and how many of them have a NULL key. Each is the same row as
// its twin, in every column, and pairs with it, NULL key or not.
struct SharedKeys {
  std::int64_t paired = 0;  // every row
  std::int64_t unkeyed = 0; // of those, the rows with a NULL key
  std::int64_t max_rowid = 0;
  std::optional<Instant> first; // the earliest and latest parsed instants
  std::optional<Instant> last;
  Timeline timeline; // every row's instant
  std::int64_t rows() const {
    return paired;
  }
};

// Reads the rows whose ids lie in `ranges` (sorted, disjoint), as SharedKeys: the row id, the
// time and whether a key column is NULL, which costs a fraction of a key.
SharedKeys scan_shared(SQLite::Database& database,
                       const std::filesystem::path& path,
                       const TableSchema& schema,
                       const Options& options,
                       Progress& progress,
                       const std::vector<RowRange>& ranges);

// Counts rows read by scan_shared into `keys`: all of them as paired (the unkeyed ones also as
// such, for the report) and in its timeline.
void add_shared(Keys& keys, const SharedKeys& shared);

// Adds every row of `more` to `keys`.
void add_rows(Keys& keys, Keys more);

// The record fields of `columns` of `schema`; nothing when its rows cannot be read from its pages
// as SQLite reads them: a generated column (not every column is in the record) or the row id alias
// among `columns` (stored as NULL).
std::optional<RecordFields> record_fields(const TableSchema& schema,
                                          const std::vector<std::string>& columns);

} // namespace heatmap_merge
