#pragma once
// The pipeline's entry: merge() runs a merge as its list of passes (merge.cpp), below the app.

#include "report/merge_result.hpp"

#include <chrono>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace heatmap_merge {

struct Options;
class Progress;

// The whole pipeline: open the inputs as snapshots, check their schemas, plan, and (unless a dry
// run) write the output atomically, telling `progress` how far it got. Throws Error. With
// --format sql the dry run writes its patch to `patch` (write/sql_patch.hpp), before it returns.
MergeResult merge(const Options& options, Progress& progress, std::ostream* patch = nullptr);

} // namespace heatmap_merge
