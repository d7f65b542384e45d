#pragma once

#include "heatmap_merge/in_place.hpp"
#include "heatmap_merge/insights.hpp"
#include "heatmap_merge/plan.hpp"
#include "heatmap_merge/schema.hpp"

#include <chrono>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace heatmap_merge {

struct Options;
class Progress;

// A secondary that looks like the primary, as when the two are given the wrong way round: the
// primary lacks more of its clicks than it lacks of the primary's, and the failover retries that
// both hold (pairs of the same click within 10 s) reached the primary later, not earlier.
struct SwapSuspicion {
  std::size_t secondary = 0;        // index into MergeResult::inputs
  std::int64_t primary_lacks = 0;   // the secondary's rows that are (would be) added
  std::int64_t secondary_lacks = 0; // the primary's rows that no row of the secondary matched
  std::int64_t retry_pairs = 0;     // same-key pairs at different instants within 10 s
  std::int64_t retry_median_ns = 0; // their median difference, secondary minus primary
};

// What a merge did (or, in a dry run, would do): everything the report prints.
struct MergeResult {
  std::vector<std::filesystem::path> inputs; // [0] is the primary
  ColumnLayout layout;
  Plan plan;
  Insights insights; // empty in a quiet run
  std::optional<InPlaceSummary> in_place;
  std::vector<SwapSuspicion> swap_suspicions;
  // The click table as the primary names it, and its triggers, which no mode fires (the output
  // and the live primary keep them): every run warns of them.
  std::string table;
  std::vector<std::string> triggers;
  bool dry_run = false;
  bool into_primary = false; // --in-place, a dry run of it too
  std::optional<std::filesystem::path> output;
  std::chrono::nanoseconds window{0};
  std::chrono::duration<double> elapsed{0};
  // When the inputs' snapshots were taken.
  std::chrono::system_clock::time_point snapshot_time;
};

// How a report format writes a file name in its text: display() for a terminal, a code span...
using PathText = std::string (*)(const std::filesystem::path&);

// The warning for `suspicion`, one sentence, file names written by `name`.
std::string swap_warning(const MergeResult& result, const SwapSuspicion& suspicion, PathText name);

// The warning about the target table's triggers (MergeResult::triggers, not empty), one sentence,
// file names written by `name`.
std::string trigger_warning(const MergeResult& result, PathText name);

// The rows a run added to its output or the primary (in a dry run: would add).
std::int64_t rows_added(const MergeResult& result);

// The exit status of a run that succeeded: 0, or with --exit-code 1 when rows_added() > 0.
int success_status(const MergeResult& result, const Options& options);

// The whole pipeline: open the inputs as snapshots, check their schemas, plan, and (unless a dry
// run) write the output atomically, telling `progress` how far it got. Throws Error. With
// --format sql the dry run writes its patch to `patch` (sql_patch.hpp), before it returns.
MergeResult merge(const Options& options, Progress& progress, std::ostream* patch = nullptr);

} // namespace heatmap_merge
