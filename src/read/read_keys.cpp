// The read phase's threads (KeyReader): each input's keys read once, decoded from its pages where
// SQLite's promises allow; the rows the primary and its one secondary share, paired unread; the
// primary's snapshot let go once the write side has copied it.
#include "read/read_keys.hpp"

#include "util/duration.hpp"
#include "util/error.hpp"
#include "util/options.hpp"
#include "util/progress.hpp"
#include "util/terminal_text.hpp"
#include "util/text.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <sys/resource.h>
#include <unistd.h>

namespace heatmap_merge {

namespace {

// The largest id AUTOINCREMENT has handed out, which new ids must stay above even if those rows
// were deleted since.
std::int64_t autoincrement_sequence(SQLite::Database& database,
                                    const TableSchema& table,
                                    const std::filesystem::path& path) {
  try {
    if (!database.tableExists("sqlite_sequence")) {
      return 0;
    }
    SQLite::Statement query(database, "SELECT seq FROM main.sqlite_sequence WHERE name = ?1");
    query.bind(1, table.table);
    return query.executeStep() ? query.getColumn(0).getInt64() : 0;
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(path, e, "reading sqlite_sequence");
  }
}

// The rows of each input, estimated from its span of row ids.
std::vector<std::int64_t> rows_to_read(Snapshots& inputs) {
  std::vector<std::int64_t> rows;
  for (std::size_t i = 0; i < inputs.databases.size(); ++i) {
    const RowRange span =
      row_span(inputs.databases[i]->database(), inputs.tables[i], inputs.databases[i]->path());
    rows.push_back(span.ids());
  }
  return rows;
}

// How many keys each input may hold in memory before they spill: its share of the read phase's
// `pool`, in proportion to its rows (the primary, the largest, gets the most).
std::vector<std::size_t> key_budgets(const std::vector<std::int64_t>& rows, std::uint64_t pool) {
  std::int64_t total = 0;
  for (const std::int64_t count : rows) {
    total += count;
  }
  std::vector<std::size_t> budgets;
  for (const std::int64_t count : rows) {
    const double share = total > 0 ? static_cast<double>(count) / static_cast<double>(total)
                                   : 1.0 / static_cast<double>(rows.size());
    // No input gets less than a 16th of the pool: estimates from row ids can be far off.
    const double bytes = static_cast<double>(pool) * std::max(share, 1.0 / 16);
    budgets.push_back(static_cast<std::size_t>(bytes) / sizeof(RowKey));
  }
  return budgets;
}

// Whether the rows that the primary and its one secondary hold byte for byte can pair as they
// are (find_shared_rows): both files must stay as they are while their pages are compared (a
// rollback-journal secondary under its read lock; a rollback-journal primary under its snapshot,
// or the copy of a WAL primary) and declare the table alike, so that the same bytes mean the
// same values. With more secondaries the primary's rows are matched again by each, and are read.
// With --replay-window too: a row paired unread is no key, and the replay pass needs the
// secondary's copy as the partner of a later one (plan/replay.hpp).
bool can_share_rows(const Snapshots& inputs, bool copied, const Options& options) {
  const std::vector<TableSchema>& tables = inputs.tables;
  return options.optimizations.shared_pages && options.replay_window.count() == 0 &&
         inputs.databases.size() == 2 && !inputs.databases[1]->wal() &&
         (copied || !inputs.databases.front()->wal()) && tables[0].root_page > 1 &&
         tables[1].root_page > 1 && !tables[0].sql.empty() && tables[0].sql == tables[1].sql;
}

} // namespace

void yield_to_primary_scan(int steps) {
  const id_t thread = static_cast<id_t>(gettid());
  errno = 0;
  const int current = getpriority(PRIO_PROCESS, thread);
  if (errno == 0) {
    setpriority(PRIO_PROCESS, thread, std::min(current + steps, 19));
  }
}

KeyReader::KeyReader(Snapshots& inputs,
                     const CopyInProgress* copy,
                     const ColumnLayout& layout,
                     const Options& options,
                     Progress& progress,
                     SpillSpace& space,
                     std::uint64_t key_bytes)
    : m_inputs(inputs), m_copy(copy), m_layout(layout), m_options(options), m_progress(progress),
      m_space(space), m_sharing(can_share_rows(inputs, copy != nullptr, options)),
      m_primary_wal(inputs.databases.front()->wal()),
      m_shared_rows(m_shared_found.get_future().share()) {
  // A dry run's primary copied privately (--max-lock-hold) is read from its copy by every
  // thread: the copy must be made first. A secondary's goes on beside the primary's copy into
  // the output and is waited for by its own thread (read_secondary).
  if (copy == nullptr) {
    note_copy(0);
  }
  // The primary's pages are read through its connection's own file handle, taken here, before
  // its thread uses the connection: see find_shared_rows. A rollback-journal primary's are
  // compared in its snapshot, beside its copy into the output (read_primary keeps the lock
  // until the comparison ends, or stops it at --max-lock-hold); a WAL primary's file is not its
  // snapshot: compared in its copy.
  if (m_sharing && !m_primary_wal) {
    m_primary_pages = database_file(inputs.databases.front()->database());
  }
  for (const std::string& note : m_inputs.notes) {
    m_progress.note(note);
  }
  const std::vector<std::int64_t> rows = rows_to_read(m_inputs);
  m_key_budgets = key_budgets(rows, key_bytes);
  std::int64_t total = 0;
  for (const std::int64_t count : rows) {
    total += count;
  }
  m_progress.phase("reading", total);
}

void KeyReader::start() {
  m_scans.push_back(std::async(std::launch::async, &KeyReader::read_primary, this));
  for (std::size_t input = 1; input < m_inputs.tables.size(); ++input) {
    m_scans.push_back(std::async(std::launch::async, &KeyReader::read_secondary, this, input));
  }
}

ReadPhase KeyReader::finish() {
  ReadPhase phase;
  for (std::future<Keys>& scan : m_scans) {
    phase.keys.push_back(scan.get());
  }
  pair_shared(phase.keys);
  const std::int64_t largest = std::max(phase.keys.front().max_rowid, m_sequence);
  phase.next_id = largest < INT64_MAX ? largest + 1 : k_no_id_left;
  return phase;
}

Keys KeyReader::read_primary() {
  SQLite::Database* primary = &m_inputs.databases.front()->database();
  if (m_copy != nullptr) {
    try {
      primary = m_copy->made.get(); // throws what stopped the copy
    } catch (...) {
      m_stop_sharing = true; // no deadline then for a comparison in the secondary's snapshot
      throw;
    }
    release_primary();
  }
  m_sequence = autoincrement_sequence(
    *primary, m_inputs.tables.front(), m_copy != nullptr ? m_copy->path : m_options.primary);
  Keys keys = scan(
    *primary, 0, m_sharing ? m_shared_rows.get().ranges : std::vector<RowRange>(), pages(*primary));
  sort_keys(keys);
  return keys;
}

Keys KeyReader::read_secondary(std::size_t input) {
  yield_to_primary_scan(3);
  std::vector<RowRange> ranges;
  if (m_sharing) {
    ranges = share_rows(input);
  } else {
    note_copy(input);
  }
  SQLite::Database& database = m_inputs.databases[input]->database();
  Keys keys = scan(database, input, ranges, pages(database));
  if (!ranges.empty()) {
    m_shared_keys = scan_shared(
      database, m_inputs.tables[input].path, m_inputs.tables[input], m_options, m_progress, ranges);
    m_progress.add(m_shared_keys.rows()); // their twins in the primary
  }
  sort_keys(keys);
  return keys;
}

// Once the write side has copied the primary into the output: lets its snapshot (and lock) go.
// While the secondary's thread compares pages in it, it waits for that, but no longer than
// --max-lock-hold from the snapshot: then the comparison stops, and the rows it would have paired
// are read.
void KeyReader::release_primary() {
  Snapshot& primary = *m_inputs.databases.front();
  if (m_primary_pages != nullptr) {
    const auto deadline = primary.snapshot_start() + m_options.max_lock_hold;
    if (m_shared_rows.wait_until(deadline) != std::future_status::ready) {
      m_stop_sharing = true;
      m_shared_rows.wait();
    }
  }
  m_inputs.databases.front().reset();
}

// Waits for the private copy of an input, if one is being made (open_snapshots), and reads it from
// then on; -v says how long the copy held the lock.
void KeyReader::note_copy(std::size_t input) {
  Snapshot& database = *m_inputs.databases[input];
  if (const auto copied = database.finish_copy()) {
    // The lock outlasts the copy when the pages were compared in the snapshot meanwhile.
    const std::chrono::duration<double> held = database.lock_held();
    m_progress.note(fmt::format("copied {} in {} under its read lock{}",
                                display(database.path()),
                                seconds_text(*copied),
                                held - *copied > std::chrono::milliseconds(10)
                                  ? fmt::format(", held {} in all", seconds_text(held))
                                  : std::string()));
  }
}

// The rows the primary and the first secondary hold byte for byte, for both threads, found on the
// secondary's thread. A private copy of the secondary being made holds the snapshot's bytes, so
// when the primary is compared in its snapshot (beside its copy into the output, stopped by
// release_primary at --max-lock-hold), the secondary is compared in its snapshot meanwhile, under
// the lock the copy holds: the comparison no longer waits for the copy, and the lock goes when
// both are done, within the budget. The row ids found are the copy's too.
std::vector<RowRange> KeyReader::share_rows(std::size_t input) {
  const bool during_copy = m_copy != nullptr && m_primary_pages != nullptr;
  try {
    if (!during_copy) {
      note_copy(input);
    }
    // Taken on the one thread that uses the connection: see find_shared_rows.
    m_shared_found.set_value(compare_pages(database_file(m_inputs.databases[input]->database())));
  } catch (...) {
    m_shared_found.set_exception(std::current_exception()); // the primary's thread waits on it
    throw;
  }
  // Found before the copy is opened, so that the primary's snapshot goes as soon as it can.
  if (during_copy) {
    note_copy(input); // the snapshot's connection goes: its file is not read again
  }
  return m_shared_rows.get().ranges;
}

// Compares the secondary's pages in `secondary_file` with the primary's: in the primary's copy
// when there is one (a WAL primary's file is not its snapshot, and a rollback-journal primary's
// lock goes once it is copied), else in its snapshot's file.
SharedRows KeyReader::compare_pages(sqlite3_file* secondary_file) {
  std::optional<SQLite::Database> copy;
  sqlite3_file* primary_file = m_primary_pages;
  if (primary_file == nullptr) {
    m_copy->made.get();
    copy.emplace(open_reader(m_copy->path, m_options.lock_timeout));
    primary_file = database_file(*copy);
  }
  return find_shared_rows(primary_file,
                          m_inputs.tables[0].root_page,
                          secondary_file,
                          m_inputs.tables[1].root_page,
                          &m_stop_sharing);
}

// Counts the rows found shared as paired in both inputs' keys; or, if SQLite read another number
// of rows there than the pages hold, which only a damaged b-tree can make it do, reads both
// inputs' rows there as all others, never guessed.
void KeyReader::pair_shared(std::vector<Keys>& keys) {
  if (!m_sharing || m_shared_rows.get().ranges.empty()) {
    return;
  }
  const SharedRows& found = m_shared_rows.get();
  if (m_shared_keys.rows() == found.rows) {
    for (Keys& input : keys) {
      add_shared(input, m_shared_keys);
    }
    m_progress.note(fmt::format("{} of {} {} on pages that {} holds byte for byte: counted as "
                                "exact duplicates without matching them row by row",
                                counted(found.rows, "row"),
                                display(m_options.secondaries.front()),
                                found.rows == 1 ? "is" : "are",
                                display(m_options.primary)));
    return;
  }
  const std::vector<RowRange> only = complement(found.ranges);
  SQLite::Database& primary =
    m_copy != nullptr ? *m_copy->made.get() : m_inputs.databases.front()->database();
  add_rows(keys[0], scan(primary, 0, only));
  add_rows(keys[1], scan(m_inputs.databases[1]->database(), 1, only));
  sort_keys(keys[0]);
  sort_keys(keys[1]);
}

// The file to decode the rows from, where that is allowed: an input inside its snapshot, or the
// primary's copy, which only this run writes and which is not written while it is read.
sqlite3_file* KeyReader::pages(SQLite::Database& database) const {
  return m_options.optimizations.page_scan ? snapshot_pages(database) : nullptr;
}

Keys KeyReader::scan(SQLite::Database& database,
                     std::size_t input,
                     const std::vector<RowRange>& skip,
                     sqlite3_file* pages) {
  const TableSchema& table = m_inputs.tables[input];
  return scan_keys(database,
                   table.path,
                   table,
                   m_layout,
                   m_options,
                   m_progress,
                   KeyStore(&m_space, m_key_budgets[input]),
                   skip,
                   pages);
}

} // namespace heatmap_merge
