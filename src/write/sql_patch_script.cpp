// The SQL patch's tables and transactions: the rows loaded into a temporary table and numbered,
// then added in transactions that each count what the primary holds already, paced for the service.
#include "write/sql_patch_script.hpp"

#include "read/schema.hpp"
#include "util/error.hpp"
#include "util/sql_text.hpp"
#include "write/in_place.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>

namespace heatmap_merge::patch {

namespace {

// The pause between two transactions is a busy loop (the shell cannot sleep) in statements of
// this many steps, each of which runs only while the pause lasts: a few milliseconds each, so
// that even a fast machine reaches the pause's end within k_pause_statements of them.
constexpr int k_pause_steps = 50'000;
constexpr int k_pause_statements = 40;

// "p.c IS m.c AND typeof(p.c) = typeof(m.c) AND ...": the same value of the same type in every
// column, NULL equal to NULL. `left` comes first so that its collation (the temporary table's,
// always BINARY) decides: a NOCASE column must not make 'A' the same as 'a'.
std::string
same_row(const std::vector<std::string>& columns, std::string_view left, std::string_view right) {
  std::string condition;
  for (const std::string& column : columns) {
    const std::string name = quote_identifier(column);
    condition += fmt::format("{}{}.{} IS {}.{} AND typeof({}.{}) = typeof({}.{})",
                             condition.empty() ? "" : " AND ",
                             left,
                             name,
                             right,
                             name,
                             left,
                             name,
                             right,
                             name);
  }
  return condition;
}

// The pause before every transaction but the first, as --in-place makes it: the service's writer,
// which retries every 100 ms while the lock is taken, finds it free. Back to back, the
// transactions would keep it out until its 5 s run out: a lost click. julianday('now') changes
// from one statement to the next only, hence many statements.
void write_pause(std::string& out) {
  comment(out,
          fmt::format("A pause of {} ms for the service's own writes.",
                      k_pause_between_transactions.count()));
  out += fmt::format("UPDATE {} SET until = julianday('now') + {} / 86400000.0;\n",
                     k_pause,
                     k_pause_between_transactions.count());
  for (int i = 0; i < k_pause_statements; ++i) {
    out += fmt::format("UPDATE {} SET steps = steps + (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                       "SELECT i + 1 FROM n WHERE i < {}) SELECT count(*) FROM n) WHERE "
                       "julianday('now') < until;\n",
                       k_pause,
                       k_pause_steps);
  }
}

} // namespace

std::string column_list(const std::vector<std::string>& columns, std::string_view prefix) {
  std::string list;
  for (const std::string& column : columns) {
    list += fmt::format("{}{}{}", list.empty() ? "" : ", ", prefix, quote_identifier(column));
  }
  return list;
}

void write_load_start(std::string& out, const PatchFacts& facts) {
  comment(out,
          "The rows to add, as the primary's columns store them. Nothing is written to it yet.");
  out += fmt::format("DROP TABLE IF EXISTS {};\n", k_load);
  out += fmt::format("CREATE TABLE {} AS SELECT {} FROM main.{} WHERE 0;\n",
                     k_load,
                     column_list(facts.columns),
                     facts.table);
}

void write_numbering(std::string& out, const PatchFacts& facts, const std::string& time_column) {
  // The time first: it tells nearly every two rows apart, so that the sort behind the window
  // rarely compares the long texts (user agents) that most rows share.
  std::vector<std::string> order = {time_column};
  for (const std::string& column : facts.columns) {
    if (!same_name(column, time_column)) {
      order.push_back(column);
    }
  }
  std::string partition;
  for (const std::string& column : order) {
    const std::string name = quote_identifier(column);
    partition += fmt::format("{}{}, typeof({})", partition.empty() ? "" : ", ", name, name);
  }
  // The load table has the primary's columns, any of which may shadow a row id alias.
  const std::optional<std::string> alias = free_rowid_alias(facts.columns);
  if (!alias) {
    throw Error(ExitCode::data,
                "the primary's table has columns named rowid, _rowid_ and oid, which would hide "
                "the row ids the patch numbers its rows by: rename one of them");
  }
  const std::string rowid = quote_identifier(*alias);
  comment(out, "Each row's transaction (part), and its place among the rows equal to it (nth).");
  out += fmt::format("DROP TABLE IF EXISTS {};\n", k_rows);
  out += fmt::format("CREATE TABLE {0} AS SELECT {5} AS {6}, ({5} - 1) / {1} AS {7}, "
                     "first_value({5}) OVER same AS {8}, row_number() OVER same AS {9}, {2} FROM "
                     "{3} WINDOW same AS (PARTITION BY {4} ORDER BY {5});\n",
                     k_rows,
                     k_patch_transaction_rows,
                     column_list(facts.columns),
                     k_load,
                     partition,
                     rowid,
                     facts.seq,
                     facts.part,
                     facts.grp,
                     facts.nth);
  out += fmt::format("CREATE INDEX {}_key ON heatmap_merge_rows({}, {});\n",
                     k_rows,
                     facts.nth,
                     quote_identifier(time_column));
  out += fmt::format(
    "CREATE INDEX {}_part ON heatmap_merge_rows({}, {});\n", k_rows, facts.part, facts.seq);
  out += fmt::format("DROP TABLE {};\n", k_load);
  out += fmt::format("DROP TABLE IF EXISTS {};\n", k_present);
  out += fmt::format("CREATE TABLE {}(grp INTEGER PRIMARY KEY, n INTEGER);\n", k_present);
  // The primary's rows up to this id are counted in k_present (beyond the snapshot's last).
  out += fmt::format("DROP TABLE IF EXISTS {};\n", k_scanned);
  out += fmt::format("CREATE TABLE {}(upto INTEGER);\n", k_scanned);
  out += fmt::format("INSERT INTO {} VALUES ({});\n", k_scanned, facts.last_rowid);
  out += fmt::format("DROP TABLE IF EXISTS {};\n", k_added);
  out += fmt::format("CREATE TABLE {}(n INTEGER, there INTEGER);\n", k_added);
  out += fmt::format("DROP TABLE IF EXISTS {};\n", k_pause);
  out += fmt::format("CREATE TABLE {}(until REAL, steps INTEGER);\n", k_pause);
  out += fmt::format("INSERT INTO {} VALUES (0, 0);\n", k_pause);
}

// A transaction counts the copies of each row that the primary holds beyond the snapshot, then
// adds this part's rows that it holds too few of. The count is made inside the transaction,
// under the write lock, so that nothing can add a copy in between. Each transaction counts only
// the rows written since the last one counted (the service's, and the last transaction's own):
// recounting every row beyond the snapshot would make each hold the lock longer than the last,
// over a second after a few hundred thousand rows.
void write_transaction(std::string& out, const PatchFacts& facts, std::int64_t part) {
  const std::int64_t first = part * k_patch_transaction_rows + 1;
  const std::int64_t last = std::min(facts.rows, first + k_patch_transaction_rows - 1);
  if (part > 0) {
    write_pause(out);
  }
  comment(
    out,
    fmt::format("Transaction {} of {}: rows {} to {}.", part + 1, facts.transactions, first, last));
  out += "BEGIN IMMEDIATE;\n";
  out += fmt::format("INSERT INTO {0} SELECT p.{6}, count(*) FROM main.{1} AS m CROSS JOIN {2} AS "
                     "p WHERE m.{3} > (SELECT upto FROM {4}) AND p.{7} = 1 AND {5} GROUP BY p.{6} "
                     "ON CONFLICT (grp) DO UPDATE SET n = n + excluded.n;\n",
                     k_present,
                     facts.table,
                     k_rows,
                     facts.rowid,
                     k_scanned,
                     same_row(facts.columns, "p", "m"),
                     facts.grp,
                     facts.nth);
  out += fmt::format(
    "UPDATE {} SET upto = (SELECT max({}) FROM main.{});\n", k_scanned, facts.rowid, facts.table);
  // OR ABORT, as the tool's own inserts (util/sql_text.hpp): no ON CONFLICT clause of the table
  // replaces a row of the primary or drops one of the patch's.
  out +=
    fmt::format("INSERT OR ABORT INTO main.{0}({1}) SELECT {2} FROM {3} AS p WHERE p.{6} = {4} AND "
                "p.{7} > coalesce((SELECT q.n FROM {5} AS q WHERE q.grp = p.{8}), 0) ORDER BY "
                "p.{9};\n",
                facts.table,
                column_list(facts.columns),
                column_list(facts.columns, "p."),
                k_rows,
                part,
                k_present,
                facts.part,
                facts.nth,
                facts.grp,
                facts.seq);
  // What went in, and what was already there.
  out += fmt::format("INSERT INTO {0} SELECT changes(), count(*) FROM {1} AS p WHERE p.{4} = {2} "
                     "AND p.{5} <= coalesce((SELECT q.n FROM {3} AS q WHERE q.grp = p.{6}), 0);\n",
                     k_added,
                     k_rows,
                     part,
                     k_present,
                     facts.part,
                     facts.nth,
                     facts.grp);
  out += "COMMIT;\n";
}

void write_footer(std::string& out, const PatchFacts& facts) {
  // What the operator sees: how many rows went in, and how many were there already.
  out += fmt::format(
    "SELECT printf('heatmap-merge patch: added %d of its {} rows, %d were already there', "
    "coalesce(sum(n), 0), coalesce(sum(there), 0)) FROM {};\n",
    facts.rows,
    k_added);
  for (const std::string_view table : {k_rows, k_present, k_scanned, k_added, k_pause, k_check}) {
    out += fmt::format("DROP TABLE {};\n", table);
  }
}

} // namespace heatmap_merge::patch
