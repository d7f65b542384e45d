// --in-place's writer: once the primary's copy is kept as the backup, the plan's added rows go
// into the live primary in short transactions, each re-checked against the service's own rows.
#include "write/in_place.hpp"

#include "read/input.hpp"
#include "read/raw_statement.hpp"
#include "read/schema.hpp"
#include "util/error.hpp"
#include "util/options.hpp"
#include "util/progress.hpp"
#include "util/sql_text.hpp"
#include "util/terminal_text.hpp"
#include "write/append_rows.hpp"
#include "write/backups.hpp"
#include "write/in_place_rows.hpp"
#include "write/live_primary.hpp"
#include "write/output.hpp"
#include "write/primary_copy.hpp"
#include "write/remove_replays.hpp"

#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>
#include <unordered_set>

namespace heatmap_merge {

namespace {

// The statements that read one secondary's rows and insert them.
struct SecondaryStatements {
  std::vector<std::string> names;
  std::unique_ptr<RawStatement> read;
  std::unique_ptr<RawStatement> insert;
};

SecondaryStatements prepare(SQLite::Database& live,
                            const std::filesystem::path& primary_path,
                            const TableSchema& primary_table,
                            const ColumnLayout& layout,
                            const RowSource& source) {
  SecondaryStatements statements;
  statements.names = copied_columns(primary_table, layout, *source.table);
  statements.read = std::make_unique<RawStatement>(
    *source.database,
    select_sql(source.table->rowid_expression(),
               statements.names,
               source.table->table,
               fmt::format("WHERE {} = ?1", source.table->rowid_expression())),
    source.table->path);
  statements.insert = std::make_unique<RawStatement>(
    live, insert_sql(primary_table.table, "", statements.names), primary_path);
  return statements;
}

// Puts the planned rows into the live primary, in the plan's order, in short transactions.
class InPlaceWriter {
public:
  InPlaceWriter(const std::filesystem::path& primary_path,
                const TableSchema& primary_table,
                const ColumnLayout& layout,
                const std::vector<RowSource>& sources,
                const Plan& plan,
                const PlanSpace& space,
                const Options& options);

  // Writes one transaction's rows from `m_next` on; false once every row is written.
  bool write_transaction(Progress& progress);

  const InPlaceSummary& summary() const {
    return m_summary;
  }

private:
  void add_columns_first(const ColumnLayout& layout);
  void write_row(std::size_t input, const AddedRow& row);
  // The next row to write, if any is left.
  const AddedRow* next_row();
  Error locked() const {
    return Error(ExitCode::temp_fail,
                 fmt::format("{} stayed locked by another writer; {} of {} rows were added, and "
                             "running again adds the rest",
                             display(m_path),
                             m_summary.inserted,
                             m_total));
  }
  Error failed(const SQLite::Exception& e, const char* doing) const {
    return (e.getErrorCode() & 0xff) == SQLITE_BUSY ? locked() : sqlite_error(m_path, e, doing);
  }

  const std::filesystem::path& m_path;
  const TableSchema& m_table;
  const std::vector<RowSource>& m_sources;
  std::vector<PlannedRows> m_planned;         // per secondary, whose new ids follow each other's
  std::vector<PlannedRows::Reader> m_readers; // of m_planned, one each, in the same order
  std::size_t m_total = 0;
  SQLite::Database m_live; // before the statements, which must close first
  std::vector<std::unique_ptr<SecondaryStatements>> m_statements;
  FreshRows m_fresh;
  Pacer m_pacer;
  std::size_t m_part = 0; // in m_planned
  std::size_t m_next = 0; // in m_planned[m_part]
  // Planned rows that the service wrote meanwhile (FreshRows), by new id.
  std::unordered_set<std::int64_t> m_already_there;
  InPlaceSummary m_summary;
};

// The added rows of every secondary, in the plan's order.
std::vector<PlannedRows> planned_rows(const Plan& plan, const PlanSpace& space) {
  std::vector<PlannedRows> planned;
  for (std::size_t input = 1; input < plan.shares.size(); ++input) {
    planned.emplace_back(input, plan.shares[input].added, space);
  }
  return planned;
}

InPlaceWriter::InPlaceWriter(const std::filesystem::path& primary_path,
                             const TableSchema& primary_table,
                             const ColumnLayout& layout,
                             const std::vector<RowSource>& sources,
                             const Plan& plan,
                             const PlanSpace& space,
                             const Options& options)
    : m_path(primary_path), m_table(primary_table), m_sources(sources),
      m_planned(planned_rows(plan, space)), m_readers(readers_of(m_planned)),
      m_live(open_live(primary_path, options)), m_statements(sources.size()),
      m_fresh(m_live,
              primary_path,
              primary_table,
              layout.compared_columns,
              options,
              plan.first_new_id - 1,
              m_planned) {
  for (const PlannedRows& planned : m_planned) {
    m_total += planned.size();
  }
  // The columns first: the statements insert into them.
  add_columns_first(layout);
  for (std::size_t input = 1; input < sources.size(); ++input) {
    m_statements[input] = std::make_unique<SecondaryStatements>(
      prepare(m_live, primary_path, primary_table, layout, sources[input]));
  }
}

void InPlaceWriter::add_columns_first(const ColumnLayout& layout) {
  if (layout.added_columns.empty()) {
    return;
  }
  try {
    SQLite::Transaction transaction(m_live, SQLite::TransactionBehavior::IMMEDIATE);
    add_columns(m_live, m_path, m_table, layout);
    transaction.commit();
  } catch (const SQLite::Exception& e) {
    throw failed(e, "adding columns");
  }
}

const AddedRow* InPlaceWriter::next_row() {
  while (m_part < m_planned.size() && m_next >= m_planned[m_part].size()) {
    ++m_part;
    m_next = 0;
  }
  return m_part < m_planned.size() ? &m_readers[m_part].at(m_next) : nullptr;
}

bool InPlaceWriter::write_transaction(Progress& progress) {
  using Seconds = Pacer::Seconds;
  if (next_row() == nullptr) {
    return false;
  }
  if (m_part > 0 || m_next > 0) {
    std::this_thread::sleep_for(k_pause_between_transactions);
  }
  const std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  const Seconds insert_budget = m_pacer.insert_budget();
  std::optional<SQLite::Transaction> transaction;
  try {
    transaction.emplace(m_live, SQLite::TransactionBehavior::IMMEDIATE);
  } catch (const SQLite::Exception& e) {
    throw failed(e, "starting a write");
  }
  // Our lock is held from here: the budget counts from the moment it was granted.
  const std::chrono::steady_clock::time_point locked_at = std::chrono::steady_clock::now();
  m_fresh.catch_up(next_row()->new_id, m_already_there);
  const AddedRow* row = next_row();
  do {
    write_row(m_planned[m_part].input(), *row);
    progress.add(1);
    ++m_next;
    row = next_row();
  } while (row != nullptr && std::chrono::steady_clock::now() - locked_at < insert_budget);
  const std::chrono::steady_clock::time_point committing = std::chrono::steady_clock::now();
  try {
    transaction->commit();
  } catch (const SQLite::Exception& e) {
    throw failed(e, "committing");
  }
  const std::chrono::steady_clock::time_point done = std::chrono::steady_clock::now();
  m_pacer.measured(committing - locked_at, done - committing);
  ++m_summary.transactions;
  m_summary.longest_transaction_seconds =
    std::max(m_summary.longest_transaction_seconds, Seconds(done - locked_at).count());
  m_summary.longest_commit_seconds =
    std::max(m_summary.longest_commit_seconds, Seconds(done - committing).count());
  m_summary.waited_seconds += Seconds(locked_at - start).count();
  return next_row() != nullptr;
}

void InPlaceWriter::write_row(std::size_t input, const AddedRow& row) {
  SecondaryStatements& statement = *m_statements[input];
  sqlite3_stmt* source = statement.read->get();
  statement.read->reset();
  sqlite3_bind_int64(source, 1, row.source_rowid);
  if (!statement.read->step("reading a row to add")) {
    throw Error(ExitCode::data,
                fmt::format("{}: row {} vanished between planning and writing",
                            display(m_sources[input].table->path),
                            row.source_rowid));
  }
  // Re-checked inside the transaction: has the service meanwhile written this click itself?
  if (m_already_there.erase(row.new_id) > 0) {
    ++m_summary.already_there;
    return;
  }
  sqlite3_stmt* put = statement.insert->get();
  for (std::size_t i = 0; i < statement.names.size(); ++i) {
    sqlite3_bind_value(
      put, static_cast<int>(i) + 1, sqlite3_column_value(source, static_cast<int>(i) + 1));
  }
  statement.insert->step("adding a row");
  statement.insert->reset();
  m_fresh.written_by_us(sqlite3_last_insert_rowid(m_live.getHandle()));
  ++m_summary.inserted;
}

} // namespace

InPlaceSummary insert_in_place(const std::filesystem::path& primary_path,
                               const TableSchema& primary_table,
                               const ColumnLayout& layout,
                               const std::vector<RowSource>& sources,
                               const Plan& plan,
                               const PlanSpace& space,
                               const Options& options,
                               Progress& progress) {
  InPlaceSummary summary;
  {
    InPlaceWriter writer(primary_path, primary_table, layout, sources, plan, space, options);
    while (writer.write_transaction(progress)) {
    }
    summary = writer.summary();
  }
  // --remove-replays: after the inserts, so that a run stopped before its end has put back
  // every click first. Closed too: a WAL primary is checkpointed and its -wal removed.
  remove_in_place(primary_path, primary_table, layout, plan, options, progress, summary);
  // SQLite commits a rollback-journal transaction by deleting the journal, and flushes the
  // directory after that only with synchronous = EXTRA: a power cut could bring the journal back
  // and roll our last transaction back after the run reported it (tests/power, issue 29).
  const std::filesystem::path primary = resolved_file(primary_path);
  flush_directory(primary.parent_path().empty() ? "." : primary.parent_path(), primary_path);
  return summary;
}

InPlaceSummary merge_in_place(PrimaryCopy& copy,
                              OutputFile& backup,
                              Snapshots& inputs,
                              const ColumnLayout& layout,
                              const Plan& plan,
                              const PlanSpace& space,
                              const Options& options,
                              Progress& progress) {
  copy.wait_for_check();
  std::int64_t adding = 0;
  for (std::size_t i = 1; i < plan.shares.size(); ++i) {
    adding += static_cast<std::int64_t>(plan.shares[i].added.size());
  }
  if (adding == 0 && plan.primary_replays.rows.empty() && layout.added_columns.empty()) {
    InPlaceSummary summary; // nothing to change: no backup is kept
    if (options.keep_backups > 0) {
      summary.removed_backups = prune_backups(options, {}, progress);
    }
    return summary;
  }
  progress.phase("writing the backup", 0);
  copy.close();
  backup.commit([&progress](const std::string& line) { progress.tell(line); });
  progress.tell(
    fmt::format("backed up {} to {}", display(options.primary), display(backup.target())));
  std::vector<RowSource> sources{{nullptr, &inputs.tables.front()}};
  for (std::size_t i = 1; i < inputs.tables.size(); ++i) {
    sources.push_back({&inputs.databases[i]->database(), &inputs.tables[i]});
  }
  progress.phase("writing", adding);
  InPlaceSummary summary = insert_in_place(
    options.primary, inputs.tables.front(), layout, sources, plan, space, options, progress);
  summary.backup = backup.target();
  if (options.keep_backups > 0) {
    summary.removed_backups = prune_backups(options, summary.backup, progress);
  }
  return summary;
}

} // namespace heatmap_merge
