#pragma once
// What a run is asked to do (Options, filled in by cli/ from the command line and the config
// file), and the switches of the optimisations with the premises each rests on.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace heatmap_merge {

// sql: not a report but the plan as a patch for the sqlite3 shell, dry run only: the dry run's
// writer (write/sql_patch.hpp).
enum class ReportFormat { text, json, markdown, html, summary, sql };

// What a run writes: nothing (a dry run), a new output file, or the live primary itself.
enum class WriteMode { dry_run, new_output, in_place };

// Each optimisation sits behind one switch here, all on by default. Turning one off may only
// change the speed: CTest runs the end-to-end suite a second time with every one off
// (HEATMAP_MERGE_NO_OPTIMIZATIONS=1), and the outputs and reports must be the same; the
// differential fuzzer (tests/difffuzz/) compares both with an independent reference.
//
// The premises each one rests on, all of them promises of SQLite's, each checked at run time
// where the optimisation is chosen, the plain path taken when one does not hold:
// - page_scan (KeyReader::pages, scan_keys, scan_pages):
//   1. the file's pages are the snapshot read: an input inside its read transaction (a rollback
//      file's SHARED lock keeps writers out), or the primary's copy, which only this run writes;
//      a WAL file only while the -wal that SQLite itself names (sqlite3_filename_wal, so beside
//      the file a link resolves to) is absent or empty (snapshot_pages);
//   2. the pages are read through SQLite's own file handle (SQLITE_FCNTL_FILE_POINTER), never a
//      file opened again by name, which would drop the process's locks when closed;
//   3. the table's rows decode as the schema declares them: no generated columns and no column
//      left out (--peers, leave_out_columns: both set generated_columns), no column the
//      key reads is the row id alias (record_fields), the text is UTF-8 and the header sound
//      (PageFile::valid); a row that does not decode is handed back to SQLite;
//   4. row id order: leaves walk in key order (leaf_in_order checks every leaf), and every row
//      handed back is read by SQL with ORDER BY the row id, never in a SELECT's unspecified
//      order (a covering index would give index order: select_rows);
//   5. the row id in SQL is read through an alias no column shadows (TableSchema::rowid_name;
//      a table whose columns take rowid, _rowid_ and oid is refused), so it is the cell's key.
// - shared_pages (can_share_rows, pair_shared): exactly one secondary; neither file can change
//   while compared (a rollback-journal secondary under its snapshot; a rollback-journal primary
//   under its snapshot, or the WAL primary's copy); both declare the table with the same SQL, so
//   equal bytes are equal values; the rows SQLite reads in the shared ranges number what the
//   pages hold, else both inputs' rows there are read as all others. With an output, the
//   primary's lock waits for the comparison (KeyReader::release_primary) no longer than
//   --max-lock-hold from its snapshot: then the comparison stops and finds nothing. A
//   secondary being copied privately is compared in its snapshot, beside the copy, only under
//   that deadline (share_rows): its lock goes when both are done, within the budget, and the
//   copy holds the same bytes, so the row ids found are the copy's.
// - readahead (readahead_vfs.cpp): a chunk is trusted only until the connection's lock changes
//   (xLock/xUnlock forget it); reads only, never a write or a lock of its own; a WAL file's
//   header stops it.
// - overlapped_check (PrimaryCopy::start_check): the copy is the tool's own file; in a dry run
//   only a rollback-journal primary is checked on a second connection, which shares the
//   snapshot's SHARED lock (SQLite's locks are per process and file), a WAL primary on its own
//   connection.
// - early_flush (PrimaryCopy::start, OutputFile::flush_early): through the descriptor kept open
//   since mkstemp, so that no close drops the copy's locks; the final flush before the rename
//   still runs.
// - partitioned_spill (KeyStore): only keys of one group can match, and a group's keys share
//   its hash, so they share a partition: matching a partition at a time is matching all.
// - fit_probe_by_schema (rows_may_not_fit): SQLite refuses a row of a table that is not STRICT
//   and has no CHECK and no generated column (the words anywhere in its CREATE TABLE, even in a
//   name or a string, count) only for a NULL in a NOT NULL column, a UNIQUE index (never probed)
//   or a size limit that held in the input too; so the probe is skipped when every NOT NULL
//   column of the primary is declared NOT NULL by every secondary, which SQLite enforced there.
struct Optimizations {
  // Rows the primary and its one secondary hold byte for byte pair unread (read_keys.cpp).
  bool shared_pages = true;
  // Input files are read in chunks of 256 KiB instead of a page at a time (readahead_vfs.cpp).
  bool readahead = true;
  // The copy's integrity check runs beside the scans and the writing, not after them; in a dry
  // run, the check of a rollback-journal primary runs beside the scans, on a second connection.
  bool overlapped_check = true;
  // The copy of the primary is flushed to disk while the keys are read, not only at the end.
  bool early_flush = true;
  // Rows are decoded from the table's leaf pages instead of through SQLite's VDBE, where the file
  // is the snapshot (page_scan.hpp).
  bool page_scan = true;
  // Spilled keys are partitioned by their group hash and sorted a partition at a time, instead
  // of sorted in runs that are merged back (key_store.hpp).
  bool partitioned_spill = true;
  // The added rows are tried before a dry run reports or --in-place commits (fit_probe.cpp) only
  // where the schemas leave a row that the primary's table could refuse.
  bool fit_probe_by_schema = true;
};

// What --memory-limit is unless given: the planner's working set spills to temporary files
// beyond it (spill/).
inline constexpr std::uint64_t k_default_memory_limit = std::uint64_t{128} << 20;
// The smallest --memory-limit: below it the spill files' read buffers alone would exceed it.
inline constexpr std::uint64_t k_min_memory_limit = std::uint64_t{1} << 20;

struct Options {
  std::filesystem::path primary;
  std::vector<std::filesystem::path> secondaries;
  std::optional<std::filesystem::path> output;
  bool force = false;
  // Merge into the primary itself, after writing a backup of it beside it or in backup_dir.
  bool in_place = false;
  // Let --in-place add a secondary's columns to the live table (ALTER TABLE): a service that
  // inserts by position ("INSERT INTO t VALUES (...)") fails on every insert after that.
  bool alter_live_table = false;
  std::optional<std::filesystem::path> backup_dir;
  // After a successful --in-place run, keep only the newest this many of the primary's backups
  // (the one just written always among them); 0 keeps every one.
  std::uint32_t keep_backups = 0;
  bool dry_run = false;
  // --peers: the inputs are nodes that each take every click, none the primary. A dry run and
  // --in-place run one merge per node, in the order given, with the other nodes as its
  // secondaries (pipeline/peers.hpp); -o writes their union.
  bool peers = false;
  // --peers: the columns that this run's earlier merges added to a node, by the node as given,
  // which its later merges take it to lack (read_table_schema's columns without them).
  std::vector<std::pair<std::filesystem::path, std::vector<std::string>>> peer_added_columns;
  // Exit 1 when rows were (in a dry run, would be) added, 0 when none: for scripts, like git diff.
  bool exit_code = false;
  // Check the primary's snapshot with PRAGMA quick_check before building on it.
  bool verify = true;
  ReportFormat format = ReportFormat::text;
  std::string table = "click_events";
  std::string time_column = "created_at";
  std::vector<std::string> key_columns = {"page_url", "x", "y"};
  // Two rows are duplicates when their instants differ by at most this; 0 is exact matching.
  std::chrono::nanoseconds window{0};
  // --replay-window: rows the window left unpaired that are equal in every column but the id and
  // the time pair when their instants differ by at most this (plan/replay.hpp); 0 is none.
  std::chrono::nanoseconds replay_window{0};
  // --remove-replays: the primary's own replayed duplicates (plan/primary_replays.hpp) are left
  // out of the output, or deleted from the live primary with --in-place. Needs a replay window.
  // `-o` with it writes the union, each click once.
  bool remove_replays = false;
  // How long to wait for a writer's lock on an input before giving up with exit 75.
  std::chrono::milliseconds lock_timeout{5000};
  // How long the run may hold an input's read lock, in which a rollback-journal database's
  // writers wait: a larger input is read from a private copy made under the lock, and one whose
  // copy would take longer still is refused with exit 75 (open_snapshots).
  std::chrono::milliseconds max_lock_hold{1000};
  // -1 quiet, 0 normal, 1 and up verbose.
  int verbosity = 0;
  // What the keys and the plan may take in memory before they spill to temporary files.
  std::uint64_t memory_limit = k_default_memory_limit;
  Optimizations optimizations;
};

// The mode `options` ask for.
WriteMode write_mode(const Options& options);

// Parses the command line. Returns nothing when --help or --version was printed to `out`;
// throws Error(ExitCode::usage) on a bad command line. Sets `error_format` to the --format asked
// for (on the command line or in a --config file) as soon as it is known, even if the parse then
// fails, so that the error can be reported in it.
std::optional<Options> parse_command_line(int argc,
                                          const char* const* argv,
                                          std::ostream& out,
                                          ReportFormat& error_format);

// The tool's version string.
const char* version();

} // namespace heatmap_merge
