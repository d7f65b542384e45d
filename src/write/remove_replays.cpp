// --remove-replays's writers (remove_replays.hpp): the primary's replayed duplicates deleted from
// a new output's copy of the primary, or from the live primary in paced, re-checked transactions.
#include "write/remove_replays.hpp"

#include "read/raw_statement.hpp"
#include "read/schema.hpp"
#include "util/error.hpp"
#include "util/options.hpp"
#include "util/progress.hpp"
#include "util/sql_text.hpp"
#include "util/terminal_text.hpp"
#include "write/live_primary.hpp"

#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>

#include <optional>
#include <thread>
#include <vector>

namespace heatmap_merge {

void remove_from_output(SQLite::Database& output,
                        const std::filesystem::path& shown,
                        const TableSchema& table,
                        const Plan& plan) {
  if (plan.primary_replays.rows.empty()) {
    return;
  }
  RawStatement remove(output, delete_sql(table.table, table.rowid_expression()), shown);
  plan.primary_replays.rows.for_each([&remove](const RemovedRow& row) {
    remove.reset();
    sqlite3_bind_int64(remove.get(), 1, row.rowid);
    remove.step("removing a replayed duplicate");
  });
}

namespace {

// A text value of a row for -v's lines: as the terminal may show it.
std::string shown_value(sqlite3_stmt* statement, int column) {
  const unsigned char* text = sqlite3_column_text(statement, column);
  return text == nullptr ? std::string("NULL") : terminal_safe(reinterpret_cast<const char*>(text));
}

// Deletes the planned rows from the live primary, a transaction at a time.
class ReplayRemover {
public:
  ReplayRemover(const std::filesystem::path& path,
                const TableSchema& table,
                const ColumnLayout& layout,
                const Options& options,
                std::vector<RemovedRow> rows)
      : m_path(path), m_rows(std::move(rows)), m_verbose(options.verbosity > 0),
        m_live(open_live(path, options)) {
    std::vector<std::string> same = options.key_columns;
    same.insert(same.end(), layout.compared_columns.begin(), layout.compared_columns.end());
    m_delete = std::make_unique<RawStatement>(
      m_live, delete_sql(table.table, table.rowid_expression(), same), path);
    const std::vector<std::string> shown{options.time_column, options.key_columns.front()};
    m_read = std::make_unique<RawStatement>(
      m_live,
      select_sql(table.rowid_expression(),
                 shown,
                 table.table,
                 fmt::format("WHERE {} = ?1", table.rowid_expression())),
      path);
  }

  // Deletes one transaction's rows; false once every row is done.
  bool remove_transaction(Progress& progress, InPlaceSummary& summary);

private:
  void remove_row(const RemovedRow& row, Progress& progress, InPlaceSummary& summary);
  Error failed(const SQLite::Exception& e, const char* doing, const InPlaceSummary& summary) const {
    if ((e.getErrorCode() & 0xff) != SQLITE_BUSY) {
      return sqlite_error(m_path, e, doing);
    }
    return Error(ExitCode::temp_fail,
                 fmt::format("{} stayed locked by another writer; {} of {} replayed duplicates "
                             "were removed, and running again removes the rest",
                             display(m_path),
                             summary.replays_removed,
                             m_rows.size()));
  }

  const std::filesystem::path& m_path;
  std::vector<RemovedRow> m_rows;
  bool m_verbose;
  SQLite::Database m_live; // before the statements, which must close first
  std::unique_ptr<RawStatement> m_delete;
  std::unique_ptr<RawStatement> m_read;
  Pacer m_pacer;
  std::size_t m_next = 0;
};

bool ReplayRemover::remove_transaction(Progress& progress, InPlaceSummary& summary) {
  using Seconds = Pacer::Seconds;
  if (m_next >= m_rows.size()) {
    return false;
  }
  if (m_next > 0 || summary.transactions > 0) {
    std::this_thread::sleep_for(k_pause_between_transactions);
  }
  const std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  const Seconds budget = m_pacer.insert_budget();
  std::optional<SQLite::Transaction> transaction;
  try {
    transaction.emplace(m_live, SQLite::TransactionBehavior::IMMEDIATE);
  } catch (const SQLite::Exception& e) {
    throw failed(e, "starting a write", summary);
  }
  const std::chrono::steady_clock::time_point locked_at = std::chrono::steady_clock::now();
  std::int64_t removed_before = summary.replays_removed;
  try {
    do {
      remove_row(m_rows[m_next], progress, summary);
      progress.add(1);
      ++m_next;
    } while (m_next < m_rows.size() && std::chrono::steady_clock::now() - locked_at < budget);
  } catch (const SQLite::Exception& e) {
    throw failed(e, "removing a replayed duplicate", summary);
  }
  const std::chrono::steady_clock::time_point committing = std::chrono::steady_clock::now();
  try {
    transaction->commit();
  } catch (const SQLite::Exception& e) {
    summary.replays_removed = removed_before; // rolled back
    throw failed(e, "committing", summary);
  }
  const std::chrono::steady_clock::time_point done = std::chrono::steady_clock::now();
  m_pacer.measured(committing - locked_at, done - committing);
  ++summary.transactions;
  summary.longest_transaction_seconds =
    std::max(summary.longest_transaction_seconds, Seconds(done - locked_at).count());
  summary.longest_commit_seconds =
    std::max(summary.longest_commit_seconds, Seconds(done - committing).count());
  summary.waited_seconds += Seconds(locked_at - start).count();
  return m_next < m_rows.size();
}

void ReplayRemover::remove_row(const RemovedRow& row, Progress& progress, InPlaceSummary& summary) {
  // What -v shows of the row, read before it goes.
  std::string time;
  std::string key;
  if (m_verbose) {
    m_read->reset();
    sqlite3_bind_int64(m_read->get(), 1, row.rowid);
    if (m_read->step("reading a replayed duplicate")) {
      time = shown_value(m_read->get(), 1);
      key = shown_value(m_read->get(), 2);
    }
    m_read->reset();
  }
  sqlite3_stmt* remove = m_delete->get();
  m_delete->reset();
  sqlite3_bind_int64(remove, 1, row.rowid);
  sqlite3_bind_int64(remove, 2, row.kept_rowid);
  m_delete->step("removing a replayed duplicate");
  m_delete->reset();
  if (sqlite3_changes(m_live.getHandle()) == 0) {
    // Gone meanwhile, or no longer a copy of the row kept: left as it is.
    ++summary.replays_left;
    return;
  }
  ++summary.replays_removed;
  if (m_verbose) {
    progress.note(fmt::format("removed row {} ({}, {}): replayed duplicate of id {}",
                              row.rowid,
                              time,
                              key,
                              row.kept_rowid));
  }
}

} // namespace

void remove_in_place(const std::filesystem::path& path,
                     const TableSchema& table,
                     const ColumnLayout& layout,
                     const Plan& plan,
                     const Options& options,
                     Progress& progress,
                     InPlaceSummary& summary) {
  if (plan.primary_replays.rows.empty()) {
    return;
  }
  // By row id: the rows lie together, in the pages the service wrote them to.
  std::vector<RemovedRow> rows;
  rows.reserve(plan.primary_replays.rows.size());
  plan.primary_replays.rows.for_each([&rows](const RemovedRow& row) { rows.push_back(row); });
  progress.phase("removing replayed duplicates", static_cast<std::int64_t>(rows.size()));
  ReplayRemover remover(path, table, layout, options, std::move(rows));
  while (remover.remove_transaction(progress, summary)) {
  }
}

} // namespace heatmap_merge
