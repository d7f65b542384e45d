#include "heatmap_merge/in_place.hpp"

#include "heatmap_merge/error.hpp"
#include "heatmap_merge/input.hpp"
#include "heatmap_merge/options.hpp"
#include "heatmap_merge/output.hpp"
#include "heatmap_merge/progress.hpp"
#include "heatmap_merge/read_keys.hpp"
#include "heatmap_merge/scan.hpp"
#include "heatmap_merge/schema.hpp"
#include "raw_statement.hpp"

#include <SQLiteCpp/Transaction.h>
#include <fmt/chrono.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <memory>
#include <optional>
#include <thread>
#include <unistd.h>
#include <unordered_map>

namespace heatmap_merge {

namespace {

struct PendingRow {
  std::size_t input = 0;
  AddedRow row;
  bool already_there = false; // the service wrote it meanwhile (FreshRows)
};

// The statements that read one secondary's rows and insert them.
struct SecondaryStatements {
  std::vector<std::string> names;
  std::unique_ptr<RawStatement> read;
  std::unique_ptr<RawStatement> insert;
};

// The rows that others (the service) wrote to the live primary since the plan's snapshot, read
// incrementally at the start of each of our transactions (inside one, nobody else writes), and
// matched against the planned rows still to write as the plan matched rows: make_plan's one to
// one, nearest first matching within the window (match_keys). A planned row so matched is
// already there, and its match is used up.
class FreshRows {
public:
  FreshRows(SQLite::Database& live,
            const std::filesystem::path& path,
            const TableSchema& table,
            const Options& options,
            std::int64_t snapshot_end,
            const std::vector<PendingRow>& pending)
      : m_last_seen(snapshot_end), m_key_count(static_cast<int>(options.key_columns.size())),
        m_window(options.window) {
    // The planned rows by key group, so that the rows a fresh one may match are found in
    // O(log n), inside our transaction, however many are planned.
    for (std::size_t n = 0; n < pending.size(); ++n) {
      if (pending[n].row.keyed) {
        m_by_group.push_back(n);
      }
    }
    std::sort(m_by_group.begin(), m_by_group.end(), [&pending](std::size_t a, std::size_t b) {
      return std::tie(pending[a].row.group_hi, pending[a].row.group_lo, a) <
             std::tie(pending[b].row.group_hi, pending[b].row.group_lo, b);
    });
    std::string sql = fmt::format("SELECT _rowid_, {}", quote_identifier(options.time_column));
    for (const std::string& key : options.key_columns) {
      sql += ", " + quote_identifier(key);
    }
    sql += fmt::format(" FROM main.{} WHERE _rowid_ > ?1 ORDER BY _rowid_",
                       quote_identifier(table.table));
    m_read = std::make_unique<RawStatement>(live, sql, path);
  }

  // Reads what others wrote since the last call, and marks the rows of `pending` from `next` on
  // that it holds already.
  void catch_up(std::vector<PendingRow>& pending, std::size_t next) {
    m_read->reset();
    sqlite3_bind_int64(m_read->get(), 1, m_last_seen);
    RowKey key;
    bool more = false;
    while (m_read->step("re-checking for duplicates")) {
      if (read_row_key(m_read->get(), m_key_count, 0, m_buffer, key)) {
        m_keys.push_back(key);
        more = true;
      }
      m_last_seen = key.rowid;
    }
    if (more) {
      match(pending, next);
    }
  }

  // Our own rows are not the service's: skip past them.
  void written_by_us(std::int64_t rowid) {
    m_last_seen = std::max(m_last_seen, rowid);
  }

private:
  void match(std::vector<PendingRow>& pending, std::size_t next) {
    std::sort(m_keys.begin(), m_keys.end(), KeyLess());
    // The planned rows still to write in the fresh rows' groups; rowid: where in `pending`.
    std::vector<RowKey> candidates;
    const auto group_of = [&pending](std::size_t n) {
      return std::make_pair(pending[n].row.group_hi, pending[n].row.group_lo);
    };
    for (std::size_t k = 0; k < m_keys.size(); ++k) {
      if (k > 0 && same_group(m_keys[k - 1], m_keys[k])) {
        continue;
      }
      const std::pair<std::uint64_t, std::uint32_t> group(m_keys[k].group_hi, m_keys[k].group_lo);
      std::vector<std::size_t>::const_iterator first =
        std::lower_bound(m_by_group.begin(),
                         m_by_group.end(),
                         group,
                         [&](std::size_t n, const std::pair<std::uint64_t, std::uint32_t>& value) {
                           return group_of(n) < value;
                         });
      for (; first != m_by_group.end() && group_of(*first) == group; ++first) {
        if (*first >= next && !pending[*first].already_there) {
          candidates.push_back(as_key(pending[*first].row, static_cast<std::int64_t>(*first)));
        }
      }
    }
    std::sort(candidates.begin(), candidates.end(), KeyLess());
    std::vector<bool> used(m_keys.size(), false);
    for (const auto& [fresh, candidate] : match_keys(m_keys, candidates, m_window)) {
      pending[static_cast<std::size_t>(candidates[candidate].rowid)].already_there = true;
      used[fresh] = true;
    }
    std::vector<RowKey> left;
    for (std::size_t n = 0; n < m_keys.size(); ++n) {
      if (!used[n]) {
        left.push_back(m_keys[n]);
      }
    }
    m_keys = std::move(left);
  }

  // A planned row as a key; the payload is not compared here, only the key and the time.
  static RowKey as_key(const AddedRow& row, std::int64_t rowid) {
    RowKey key;
    key.group_hi = row.group_hi;
    key.group_lo = row.group_lo;
    key.instant = row.instant;
    key.rowid = rowid;
    return key;
  }

  static bool same_group(const RowKey& a, const RowKey& b) {
    return a.group_hi == b.group_hi && a.group_lo == b.group_lo;
  }

  std::int64_t m_last_seen;
  int m_key_count;
  std::chrono::nanoseconds m_window;
  std::string m_buffer;
  std::unique_ptr<RawStatement> m_read;
  std::vector<RowKey> m_keys; // not matched yet
  std::vector<std::size_t> m_by_group;
};

SecondaryStatements prepare(SQLite::Database& live,
                            const std::filesystem::path& primary_path,
                            const TableSchema& primary_table,
                            const ColumnLayout& layout,
                            const DetailSource& source) {
  SecondaryStatements statements;
  statements.names = copied_columns(primary_table, layout, *source.table);
  std::string read = "SELECT _rowid_";
  std::string insert = fmt::format("INSERT INTO main.{}(", quote_identifier(primary_table.table));
  std::string values;
  for (std::size_t i = 0; i < statements.names.size(); ++i) {
    read += ", " + quote_identifier(statements.names[i]);
    insert += (i == 0 ? "" : ", ") + quote_identifier(statements.names[i]);
    values += fmt::format("{}?{}", i == 0 ? "" : ", ", i + 1);
  }
  read += fmt::format(" FROM main.{} WHERE _rowid_ = ?1", quote_identifier(source.table->table));
  insert += ") VALUES (" + values + ")";

  statements.read = std::make_unique<RawStatement>(*source.database, read, source.table->path);
  statements.insert = std::make_unique<RawStatement>(live, insert, primary_path);
  return statements;
}

} // namespace

void check_primary_writable(const std::filesystem::path& primary_path) {
  // The rights of the effective user, as the writes will have them: root may write a 0444 file,
  // and nobody writes on a read-only file system (EROFS).
  const std::filesystem::path file = std::filesystem::absolute(primary_path);
  const std::filesystem::path directory = file.parent_path();
  const auto refuse = [&](const std::string& why) {
    return Error(ExitCode::cant_create,
                 fmt::format("cannot merge into {} in place: {}; nothing was changed or backed up",
                             display(primary_path),
                             why));
  };
  if (faccessat(AT_FDCWD, file.c_str(), W_OK, AT_EACCESS) != 0) {
    throw refuse(fmt::format("it is not writable ({})", std::strerror(errno)));
  }
  if (faccessat(AT_FDCWD, directory.c_str(), W_OK | X_OK, AT_EACCESS) != 0) {
    throw refuse(fmt::format("its directory {} is not writable ({}), and SQLite writes its "
                             "journal there",
                             display(directory),
                             std::strerror(errno)));
  }
}

bool roll_back_hot_journal(const std::filesystem::path& primary_path,
                           std::chrono::milliseconds lock_timeout) {
  const std::string name = std::filesystem::absolute(primary_path).lexically_normal().string();
  try {
    {
      // SQLite itself tells a hot journal from a live writer's (which holds a lock).
      SQLite::Database reader(name, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX);
      wait_for_locks(reader, lock_timeout);
      harden(reader);
      try {
        reader.execAndGet("SELECT count(*) FROM main.sqlite_schema");
        return false;
      } catch (const SQLite::Exception& e) {
        if (e.getExtendedErrorCode() != SQLITE_READONLY_ROLLBACK) {
          return false; // the input's own open reports it, with its usual message
        }
      }
    }
    SQLite::Database writer(name, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX);
    wait_for_locks(writer, lock_timeout);
    harden(writer);
    writer.execAndGet("SELECT count(*) FROM main.sqlite_schema");
    return true;
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(primary_path, e, "rolling back its hot journal");
  }
}

InPlaceSummary insert_in_place(const std::filesystem::path& primary_path,
                               const TableSchema& primary_table,
                               const ColumnLayout& layout,
                               const std::vector<DetailSource>& sources,
                               const Plan& plan,
                               const Options& options,
                               Progress& progress) {
  InPlaceSummary summary;
  std::vector<PendingRow> pending;
  for (std::size_t input = 1; input < plan.inputs.size(); ++input) {
    for (const AddedRow& row : plan.inputs[input].added) {
      pending.push_back({input, row});
    }
  }
  std::sort(pending.begin(), pending.end(), [](const PendingRow& a, const PendingRow& b) {
    return a.row.new_id < b.row.new_id;
  });

  SQLite::Database live = [&]() {
    try {
      SQLite::Database database(std::filesystem::absolute(primary_path).string(),
                                SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX);
      wait_for_locks(database, options.lock_timeout);
      // A full page cache would spill mid-transaction, which flushes the journal: one insert
      // then takes as long as a commit and the transaction overruns its budget. Its pages are
      // few (a transaction inserts for a fraction of k_transaction_budget), so they stay.
      database.exec("PRAGMA cache_spill = OFF");
      harden(database);
      return database;
    } catch (const SQLite::Exception& e) {
      throw sqlite_error(primary_path, e, "opening it for writing");
    }
  }();
  auto locked = [&](std::size_t done) {
    return Error(ExitCode::temp_fail,
                 fmt::format("{} stayed locked by another writer; {} of {} rows were added, and "
                             "running again adds the rest",
                             display(primary_path),
                             done,
                             pending.size()));
  };

  if (!layout.added_columns.empty()) {
    try {
      SQLite::Transaction transaction(live, SQLite::TransactionBehavior::IMMEDIATE);
      add_columns(live, primary_path, primary_table, layout);
      transaction.commit();
    } catch (const SQLite::Exception& e) {
      throw(e.getErrorCode() & 0xff) == SQLITE_BUSY
        ? locked(0)
        : sqlite_error(primary_path, e, "adding columns");
    }
  }

  std::vector<std::unique_ptr<SecondaryStatements>> statements(sources.size());
  for (std::size_t input = 1; input < sources.size(); ++input) {
    statements[input] = std::make_unique<SecondaryStatements>(
      prepare(live, primary_path, primary_table, layout, sources[input]));
  }

  FreshRows fresh(live, primary_path, primary_table, options, plan.first_new_id - 1, pending);
  // The service waits for our commit's flush to disk too, which on an ordinary disk takes longer
  // than the inserts, and grows with what they wrote: each transaction inserts for the share of
  // the budget that the commit leaves, judged by the largest recent ratio of commit to insert time
  // (a fifth of the budget before one is measured), less a tenth for the flush's variance.
  using Seconds = std::chrono::duration<double>;
  const Seconds budget = k_transaction_budget;
  double commit_per_insert = 4.0;
  std::size_t next = 0;
  while (next < pending.size()) {
    if (next > 0) {
      std::this_thread::sleep_for(k_pause_between_transactions);
    }
    const std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    const Seconds insert_budget = std::max(budget / (1.0 + commit_per_insert) / 1.1, budget / 40);
    std::optional<SQLite::Transaction> transaction;
    try {
      transaction.emplace(live, SQLite::TransactionBehavior::IMMEDIATE);
    } catch (const SQLite::Exception& e) {
      throw(e.getErrorCode() & 0xff) == SQLITE_BUSY
        ? locked(static_cast<std::size_t>(summary.inserted))
        : sqlite_error(primary_path, e, "starting a write");
    }
    // Our lock is held from here: the budget counts from the moment it was granted.
    const std::chrono::steady_clock::time_point locked_at = std::chrono::steady_clock::now();
    fresh.catch_up(pending, next);
    do {
      const PendingRow& pending_row = pending[next];
      const AddedRow& row = pending_row.row;
      SecondaryStatements& statement = *statements[pending_row.input];
      sqlite3_stmt* source = statement.read->get();
      statement.read->reset();
      sqlite3_bind_int64(source, 1, row.source_rowid);
      if (!statement.read->step("reading a row to add")) {
        throw Error(ExitCode::data,
                    fmt::format("{}: row {} vanished between planning and writing",
                                display(sources[pending_row.input].table->path),
                                row.source_rowid));
      }

      // Re-checked inside the transaction: has the service meanwhile written this click itself?
      if (pending_row.already_there) {
        ++summary.already_there;
      } else {
        sqlite3_stmt* put = statement.insert->get();
        for (std::size_t i = 0; i < statement.names.size(); ++i) {
          sqlite3_bind_value(
            put, static_cast<int>(i) + 1, sqlite3_column_value(source, static_cast<int>(i) + 1));
        }
        statement.insert->step("adding a row");
        statement.insert->reset();
        fresh.written_by_us(sqlite3_last_insert_rowid(live.getHandle()));
        ++summary.inserted;
      }
      progress.add(1);
      ++next;
    } while (next < pending.size() && std::chrono::steady_clock::now() - locked_at < insert_budget);
    const std::chrono::steady_clock::time_point committing = std::chrono::steady_clock::now();
    try {
      transaction->commit();
    } catch (const SQLite::Exception& e) {
      throw(e.getErrorCode() & 0xff) == SQLITE_BUSY
        ? locked(static_cast<std::size_t>(summary.inserted))
        : sqlite_error(primary_path, e, "committing");
    }
    const std::chrono::steady_clock::time_point done = std::chrono::steady_clock::now();
    ++summary.transactions;
    // A slow flush counts at once; a fast one lowers the estimate gradually, since flushes vary.
    const Seconds commit = done - committing;
    const Seconds inserting = committing - locked_at;
    commit_per_insert =
      std::max(commit / std::max(inserting, Seconds(0.001)), commit_per_insert * 0.8);
    summary.longest_transaction_seconds =
      std::max(summary.longest_transaction_seconds, Seconds(done - locked_at).count());
    summary.longest_commit_seconds = std::max(summary.longest_commit_seconds, commit.count());
    summary.waited_seconds += Seconds(locked_at - start).count();
  }
  return summary;
}

std::filesystem::path backup_path(const Options& options) {
  const std::filesystem::path directory =
    options.backup_dir ? *options.backup_dir
                       : std::filesystem::absolute(options.primary).parent_path();
  const std::time_t now = std::time(nullptr);
  const std::string base = fmt::format(
    "{}.backup-{:%Y%m%dT%H%M%SZ}", options.primary.filename().string(), fmt::gmtime(now));
  // Runs within one second get -2, -3...; the primary's lock keeps this free of races.
  std::filesystem::path path = directory / base;
  for (int n = 2; std::filesystem::exists(path) && n < 1000; ++n) {
    path = directory / fmt::format("{}-{}", base, n);
  }
  return path;
}

InPlaceSummary merge_in_place(ReadPhase& phase,
                              OutputFile& backup,
                              Inputs& inputs,
                              const ColumnLayout& layout,
                              const Plan& plan,
                              const Options& options,
                              Progress& progress) {
  phase.check.wait();
  if (plan.rows_out == plan.inputs.front().rows && layout.added_columns.empty()) {
    return InPlaceSummary{}; // nothing to change: no backup is kept
  }
  progress.phase("writing the backup", 0);
  phase.copy.reset();
  backup.commit();
  progress.tell(
    fmt::format("backed up {} to {}", display(options.primary), display(backup.target())));
  std::vector<DetailSource> sources{{nullptr, &inputs.tables.front()}};
  for (std::size_t i = 1; i < inputs.tables.size(); ++i) {
    sources.push_back({&inputs.databases[i]->database(), &inputs.tables[i]});
  }
  progress.phase("writing", plan.rows_out - plan.inputs.front().rows);
  InPlaceSummary summary = insert_in_place(
    options.primary, inputs.tables.front(), layout, sources, plan, options, progress);
  summary.backup = backup.target();
  return summary;
}

} // namespace heatmap_merge
