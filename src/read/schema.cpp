// The click table's schema as each snapshot declares it, and the checks that match the inputs'
// columns by name (schema.hpp): the pass after the snapshots are open.
#include "read/schema.hpp"

#include "util/error.hpp"
#include "util/options.hpp"
#include "util/sql_text.hpp"
#include "util/terminal_text.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace heatmap_merge {

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return text;
}

void require_column(const TableSchema& schema, const std::string& column, const char* role) {
  if (!schema.find(column)) {
    throw Error(ExitCode::data,
                fmt::format("{}: table {} has no {} column {}",
                            display(schema.path),
                            display_name(schema.table),
                            role,
                            display_name(column)));
  }
}

// A secondary's column named as the primary's INTEGER PRIMARY KEY takes the new row ids, as the
// secondary's own row id column does. That loses nothing when it holds ids (an INTEGER column,
// as CREATE TABLE ... AS SELECT leaves a copy's id); any other column it would drop silently.
void refuse_lost_column(const TableSchema& primary, const TableSchema& secondary, std::size_t i) {
  const Column& column = secondary.columns[i];
  if (!primary.rowid_alias || i == secondary.rowid_alias ||
      primary.find(column.name) != primary.rowid_alias ||
      lower(column.declared_type).find("int") != std::string::npos) {
    return;
  }
  throw Error(ExitCode::data,
              fmt::format("{}: column {} of table {} would be dropped: {} names its row ids so "
                          "(INTEGER PRIMARY KEY), and added rows get new ids there; rename the "
                          "column in one of them",
                          display(secondary.path),
                          display_name(column.name),
                          display_name(secondary.table),
                          display(primary.path)));
}

// ColumnLayout::output_rowid: a primary without INTEGER PRIMARY KEY reaches its row ids only by
// an alias that no column shadows, and an added column must not take the last one.
std::string output_rowid(const TableSchema& primary, const ColumnLayout& layout) {
  if (primary.rowid_alias) {
    return primary.rowid_expression();
  }
  std::vector<std::string> names = primary.all_names;
  for (const Column& column : layout.added_columns) {
    names.push_back(column.name);
  }
  const std::optional<std::string> alias = free_rowid_alias(names);
  if (!alias) {
    throw Error(ExitCode::data,
                fmt::format("{}: adding the columns of the secondaries to table {} would leave "
                            "it no name for its row ids (rowid, _rowid_ and oid would all be "
                            "columns); rename one of them",
                            display(primary.path),
                            display_name(primary.table)));
  }
  return quote_identifier(*alias);
}

} // namespace

bool same_name(const std::string& a, const std::string& b) {
  return lower(a) == lower(b);
}

std::optional<std::size_t> TableSchema::find(const std::string& name) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (same_name(columns[i].name, name)) {
      return i;
    }
  }
  return std::nullopt;
}

std::string TableSchema::rowid_expression() const {
  return quote_identifier(rowid_alias ? columns[*rowid_alias].name : rowid_name);
}

std::optional<std::string> free_rowid_alias(const std::vector<std::string>& columns) {
  for (const char* alias : {"rowid", "_rowid_", "oid"}) {
    if (std::none_of(columns.begin(), columns.end(), [&](const std::string& column) {
          return same_name(column, alias);
        })) {
      return std::string(alias);
    }
  }
  return std::nullopt;
}

namespace {

// Sets schema.all_names and schema.rowid_name (the INTEGER PRIMARY KEY's name, or an alias no
// column shadows), or refuses a table whose row ids no name reaches, or that has none.
void choose_rowid_name(SQLite::Database& db,
                       const std::filesystem::path& path,
                       TableSchema& schema) {
  // Hidden and generated columns shadow an alias too, so every name pragma_table_xinfo gives.
  std::vector<std::string> names;
  SQLite::Statement all_columns(db, "SELECT name FROM pragma_table_xinfo(?1, 'main')");
  all_columns.bind(1, schema.table);
  while (all_columns.executeStep()) {
    names.push_back(all_columns.getColumn(0).getString());
  }
  schema.all_names = names;
  // The INTEGER PRIMARY KEY is an alias of its own, whatever the other columns are named.
  const std::optional<std::string> alias =
    schema.rowid_alias ? schema.columns[*schema.rowid_alias].name : free_rowid_alias(names);
  if (!alias) {
    throw Error(ExitCode::data,
                fmt::format("{}: table {} has columns named rowid, _rowid_ and oid, which hide its "
                            "row ids from SQL: rename one of them (ALTER TABLE ... RENAME COLUMN)",
                            display(path),
                            display_name(schema.table)));
  }
  schema.rowid_name = *alias;
  // A WITHOUT ROWID table has no row ids to renumber colliding rows with.
  try {
    SQLite::Statement probe(db,
                            fmt::format("SELECT {} FROM main.{} LIMIT 0",
                                        quote_identifier(schema.rowid_name),
                                        quote_identifier(schema.table)));
  } catch (const SQLite::Exception&) {
    throw Error(ExitCode::data,
                fmt::format("{}: table {} has no row ids (WITHOUT ROWID), which heatmap-merge "
                            "does not support",
                            display(path),
                            display_name(schema.table)));
  }
}

} // namespace

TableSchema read_table_schema(SQLite::Database& db,
                              const std::filesystem::path& path,
                              const std::string& table) {
  TableSchema schema;
  schema.path = path;

  SQLite::Statement lookup(db,
                           "SELECT type, name, coalesce(sql, ''), rootpage FROM main.sqlite_schema "
                           "WHERE name = ?1 COLLATE NOCASE AND type IN ('table', 'view')");
  lookup.bind(1, table);
  if (!lookup.executeStep()) {
    throw Error(ExitCode::data,
                fmt::format("{} has no table {}", display(path), display_name(table)));
  }
  const std::string type = lookup.getColumn(0).getString();
  schema.table = lookup.getColumn(1).getString();
  schema.sql = lookup.getColumn(2).getString();
  schema.root_page = lookup.getColumn(3).getInt64();
  const std::string& sql = schema.sql;
  if (type != "table") {
    throw Error(ExitCode::data,
                fmt::format("{}: {} is a view, not a table", display(path), display_name(table)));
  }
  schema.autoincrement = lower(sql).find("autoincrement") != std::string::npos;

  SQLite::Statement columns(
    db,
    "SELECT name, coalesce(type, ''), \"notnull\", dflt_value IS NOT NULL, pk, hidden, "
    "coalesce(dflt_value, '') "
    "FROM pragma_table_xinfo(?1, 'main') ORDER BY cid");
  columns.bind(1, schema.table);
  int primary_key_columns = 0;
  std::optional<std::size_t> primary_key;
  while (columns.executeStep()) {
    if (columns.getColumn(5).getInt() != 0) {
      schema.generated_columns = true;
      continue; // generated or hidden
    }
    Column column;
    column.name = columns.getColumn(0).getString();
    column.declared_type = columns.getColumn(1).getString();
    column.not_null = columns.getColumn(2).getInt() != 0;
    column.has_default = columns.getColumn(3).getInt() != 0;
    column.default_sql = columns.getColumn(6).getString();
    if (columns.getColumn(4).getInt() != 0) {
      ++primary_key_columns;
      primary_key = schema.columns.size();
    }
    schema.columns.push_back(column);
  }
  // An INTEGER PRIMARY KEY is the row id, but for SQLite's quirk of `INTEGER PRIMARY KEY DESC`
  // as a column constraint: that one is a column of its own, with an index (origin 'pk').
  if (primary_key_columns == 1 && lower(schema.columns[*primary_key].declared_type) == "integer") {
    SQLite::Statement index(
      db, "SELECT count(*) FROM pragma_index_list(?1, 'main') WHERE origin = 'pk'");
    index.bind(1, schema.table);
    if (index.executeStep() && index.getColumn(0).getInt() == 0) {
      schema.rowid_alias = primary_key;
    }
  }

  SQLite::Statement encoding(db, "PRAGMA main.encoding");
  if (encoding.executeStep()) {
    schema.encoding = encoding.getColumn(0).getString();
  }
  choose_rowid_name(db, path, schema);
  return schema;
}

void leave_out_columns(TableSchema& schema, const std::vector<std::string>& names) {
  const std::optional<std::string> alias =
    schema.rowid_alias ? std::optional(schema.columns[*schema.rowid_alias].name) : std::nullopt;
  const auto named = [&names](const Column& column) {
    return std::any_of(names.begin(), names.end(), [&column](const std::string& name) {
      return same_name(name, column.name);
    });
  };
  const std::size_t before = schema.columns.size();
  std::erase_if(schema.columns, named);
  if (schema.columns.size() == before) {
    return;
  }
  schema.generated_columns = true;
  schema.rowid_alias = alias ? schema.find(*alias) : std::nullopt;
}

ColumnLayout check_schemas(const std::vector<TableSchema>& tables, const Options& options) {
  for (const TableSchema& schema : tables) {
    require_column(schema, options.time_column, "time");
    for (const std::string& key : options.key_columns) {
      require_column(schema, key, "key");
    }
  }

  const TableSchema& primary = tables.front();
  ColumnLayout layout;
  for (std::size_t input = 1; input < tables.size(); ++input) {
    const TableSchema& secondary = tables[input];
    // A primary column a secondary lacks is left to its default: it must have one or allow NULL.
    for (std::size_t i = 0; i < primary.columns.size(); ++i) {
      const Column& column = primary.columns[i];
      if (i == primary.rowid_alias || secondary.find(column.name)) {
        continue;
      }
      if (column.not_null && !column.has_default) {
        throw Error(ExitCode::data,
                    fmt::format("{}: table {} has no column {}, which {} declares NOT NULL "
                                "without a default",
                                display(secondary.path),
                                display_name(secondary.table),
                                display_name(column.name),
                                display(primary.path)));
      }
    }
    for (std::size_t i = 0; i < secondary.columns.size(); ++i) {
      const Column& column = secondary.columns[i];
      refuse_lost_column(primary, secondary, i);
      if (i == secondary.rowid_alias || primary.find(column.name)) {
        continue;
      }
      const bool already_added =
        std::any_of(layout.added_columns.begin(), layout.added_columns.end(), [&](const Column& c) {
          return same_name(c.name, column.name);
        });
      if (!already_added) {
        layout.added_columns.push_back(column);
        layout.added_from.push_back(input);
      }
    }
  }

  layout.output_rowid = output_rowid(primary, layout);
  for (std::size_t i = 0; i < primary.columns.size(); ++i) {
    const std::string& name = primary.columns[i].name;
    const bool is_key = std::any_of(options.key_columns.begin(),
                                    options.key_columns.end(),
                                    [&](const std::string& k) { return same_name(k, name); });
    if (i == primary.rowid_alias || is_key || same_name(name, options.time_column)) {
      continue;
    }
    const bool everywhere = std::all_of(tables.begin(), tables.end(), [&](const TableSchema& t) {
      return t.find(name) && t.find(name) != t.rowid_alias;
    });
    if (everywhere) {
      layout.compared_columns.push_back(name);
    }
  }
  return layout;
}

} // namespace heatmap_merge
