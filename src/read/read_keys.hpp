#pragma once
// The read phase: every input's keys, read once each in threads of their own, for the plan. It
// only reads: the primary's copy into the output is the write side's (write/primary_copy.hpp),
// made beside these threads, and the primary's keys are read from it once it is made.

#include "plan/plan.hpp"
#include "read/input.hpp"
#include "read/scan.hpp"
#include "read/schema.hpp"
#include "sqlite_format/shared_pages.hpp"

#include <SQLiteCpp/Database.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <future>
#include <vector>

struct sqlite3_file;

namespace heatmap_merge {

struct Options;
class Progress;

// The primary's copy into the output as the key readers see it: the write side makes it from the
// primary's snapshot on a thread of its own (PrimaryCopy::start).
struct CopyInProgress {
  // The copy's connection once it is made, which the primary's thread reads its keys through
  // (none writes it meanwhile); or the copy's error.
  std::shared_future<SQLite::Database*> made;
  // Its file, opened again for a WAL primary's page comparison.
  std::filesystem::path path;
};

// What the read phase leaves for planning.
struct ReadPhase {
  std::vector<Keys> keys; // [0] the primary
  // The first id for an added row: above every id the primary holds or AUTOINCREMENT handed out.
  std::int64_t next_id = 1;
};

// The primary's copy and scan are the longest piece of work of the read phase, about as long as
// all the rest together on two cores: the other threads (the secondaries', the check's) lower
// their priority by `steps`, so that the primary's scan keeps a core and finishes when the rest
// does, instead of sharing a core with them and finishing last. Relative: a run under nice stays
// under it.
void yield_to_primary_scan(int steps);

// Reads what the planner needs of every input, each once: one thread per input, the first
// secondary's also comparing the two files' pages when the rows they share can pair unread.
// Every optimisation of this phase lives in read_keys.cpp, behind its switch in
// options.optimizations. The keys take at most `key_bytes` in memory, shared by the inputs in
// proportion to their rows, beyond which they spill to `space`.
//
// With `copy` (a run with an output), the primary's thread waits for the copy, lets the
// primary's snapshot go (release_primary) and reads the copy; else the primary's snapshot.
class KeyReader {
public:
  // Before any thread: waits for a dry run's private copy of the primary, tells -v of how the
  // inputs were opened, estimates each input's rows, and starts the "reading" phase.
  KeyReader(Snapshots& inputs,
            const CopyInProgress* copy,
            const ColumnLayout& layout,
            const Options& options,
            Progress& progress,
            SpillSpace& space,
            std::uint64_t key_bytes);
  KeyReader(const KeyReader&) = delete;
  KeyReader& operator=(const KeyReader&) = delete;
  // Waits for the threads, if finish() was not reached.
  ~KeyReader() = default;

  // Starts the threads, one per input.
  void start();
  // Waits for them and pairs the rows found shared: every input's keys, sorted.
  ReadPhase finish();

private:
  Keys read_primary();
  Keys read_secondary(std::size_t input);
  std::vector<RowRange> share_rows(std::size_t input);
  SharedRows compare_pages(sqlite3_file* secondary_file);
  void pair_shared(std::vector<Keys>& keys);
  Keys scan(SQLite::Database& database,
            std::size_t input,
            const std::vector<RowRange>& skip,
            sqlite3_file* pages = nullptr);
  sqlite3_file* pages(SQLite::Database& database) const;
  void note_copy(std::size_t input);
  void release_primary();

  Snapshots& m_inputs;
  const CopyInProgress* m_copy;
  const ColumnLayout& m_layout;
  const Options& m_options;
  Progress& m_progress;
  SpillSpace& m_space;
  std::vector<std::size_t> m_key_budgets;
  const bool m_sharing;
  const bool m_primary_wal;
  sqlite3_file* m_primary_pages = nullptr;
  std::int64_t m_sequence = 0;
  std::atomic<bool> m_stop_sharing{false};
  std::promise<SharedRows> m_shared_found;
  std::shared_future<SharedRows> m_shared_rows;
  SharedKeys m_shared_keys;
  // Last, so that the threads are waited for before what they use goes.
  std::vector<std::future<Keys>> m_scans;
};

} // namespace heatmap_merge
