#pragma once
// SQL text built from names that users and databases supply: quoted identifiers, and the
// SELECT and INSERT statements the readers and writers run on a click table.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace heatmap_merge {

// Quotes an SQL identifier ("a""b"), so that user-supplied names are never parsed as SQL.
std::string quote_identifier(const std::string& name);

// The one builder of each shape of SQL statement the tool runs on a click table. Every name
// comes from a user or a database and is quoted; `leading` and `rest` are SQL of our own.

// SELECT `leading`, "c1", "c2"... FROM main."table" `rest` (a WHERE or ORDER BY clause).
std::string select_sql(std::string_view leading,
                       const std::vector<std::string>& columns,
                       const std::string& table,
                       std::string_view rest = {});

// INSERT OR ABORT INTO main."table"(`leading`, "c1", "c2"...) VALUES (?1, ?2...), ... with `rows`
// rows of parameters numbered on from ?1; `leading` (an id column's expression) may be empty.
// OR ABORT overrides the table's own ON CONFLICT clauses: a UNIQUE ... ON CONFLICT REPLACE would
// delete the primary's row, a NOT NULL ... ON CONFLICT IGNORE drop a row reported added.
std::string insert_sql(const std::string& table,
                       std::string_view leading,
                       const std::vector<std::string>& columns,
                       std::size_t rows = 1);

// DELETE FROM main."table" WHERE `rowid` = ?1, and, when `same` names columns, only while the
// row ?2 exists and holds in each a value equal by IS (10 IS 10.0, not '10': one column's two
// values get no affinity conversion), as the plan's keys compare them: the re-check of a
// replayed duplicate's removal, still a copy of the row kept. `rowid`: the table's quoted row
// id expression (TableSchema::rowid_expression).
std::string delete_sql(const std::string& table,
                       std::string_view rowid,
                       const std::vector<std::string>& same = {});

} // namespace heatmap_merge
