#pragma once
// A value read by SQLite as the SQL literal that gives it back, same value and type: what the SQL
// patch (write/sql_patch.cpp) spells its rows and its check of the primary's last row with.

#include <string>

struct sqlite3_stmt;

namespace heatmap_merge {

// Column `column` of `row` as a SQL literal that evaluates to the same value and type: NULL, an
// integer, a real that reads back bit for bit (9e999 for infinity), 'text' with quotes doubled,
// X'hex' for a BLOB, and CAST(X'hex' AS TEXT) for text that is not printable UTF-8 (a NUL,
// control characters, invalid UTF-8, bidirectional controls), which neither a reviewer's
// terminal nor the sqlite3 shell's line reader may see raw.
std::string sql_literal(sqlite3_stmt* row, int column);

} // namespace heatmap_merge
