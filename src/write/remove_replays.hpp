#pragma once
// --remove-replays's writers: the primary's replayed duplicates (Plan::primary_replays) left out
// of a new output, or deleted from the live primary with --in-place, paced like the inserts.

#include "plan/plan.hpp"

#include <filesystem>

namespace SQLite {
class Database;
}

namespace heatmap_merge {

struct Options;
struct TableSchema;
struct ColumnLayout;
struct InPlaceSummary;
class Progress;

// Deletes the primary's replayed duplicates from the output's copy of the primary, inside the
// caller's transaction (the copy is the snapshot the plan was made from: no re-check is needed;
// sqlite_sequence, which DELETE never lowers, stays). `shown` names the output in messages.
void remove_from_output(SQLite::Database& output,
                        const std::filesystem::path& shown,
                        const TableSchema& table,
                        const Plan& plan);

// --in-place: deletes the primary's replayed duplicates from the live primary at `path`, once its
// backup is written, in short BEGIN IMMEDIATE transactions paced as the inserts are. Each row is
// re-checked inside its transaction: it is deleted only while the row it copies is still there
// and equal in every key and compared column (else it is counted in `replays_left`). With -v each
// deleted row is listed on stderr. Counts go into `summary`.
void remove_in_place(const std::filesystem::path& path,
                     const TableSchema& table,
                     const ColumnLayout& layout,
                     const Plan& plan,
                     const Options& options,
                     Progress& progress,
                     InPlaceSummary& summary);

} // namespace heatmap_merge
