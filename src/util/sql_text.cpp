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

} // namespace heatmap_merge
