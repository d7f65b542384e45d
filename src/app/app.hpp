#pragma once
// The app layer: the whole command, from argv to the exit status, with the process settings.

namespace heatmap_merge {

// The command-line tool: parses the options, merges, reports; returns the exit status. Errors
// are printed once, here, as "heatmap-merge: error: ...".
int run_command_line(int argc, const char* const* argv);

} // namespace heatmap_merge
