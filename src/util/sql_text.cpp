// SQL text from supplied names (sql_text.hpp): every name quoted, never parsed as SQL.
#include "util/sql_text.hpp"

#include <fmt/format.h>

namespace heatmap_merge {

std::string quote_identifier(const std::string& name) {
  std::string quoted = "\"";
  for (const char c : name) {
    if (c == '"') {
      quoted += '"';
    }
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string select_sql(std::string_view leading,
                       const std::vector<std::string>& columns,
                       const std::string& table,
                       std::string_view rest) {
  std::string sql = fmt::format("SELECT {}", leading);
  for (const std::string& column : columns) {
    sql += ", " + quote_identifier(column);
  }
  sql += " FROM main." + quote_identifier(table);
  if (!rest.empty()) {
    sql += fmt::format(" {}", rest);
  }
  return sql;
}

std::string insert_sql(const std::string& table,
                       std::string_view leading,
                       const std::vector<std::string>& columns,
                       std::size_t rows) {
  std::string sql =
    fmt::format("INSERT OR ABORT INTO main.{}({}", quote_identifier(table), leading);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    sql += (i == 0 && leading.empty() ? "" : ", ") + quote_identifier(columns[i]);
  }
  sql += ") VALUES ";
  const std::size_t width = columns.size() + (leading.empty() ? 0 : 1);
  for (std::size_t row = 0; row < rows; ++row) {
    sql += row == 0 ? "(" : ", (";
    for (std::size_t column = 0; column < width; ++column) {
      sql += fmt::format("{}?{}", column == 0 ? "" : ", ", row * width + column + 1);
    }
    sql += ")";
  }
  return sql;
}

std::string
delete_sql(const std::string& table, std::string_view rowid, const std::vector<std::string>& same) {
  const std::string name = quote_identifier(table);
  std::string sql = fmt::format("DELETE FROM main.{} WHERE {} = ?1", name, rowid);
  if (same.empty()) {
    return sql;
  }
  // The kept row under a name no click table takes; the deleted one by the table's own name.
  const std::string kept = quote_identifier("heatmap_merge kept row");
  sql += fmt::format(
    " AND EXISTS (SELECT 1 FROM main.{} AS {} WHERE {}.{} = ?2", name, kept, kept, rowid);
  for (const std::string& column : same) {
    const std::string quoted = quote_identifier(column);
    sql += fmt::format(" AND {0}.{1} IS {2}.{1}", kept, quoted, name);
  }
  return sql + ")";
}

} // namespace heatmap_merge
