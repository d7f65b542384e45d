#pragma once
// The schema pass of the pipeline (merge.cpp): the inputs' columns matched by name, the refusals
// of what the mode cannot do with them, and the warnings of what the run cannot see or fire.

#include <string>

namespace heatmap_merge {

struct MergeResult;
struct Options;
class Progress;
struct Snapshots;

// A warning: on stderr even in a quiet run, else among the progress lines.
void warn(const std::string& line, const Options& options, Progress& progress);

// Warns of a WAL input with a second hard link and nothing in the -wal beside the name given.
void warn_of_hard_linked_wal(Snapshots& inputs, const Options& options, Progress& progress);

// Matches the schemas by column name, refuses what the mode cannot do with them, and notes the
// primary's table and its triggers, warning of those.
void check_inputs(MergeResult& result,
                  Snapshots& inputs,
                  const Options& options,
                  Progress& progress);

} // namespace heatmap_merge
