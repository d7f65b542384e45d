// --format sql, the writer of a dry run (sql_patch.hpp): the patch's facts, its rows as literals
// in INSERTs into a temporary table, and the script's pieces (sql_patch_script.hpp) in order.
//
// The patch is applied to a live primary, maybe long after it was made, maybe twice, so it
// cannot name row ids (both replicas hand out the same ones) and must find for itself which rows
// are already there. It relies on what the service does to its table: it only appends. The rows up
// to the snapshot's last row id are then the snapshot's, which the plan has already accounted for,
// and every row written since has a higher id: a row of the patch goes in only where those later
// rows do not already hold it, which they do after an earlier application (of this patch or of an
// in-place run). Row `R`, the snapshot's last, is checked first, so that the patch refuses a
// database that is not the primary it was made from.
//
// The script's shape, so that a truncated or failed patch changes nothing it should not: first
// every row goes into a temporary table (nothing is written to the primary), then transactions
// of at most k_patch_transaction_rows rows add them, each complete or rolled back, each safe to
// repeat; the sqlite3 shell stops at the first error (.bail on).

#include "write/sql_patch.hpp"

#include "read/details.hpp"
#include "read/raw_statement.hpp"
#include "read/schema.hpp"
#include "util/error.hpp"
#include "util/options.hpp"
#include "util/progress.hpp"
#include "util/sql_literal.hpp"
#include "util/sql_text.hpp"
#include "util/terminal_text.hpp"
#include "util/text.hpp"
#include "write/sql_patch_script.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace heatmap_merge {

namespace {

using patch::column_list;
using patch::k_load;
using patch::PatchFacts;

// Rows per INSERT of the temporary table: one statement's parse stays small.
constexpr std::size_t k_rows_per_insert = 500;
// And its bytes, after which it ends early: 500 rows of large values must not near SQLite's limit
// on a statement's length (SQLITE_MAX_SQL_LENGTH, 1e9 bytes, or less where the shell sets less).
constexpr std::size_t k_bytes_per_insert = std::size_t{1} << 20;
// The output is written in pieces of about this size.
constexpr std::size_t k_flush_bytes = std::size_t{1} << 20;

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

// The facts of the patch of `plan` to the primary `primary` (its snapshot): its columns, the
// numbering's, the snapshot's last row id, and how many rows and transactions it adds.
PatchFacts patch_facts(const RowSource& primary, const Plan& plan) {
  const TableSchema& table = *primary.table;
  PatchFacts facts;
  facts.columns = patch_columns(table);
  facts.table = quote_identifier(table.table);
  facts.rowid = table.rowid_expression();
  facts.seq = working_column("seq", facts.columns);
  facts.part = working_column("part", facts.columns);
  facts.grp = working_column("grp", facts.columns);
  facts.nth = working_column("nth", facts.columns);
  {
    RawStatement last(*primary.database,
                      fmt::format("SELECT max({}) FROM main.{}", facts.rowid, facts.table),
                      table.path);
    last.step("reading the last row id");
    facts.last_rowid = sqlite3_column_int64(last.get(), 0);
  }
  for (std::size_t i = 1; i < plan.shares.size(); ++i) {
    facts.rows += static_cast<std::int64_t>(plan.shares[i].added.size());
  }
  facts.transactions = (facts.rows + k_patch_transaction_rows - 1) / k_patch_transaction_rows;
  return facts;
}

// Writes `text` to `out` once it holds a piece worth writing (or `now`).
void flush(std::ostream& out, std::string& text, bool now = false) {
  if (now || text.size() >= k_flush_bytes) {
    errno = 0;
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    text.clear();
    // The last piece is flushed here, so that its failure is the patch's, not the report's.
    if (now) {
      out.flush();
    }
    if (!out) {
      throw stdout_error("the patch");
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
                const RowSource& source,
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
                     const PatchHeader& header,
                     const Plan& plan,
                     const std::vector<RowSource>& sources,
                     const Options& options,
                     Progress& progress,
                     const std::function<void()>& before_transactions) {
  const TableSchema& primary = *sources.front().table;
  refuse_other_encodings(*sources.front().database, primary.path);
  const PatchFacts facts = patch_facts(sources.front(), plan);
  const std::string time_column = primary.columns[*primary.find(options.time_column)].name;

  progress.phase("writing the patch", facts.rows);
  std::string text;
  patch::write_header(text, header, plan, facts, options);
  if (facts.rows == 0) {
    before_transactions();
    text += "SELECT 'heatmap-merge patch: nothing to add';\n";
    flush(out, text, true);
    return;
  }
  patch::write_check(text, facts, sources.front(), display(header.inputs.front()));
  patch::write_trigger_probe(text);
  patch::write_load_start(text, facts);
  LoadStatement statement;
  for (std::size_t i = 1; i < sources.size(); ++i) {
    write_rows(out, text, statement, facts, sources[i], plan.shares[i].added, progress);
  }
  if (statement.rows > 0) {
    text += ";\n";
  }
  before_transactions();
  patch::write_numbering(text, facts, time_column);
  for (std::int64_t part = 0; part < facts.transactions; ++part) {
    patch::write_transaction(text, facts, part);
  }
  patch::write_footer(text, facts);
  flush(out, text, true);
}

} // namespace heatmap_merge
