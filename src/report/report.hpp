#pragma once
// The report layer's entry, for app/: write_report, and the inputs' labels and the text widths
// that every format lays out with (report.cpp).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace heatmap_merge {

struct MergeResult;
struct Options;

// True when stdout is a terminal and NO_COLOR is unset.
bool colour_wanted();

// Writes the report of a merge or dry run to `out` in the format the options ask for, and flushes
// it. After a write, a failure (`out` cannot be written, a bug) is an Error whose message starts
// "merged N rows into PATH, but the report failed: ", with the failure's exit code (74, 70).
void write_report(std::ostream& out, const MergeResult& result, const Options& options);

// The report of --peers (pipeline/peers.hpp): each node's merge, in one document of the format
// asked for. A failure after the writes is an Error as write_report's.
void write_peers_report(std::ostream& out,
                        const std::vector<MergeResult>& results,
                        const Options& options);

// Names that tell the inputs apart in the reports' tables and samples, [0] the primary's: the
// file name where the file names differ; else, for the inputs whose names are alike, the fewest
// trailing path parts that differ ("gcp/heatmap.db" and "aws/heatmap.db"); and when two paths end
// alike however far back (one file named twice, "./a.db" and "a.db"), the roles: "primary",
// "secondary", "secondary 2", ... The labels are the paths' own bytes: escape them to print them.
std::vector<std::string> input_labels(const std::vector<std::filesystem::path>& inputs);

// The labels as the inputs' roles: "primary", "secondary", "secondary 2", ...
std::vector<std::string> role_labels(std::size_t inputs);

// How many columns `text` takes on a terminal: its code points, not counting the escape
// sequences of the report's own colours. The text must be valid UTF-8 (terminal_safe's is).
std::size_t text_width(std::string_view text);

// `labels` (valid UTF-8, pairwise different) made at most `width` columns wide each, still
// pairwise different: a longer label loses its start to an ellipsis ("…ary.db"), the end that
// tells file names apart; where that makes two alike, it loses its middle instead. When no cut
// keeps them apart (or `width` is under 4), the labels are returned whole: a column that is too
// wide beats two columns that read the same.
std::vector<std::string> fit_labels(const std::vector<std::string>& labels, std::size_t width);

// `text` broken at spaces into lines of at most `width` columns (text_width), each line after
// the first starting with `indent` spaces; a word longer than a line is cut where it reaches the
// end. No line ends in a newline.
std::vector<std::string>
wrap_text(std::string_view text, std::size_t width, std::size_t indent = 0);

} // namespace heatmap_merge
