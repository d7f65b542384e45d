// The fit probe (fit_probe.hpp): the primary's CREATE TABLE in a private in-memory database, the
// secondaries' columns added to it, and the added rows appended by append_rows, as a new output's.
#include "write/fit_probe.hpp"

#include "read/input.hpp"
#include "read/schema.hpp"
#include "util/error.hpp"
#include "util/progress.hpp"
#include "util/sql_text.hpp"
#include "util/terminal_text.hpp"
#include "write/append_rows.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

namespace heatmap_merge {

namespace {

constexpr const char* k_probe_trigger = "heatmap_merge_fit_probe";

// Whether `sql` holds `word` in any case, anywhere: a name or a string that holds it only makes
// the probe run.
bool mentions(const std::string& sql, std::string_view word) {
  const auto found =
    std::search(sql.begin(), sql.end(), word.begin(), word.end(), [](char a, char b) {
      return std::toupper(static_cast<unsigned char>(a)) ==
             std::toupper(static_cast<unsigned char>(b));
    });
  return found != sql.end();
}

} // namespace

bool rows_may_not_fit(const Snapshots& inputs) {
  const TableSchema& primary = inputs.tables.front();
  if (primary.generated_columns || mentions(primary.sql, "STRICT") ||
      mentions(primary.sql, "CHECK")) {
    return true;
  }
  for (std::size_t i = 0; i < primary.columns.size(); ++i) {
    if (!primary.columns[i].not_null || i == primary.rowid_alias) {
      continue; // the row id is ours to give
    }
    for (std::size_t input = 1; input < inputs.tables.size(); ++input) {
      const TableSchema& secondary = inputs.tables[input];
      const std::optional<std::size_t> there = secondary.find(primary.columns[i].name);
      if (!there || there == secondary.rowid_alias || !secondary.columns[*there].not_null) {
        return true;
      }
    }
  }
  return false;
}

bool probe_rows_fit(const std::filesystem::path& named,
                    Snapshots& inputs,
                    const ColumnLayout& layout,
                    const Plan& plan,
                    Progress& progress) {
  std::int64_t adding = 0;
  for (std::size_t i = 1; i < plan.shares.size(); ++i) {
    adding += static_cast<std::int64_t>(plan.shares[i].added.size());
  }
  if (adding == 0) {
    return true;
  }
  const TableSchema& table = inputs.tables.front();
  SQLite::Database probe(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  try {
    // sqlite_schema keeps the statement without its schema name or IF NOT EXISTS.
    probe.exec(table.sql);
  } catch (const SQLite::Exception& e) {
    progress.note(fmt::format("could not try the added rows on {}'s table before writing them: {}",
                              display(named),
                              e.what()));
    return false;
  }
  // Each row is deleted once in, so the table stays empty whatever the number of rows: its
  // constraints on one row's values are tried, and memory does not grow.
  probe.exec(fmt::format("CREATE TRIGGER {0} AFTER INSERT ON {1} BEGIN DELETE FROM {1}; END",
                         quote_identifier(k_probe_trigger),
                         quote_identifier(table.table)));
  progress.phase("trying the added rows", adding);
  SQLite::Transaction transaction(probe);
  add_columns(probe, named, table, layout);
  for (std::size_t i = 1; i < inputs.tables.size(); ++i) {
    append_rows(probe,
                named,
                table,
                layout,
                inputs.databases[i]->database(),
                inputs.tables[i],
                plan.shares[i].added,
                progress);
  }
  return true; // the transaction rolls back
}

} // namespace heatmap_merge
