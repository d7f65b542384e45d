#pragma once

#include <iosfwd>

namespace heatmap_merge {

struct MergeResult;
struct Options;

// True when stdout is a terminal and NO_COLOR is unset.
bool colour_wanted();

// Writes the report of a merge or dry run to `out` in the format the options ask for.
void write_report(std::ostream& out, const MergeResult& result, const Options& options);

} // namespace heatmap_merge
