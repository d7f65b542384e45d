#pragma once

// The hot loops (every row of every input) use SQLite's C API directly: SQLiteCpp's Column
// copies a shared_ptr on each access, which costs more than the read itself at millions of rows.

#include "util/error.hpp"

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include "plan/plan.hpp"
#include "util/terminal_text.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <string>
#include <vector>

namespace heatmap_merge {

class RawStatement {
public:
  RawStatement(SQLite::Database& database, const std::string& sql, std::filesystem::path path)
      : m_path(std::move(path)) {
    const int rc = sqlite3_prepare_v2(database.getHandle(), sql.c_str(), -1, &m_statement, nullptr);
    if (rc != SQLITE_OK) {
      throw sqlite_error(m_path,
                         sqlite3_extended_errcode(database.getHandle()),
                         sqlite3_errmsg(database.getHandle()),
                         "preparing a query");
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

// Calls `visit(row)` with `reader` on each of the `added` rows (sorted by source row id), in
// order. `reader` must select the row id first and have the form "... WHERE R >= ?1 ORDER BY R",
// R the table's rowid_expression(). Added rows come in runs (an outage's clicks have consecutive
// ids), so it seeks to the start of each run and reads on, instead of reading every row of the
// input.
template <typename Store, typename Visit>
void visit_added_rows(RawStatement& reader,
                      const std::filesystem::path& path,
                      const Store& added,
                      Visit visit) {
  auto vanished = [&](std::int64_t rowid) {
    return Error(
      ExitCode::data,
      fmt::format("{}: row {} vanished between planning and writing", display(path), rowid));
  };
  constexpr int k_skip_before_seek = 16;
  sqlite3_stmt* row = reader.get();
  int skipped = k_skip_before_seek;
  for (typename Store::Merger next = added.merge(); !next.done();) {
    const typename Store::value_type& wanted = next.head();
    if (skipped >= k_skip_before_seek) {
      reader.reset();
      sqlite3_bind_int64(row, 1, wanted.source_rowid);
      skipped = 0;
    }
    if (!reader.step("reading the rows to add")) {
      throw vanished(wanted.source_rowid);
    }
    const std::int64_t rowid = sqlite3_column_int64(row, 0);
    if (rowid > wanted.source_rowid) {
      throw vanished(wanted.source_rowid);
    }
    if (rowid < wanted.source_rowid) {
      ++skipped;
      continue;
    }
    visit(row, wanted);
    next.advance();
  }
}

} // namespace heatmap_merge
