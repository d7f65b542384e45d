#pragma once
// The options of the command line as CLI11 declares them (options.cpp): what each takes and
// checks, and the values they parse into before the entry (command_line.cpp) makes Options.

#include "util/duration.hpp"
#include "util/options.hpp"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace heatmap_merge {

// The values CLI11 parses into that Options holds in another form (a path, a duration, an enum)
// or not at all. to_options() (command_line.cpp) turns them into Options.
struct ParsedValues {
  std::vector<std::string> inputs;
  std::string output;
  std::string backup_dir;
  bool no_verify = false;
  std::string keys = "page_url,x,y";
  std::string window = "0";
  std::string replay_window = "0";
  std::string lock_timeout = "5s";
  std::string max_lock_hold = "1s";
  std::string format = "text";
  bool quiet = false;
  int verbose = 0;
};

// How --window (and --replay-window), --lock-timeout and --max-lock-hold read their DURATION.
extern const DurationRule k_window_rule;
extern const DurationRule k_lock_timeout_rule;
extern const DurationRule k_max_lock_hold_rule;

// Sets up `app` to parse into `options` and `values`: every option, --help, --version and
// --config, in their groups, with the help formatter.
void add_options(CLI::App& app, Options& options, ParsedValues& values);

// Whether `name` is a report format (--format's check).
bool known_format(const std::string& name);
// The format named `name`, which known_format() accepts.
ReportFormat report_format(const std::string& name);

// Every option of `app`, those in option groups included.
std::vector<const CLI::Option*> all_options(const CLI::App& app);

} // namespace heatmap_merge
