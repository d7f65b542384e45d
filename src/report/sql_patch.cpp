// --format sql. The patch is applied to a live primary, maybe long after it was made, maybe
// twice, so it cannot name row ids (both replicas hand out the same ones) and must find for
// itself which rows are already there. It relies on what the service does to its table: it only
// appends. The rows up to the snapshot's last row id are then the snapshot's, which the plan has
// already accounted for, and every row written since has a higher id: a row of the patch goes in
// only where those later rows do not already hold it, which they do after an earlier application
// (of this patch or of an in-place run). Row `R`, the snapshot's last, is checked first, so that
// the patch refuses a database that is not the primary it was made from.
//
// The script's shape, so that a truncated or failed patch changes nothing it should not: first
// every row goes into a temporary table (nothing is written to the primary), then transactions
// of at most k_patch_transaction_rows rows add them, each complete or rolled back, each safe to
// repeat; the sqlite3 shell stops at the first error (.bail on).

#include "report/sql_patch.hpp"

#include "util/duration.hpp"
#include "util/error.hpp"
#include "write/in_place.hpp"
#include "report/merge_result.hpp"
#include "util/options.hpp"
#include "util/progress.hpp"
#include "report/report.hpp"
#include "read/schema.hpp"
#include "util/sql_text.hpp"
#include "util/terminal_text.hpp"
#include "util/text.hpp"
#include "read/raw_statement.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace heatmap_merge {

namespace {

// Rows per INSERT of the temporary table: one statement's parse stays small.
constexpr std::size_t k_rows_per_insert = 500;
// And its bytes, after which it ends early: 500 rows of large values must not near SQLite's limit
// on a statement's length (SQLITE_MAX_SQL_LENGTH, 1e9 bytes, or less where the shell sets less).
constexpr std::size_t k_bytes_per_insert = std::size_t{1} << 20;
// The output is written in pieces of about this size.
constexpr std::size_t k_flush_bytes = std::size_t{1} << 20;
// How long the shell waits for the service's own transactions before giving up.
constexpr int k_busy_timeout_ms = 5000;

// The names of the patch's tables, all temporary: the primary gets nothing but its rows.
constexpr std::string_view k_check = "temp.heatmap_merge_check";
constexpr std::string_view k_load = "temp.heatmap_merge_load";
constexpr std::string_view k_rows = "temp.heatmap_merge_rows";
constexpr std::string_view k_present = "temp.heatmap_merge_present";
constexpr std::string_view k_added = "temp.heatmap_merge_added";
constexpr std::string_view k_pause = "temp.heatmap_merge_pause";
constexpr std::string_view k_scanned = "temp.heatmap_merge_scanned";
constexpr std::string_view k_probe = "temp.heatmap_merge_probe";
// The pause between two transactions is a busy loop (the shell cannot sleep) in statements of
// this many steps, each of which runs only while the pause lasts: a few milliseconds each, so
// that even a fast machine reaches the pause's end within k_pause_statements of them.
constexpr int k_pause_steps = 50'000;
constexpr int k_pause_statements = 40;

void append_hex(std::string& text, const unsigned char* bytes, int size) {
  constexpr std::string_view k_digits = "0123456789ABCDEF";
  for (int i = 0; i < size; ++i) {
    text += k_digits[bytes[i] >> 4];
    text += k_digits[bytes[i] & 0x0f];
  }
}

// `value` as (CAST(significand AS REAL) / 2^62 / ... / 2^k): each step is exact in binary, so
// the shell gets the very bits whatever its text-to-real conversion does.
std::string binary_real_literal(double value) {
  int exponent = 0;
  const double fraction = std::frexp(std::fabs(value), &exponent); // in [0.5, 1)
  const auto significand = static_cast<std::int64_t>(std::ldexp(fraction, 53));
  int shift = exponent - 53;
  std::string text = fmt::format("(CAST({}{} AS REAL)", value < 0 ? "-" : "", significand);
  while (shift != 0) {
    const int step = std::min(std::abs(shift), 62);
    text += fmt::format(" {} {}", shift < 0 ? '/' : '*', std::int64_t{1} << step);
    shift += shift < 0 ? step : -step;
  }
  return text + ")";
}

// True when SQLite reads the decimal `text` ("-921.5", "1e+16") without rounding at all: its
// digits s (trailing zeros aside, at most 15, so exact) times 10^e is an integer below 2^53, or
// s / 10^-e is a binary fraction (5^-e divides s). Both operands are then exact, and so is the
// result, however the reader computes it.
bool exact_decimal(std::string_view text, double value) {
  const std::size_t e = text.find('e');
  int exponent = e == std::string_view::npos ? 0 : std::stoi(std::string(text.substr(e + 1)));
  std::string digits;
  bool after_point = false;
  for (const char c : text.substr(0, e)) {
    if (c == '.') {
      after_point = true;
    } else if (c >= '0' && c <= '9') {
      if (!digits.empty() || c != '0') {
        digits += c;
      }
      exponent -= after_point ? 1 : 0;
    }
  }
  while (!digits.empty() && digits.back() == '0') {
    digits.pop_back();
    ++exponent;
  }
  if (digits.empty()) {
    return true; // zero
  }
  if (digits.size() > 15 || exponent < -22) {
    return false;
  }
  if (exponent >= 0) {
    return std::fabs(value) < 9007199254740992.0; // 2^53
  }
  std::int64_t power_of_five = 1;
  for (int i = 0; i < -exponent; ++i) {
    power_of_five *= 5;
  }
  return std::stoll(digits) % power_of_five == 0;
}

// Whether SQLite reads the decimal `text` back as `value`, bit for bit: the check quote() makes
// of its own output. Literals and CAST both go through sqlite3AtoF, so a CAST shows what the
// shell's parser will make of the literal (where the shell is a SQLite of the same reading:
// 3.43 and later read every shortest decimal exactly).
bool reads_back(const std::string& text, double value) {
  struct Reader {
    sqlite3* db = nullptr;
    sqlite3_stmt* cast = nullptr;
    Reader() {
      sqlite3_open(":memory:", &db);
      sqlite3_prepare_v2(db, "SELECT CAST(?1 AS REAL)", -1, &cast, nullptr);
    }
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    ~Reader() {
      sqlite3_finalize(cast);
      sqlite3_close(db);
    }
  };
  thread_local Reader reader;
  if (reader.cast == nullptr) {
    return false;
  }
  sqlite3_bind_text(reader.cast, 1, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  const bool same = sqlite3_step(reader.cast) == SQLITE_ROW &&
                    sqlite3_column_type(reader.cast, 0) == SQLITE_FLOAT &&
                    std::bit_cast<std::uint64_t>(sqlite3_column_double(reader.cast, 0)) ==
                      std::bit_cast<std::uint64_t>(value);
  sqlite3_reset(reader.cast);
  return same;
}

// `text` with ".0" where it would read as an integer.
std::string as_real(std::string text) {
  if (text.find_first_of(".en") == std::string::npos) {
    text += ".0";
  }
  return text;
}

std::string real_literal(double value) {
  if (std::isinf(value)) {
    return value > 0 ? "9e999" : "-9e999"; // what SQLite reads as infinity
  }
  // The shortest text that reads back as the same double, as a reviewer wants to see it. SQLite
  // before 3.43 reads a decimal a unit in the last place off now and then (7.2395e-12,
  // 2.3969656880576602e+280): a decimal that needs no rounding goes as it is (921.5); another
  // only when SQLite reads it back exactly, in its shortest form or with 17 digits, as quote()
  // does; the rest in an exact binary form.
  const std::string shortest = as_real(fmt::format("{}", value));
  if (exact_decimal(shortest, value) || reads_back(shortest, value)) {
    return shortest;
  }
  const std::string long_form = as_real(fmt::format("{:.17g}", value));
  if (reads_back(long_form, value)) {
    return long_form;
  }
  return binary_real_literal(value);
}

// What typeof() says of a value of SQLite's `type`.
std::string_view type_name(int type) {
  switch (type) {
  case SQLITE_NULL:
    return "null";
  case SQLITE_INTEGER:
    return "integer";
  case SQLITE_FLOAT:
    return "real";
  case SQLITE_TEXT:
    return "text";
  default:
    return "blob";
  }
}

// One line of the header comment: terminal_safe turns a newline (or anything else that could end
// the comment, or drive the reviewer's terminal) into an escape.
void comment(std::string& out, std::string_view text) {
  out += text.empty() ? "--" : "-- " + terminal_safe(text, Backslash::keep);
  out += '\n';
}

// The patch's columns: the primary's own, but its row id.
std::vector<std::string> patch_columns(const TableSchema& primary) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < primary.columns.size(); ++i) {
    if (i != primary.rowid_alias) {
      names.push_back(primary.columns[i].name);
    }
  }
  return names;
}

std::string column_list(const std::vector<std::string>& columns, std::string_view prefix = {}) {
  std::string list;
  for (const std::string& column : columns) {
    list += fmt::format("{}{}{}", list.empty() ? "" : ", ", prefix, quote_identifier(column));
  }
  return list;
}

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

// `base`, or "heatmap_merge_" `base` with as many "_" after it as it takes to be no name among
// `columns`: CREATE TABLE AS renames a clash ("seq:1"), and p."seq" would read the numbering.
std::string working_column(const std::string& base, const std::vector<std::string>& columns) {
  std::string name = base;
  const auto taken = [&](const std::string& candidate) {
    return std::any_of(columns.begin(), columns.end(), [&](const std::string& column) {
      return same_name(column, candidate);
    });
  };
  if (taken(name)) {
    name = "heatmap_merge_" + base;
  }
  while (taken(name)) {
    name += "_";
  }
  return quote_identifier(name);
}

void write_header(std::string& out,
                  const MergeResult& result,
                  const PatchFacts& facts,
                  const Options& options) {
  // The primary given is most often a snapshot (a copy): following a header that named it would
  // patch the copy, and the live primary would still lack the rows.
  comment(out,
          "heatmap-merge patch: adds to the live primary the rows that the plan below found it "
          "lacks.");
  comment(out,
          "Apply it to the LIVE primary, the database file that the service writes, on its host:");
  comment(out, "  sqlite3 /path/of/the/live/primary/heatmap.db < patch.sql");
  comment(out,
          fmt::format("with the sqlite3 shell (3.25 or later). Not to {}, the file it was made "
                      "from, if that is",
                      result.inputs.front().string()));
  comment(out,
          "a copy of the primary (a snapshot): the copy would take the rows, and the live primary "
          "would still lack them.");
  comment(out,
          "It fires no trigger of the table (.dbconfig enable_trigger off), as --output and "
          "--in-place fire none.");
  comment(out,
          "Each row goes in only where the primary, beyond the snapshot's last row id, holds no");
  comment(out,
          "row equal to it in every column (value and type), so the patch can be applied again,");
  comment(out, "or after the service wrote more clicks; a row the plan adds twice goes in twice.");
  comment(out,
          fmt::format("It stops at the first error; each of its transactions adds at most {} "
                      "rows, all or none.",
                      k_patch_transaction_rows));
  comment(out, "");
  comment(out,
          fmt::format("Made by heatmap-merge {} (SQLite {}) from snapshots taken {:%Y-%m-%d "
                      "%H:%M:%S} UTC:",
                      version(),
                      sqlite3_libversion(),
                      fmt::gmtime(std::chrono::system_clock::to_time_t(result.snapshot_time))));
  const std::vector<std::string> labels = role_labels(result.inputs.size());
  for (std::size_t i = 0; i < result.inputs.size(); ++i) {
    const InputPlan& input = result.plan.inputs[i];
    std::string line = fmt::format(
      "  {:<11} {}: {}", labels[i], result.inputs[i].string(), counted(input.rows, "row"));
    if (i == 0) {
      line += fmt::format(", last row id {}", facts.last_rowid);
    } else {
      line += fmt::format(", adds {} ({}, {})",
                          input.added.size(),
                          counted(input.duplicates_exact + input.duplicates_window, "duplicate"),
                          counted(input.conflicts, "conflict"));
    }
    comment(out, line);
  }
  comment(out,
          fmt::format("Window: {}; table {}; time column {}",
                      options.window.count() == 0 ? std::string("exact")
                                                  : readable_duration(options.window),
                      facts.table,
                      quote_identifier(options.time_column)));
  comment(out,
          fmt::format("Plan: {} to add, in {}",
                      counted(facts.rows, "row"),
                      counted(facts.transactions, "transaction")));
  for (const SwapSuspicion& suspicion : result.swap_suspicions) {
    comment(out,
            "warning: " + swap_warning(result, suspicion, [](const std::filesystem::path& path) {
              return path.string();
            }));
  }
  if (!result.triggers.empty()) {
    comment(out, "warning: " + trigger_warning(result, [](const std::filesystem::path& path) {
                   return path.string();
                 }));
  }
  comment(out, "");
  out += ".bail on\n";
  out += fmt::format(".timeout {}\n", k_busy_timeout_ms);
  // Quietly: the shell prints the setting.
  out += ".output /dev/null\n.dbconfig enable_trigger off\n.output\n";
}

// Refuses a database other than the primary the patch was made from: the snapshot's last row
// must still be there as it was (and text must be UTF-8, as the X'' literals are).
void write_check(std::string& out,
                 const PatchFacts& facts,
                 const DetailSource& primary,
                 std::string_view primary_name) {
  // Three checks, each with a message that says what it checked: SQLite names the first CHECK
  // constraint that fails, in the order of the columns.
  std::string row_present = "1";
  std::string row_there = "1";
  if (facts.last_rowid > 0) {
    RawStatement read(*primary.database,
                      select_sql(primary.table->rowid_expression(),
                                 facts.columns,
                                 primary.table->table,
                                 fmt::format("WHERE {} = ?1", primary.table->rowid_expression())),
                      primary.table->path);
    sqlite3_bind_int64(read.get(), 1, facts.last_rowid);
    if (!read.step("reading the snapshot's last row")) {
      throw Error(ExitCode::data,
                  fmt::format("{}: row {} vanished while the patch was made",
                              display(primary.table->path),
                              facts.last_rowid));
    }
    row_present = fmt::format(
      "EXISTS (SELECT 1 FROM main.{} WHERE {} = {})", facts.table, facts.rowid, facts.last_rowid);
    row_there = fmt::format(
      "EXISTS (SELECT 1 FROM main.{} WHERE {} = {}", facts.table, facts.rowid, facts.last_rowid);
    for (std::size_t i = 0; i < facts.columns.size(); ++i) {
      const int column = static_cast<int>(i) + 1;
      const std::string_view type = type_name(sqlite3_column_type(read.get(), column));
      const std::string name = quote_identifier(facts.columns[i]);
      row_there += fmt::format(" AND {} IS {}{} AND typeof({}) = '{}'",
                               name,
                               sql_literal(read.get(), column),
                               type == "text" ? " COLLATE BINARY" : "",
                               name,
                               type);
    }
    row_there += ")";
  }
  comment(out,
          fmt::format("Refuse any database but the primary the patch was made from: its text must "
                      "be UTF-8, and its row {} there as it was.",
                      facts.last_rowid));
  // What each check found wrong, as the shell's "CHECK constraint failed: ..." will say it.
  const std::string refused = "not the primary the patch was made from: it checked that ";
  const std::string last_row = fmt::format("row {} of {}, the last row of the snapshot of {},",
                                           facts.last_rowid,
                                           display_name(primary.table->table),
                                           primary_name);
  const std::string utf8 = fmt::format(
    "{}this database stores text as UTF-8, as {} does, and it does not", refused, primary_name);
  const std::string present =
    fmt::format("{}{} is still there, and this database has no row {} (deleted since, or another "
                "database)",
                refused,
                last_row,
                facts.last_rowid);
  const std::string same =
    fmt::format("{}{} is as it was in every column (value and type), and this database's row {} "
                "differs (changed since, or another database)",
                refused,
                last_row,
                facts.last_rowid);
  out += fmt::format("DROP TABLE IF EXISTS {};\n", k_check);
  out += fmt::format("CREATE TABLE {}(utf8 CONSTRAINT {} CHECK (utf8), present CONSTRAINT {} "
                     "CHECK (present), same CONSTRAINT {} CHECK (same));\n",
                     k_check,
                     quote_identifier(utf8),
                     quote_identifier(present),
                     quote_identifier(same));
  out +=
    fmt::format("INSERT INTO {} SELECT (SELECT encoding FROM pragma_encoding) = 'UTF-8', {}, {};\n",
                k_check,
                row_present,
                row_there);
}

// The tool never fires the table's triggers (see the header): makes sure this shell did turn
// them off, with a trigger of its own that must not fire.
void write_trigger_probe(std::string& out) {
  out += fmt::format("DROP TABLE IF EXISTS {};\n", k_probe);
  out += fmt::format("CREATE TABLE {}(fired CONSTRAINT {} CHECK (NOT fired));\n",
                     k_probe,
                     quote_identifier("this sqlite3 shell did not turn triggers off (.dbconfig "
                                      "enable_trigger off): use a newer sqlite3"));
  out += fmt::format("CREATE TEMP TRIGGER {}_fires AFTER INSERT ON {} BEGIN UPDATE {} SET fired = "
                     "1; END;\n",
                     k_probe.substr(5),
                     k_probe.substr(5),
                     k_probe.substr(5));
  out += fmt::format("INSERT INTO {} VALUES (0);\n", k_probe);
  out += fmt::format("DROP TABLE {};\n", k_probe);
}

} // namespace

namespace {

// The temporary tables: the rows to add, as the primary's columns would store them (a table made
// AS SELECT from the primary's has its columns' affinities), then numbered.
void write_load_start(std::string& out, const PatchFacts& facts) {
  comment(out,
          "The rows to add, as the primary's columns store them. Nothing is written to it yet.");
  out += fmt::format("DROP TABLE IF EXISTS {};\n", k_load);
  out += fmt::format("CREATE TABLE {} AS SELECT {} FROM main.{} WHERE 0;\n",
                     k_load,
                     column_list(facts.columns),
                     facts.table);
}

// Numbers the rows: `part`, the transaction that adds a row; `nth`, its place among the rows
// equal to it, which goes in only where the primary holds fewer than `nth` of them beyond the
// snapshot (multiset: a double click added twice goes in twice); `grp`, the first of those rows.
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

// One transaction: counts the copies of each row that the primary holds beyond the snapshot,
// then adds this part's rows that it holds too few of. The count is made inside the transaction,
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
  out += fmt::format("INSERT INTO main.{0}({1}) SELECT {2} FROM {3} AS p WHERE p.{6} = {4} AND "
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
  // What went in, and what was already there: counted apart, so that a row the table itself
  // ignores (an ON CONFLICT IGNORE constraint) is not taken for one already there.
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
    "SELECT printf('heatmap-merge patch: added %d of its {} rows, %d were already there%s', "
    "coalesce(sum(n), 0), coalesce(sum(there), 0), CASE WHEN coalesce(sum(n), 0) + "
    "coalesce(sum(there), 0) < {} THEN printf(', %d were missing but not added (ignored by the "
    "table: an ON CONFLICT IGNORE constraint)', {} - coalesce(sum(n), 0) - coalesce(sum(there), "
    "0)) ELSE '' END) FROM {};\n",
    facts.rows,
    facts.rows,
    facts.rows,
    k_added);
  for (const std::string_view table : {k_rows, k_present, k_scanned, k_added, k_pause, k_check}) {
    out += fmt::format("DROP TABLE {};\n", table);
  }
}

// Writes `text` to `out` once it holds a piece worth writing (or `now`).
void flush(std::ostream& out, std::string& text, bool now = false) {
  if (now || text.size() >= k_flush_bytes) {
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    text.clear();
    if (!out) {
      throw Error(ExitCode::io, "cannot write the patch to standard output");
    }
  }
}

// Where the INSERT into the load table being written stands.
struct LoadStatement {
  std::size_t rows = 0;
  std::size_t bytes = 0;
};

// The rows one secondary adds, as VALUES rows of INSERTs into the load table: its columns matched
// to the primary's by name, NULL for a column it lacks (check_patchable has made sure that that is
// the column's default).
void write_rows(std::ostream& out,
                std::string& text,
                LoadStatement& statement,
                const PatchFacts& facts,
                const DetailSource& source,
                const AddedRows& added,
                Progress& progress) {
  if (added.empty()) {
    return;
  }
  const TableSchema& table = *source.table;
  std::vector<std::string> names;
  std::vector<int> at(facts.columns.size(), -1); // each patch column's place in the SELECT
  for (std::size_t i = 0; i < facts.columns.size(); ++i) {
    const std::optional<std::size_t> there = table.find(facts.columns[i]);
    if (there && there != table.rowid_alias) {
      names.push_back(facts.columns[i]);
      at[i] = static_cast<int>(names.size());
    }
  }
  RawStatement reader(
    *source.database,
    select_sql(table.rowid_expression(),
               names,
               table.table,
               fmt::format("WHERE {0} >= ?1 ORDER BY {0}", table.rowid_expression())),
    table.path);
  const std::string insert =
    fmt::format("INSERT INTO {}({}) VALUES\n", k_load, column_list(facts.columns));
  visit_added_rows(reader, table.path, added, [&](sqlite3_stmt* row, const AddedRow&) {
    const std::size_t start = text.size();
    text += statement.rows == 0 ? insert : std::string(",\n");
    text += '(';
    for (std::size_t i = 0; i < at.size(); ++i) {
      text += i == 0 ? "" : ", ";
      text += at[i] < 0 ? std::string("NULL") : sql_literal(row, at[i]);
    }
    text += ')';
    statement.bytes += text.size() - start;
    if (++statement.rows == k_rows_per_insert || statement.bytes >= k_bytes_per_insert) {
      text += ";\n";
      statement = LoadStatement{};
    }
    progress.add(1);
    flush(out, text);
  });
}

// The patch spells text that is not printable as UTF-8 bytes (CAST(X'..' AS TEXT)), which a
// UTF-16 primary would read as other characters; its check would refuse it anyway, too late.
void refuse_other_encodings(SQLite::Database& primary, const std::filesystem::path& path) {
  RawStatement encoding(primary, "PRAGMA main.encoding", path);
  encoding.step("reading its text encoding");
  const std::string name = reinterpret_cast<const char*>(sqlite3_column_text(encoding.get(), 0));
  if (name != "UTF-8") {
    throw Error(ExitCode::data,
                fmt::format("--format sql: {} stores text as {}; a patch needs a UTF-8 primary",
                            display(path),
                            name),
                path)
      .with_hint("Merge with --output or --in-place instead.");
  }
}

} // namespace

std::string sql_literal(sqlite3_stmt* row, int column) {
  switch (sqlite3_column_type(row, column)) {
  case SQLITE_NULL:
    return "NULL";
  case SQLITE_INTEGER:
    return fmt::format("{}", sqlite3_column_int64(row, column));
  case SQLITE_FLOAT:
    return real_literal(sqlite3_column_double(row, column));
  case SQLITE_BLOB: {
    const unsigned char* bytes =
      static_cast<const unsigned char*>(sqlite3_column_blob(row, column));
    std::string literal = "X'";
    append_hex(literal, bytes, sqlite3_column_bytes(row, column));
    return literal + "'";
  }
  default: {
    const unsigned char* bytes = sqlite3_column_text(row, column);
    const std::string_view text(reinterpret_cast<const char*>(bytes),
                                static_cast<std::size_t>(sqlite3_column_bytes(row, column)));
    // Printable UTF-8 as quote() writes it; anything a terminal or a line reader could take for
    // something else (NUL, a newline, an escape, invalid UTF-8) as its bytes, still TEXT.
    if (terminal_safe(text, Backslash::keep) != text) {
      std::string literal = "CAST(X'";
      append_hex(literal, bytes, static_cast<int>(text.size()));
      return literal + "' AS TEXT)";
    }
    std::string literal = "'";
    for (const char c : text) {
      literal += c;
      if (c == '\'') {
        literal += '\'';
      }
    }
    return literal + "'";
  }
  }
}

void check_patchable(const std::vector<TableSchema>& tables, const ColumnLayout& layout) {
  const TableSchema& primary = tables.front();
  if (!layout.added_columns.empty()) {
    const TableSchema& from = tables[layout.added_from.front()];
    throw Error(ExitCode::data,
                fmt::format("--format sql: {} has a column {} that {} lacks; a patch cannot add "
                            "it (ALTER TABLE cannot be repeated safely)",
                            display(from.path),
                            display_name(layout.added_columns.front().name),
                            display(primary.path)),
                from.path)
      .with_hint(fmt::format("Add the column to the primary first, or merge with --output or "
                             "--in-place, which add it."));
  }
  for (std::size_t input = 1; input < tables.size(); ++input) {
    const TableSchema& secondary = tables[input];
    for (std::size_t i = 0; i < primary.columns.size(); ++i) {
      const Column& column = primary.columns[i];
      const std::optional<std::size_t> there = secondary.find(column.name);
      if (i != primary.rowid_alias && column.has_default &&
          (!there || there == secondary.rowid_alias)) {
        throw Error(ExitCode::data,
                    fmt::format("--format sql: {} lacks column {}, whose default a patch cannot "
                                "spell out",
                                display(secondary.path),
                                display_name(column.name)),
                    secondary.path)
          .with_hint("Merge with --output or --in-place, which give it its default.");
      }
    }
  }
}

void write_sql_patch(std::ostream& out,
                     const MergeResult& result,
                     const std::vector<DetailSource>& sources,
                     const Options& options,
                     Progress& progress,
                     const std::function<void()>& before_transactions) {
  const TableSchema& primary = *sources.front().table;
  refuse_other_encodings(*sources.front().database, primary.path);
  PatchFacts facts;
  facts.columns = patch_columns(primary);
  facts.table = quote_identifier(primary.table);
  facts.rowid = primary.rowid_expression();
  facts.seq = working_column("seq", facts.columns);
  facts.part = working_column("part", facts.columns);
  facts.grp = working_column("grp", facts.columns);
  facts.nth = working_column("nth", facts.columns);
  {
    RawStatement last(*sources.front().database,
                      fmt::format("SELECT max({}) FROM main.{}", facts.rowid, facts.table),
                      primary.path);
    last.step("reading the last row id");
    facts.last_rowid = sqlite3_column_int64(last.get(), 0);
  }
  for (std::size_t i = 1; i < result.plan.inputs.size(); ++i) {
    facts.rows += static_cast<std::int64_t>(result.plan.inputs[i].added.size());
  }
  facts.transactions = (facts.rows + k_patch_transaction_rows - 1) / k_patch_transaction_rows;
  const std::string time_column = primary.columns[*primary.find(options.time_column)].name;

  progress.phase("writing the patch", facts.rows);
  std::string text;
  write_header(text, result, facts, options);
  if (facts.rows == 0) {
    before_transactions();
    text += "SELECT 'heatmap-merge patch: nothing to add';\n";
    flush(out, text, true);
    return;
  }
  write_check(text, facts, sources.front(), display(result.inputs.front()));
  write_trigger_probe(text);
  write_load_start(text, facts);
  LoadStatement statement;
  for (std::size_t i = 1; i < sources.size(); ++i) {
    write_rows(out, text, statement, facts, sources[i], result.plan.inputs[i].added, progress);
  }
  if (statement.rows > 0) {
    text += ";\n";
  }
  before_transactions();
  write_numbering(text, facts, time_column);
  for (std::int64_t part = 0; part < facts.transactions; ++part) {
    write_transaction(text, facts, part);
  }
  write_footer(text, facts);
  flush(out, text, true);
}

} // namespace heatmap_merge
