#pragma once
// --format sql, the writer of a dry run: the plan as a script for the sqlite3 shell that adds to
// the primary (on its own host, say) exactly the rows the plan adds, and that can be applied again.

#include "plan/plan.hpp"
#include "read/details.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace heatmap_merge {

struct ColumnLayout;
struct Options;
struct TableSchema;
class Progress;

// How many rows one transaction of a patch adds at most: each holds the primary's write lock
// while it reads the rows added since the snapshot and inserts its own.
inline constexpr std::int64_t k_patch_transaction_rows = 10'000;

// What the patch's header comment says of the run that made it, beyond the plan's counts: filled
// by the pipeline from its result, whose warnings the report layer words.
struct PatchHeader {
  std::vector<std::filesystem::path> inputs; // [0] is the primary
  std::vector<std::string> labels;           // each input's role: "primary", "secondary", ...
  std::chrono::system_clock::time_point snapshot_time;
  // The run's warnings, one sentence each (the swaps', then the triggers'), files named as they
  // are, without escapes: the header escapes its lines itself.
  std::vector<std::string> warnings;
};

// Refuses, before anything is read, inputs whose rows a patch cannot add as the other modes do:
// a secondary column the primary lacks (the patch would have to ALTER the live table, which is
// not repeatable), or a primary column with a default that a secondary lacks (a patch can only
// spell values, and a default need not be a constant).
void check_patchable(const std::vector<TableSchema>& tables, const ColumnLayout& layout);

// Writes the patch for `plan` to `out`: a header comment with what it was made from, the rows to
// add, and the transactions that add each of them where the primary lacks it. `sources[0]` is
// the primary's snapshot; the others are the secondaries', in the plan's order.
// `before_transactions` runs (and may throw) once the rows are written, before the statements
// that add them: a patch cut short there changes nothing.
void write_sql_patch(std::ostream& out,
                     const PatchHeader& header,
                     const Plan& plan,
                     const std::vector<RowSource>& sources,
                     const Options& options,
                     Progress& progress,
                     const std::function<void()>& before_transactions);

} // namespace heatmap_merge
