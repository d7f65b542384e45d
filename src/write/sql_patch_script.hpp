#pragma once
// The SQL patch's script in pieces, for its writer (sql_patch.cpp): the header and the target's
// checks (sql_patch_header.cpp), the tables and transactions (sql_patch_script.cpp).

#include "write/sql_patch.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace heatmap_merge {

struct RowSource;
struct Options;

namespace patch {

// How long the shell waits for the service's own transactions before giving up.
inline constexpr int k_busy_timeout_ms = 5000;

// The names of the patch's tables, all temporary: the primary gets nothing but its rows.
inline constexpr std::string_view k_check = "temp.heatmap_merge_check";
inline constexpr std::string_view k_load = "temp.heatmap_merge_load";
inline constexpr std::string_view k_rows = "temp.heatmap_merge_rows";
inline constexpr std::string_view k_present = "temp.heatmap_merge_present";
inline constexpr std::string_view k_added = "temp.heatmap_merge_added";
inline constexpr std::string_view k_pause = "temp.heatmap_merge_pause";
inline constexpr std::string_view k_scanned = "temp.heatmap_merge_scanned";
inline constexpr std::string_view k_probe = "temp.heatmap_merge_probe";

// What the patch is made from and what it does, for the reviewer.
struct PatchFacts {
  std::vector<std::string> columns;
  std::string table;           // the primary's click table, quoted
  std::string rowid;           // the expression of its row id
  std::int64_t last_rowid = 0; // R: the snapshot's last row id (0: no rows)
  std::int64_t rows = 0;       // rows to add
  std::int64_t transactions = 0;
  // The numbering's own columns beside the rows' in temp.heatmap_merge_rows, quoted: named so
  // that no column of the primary's has their name (working_column).
  std::string seq, part, grp, nth;
};

// One line of the header comment: terminal_safe turns a newline (or anything else that could end
// the comment, or drive the reviewer's terminal) into an escape.
void comment(std::string& out, std::string_view text);

// "c1", "c2"..., each quoted, each after `prefix` ("p.").
std::string column_list(const std::vector<std::string>& columns, std::string_view prefix = {});

// The header comment, for the reviewer, then the shell's settings.
void write_header(std::string& out,
                  const PatchHeader& header,
                  const Plan& plan,
                  const PatchFacts& facts,
                  const Options& options);

// Refuses a database other than the primary the patch was made from: the snapshot's last row
// must still be there as it was (and text must be UTF-8, as the X'' literals are).
void write_check(std::string& out,
                 const PatchFacts& facts,
                 const RowSource& primary,
                 std::string_view primary_name);

// The tool never fires the table's triggers (see the header): makes sure this shell did turn
// them off, with a trigger of its own that must not fire.
void write_trigger_probe(std::string& out);

// The temporary tables: the rows to add, as the primary's columns would store them (a table made
// AS SELECT from the primary's has its columns' affinities), then numbered.
void write_load_start(std::string& out, const PatchFacts& facts);

// Numbers the rows: `part`, the transaction that adds a row; `nth`, its place among the rows
// equal to it, which goes in only where the primary holds fewer than `nth` of them beyond the
// snapshot (multiset: a double click added twice goes in twice); `grp`, the first of those rows.
void write_numbering(std::string& out, const PatchFacts& facts, const std::string& time_column);

// One transaction, `part` (from 0), after the pause that lets the service in (all but the first).
void write_transaction(std::string& out, const PatchFacts& facts, std::int64_t part);

// What the operator sees: how many rows went in, and how many were there already; then the
// temporary tables go.
void write_footer(std::string& out, const PatchFacts& facts);

} // namespace patch

} // namespace heatmap_merge
