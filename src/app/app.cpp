// The program around the merge: main()'s process settings, the command line, the report to
// stdout and the exit status; an error as a message on stderr (and JSON with --format json).
#include "app/app.hpp"

#include "pipeline/merge.hpp"
#include "pipeline/peers.hpp"
#include "report/report.hpp"
#include "util/error.hpp"
#include "util/options.hpp"
#include "util/progress.hpp"
#include "util/terminal_text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <malloc.h>
#include <optional>
#include <string>

namespace heatmap_merge {

namespace {

// With --format json a failure is a JSON object on stdout as well, so that monitoring reads the
// exit code and the file, never the English on stderr. format_version is the JSON report's
// (report_json.cpp): the two are one interface. The message is the raw text (JSON escapes
// control characters itself); invalid UTF-8 becomes U+FFFD, as in the report.
void write_json_error(ExitCode code,
                      const std::string& message,
                      const std::optional<std::filesystem::path>& file) {
  const nlohmann::json object = {
    {"format_version", 1},
    {"error",
     {{"exit_code", static_cast<int>(code)},
      {"code", exit_code_name(code)},
      {"message", message},
      {"file", file ? nlohmann::json(file->string()) : nlohmann::json(nullptr)}}},
  };
  std::cout << object.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  std::cout.flush();
}

} // namespace

int run_command_line(int argc, const char* const* argv) {
  // Past a file size limit (ulimit -f) a write should fail with EFBIG and exit 74, not kill us.
  std::signal(SIGXFSZ, SIG_IGN);
  // Memory statistics take a global mutex on every allocation SQLite makes; nothing reads them.
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  // Buffers of 1 MiB and up (keys, runs, planned rows) are mapped apart and unmapped when freed.
  // glibc would raise this threshold to the largest block freed so far (up to 32 MiB): each
  // phase's buffers then stay in the heap of the thread that used them, and --memory-limit
  // would bound each phase but not the run (101 MiB against 65 at 64MiB, 16M rows).
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  // Known before the command line is parsed, so that a usage error too comes as JSON.
  ReportFormat format = ReportFormat::text;
  try {
    const std::optional<Options> options = parse_command_line(argc, argv, std::cout, format);
    if (!options) {
      return 0;
    }
    format = options->format;
    // Tests set HEATMAP_MERGE_PROGRESS_DELAY_MS to see progress from a short run.
    const char* delay = std::getenv("HEATMAP_MERGE_PROGRESS_DELAY_MS");
    Progress progress(Progress::wanted(stderr, options->verbosity < 0),
                      std::chrono::milliseconds(delay != nullptr ? std::atol(delay) : 1000),
                      options->verbosity > 0,
                      stderr,
                      options->verbosity < 0);
    // --exit-code: 1 when rows were (would be) added, like git diff's; errors keep their codes.
    int status = 0;
    if (options->peers && !options->output) {
      const std::vector<MergeResult> results = merge_peers(*options, progress);
      if (options->verbosity >= 0) {
        write_peers_report(std::cout, results, *options);
      }
      status = success_status(results, *options);
    } else {
      const MergeResult result = merge(*options, progress, &std::cout);
      if (options->verbosity >= 0) {
        write_report(std::cout, result, *options);
      }
      status = success_status(result, *options);
    }
    errno = 0;
    std::cout.flush();
    if (!std::cout) {
      throw stdout_error("the report");
    }
    return status;
  } catch (const Error& error) {
    // Names and paths were made terminal-safe where the message was put together; this catches
    // the rest, above all SQLite's own messages, which can quote a name or a value from the
    // data. Backslashes are kept so that the escapes already there show as they are.
    fmt::print(stderr, "heatmap-merge: error: {}\n", terminal_safe(error.what(), Backslash::keep));
    if (!error.hint().empty()) {
      fmt::print(stderr, "{}\n", error.hint());
    }
    if (format == ReportFormat::json) {
      write_json_error(error.code(), error.what(), error.file());
    }
    return static_cast<int>(error.code());
  } catch (const std::exception& error) {
    // Anything else is a bug; EX_SOFTWARE says so.
    fmt::print(
      stderr, "heatmap-merge: internal error: {}\n", terminal_safe(error.what(), Backslash::keep));
    if (format == ReportFormat::json) {
      write_json_error(ExitCode::software, error.what(), std::nullopt);
    }
    return static_cast<int>(ExitCode::software);
  }
}

} // namespace heatmap_merge
