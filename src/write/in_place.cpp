#include "write/in_place.hpp"

#include "util/error.hpp"
#include "read/input.hpp"
#include "util/options.hpp"
#include "write/output.hpp"
#include "write/primary_copy.hpp"
#include "util/progress.hpp"
#include "read/scan.hpp"
#include "read/schema.hpp"
#include "util/sql_text.hpp"
#include "util/terminal_text.hpp"
#include "read/raw_statement.hpp"

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
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>

namespace heatmap_merge {

namespace {

// Added rows kept in the plan's order: their new ids.
using RowsByNewId = RunStore<AddedRow, Ascending<AddedRow, &AddedRow::new_id>>;

// The rows one secondary adds, in the plan's order (new ids, which follow time): in memory, or
// beyond the plan's budget in one spill file, read a block at a time through a Reader. The instant
// of each block's first row is kept, so that the rows near a fresh row of the service are found
// without an index of every planned row: memory stays bounded however many rows an outage left.
class PlannedRows {
public:
  class Reader;

  PlannedRows(std::size_t input, const AddedRows& added, const PlanSpace& space) : m_input(input) {
    RowsByNewId by_id = space.space == nullptr
                          ? RowsByNewId()
                          : RowsByNewId(space.space, space.store_bytes / sizeof(AddedRow));
    added.for_each([&by_id](const AddedRow& row) { by_id.add(row); });
    by_id.finish();
    m_count = by_id.size();
    if (by_id.spilled()) {
      m_file = std::make_unique<SpillFile>(*space.space);
    }
    std::vector<AddedRow> block;
    const auto flush = [&]() {
      if (block.empty()) {
        return;
      }
      m_block_first.push_back(block.front().instant);
      if (m_file) {
        m_file->append(block.data(), block.size() * sizeof(AddedRow));
      } else {
        m_memory.insert(m_memory.end(), block.begin(), block.end());
      }
      block.clear();
    };
    by_id.for_each([&](const AddedRow& row) {
      block.push_back(row);
      if (block.size() == k_block_rows) {
        flush();
      }
    });
    flush();
  }

  std::size_t input() const {
    return m_input;
  }
  std::size_t size() const {
    return m_count;
  }

private:
  static constexpr std::size_t k_block_rows = 1024;

  // Block `first` (a multiple of k_block_rows) into `rows`.
  void read_block(std::size_t first, std::vector<AddedRow>& rows) const {
    rows.resize(std::min(k_block_rows, m_count - first));
    if (m_file) {
      m_file->read(first * sizeof(AddedRow), rows.data(), rows.size() * sizeof(AddedRow));
    } else {
      std::copy_n(m_memory.begin() + static_cast<std::ptrdiff_t>(first), rows.size(), rows.begin());
    }
  }

  std::size_t m_input;
  std::size_t m_count = 0;
  std::vector<Instant> m_block_first;
  std::vector<AddedRow> m_memory;
  std::unique_ptr<SpillFile> m_file;
};

// Reads one PlannedRows through the block it read last. Bound to those rows for its whole life:
// a block cache shared by several secondaries, keyed only by block number, handed the second
// secondary the first one's rows (issue 31).
class PlannedRows::Reader {
public:
  explicit Reader(const PlannedRows& rows) : m_rows(&rows) {}

  const PlannedRows& rows() const {
    return *m_rows;
  }

  // Row `n` (less than rows().size()).
  const AddedRow& at(std::size_t n) {
    const std::size_t first = n / k_block_rows * k_block_rows;
    if (m_first != first) {
      m_rows->read_block(first, m_block);
      m_first = first;
    }
    return m_block[n - first];
  }

  // The first row whose instant is `from` or later.
  std::size_t lower_bound(Instant from) {
    const std::vector<Instant>& block_first = m_rows->m_block_first;
    const std::size_t after = static_cast<std::size_t>(
      std::lower_bound(block_first.begin(), block_first.end(), from) - block_first.begin());
    std::size_t n = after == 0 ? 0 : (after - 1) * k_block_rows;
    while (n < m_rows->size() && at(n).instant < from) {
      ++n;
    }
    return n;
  }

private:
  const PlannedRows* m_rows;
  std::size_t m_first = static_cast<std::size_t>(-1);
  std::vector<AddedRow> m_block;
};

// One reader for each secondary's planned rows, which must outlive them.
std::vector<PlannedRows::Reader> readers_of(const std::vector<PlannedRows>& planned) {
  return {planned.begin(), planned.end()};
}

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
            const std::vector<PlannedRows>& planned)
      : m_last_seen(snapshot_end), m_key_count(static_cast<int>(options.key_columns.size())),
        m_window(options.window), m_planned(readers_of(planned)) {
    std::vector<std::string> columns{options.time_column};
    columns.insert(columns.end(), options.key_columns.begin(), options.key_columns.end());
    m_read = std::make_unique<RawStatement>(
      live,
      select_sql(table.rowid_expression(),
                 columns,
                 table.table,
                 fmt::format("WHERE {0} > ?1 ORDER BY {0}", table.rowid_expression())),
      path);
  }

  // Reads what others wrote since the last call, and adds to `already_there` the new ids of the
  // planned rows from `next_id` on that it holds already.
  void catch_up(std::int64_t next_id, std::unordered_set<std::int64_t>& already_there) {
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
      match(next_id, already_there);
    }
  }

  // Our own rows are not the service's: skip past them.
  void written_by_us(std::int64_t rowid) {
    m_last_seen = std::max(m_last_seen, rowid);
  }

private:
  void match(std::int64_t next_id, std::unordered_set<std::int64_t>& already_there) {
    std::sort(m_keys.begin(), m_keys.end(), KeyLess());
    // The planned rows still to write in a fresh row's group and within the window of it (no
    // other can pair, nor stand between two that do); rowid: the new id.
    const std::uint64_t window = static_cast<std::uint64_t>(m_window.count());
    std::vector<RowKey> candidates;
    for (PlannedRows::Reader& planned : m_planned) {
      for (const RowKey& fresh : m_keys) {
        const Instant from =
          fresh.instant -
          static_cast<Instant>(std::min<std::uint64_t>(window,
                                                       static_cast<std::uint64_t>(fresh.instant) -
                                                         static_cast<std::uint64_t>(INT64_MIN)));
        const Instant to =
          fresh.instant +
          static_cast<Instant>(std::min<std::uint64_t>(
            window,
            static_cast<std::uint64_t>(INT64_MAX) - static_cast<std::uint64_t>(fresh.instant)));
        for (std::size_t n = planned.lower_bound(from);
             n < planned.rows().size() && planned.at(n).instant <= to;
             ++n) {
          const AddedRow& row = planned.at(n);
          if (row.keyed && row.group_hi == fresh.group_hi && row.group_lo == fresh.group_lo &&
              row.new_id >= next_id && already_there.count(row.new_id) == 0) {
            candidates.push_back(as_key(row, row.new_id));
          }
        }
      }
    }
    std::sort(candidates.begin(), candidates.end(), KeyLess());
    candidates.erase(
      std::unique(candidates.begin(),
                  candidates.end(),
                  [](const RowKey& a, const RowKey& b) { return a.rowid == b.rowid; }),
      candidates.end());
    std::vector<bool> used(m_keys.size(), false);
    for (const auto& [fresh, candidate] : match_keys(m_keys, candidates, m_window)) {
      already_there.insert(candidates[candidate].rowid);
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
  std::vector<RowKey> m_keys;                 // not matched yet
  std::vector<PlannedRows::Reader> m_planned; // one per secondary
};

SecondaryStatements prepare(SQLite::Database& live,
                            const std::filesystem::path& primary_path,
                            const TableSchema& primary_table,
                            const ColumnLayout& layout,
                            const DetailSource& source) {
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

} // namespace

void check_primary_writable(const std::filesystem::path& primary_path) {
  // The rights of the effective user, as the writes will have them: root may write a 0444 file,
  // and nobody writes on a read-only file system (EROFS).
  // The directory SQLite writes the journal in is the real file's, wherever a link stands.
  const std::filesystem::path file = resolved_file(primary_path);
  const std::filesystem::path directory = file.parent_path();
  const auto refuse = [&](const std::string& why) {
    return Error(ExitCode::cant_create,
                 fmt::format("cannot merge into {} in place: {}; nothing was changed or backed up",
                             display(primary_path),
                             why),
                 primary_path);
  };
  if (faccessat(AT_FDCWD, file.c_str(), W_OK, AT_EACCESS) != 0) {
    throw refuse(fmt::format("it is not writable ({})", std::strerror(errno)));
  }
  // SQLite names a journal after the name a file was opened by: a writer through another hard
  // link would not see ours if we died mid-transaction (sqlite.org/howtocorrupt.html, 2.5).
  struct stat status {};
  if (stat(file.c_str(), &status) == 0 && status.st_nlink > 1) {
    throw refuse(fmt::format("it has {} hard links, and SQLite keeps a transaction's journal under "
                             "one name only: a writer using another link could read a half-written "
                             "file; merge with -o, or remove the other links",
                             status.st_nlink));
  }
  if (faccessat(AT_FDCWD, directory.c_str(), W_OK | X_OK, AT_EACCESS) != 0) {
    throw refuse(fmt::format("its directory {} is not writable ({}), and SQLite writes its "
                             "journal there",
                             display(directory),
                             std::strerror(errno)));
  }
}

void check_backup_directory(const Options& options) {
  if (!options.backup_dir) {
    return; // the primary's own directory, which check_primary_writable() checked
  }
  const std::filesystem::path& directory = *options.backup_dir;
  const auto refuse = [&](const std::string& why) {
    return Error(ExitCode::cant_create,
                 fmt::format("cannot merge into {} in place: the backup directory {} {}; nothing "
                             "was changed or backed up",
                             display(options.primary),
                             display(directory),
                             why),
                 directory);
  };
  struct stat status {};
  if (stat(directory.c_str(), &status) != 0) {
    throw refuse(fmt::format("cannot be used ({})", std::strerror(errno)));
  }
  if (!S_ISDIR(status.st_mode)) {
    throw refuse("is not a directory");
  }
  if (faccessat(AT_FDCWD, directory.c_str(), W_OK | X_OK, AT_EACCESS) != 0) {
    throw refuse(fmt::format("is not writable ({})", std::strerror(errno)));
  }
}

bool roll_back_hot_journal(const std::filesystem::path& primary_path,
                           std::chrono::milliseconds lock_timeout) {
  const std::string name = resolved_file(primary_path).string();
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

namespace {

// The pace of --in-place's transactions. The service waits for our commit's flush to disk too,
// which on an ordinary disk takes longer than the inserts and grows with what they wrote: each
// transaction inserts for the share of the budget that the commit leaves, judged by the largest
// recent ratio of commit to insert time (a fifth of the budget before one is measured), less a
// tenth for the flush's variance.
class Pacer {
public:
  using Seconds = std::chrono::duration<double>;

  Seconds insert_budget() const {
    const Seconds budget = k_transaction_budget;
    return std::max(budget / (1.0 + m_commit_per_insert) / 1.1, budget / 40);
  }
  // A slow flush counts at once; a fast one lowers the estimate gradually, since flushes vary.
  void measured(Seconds inserting, Seconds commit) {
    m_commit_per_insert =
      std::max(commit / std::max(inserting, Seconds(0.001)), m_commit_per_insert * 0.8);
  }

private:
  double m_commit_per_insert = 4.0;
};

// Puts the planned rows into the live primary, in the plan's order, in short transactions.
class InPlaceWriter {
public:
  InPlaceWriter(const std::filesystem::path& primary_path,
                const TableSchema& primary_table,
                const ColumnLayout& layout,
                const std::vector<DetailSource>& sources,
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
  const std::vector<DetailSource>& m_sources;
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
  for (std::size_t input = 1; input < plan.inputs.size(); ++input) {
    planned.emplace_back(input, plan.inputs[input].added, space);
  }
  return planned;
}

SQLite::Database open_live(const std::filesystem::path& path, const Options& options) {
  try {
    SQLite::Database database(resolved_file(path).string(),
                              SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX);
    wait_for_locks(database, options.lock_timeout);
    // A full page cache would spill mid-transaction, which flushes the journal: one insert then
    // takes as long as a commit and the transaction overruns its budget. Its pages are few (a
    // transaction inserts for a fraction of k_transaction_budget), so they stay.
    database.exec("PRAGMA cache_spill = OFF");
    harden(database);
    return database;
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(path, e, "opening it for writing");
  }
}

InPlaceWriter::InPlaceWriter(const std::filesystem::path& primary_path,
                             const TableSchema& primary_table,
                             const ColumnLayout& layout,
                             const std::vector<DetailSource>& sources,
                             const Plan& plan,
                             const PlanSpace& space,
                             const Options& options)
    : m_path(primary_path), m_table(primary_table), m_sources(sources),
      m_planned(planned_rows(plan, space)), m_readers(readers_of(m_planned)),
      m_live(open_live(primary_path, options)), m_statements(sources.size()),
      m_fresh(m_live, primary_path, primary_table, options, plan.first_new_id - 1, m_planned) {
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
                               const std::vector<DetailSource>& sources,
                               const Plan& plan,
                               const PlanSpace& space,
                               const Options& options,
                               Progress& progress) {
  InPlaceWriter writer(primary_path, primary_table, layout, sources, plan, space, options);
  while (writer.write_transaction(progress)) {
  }
  return writer.summary();
}

std::filesystem::path backup_path(const Options& options) {
  const std::filesystem::path primary = resolved_file(options.primary);
  const std::filesystem::path directory =
    options.backup_dir ? *options.backup_dir : primary.parent_path();
  const std::time_t now = std::time(nullptr);
  const std::string base =
    fmt::format("{}.backup-{:%Y%m%dT%H%M%SZ}", primary.filename().string(), fmt::gmtime(now));
  // Runs within one second get -2, -3...; the primary's lock keeps this free of races.
  std::filesystem::path path = directory / base;
  for (int n = 2; std::filesystem::exists(path) && n < 1000; ++n) {
    path = directory / fmt::format("{}-{}", base, n);
  }
  return path;
}

namespace {

// The stamp of one of `primary_name`'s backups as backup_path() names them, NAME.backup-
// YYYYMMDDTHHMMSSZ then -2, -3... for later runs within the second, as (stamp, n), which sort
// from oldest to newest; nothing for any other name.
std::optional<std::pair<std::string, int>> backup_stamp(const std::string& name,
                                                        const std::string& primary_name) {
  const std::string prefix = primary_name + ".backup-";
  if (name.compare(0, prefix.size(), prefix) != 0) {
    return std::nullopt;
  }
  const std::string rest = name.substr(prefix.size());
  // YYYYMMDD T HHMMSS Z: 16 characters.
  if (rest.size() < 16) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < 16; ++i) {
    const char want = i == 8 ? 'T' : (i == 15 ? 'Z' : 'd');
    const bool digit = rest[i] >= '0' && rest[i] <= '9';
    if (want == 'd' ? !digit : rest[i] != want) {
      return std::nullopt;
    }
  }
  int n = 1;
  if (rest.size() > 16) {
    const std::string suffix = rest.substr(16);
    if (suffix.size() < 2 || suffix.size() > 4 || suffix[0] != '-' ||
        suffix.find_first_not_of("0123456789", 1) != std::string::npos) {
      return std::nullopt;
    }
    n = std::stoi(suffix.substr(1));
  }
  return std::make_pair(rest.substr(0, 16), n);
}

} // namespace

std::vector<std::filesystem::path> list_backups(const Options& options) {
  const std::filesystem::path primary = resolved_file(options.primary);
  const std::filesystem::path directory =
    options.backup_dir ? *options.backup_dir : primary.parent_path();
  const std::string primary_name = primary.filename().string();
  std::vector<std::pair<std::pair<std::string, int>, std::filesystem::path>> found;
  // Never throws: the merge is done by now, and a directory that cannot be listed only leaves
  // old backups in place.
  std::error_code error;
  for (std::filesystem::directory_iterator it(directory, error);
       !error && it != std::filesystem::directory_iterator();
       it.increment(error)) {
    const std::optional<std::pair<std::string, int>> stamp =
      backup_stamp(it->path().filename().string(), primary_name);
    // Only regular files: a symbolic link or a directory of that name is not one we wrote.
    std::error_code status_error;
    if (stamp && it->symlink_status(status_error).type() == std::filesystem::file_type::regular) {
      found.emplace_back(*stamp, it->path());
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<std::filesystem::path> backups;
  for (const auto& [stamp, path] : found) {
    backups.push_back(path);
  }
  return backups;
}

std::vector<std::filesystem::path> prune_backups(const Options& options,
                                                 const std::filesystem::path& just_written,
                                                 Progress& progress) {
  std::vector<std::filesystem::path> backups = list_backups(options);
  // The backup this run wrote counts first, whatever its name says (a clock set back would make
  // an older backup look newer).
  std::size_t kept = 0;
  if (!just_written.empty()) {
    ++kept;
  }
  std::vector<std::filesystem::path> removed;
  for (auto it = backups.rbegin(); it != backups.rend(); ++it) {
    if (!just_written.empty() && it->filename() == just_written.filename()) {
      continue;
    }
    if (kept < options.keep_backups) {
      ++kept;
      continue;
    }
    if (unlink(it->c_str()) != 0) {
      // The merge is done: a backup left behind is worth a warning, not a failed run.
      progress.tell(fmt::format(
        "warning: cannot remove the old backup {}: {}", display(*it), std::strerror(errno)));
      continue;
    }
    removed.push_back(*it);
  }
  std::reverse(removed.begin(), removed.end()); // oldest first
  if (!removed.empty()) {
    std::string names;
    for (const std::filesystem::path& path : removed) {
      names += (names.empty() ? "" : ", ") + display(path.filename());
    }
    progress.tell(fmt::format("removed {} of {} (--keep-backups {}): {}",
                              removed.size() == 1 ? std::string("1 old backup")
                                                  : fmt::format("{} old backups", removed.size()),
                              display(options.primary),
                              options.keep_backups,
                              names));
  }
  return removed;
}

InPlaceSummary merge_in_place(PrimaryCopy& copy,
                              OutputFile& backup,
                              Inputs& inputs,
                              const ColumnLayout& layout,
                              const Plan& plan,
                              const PlanSpace& space,
                              const Options& options,
                              Progress& progress) {
  copy.wait_for_check();
  if (plan.rows_out == plan.inputs.front().rows && layout.added_columns.empty()) {
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
  std::vector<DetailSource> sources{{nullptr, &inputs.tables.front()}};
  for (std::size_t i = 1; i < inputs.tables.size(); ++i) {
    sources.push_back({&inputs.databases[i]->database(), &inputs.tables[i]});
  }
  progress.phase("writing", plan.rows_out - plan.inputs.front().rows);
  InPlaceSummary summary = insert_in_place(
    options.primary, inputs.tables.front(), layout, sources, plan, space, options, progress);
  summary.backup = backup.target();
  if (options.keep_backups > 0) {
    summary.removed_backups = prune_backups(options, summary.backup, progress);
  }
  return summary;
}

} // namespace heatmap_merge
