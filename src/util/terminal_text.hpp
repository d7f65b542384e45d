#pragma once
// Text from the databases or the command line made safe to print on a terminal (terminal_safe,
// display): used by every message and report.

#include <filesystem>
#include <string>
#include <string_view>

namespace heatmap_merge {

// What terminal_safe does with a backslash.
enum class Backslash {
  // "\\": an escape in the result then always stands for what was there, never for text that
  // happened to look like one. For values from the data, names and paths.
  escape,
  // Kept as it is, so that text already made terminal-safe passes unchanged: for a last pass over
  // a whole message whose parts were escaped where they were put in (and SQLite's own words).
  keep,
};

// Text from the databases (page URLs, user agents, any value, table and column names) or from
// the command line, made safe to print on a terminal: printable UTF-8 passes unchanged; control
// characters (C0, DEL, C1) and every byte of invalid UTF-8 become "\x1b" (per byte, lowercase);
// the bidirectional controls that reorder what follows them on screen (Trojan Source) and the
// Unicode line and paragraph separators become "\u{202e}". A hostile value can then neither
// drive the terminal (retitle, clear, move the cursor) nor forge a line or hide text.
std::string terminal_safe(std::string_view text, Backslash backslash = Backslash::escape);

// A table or column name for a message or the text report: quoted as in SQL ("a""b"), so that
// where it starts and ends shows, and terminal_safe, as names come from the user's databases.
std::string display_name(const std::string& name);

// A path as people write it, without fmt's quoting of std::filesystem::path, and safe for a
// terminal (terminal_safe): for messages and the text reports. The JSON report takes the path
// itself.
std::string display(const std::filesystem::path& path);

} // namespace heatmap_merge
