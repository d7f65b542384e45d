#pragma once

#include "heatmap_merge/plan.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

struct sqlite3_stmt;

namespace SQLite {
class Database;
}

namespace heatmap_merge {

struct Options;
struct TableSchema;
struct ColumnLayout;
class Progress;

// Row ids from `first` to `last`, both included.
struct RowRange {
  std::int64_t first = 0;
  std::int64_t last = 0;
};

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
// whose ids lie in `skip` (sorted, disjoint ranges). `path` names the file in error messages.
InputKeys scan_keys(SQLite::Database& database,
                    const std::filesystem::path& path,
                    const TableSchema& schema,
                    const ColumnLayout& layout,
                    const Options& options,
                    Progress& progress,
                    const std::vector<RowRange>& skip = {});

// The row ids outside `ranges` (sorted, disjoint), as sorted, disjoint ranges.
std::vector<RowRange> complement(const std::vector<RowRange>& ranges);

// Adds to `keys` the rows of `source` (as scan_keys read them, in row id order) whose ids lie in
// `ranges` (sorted, disjoint): rows that both inputs hold byte for byte, read once.
void take_shared_rows(InputKeys& keys,
                      const InputKeys& source,
                      const std::vector<RowRange>& ranges);

// Adds every row of `more` to `keys`.
void add_rows(InputKeys& keys, const InputKeys& more);

} // namespace heatmap_merge
