#pragma once
// What a merge did (or, in a dry run, would do): the pipeline fills it, every report format reads
// it, and the exit status comes from it. The report layer's model of a run.

#include "plan/insights.hpp"
#include "plan/plan.hpp"
#include "read/schema.hpp"
#include "write/in_place.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace heatmap_merge {

struct Options;

// The fewest retry pairs that must disagree for a swap to be suspected (find_swapped_inputs) and
// for its warning to speak of them: a handful says nothing.
inline constexpr std::int64_t k_swap_min_pairs = 3;

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
  std::optional<InPlaceSummary> in_place_summary;
  std::vector<SwapSuspicion> swap_suspicions;
  // The click table as the primary names it, and its triggers, which no mode fires (the output
  // and the live primary keep them): every run warns of them.
  std::string table;
  std::vector<std::string> triggers;
  bool dry_run = false;
  bool in_place = false; // --in-place, a dry run of it too
  std::optional<std::filesystem::path> output;
  std::chrono::nanoseconds window{0};
  std::chrono::nanoseconds replay_window{0}; // --replay-window; 0: none
  bool remove_replays = false;               // --remove-replays
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

// The primary's replayed duplicates that a run removed (--remove-replays: left out of the
// output, or deleted in place; in a dry run: would remove).
std::int64_t rows_removed(const MergeResult& result);

// The exit status of a run that succeeded: 0, or with --exit-code 1 when rows_added() > 0 or
// rows_removed() > 0.
int success_status(const MergeResult& result, const Options& options);
// The same for --peers: 1 when any node was (would be) given rows.
int success_status(const std::vector<MergeResult>& results, const Options& options);

} // namespace heatmap_merge
