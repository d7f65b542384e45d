#pragma once
// --in-place's writer: the plan's added rows into the live primary, in short transactions paced
// for the service that writes it too, once the primary's checked copy is kept as the backup.

#include "plan/plan.hpp"
#include "read/details.hpp"

#include <chrono>
#include <filesystem>
#include <vector>

namespace heatmap_merge {

struct Options;
struct TableSchema;
struct ColumnLayout;
class Progress;
class OutputFile;
struct Snapshots;
class PrimaryCopy;

// What --in-place did, for the report (MergeResult::in_place).
struct InPlaceSummary {
  std::filesystem::path backup; // empty when there was nothing to add
  std::int64_t inserted = 0;
  // Planned rows that the live primary had meanwhile received itself, found by the re-check.
  std::int64_t already_there = 0;
  // --remove-replays: the primary's replayed duplicates deleted, and those planned that the
  // re-check found gone or changed (left alone).
  std::int64_t replays_removed = 0;
  std::int64_t replays_left = 0;
  std::int64_t transactions = 0;
  // From the moment the write lock was granted to the end of the commit.
  double longest_transaction_seconds = 0;
  double longest_commit_seconds = 0;
  // How long BEGIN IMMEDIATE waited for the service's own transactions, in all.
  double waited_seconds = 0;
  // The old backups that --keep-backups removed, oldest first.
  std::vector<std::filesystem::path> removed_backups;
};

// The longest a write transaction on the live primary may hold its write lock, the commit's flush
// to disk included, so that the service, which waits 5 s for a lock, never waits long. A
// rollback-journal commit flushes four times (journal, its header, the database, the directory):
// on a disk whose flush takes 20 ms that is 80 ms, and the inserts get what is left. A shorter
// budget leaves so little for inserting that a large outage takes hours to put back.
inline constexpr std::chrono::milliseconds k_transaction_budget{200};
// The pause between two transactions: longer than the longest sleep of SQLite's default busy
// handler (100 ms), which the service's Python sqlite3 uses, so that a service writer waiting for
// our lock wakes up while it is free and gets in, rather than finding it taken again each time.
inline constexpr std::chrono::milliseconds k_pause_between_transactions{150};

// Inserts the plan's added rows into the live primary at `primary_path`: in the plan's order
// (time, then source id), in short BEGIN IMMEDIATE transactions, ids given by AUTOINCREMENT, and
// each row re-checked inside the transaction against the rows the service wrote since the plan's
// snapshot, which ended at row id plan.first_new_id - 1. Existing rows are never touched.
// `sources[i]` reads secondary i (sources[0] is unused).
InPlaceSummary insert_in_place(const std::filesystem::path& primary_path,
                               const TableSchema& primary_table,
                               const ColumnLayout& layout,
                               const std::vector<RowSource>& sources,
                               const Plan& plan,
                               const PlanSpace& space,
                               const Options& options,
                               Progress& progress);

// --in-place: once the primary's copy has passed its check, keeps it as the backup if anything is
// to change (says so), then inserts the plan's added rows into the live primary.
InPlaceSummary merge_in_place(PrimaryCopy& copy,
                              OutputFile& backup,
                              Snapshots& inputs,
                              const ColumnLayout& layout,
                              const Plan& plan,
                              const PlanSpace& space,
                              const Options& options,
                              Progress& progress);

} // namespace heatmap_merge
