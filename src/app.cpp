#include "heatmap_merge/app.hpp"

#include "heatmap_merge/error.hpp"
#include "heatmap_merge/merge.hpp"
#include "heatmap_merge/options.hpp"
#include "heatmap_merge/progress.hpp"
#include "heatmap_merge/report.hpp"
#include "heatmap_merge/terminal_text.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <csignal>
#include <cstdlib>
#include <iostream>

namespace heatmap_merge {

int run_command_line(int argc, const char* const* argv) {
  // Past a file size limit (ulimit -f) a write should fail with EFBIG and exit 74, not kill us.
  std::signal(SIGXFSZ, SIG_IGN);
  // Memory statistics take a global mutex on every allocation SQLite makes; nothing reads them.
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  try {
    const std::optional<Options> options = parse_command_line(argc, argv, std::cout);
    if (!options) {
      return 0;
    }
    // Tests set HEATMAP_MERGE_PROGRESS_DELAY_MS to see progress from a short run.
    const char* delay = std::getenv("HEATMAP_MERGE_PROGRESS_DELAY_MS");
    Progress progress(Progress::wanted(stderr, options->verbosity < 0),
                      std::chrono::milliseconds(delay != nullptr ? std::atol(delay) : 1000),
                      options->verbosity > 0,
                      stderr,
                      options->verbosity < 0);
    const MergeResult result = merge(*options, progress);
    if (options->verbosity >= 0) {
      write_report(std::cout, result, *options);
    }
    std::cout.flush();
    if (!std::cout) {
      throw Error(ExitCode::io, "cannot write the report to standard output");
    }
    return 0;
  } catch (const Error& error) {
    // Names and paths were made terminal-safe where the message was put together; this catches
    // the rest, above all SQLite's own messages, which can quote a name or a value from the
    // data. Backslashes are kept so that the escapes already there show as they are.
    fmt::print(stderr, "heatmap-merge: error: {}\n", terminal_safe(error.what(), Backslash::keep));
    return static_cast<int>(error.code());
  } catch (const std::exception& error) {
    // Anything else is a bug; EX_SOFTWARE says so.
    fmt::print(
      stderr, "heatmap-merge: internal error: {}\n", terminal_safe(error.what(), Backslash::keep));
    return static_cast<int>(ExitCode::software);
  }
}

} // namespace heatmap_merge
