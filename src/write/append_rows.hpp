#pragma once
// Rows copied into a click table by column name: a secondary's added rows appended to the new
// output (output.cpp) or to the live primary (in_place.cpp), and the columns only secondaries have.

#include "plan/plan.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace heatmap_merge {

struct ColumnLayout;
struct TableSchema;
class Progress;

// Every output column that `source_table` has, by name, apart from the id: what is copied of its
// rows. The others take their defaults.
std::vector<std::string> copied_columns(const TableSchema& output_table,
                                        const ColumnLayout& layout,
                                        const TableSchema& source_table);

// Adds the columns only secondaries have to the output's click table.
void add_columns(SQLite::Database& output,
                 const std::filesystem::path& output_path,
                 const TableSchema& output_table,
                 const ColumnLayout& layout);

// Appends the `added` rows of one secondary to the output under their new ids, matching
// columns by name.
void append_rows(SQLite::Database& output,
                 const std::filesystem::path& output_path,
                 const TableSchema& output_table,
                 const ColumnLayout& layout,
                 SQLite::Database& source,
                 const TableSchema& source_table,
                 const AddedRows& added,
                 Progress& progress);

} // namespace heatmap_merge
