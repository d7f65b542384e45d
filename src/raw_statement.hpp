#pragma once

// The hot loops (every row of every input) use SQLite's C API directly: SQLiteCpp's Column
// copies a shared_ptr on each access, which costs more than the read itself at millions of rows.

#include "heatmap_merge/error.hpp"

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

namespace heatmap_merge {

class RawStatement {
public:
  RawStatement(SQLite::Database& database, const std::string& sql, std::filesystem::path path)
      : m_path(std::move(path)) {
    const int rc = sqlite3_prepare_v2(database.getHandle(), sql.c_str(), -1, &m_statement, nullptr);
    if (rc != SQLITE_OK) {
      throw sqlite_error(m_path, sqlite3_extended_errcode(database.getHandle()),
                         sqlite3_errmsg(database.getHandle()), "preparing a query");
    }
  }
  RawStatement(const RawStatement&) = delete;
  RawStatement& operator=(const RawStatement&) = delete;
  ~RawStatement() {
    sqlite3_finalize(m_statement);
  }

  // True while there is a row; throws on any error, naming the file.
  bool step(const char* doing) {
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW) {
      return true;
    }
    if (rc == SQLITE_DONE) {
      return false;
    }
    sqlite3* handle = sqlite3_db_handle(m_statement);
    throw sqlite_error(m_path, sqlite3_extended_errcode(handle), sqlite3_errmsg(handle), doing);
  }

  void reset() {
    sqlite3_reset(m_statement);
  }

  sqlite3_stmt* get() const {
    return m_statement;
  }

private:
  std::filesystem::path m_path;
  sqlite3_stmt* m_statement = nullptr;
};

} // namespace heatmap_merge
