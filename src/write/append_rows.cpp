// Rows copied into a click table by column name (append_rows.hpp): the columns a source shares
// with the table, the ALTER TABLE for those only secondaries have, and batched INSERTs of the rows.
#include "write/append_rows.hpp"

#include "read/details.hpp"
#include "read/raw_statement.hpp"
#include "read/schema.hpp"
#include "util/error.hpp"
#include "util/progress.hpp"
#include "util/sql_text.hpp"
#include "util/terminal_text.hpp"

#include <SQLiteCpp/Database.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <sqlite3.h>
#include <string_view>

namespace heatmap_merge {

namespace {

// A declared type from an input's schema goes into our ALTER TABLE: keep it to type words.
std::string safe_type(const std::string& declared) {
  const bool plain = std::all_of(declared.begin(), declared.end(), [](unsigned char c) {
    return std::isalnum(c) || c == ' ' || c == '(' || c == ')' || c == ',' || c == '_';
  });
  return plain ? declared : std::string();
}

constexpr std::size_t k_batch_rows = 64;

// Runs `add` with `DEFAULT default_sql`, one statement and nothing after it: the text comes from
// an input. False, having changed nothing, when SQLite refuses that default (SQLITE_ERROR: "Cannot
// add a column with non-constant default", found when the table has rows); any other failure (a
// lock, the disk) throws, never leaving the default off silently.
bool add_with_default(SQLite::Database& output,
                      const std::string& add,
                      const std::string& default_sql) {
  const std::string sql = fmt::format("{} DEFAULT {}", add, default_sql);
  sqlite3_stmt* statement = nullptr;
  const char* tail = nullptr;
  if (sqlite3_prepare_v2(output.getHandle(),
                         sql.c_str(),
                         static_cast<int>(sql.size()),
                         &statement,
                         &tail) != SQLITE_OK ||
      statement == nullptr ||
      std::string_view(tail).find_first_not_of(" \t\n\r") != std::string_view::npos) {
    sqlite3_finalize(statement);
    return false;
  }
  const int rc = sqlite3_step(statement);
  sqlite3_finalize(statement);
  if (rc != SQLITE_DONE && rc != SQLITE_ERROR) {
    throw SQLite::Exception(output.getHandle(), rc);
  }
  return rc == SQLITE_DONE;
}

} // namespace

std::vector<std::string> copied_columns(const TableSchema& output_table,
                                        const ColumnLayout& layout,
                                        const TableSchema& source_table) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < output_table.columns.size(); ++i) {
    if (i == output_table.rowid_alias) {
      continue;
    }
    const std::optional<std::size_t> there = source_table.find(output_table.columns[i].name);
    if (there && there != source_table.rowid_alias) {
      names.push_back(output_table.columns[i].name);
    }
  }
  for (const Column& column : layout.added_columns) {
    if (source_table.find(column.name)) {
      names.push_back(column.name);
    }
  }
  return names;
}

void add_columns(SQLite::Database& output,
                 const std::filesystem::path& output_path,
                 const TableSchema& output_table,
                 const ColumnLayout& layout) {
  for (const Column& column : layout.added_columns) {
    const std::string add = fmt::format("ALTER TABLE main.{} ADD COLUMN {} {}",
                                        quote_identifier(output_table.table),
                                        quote_identifier(column.name),
                                        safe_type(column.declared_type));
    // With the secondary's default, as its own ALTER TABLE gave it: the rows already there get
    // it, as that secondary's rows from before its column came did, so that a later run compares
    // them alike. SQLite takes only a constant default here; without one (CURRENT_TIMESTAMP, a
    // function), or where the declaration's text is more than one expression, none.
    try {
      if (column.default_sql.empty() || !add_with_default(output, add, column.default_sql)) {
        output.exec(add);
      }
    } catch (const SQLite::Exception& e) {
      throw sqlite_error(
        output_path, e, fmt::format("adding column {}", quote_identifier(column.name)));
    }
  }
}

void append_rows(SQLite::Database& output,
                 const std::filesystem::path& output_path,
                 const TableSchema& output_table,
                 const ColumnLayout& layout,
                 SQLite::Database& source,
                 const TableSchema& source_table,
                 const AddedRows& added,
                 Progress& progress) {
  if (added.empty()) {
    return;
  }
  const std::vector<std::string> names = copied_columns(output_table, layout, source_table);

  const std::string rowid = source_table.rowid_expression();
  const std::string select = select_sql(
    rowid, names, source_table.table, fmt::format("WHERE {0} >= ?1 ORDER BY {0}", rowid));
  const int width = static_cast<int>(names.size()) + 1;
  const auto insert = [&](std::size_t rows) {
    return insert_sql(output_table.table, layout.output_rowid, names, rows);
  };

  // Rows go k_batch_rows to an INSERT: each run of an INSERT into an AUTOINCREMENT table reads
  // and rewrites sqlite_sequence and starts its program once. The last rows, fewer than a batch,
  // go one by one.
  const std::size_t batched = added.size() / k_batch_rows * k_batch_rows;
  RawStatement reader(source, select, source_table.path);
  std::optional<RawStatement> batch;
  if (batched > 0) {
    batch.emplace(output, insert(k_batch_rows), output_path);
  }
  RawStatement single(output, insert(1), output_path);
  const auto run = [&](RawStatement& writer, std::int64_t first, std::int64_t last) {
    try {
      writer.step("writing the added rows");
    } catch (const Error& error) {
      if (error.code() == ExitCode::data) {
        const std::string rows = first == last ? fmt::format("row {}", first)
                                               : fmt::format("one of rows {} to {}", first, last);
        throw Error(ExitCode::data,
                    fmt::format("{} of {} does not fit the output table: {}",
                                rows,
                                display(source_table.path),
                                error.what()));
      }
      throw;
    }
    writer.reset();
  };
  std::size_t index = 0;
  std::int64_t batch_first = 0; // the source id of the batch's first row, for messages
  visit_added_rows(reader, source_table.path, added, [&](sqlite3_stmt* row, const AddedRow& add) {
    const bool in_batch = index < batched;
    if (index % k_batch_rows == 0) {
      batch_first = add.source_rowid;
    }
    sqlite3_stmt* put = in_batch ? batch->get() : single.get();
    const int first_parameter = in_batch ? static_cast<int>(index % k_batch_rows) * width + 1 : 1;
    sqlite3_bind_int64(put, first_parameter, add.new_id);
    for (int column = 1; column < width; ++column) {
      sqlite3_bind_value(put, first_parameter + column, sqlite3_column_value(row, column));
    }
    if (!in_batch) {
      run(single, add.source_rowid, add.source_rowid);
    } else if (index % k_batch_rows == k_batch_rows - 1) {
      run(*batch, batch_first, add.source_rowid);
    }
    ++index;
    progress.add(1);
  });
}

} // namespace heatmap_merge
