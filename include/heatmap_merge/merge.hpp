#pragma once

#include "heatmap_merge/in_place.hpp"
#include "heatmap_merge/insights.hpp"
#include "heatmap_merge/plan.hpp"
#include "heatmap_merge/schema.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <vector>

namespace heatmap_merge {

struct Options;
class Progress;

// What a merge did (or, in a dry run, would do): everything the report prints.
struct MergeResult {
  std::vector<std::filesystem::path> inputs; // [0] is the primary
  ColumnLayout layout;
  Plan plan;
  Insights insights; // empty in a quiet run
  std::optional<InPlaceSummary> in_place;
  bool dry_run = false;
  std::optional<std::filesystem::path> output;
  std::chrono::nanoseconds window{0};
  std::chrono::duration<double> elapsed{0};
};

// The whole pipeline: open the inputs as snapshots, check their schemas, plan, and (unless a dry
// run) write the output atomically, telling `progress` how far it got. Throws Error.
MergeResult merge(const Options& options, Progress& progress);

} // namespace heatmap_merge
