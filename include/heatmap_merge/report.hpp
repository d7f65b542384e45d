#pragma once

#include <iosfwd>

namespace heatmap_merge {

struct MergeResult;
struct Options;

// Writes the report of a merge or dry run to `out` in the format the options ask for.
void write_report(std::ostream& out, const MergeResult& result, const Options& options);

} // namespace heatmap_merge
