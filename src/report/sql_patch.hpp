#pragma once

// --format sql: the dry run's plan as a script for the sqlite3 shell that adds to the primary (on
// its own host, say) exactly the rows the plan adds, and that can be applied again safely.

#include "read/details.hpp"

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

struct sqlite3_stmt;

namespace heatmap_merge {

struct ColumnLayout;
struct MergeResult;
struct Options;
struct TableSchema;
class Progress;

// How many rows one transaction of a patch adds at most: each holds the primary's write lock
// while it reads the rows added since the snapshot and inserts its own.
inline constexpr std::int64_t k_patch_transaction_rows = 10'000;

// Column `column` of `row` as a SQL literal that evaluates to the same value and type: NULL, an
// integer, a real that reads back bit for bit (9e999 for infinity), 'text' with quotes doubled,
// X'hex' for a BLOB, and CAST(X'hex' AS TEXT) for text that is not printable UTF-8 (a NUL,
// control characters, invalid UTF-8, bidirectional controls), which neither a reviewer's
// terminal nor the sqlite3 shell's line reader may see raw.
std::string sql_literal(sqlite3_stmt* row, int column);

// Refuses, before anything is read, inputs whose rows a patch cannot add as the other modes do:
// a secondary column the primary lacks (the patch would have to ALTER the live table, which is
// not repeatable), or a primary column with a default that a secondary lacks (a patch can only
// spell values, and a default need not be a constant).
void check_patchable(const std::vector<TableSchema>& tables, const ColumnLayout& layout);

// Writes the patch for `result`'s plan to `out`: a header comment with what it was made from,
// the rows to add, and the transactions that add each of them where the primary lacks it.
// `sources[0]` is the primary's snapshot; the others are the secondaries', in the plan's order.
// `before_transactions` runs (and may throw) once the rows are written, before the statements
// that add them: a patch cut short there changes nothing.
void write_sql_patch(std::ostream& out,
                     const MergeResult& result,
                     const std::vector<DetailSource>& sources,
                     const Options& options,
                     Progress& progress,
                     const std::function<void()>& before_transactions);

} // namespace heatmap_merge
