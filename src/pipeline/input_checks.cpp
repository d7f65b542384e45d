// The schema pass's checks and warnings (input_checks.hpp): what merge_inputs refuses or warns of
// once the snapshots are open, before any key is read.
#include "pipeline/input_checks.hpp"

#include "read/input.hpp"
#include "read/schema.hpp"
#include "report/merge_result.hpp"
#include "sqlite_format/page_scan.hpp"
#include "util/error.hpp"
#include "util/options.hpp"
#include "util/progress.hpp"
#include "util/terminal_text.hpp"
#include "write/sql_patch.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <iostream>
#include <sys/stat.h>

namespace heatmap_merge {

namespace {

// Refuses --in-place (and its dry run) when a secondary brings columns the live table lacks,
// unless --alter-live-table: the service's positional INSERT INTO t VALUES (...) would fail on
// every click once the table has another column. Before anything is read or backed up.
void refuse_live_alter(const std::vector<TableSchema>& tables,
                       const ColumnLayout& layout,
                       const Options& options) {
  if (!options.in_place || options.alter_live_table || layout.added_columns.empty()) {
    return;
  }
  std::string columns;
  for (std::size_t i = 0; i < layout.added_columns.size(); ++i) {
    columns += fmt::format("{}{} (only in {})",
                           i == 0 ? "" : ", ",
                           display_name(layout.added_columns[i].name),
                           display(tables[layout.added_from[i]].path));
  }
  const TableSchema& primary = tables.front();
  throw Error(ExitCode::data,
              fmt::format("--in-place would add {} {} to the live table {} of {}: a service that "
                          "inserts by position (INSERT INTO {} VALUES (...)) then fails on every "
                          "click; nothing was changed or backed up",
                          layout.added_columns.size() == 1 ? "column" : "columns",
                          columns,
                          display_name(primary.table),
                          display(primary.path),
                          display_name(primary.table)),
              tables[layout.added_from.front()].path)
    .with_hint("Add --alter-live-table once every writer of the table names its columns, or "
               "merge with --output, which may add them.");
}

// The names of the triggers on the primary's click table, which the output, or the live primary,
// keeps and which no mode fires for the rows it adds.
std::vector<std::string> table_triggers(SQLite::Database& primary, const TableSchema& table) {
  try {
    SQLite::Statement query(primary,
                            "SELECT name FROM main.sqlite_schema WHERE type = 'trigger' AND "
                            "tbl_name = ?1 COLLATE NOCASE ORDER BY name");
    query.bind(1, table.table);
    std::vector<std::string> names;
    while (query.executeStep()) {
      names.push_back(query.getColumn(0).getString());
    }
    return names;
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(table.path, e, "reading its triggers");
  }
}

// Warns of the target table's triggers on stderr, even in a quiet run, as of a swap.
void warn_of_triggers(const MergeResult& result, const Options& options, Progress& progress) {
  if (result.triggers.empty()) {
    return;
  }
  warn("warning: " + trigger_warning(result, display), options, progress);
}

} // namespace

// A warning: on stderr even in a quiet run, else among the progress lines.
void warn(const std::string& line, const Options& options, Progress& progress) {
  if (options.verbosity < 0) {
    fmt::print(stderr, "heatmap-merge: {}\n", line);
  } else {
    progress.tell(line);
  }
}

// Warns of a WAL input that has a second hard link and nothing in the -wal beside the name given:
// SQLite reads only that -wal, so clicks a writer committed through the other name, and not yet
// checkpointed into the file, would be missed. A -wal with frames here shows the writer uses
// this name.
void warn_of_hard_linked_wal(Snapshots& inputs, const Options& options, Progress& progress) {
  for (const std::unique_ptr<Snapshot>& input : inputs.databases) {
    struct stat status {};
    if (!input->wal() || stat(input->path().c_str(), &status) != 0 || status.st_nlink < 2 ||
        snapshot_pages(input->database()) == nullptr) {
      continue;
    }
    const std::string line = fmt::format(
      "warning: {} is in WAL mode and has {} hard links: SQLite reads the -wal beside this name "
      "only, and it holds no frames; if the service writes through another name, name the "
      "file by that one, or its newest clicks are missed",
      display(input->path()),
      status.st_nlink);
    warn(line, options, progress);
  }
}

// Matches the inputs' schemas by column name (schema.cpp), refuses what the mode cannot do with
// them (--in-place adding columns, a patch that cannot add the rows), and notes the primary's
// table and its triggers, warning of those.
void check_inputs(MergeResult& result,
                  Snapshots& inputs,
                  const Options& options,
                  Progress& progress) {
  result.layout = check_schemas(inputs.tables, options);
  refuse_live_alter(inputs.tables, result.layout, options);
  if (options.format == ReportFormat::sql) {
    check_patchable(inputs.tables, result.layout);
  }
  result.table = inputs.tables.front().table;
  result.triggers = table_triggers(inputs.databases.front()->database(), inputs.tables.front());
  warn_of_triggers(result, options, progress);
}

} // namespace heatmap_merge
