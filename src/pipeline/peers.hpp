#pragma once
// --peers (pipeline/peers.cpp): nodes that each take every click, none the primary. A dry run or
// --in-place runs one merge per node, below the app like merge().

#include "report/merge_result.hpp"

#include <vector>

namespace heatmap_merge {

struct Options;
class Progress;

// One merge per node (merge() with Options::peers still set, which only silences the warning
// of swapped inputs), in the order given, each node the primary of its own and the other nodes
// its secondaries (in the order given): what each node lacks (a dry run), or that added to it
// (--in-place). A node's merge sees the rows the merges before it added: with two nodes, which is
// all the command line lets through (cli/command_line.cpp), copies of rows of the node it is
// merged with, which pair with them exactly. Throws Error; when a later node fails
// after an earlier one was written, the message says what was written first.
std::vector<MergeResult> merge_peers(const Options& options, Progress& progress);

} // namespace heatmap_merge
