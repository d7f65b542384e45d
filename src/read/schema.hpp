#pragma once
// What a snapshot's click table declares (TableSchema), and the output's columns matched by name
// across the inputs (ColumnLayout): the read layer's schema pass.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace heatmap_merge {

struct Options;

// Column and table names compare as SQLite compares them: ASCII case-insensitively.
bool same_name(const std::string& a, const std::string& b);

struct Column {
  std::string name;
  std::string declared_type;
  bool not_null = false;
  bool has_default = false;
  // The DEFAULT clause's expression as the input declares it (PRAGMA table_info's dflt_value),
  // or empty: given to the column where the merge adds it (add_columns).
  std::string default_sql;
};

// The click table as one input declares it. Generated columns are left out: they cannot be
// inserted and follow from the others.
struct TableSchema {
  std::filesystem::path path;
  std::string table; // the name as the input spells it
  std::vector<Column> columns;
  std::optional<std::size_t> rowid_alias; // the INTEGER PRIMARY KEY column, if any
  bool autoincrement = false;
  std::string sql;                // the CREATE TABLE statement
  std::int64_t root_page = 0;     // where its b-tree starts
  bool generated_columns = false; // some columns are generated (or hidden), and left out above
  std::string encoding = "UTF-8"; // the file's text encoding, as PRAGMA encoding names it

  // Case-insensitive lookup by name, as SQLite resolves column names.
  std::optional<std::size_t> find(const std::string& name) const;
  // The name that reads the row id, quoted: the INTEGER PRIMARY KEY column if there is one, else
  // the first of rowid, _rowid_ and oid that no column shadows (read_table_schema refuses a table
  // where each is taken). Never a bare _rowid_: a column of that name would be read instead.
  std::string rowid_expression() const;
  std::string rowid_name; // that free alias, or the INTEGER PRIMARY KEY's name; unquoted
  std::vector<std::string> all_names; // every column's name, hidden and generated ones too
};

// The first of SQLite's row id aliases (rowid, _rowid_, oid) that none of `columns` is named
// (a column shadows the alias of its name); nothing when all three are taken.
std::optional<std::string> free_rowid_alias(const std::vector<std::string>& columns);

// Reads the declaration of `table` from the "main" schema of `db`, or throws a data error naming
// `path` when it is missing, a view, or has no row ids.
TableSchema read_table_schema(SQLite::Database& db,
                              const std::filesystem::path& path,
                              const std::string& table);

// Leaves the columns named in `names` out of `schema.columns`, as if the table lacked them, and
// marks it as having columns left out (generated_columns), so that its rows are read through
// SQLite, whose records hold them: --peers, a column that this run's merge of an earlier node
// added to this one, filled only for the rows it copied there.
void leave_out_columns(TableSchema& schema, const std::vector<std::string>& names);

// How the inputs' columns line up, by name.
struct ColumnLayout {
  // Columns only some secondaries have: added to the output, in the order first seen.
  std::vector<Column> added_columns;
  // For each added column, the input that brought it.
  std::vector<std::size_t> added_from;
  // Columns that every input has, apart from the id, the time and the key columns: a match whose
  // values differ in any of them is a conflict.
  std::vector<std::string> compared_columns;
  // How added rows' ids are written into the output's table, quoted: the primary's INTEGER
  // PRIMARY KEY, or a row id alias that neither its columns nor the added ones shadow.
  std::string output_rowid;
};

// Checks that every input has the time and key columns and that every secondary row fits the
// output, and says how the columns line up. `tables[0]` is the primary.
ColumnLayout check_schemas(const std::vector<TableSchema>& tables, const Options& options);

} // namespace heatmap_merge
