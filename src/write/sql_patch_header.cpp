// The SQL patch's header comment (what it was made from, for the reviewer), and the statements
// that refuse a target other than the primary it was made from, or a shell that fires triggers.
#include "write/sql_patch_script.hpp"

#include "read/details.hpp"
#include "read/raw_statement.hpp"
#include "read/schema.hpp"
#include "util/duration.hpp"
#include "util/error.hpp"
#include "util/options.hpp"
#include "util/sql_literal.hpp"
#include "util/sql_text.hpp"
#include "util/terminal_text.hpp"
#include "util/text.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <chrono>
#include <ctime>
#include <string>

namespace heatmap_merge::patch {

namespace {

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

// Where to apply the patch, and what it does: the first lines a reviewer reads. `primary`: the
// file it was made from.
void write_instructions(std::string& out, const std::filesystem::path& primary) {
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
                      primary.string()));
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
}

// What the patch was made from: the tool, the snapshots, each input's counts, the plan's, and
// the run's warnings.
void write_made_from(std::string& out,
                     const PatchHeader& header,
                     const Plan& plan,
                     const PatchFacts& facts,
                     const Options& options) {
  comment(out,
          fmt::format("Made by heatmap-merge {} (SQLite {}) from snapshots taken {:%Y-%m-%d "
                      "%H:%M:%S} UTC:",
                      version(),
                      sqlite3_libversion(),
                      fmt::gmtime(std::chrono::system_clock::to_time_t(header.snapshot_time))));
  for (std::size_t i = 0; i < header.inputs.size(); ++i) {
    const Share& input = plan.shares[i];
    std::string line = fmt::format(
      "  {:<11} {}: {}", header.labels[i], header.inputs[i].string(), counted(input.rows, "row"));
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
  for (const std::string& warning : header.warnings) {
    comment(out, "warning: " + warning);
  }
}

// What the check asks of the snapshot's last row, as SQL conditions: that it is still there
// (`present`), and as it was in every column's value and type (`same`); both true ("1") when the
// snapshot had no row with a positive id.
struct LastRowChecks {
  std::string present = "1";
  std::string same = "1";
};

LastRowChecks last_row_checks(const PatchFacts& facts, const RowSource& primary) {
  LastRowChecks checks;
  if (facts.last_rowid <= 0) {
    return checks;
  }
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
  checks.present = fmt::format(
    "EXISTS (SELECT 1 FROM main.{} WHERE {} = {})", facts.table, facts.rowid, facts.last_rowid);
  checks.same = fmt::format(
    "EXISTS (SELECT 1 FROM main.{} WHERE {} = {}", facts.table, facts.rowid, facts.last_rowid);
  for (std::size_t i = 0; i < facts.columns.size(); ++i) {
    const int column = static_cast<int>(i) + 1;
    const std::string_view type = type_name(sqlite3_column_type(read.get(), column));
    const std::string name = quote_identifier(facts.columns[i]);
    checks.same += fmt::format(" AND {} IS {}{} AND typeof({}) = '{}'",
                               name,
                               sql_literal(read.get(), column),
                               type == "text" ? " COLLATE BINARY" : "",
                               name,
                               type);
  }
  checks.same += ")";
  return checks;
}

} // namespace

void comment(std::string& out, std::string_view text) {
  out += text.empty() ? "--" : "-- " + terminal_safe(text, Backslash::keep);
  out += '\n';
}

void write_header(std::string& out,
                  const PatchHeader& header,
                  const Plan& plan,
                  const PatchFacts& facts,
                  const Options& options) {
  write_instructions(out, header.inputs.front());
  write_made_from(out, header, plan, facts, options);
  comment(out, "");
  out += ".bail on\n";
  out += fmt::format(".timeout {}\n", k_busy_timeout_ms);
  // A rollback-journal commit deletes the journal; only EXTRA then flushes the directory, without
  // which a power cut after the shell exited could bring the journal back and undo the last
  // transaction (tests/power, issue 29).
  out += "PRAGMA synchronous = EXTRA;\n";
  // Quietly: the shell prints the setting.
  out += ".output /dev/null\n.dbconfig enable_trigger off\n.output\n";
}

void write_check(std::string& out,
                 const PatchFacts& facts,
                 const RowSource& primary,
                 std::string_view primary_name) {
  // Three checks, each with a message that says what it checked: SQLite names the first CHECK
  // constraint that fails, in the order of the columns.
  const LastRowChecks last = last_row_checks(facts, primary);
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
                last.present,
                last.same);
}

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

} // namespace heatmap_merge::patch
