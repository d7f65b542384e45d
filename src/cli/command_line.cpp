// The command line's entry (parse_command_line(), util/options.hpp): CLI11 parses the arguments
// and any --config file into the values of options.cpp, its errors become usage errors (exit 64)
// that say what is wrong and where, and the values become Options.
#include "util/options.hpp"

#include "cli/config_file.hpp"
#include "cli/help.hpp"
#include "cli/options.hpp"
#include "cli/suggest.hpp"
#include "read/schema.hpp"
#include "util/error.hpp"
#include "util/terminal_text.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace heatmap_merge {

namespace {

// The --format the arguments ask for, read before CLI11 parses them so that even a command line
// that fails to parse gets its error in that format. The last one before "--" wins.
std::optional<std::string> format_in_arguments(int argc, const char* const* argv) {
  std::optional<std::string> format;
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    if (argument == "--") {
      break;
    }
    if (argument == "--format" && i + 1 < argc) {
      format = argv[++i];
    } else if (argument.substr(0, 9) == "--format=") {
      format = std::string(argument.substr(9));
    }
  }
  return format;
}

// An argument CLI11 did not take: a misspelled option, most likely, so name the nearest one.
Error unknown_option_error(const CLI::App& app) {
  for (const std::string& argument : app.remaining()) {
    if (argument.size() < 2 || argument[0] != '-') {
      continue;
    }
    const std::string option = argument.substr(0, argument.find('='));
    const std::optional<std::string> nearest =
      option.compare(0, 2, "--") == 0 ? nearest_long_name(app, option.substr(2)) : std::nullopt;
    return Error(ExitCode::usage,
                 nearest ? fmt::format("unknown option {} (did you mean --{}?)", option, *nearest)
                         : fmt::format("unknown option {}", option))
      .with_hint(help_hint());
  }
  return Error(ExitCode::usage,
               fmt::format("unexpected arguments: {}", fmt::join(app.remaining(), " ")))
    .with_hint(help_hint());
}

// CLI11 says only "... was not readable (missing?)": say why.
Error config_file_error(const CLI::App& app) {
  for (const std::string& name : app.get_config_ptr()->results()) {
    const std::filesystem::path file = name;
    std::error_code error;
    if (std::filesystem::is_directory(file, error)) {
      return Error(
        ExitCode::usage,
        fmt::format("cannot read the --config file {}: it is a directory", display(file)),
        file);
    }
    std::ifstream input(file);
    if (!input) {
      return Error(
        ExitCode::usage,
        fmt::format("cannot read the --config file {}: {}", display(file), std::strerror(errno)),
        file);
    }
  }
  return Error(ExitCode::usage, "cannot read the --config file");
}

// CLI11's "--keep-backups requires --in-place", with the file and line of the setting behind it
// when a --config file made it: the operator then knows where to look.
std::string with_origin(const CLI::App& app, const ConfigReader& config, std::string message) {
  const std::string first = message.substr(0, message.find(' '));
  for (const CLI::Option* option : all_options(app)) {
    const std::string from = config.origin(option);
    if (from.empty() || option->get_lnames().empty()) {
      continue;
    }
    const std::string name = "--" + option->get_lnames().front();
    if (name == first) {
      return fmt::format("{}: {}", from, message);
    }
    if (message.find(name) != std::string::npos) {
      message += fmt::format(" ({} is set in {})", name, from);
    }
  }
  return message;
}

// Returns false when --help or --version was printed to `out` instead.
bool parse(
  CLI::App& app, const ConfigReader& config, int argc, const char* const* argv, std::ostream& out) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return false;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return false;
  } catch (const CLI::CallForVersion&) {
    out << app.version() << '\n';
    return false;
  } catch (const CLI::ExtrasError&) {
    throw unknown_option_error(app);
  } catch (const CLI::RequiredError& error) {
    if (app.get_option("inputs")->count() == 0) {
      throw Error(ExitCode::usage,
                  "no databases given: name PRIMARY and at least one SECONDARY database")
        .with_hint(usage_hint(app));
    }
    throw Error(ExitCode::usage, error.what()).with_hint(help_hint());
  } catch (const CLI::FileError&) {
    throw config_file_error(app);
  } catch (const CLI::RequiresError& error) {
    throw Error(ExitCode::usage, with_origin(app, config, error.what())).with_hint(help_hint());
  } catch (const CLI::ExcludesError& error) {
    throw Error(ExitCode::usage, with_origin(app, config, error.what())).with_hint(help_hint());
  } catch (const CLI::ParseError& error) {
    // CLI11's own exit codes (100 and up) are not ours: every parse error is a usage error.
    throw Error(ExitCode::usage, error.what()).with_hint(help_hint());
  }
  return true;
}

std::vector<std::string> split_keys(const std::string& keys) {
  // Split by hand: a vector option with a delimiter would also swallow the inputs after it.
  std::vector<std::string> columns;
  for (std::size_t start = 0;;) {
    const std::size_t comma = keys.find(',', start);
    columns.push_back(keys.substr(start, comma - start));
    if (comma == std::string::npos) {
      break;
    }
    start = comma + 1;
  }
  return columns;
}

// The checks of --peers and --remove-replays, once --output and --replay-window are known; with
// --peers, -o's union leaves the first node's replayed duplicates out as --remove-replays does.
void check_replay_options(const ParsedValues& values,
                          Options& options,
                          const std::function<std::string(const char*)>& from) {
  if (options.peers && values.inputs.size() > 2) {
    // Merged at once, a node's merge sees rows that the merges before it gave the nodes before
    // it from a third node: the order of the nodes changes what one is given, and a dry run,
    // which gives nothing, does not predict the run. Two at a time, each pair in turn, is sound.
    throw Error(ExitCode::usage,
                from("peers") +
                  fmt::format("--peers takes two nodes, not {}: ", values.inputs.size()) +
                  (options.output ? "write the union two nodes at a time (-o ab.db --peers a.db "
                                    "b.db, then -o abc.db --peers ab.db c.db)"
                                  : "run it on two nodes at a time, each pair in turn (a.db "
                                    "b.db, then a.db c.db, then b.db c.db)"));
  }
  if (options.peers && values.format == "sql") {
    // A patch is applied to one primary; with peers each node would need its own.
    throw Error(ExitCode::usage,
                from("peers") + "--peers with --format sql: a patch is for one primary; make "
                                "one per node, each node first (-n --format sql NODE OTHERS...)");
  }
  if (options.remove_replays && options.replay_window.count() == 0) {
    throw Error(ExitCode::usage,
                from("remove-replays") + "--remove-replays removes the primary's replayed "
                                         "duplicates, which --replay-window finds: give "
                                         "--replay-window DURATION (10m, 24h)");
  }
  if (options.peers && options.output) {
    // No node is the primary: the union holds each click once, the first node's replayed
    // duplicates left out as the others' are.
    options.remove_replays = options.replay_window.count() > 0;
  }
  if (options.remove_replays && values.format == "sql") {
    // A patch only adds rows: deleting rows on another host, with their re-checks, is left to
    // --in-place there.
    throw Error(ExitCode::usage,
                from("format") + "--format sql does not remove rows: run --remove-replays with "
                                 "--in-place on the host of the primary (or with --output)");
  }
}

// Completes `options` from `values`. `from(name)` is "FILE:LINE: " when the long option `name`
// got its value from a --config file, for the messages, else empty.
void to_options(const ParsedValues& values,
                Options& options,
                const std::function<std::string(const char*)>& from) {
  if (values.inputs.size() < 2) {
    throw Error(ExitCode::usage, "expected PRIMARY and at least one SECONDARY database")
      .with_hint(help_hint());
  }
  options.primary = values.inputs.front();
  options.secondaries.assign(values.inputs.begin() + 1, values.inputs.end());
  if (values.output == "-") {
    // Not stdout: the output is a database, written beside its target and renamed over it.
    throw Error(ExitCode::usage,
                from("output") +
                  "--output -: a database cannot be written to standard output; give a file "
                  "path (./- for a file named '-')");
  }
  if (values.format == "sql" && !options.dry_run) {
    // The patch is what a dry run predicts, to be applied elsewhere; with a write it would come
    // too late to review.
    throw Error(ExitCode::usage,
                from("format") + "--format sql writes a patch to apply later instead of "
                                 "merging: add --dry-run (-n)");
  }
  if (!values.output.empty()) {
    options.output = values.output;
  } else if (!options.dry_run && !options.in_place) {
    throw Error(ExitCode::usage,
                "say where to write the result with --output PATH, or use --in-place or --dry-run");
  }
  if (!values.backup_dir.empty()) {
    options.backup_dir = values.backup_dir;
  }
  options.format = report_format(values.format);
  options.verify = !values.no_verify;

  // The checks on both options have passed: these only convert.
  const auto [window, window_problem] = read_duration(values.window, k_window_rule);
  if (!window) {
    throw Error(ExitCode::usage, fmt::format("--window: {}", window_problem));
  }
  options.window = *window;
  const auto [replay_window, replay_problem] = read_duration(values.replay_window, k_window_rule);
  if (!replay_window) {
    throw Error(ExitCode::usage, fmt::format("--replay-window: {}", replay_problem));
  }
  options.replay_window = *replay_window;
  check_replay_options(values, options, from);
  const auto [lock_timeout, lock_timeout_problem] =
    read_duration(values.lock_timeout, k_lock_timeout_rule);
  if (!lock_timeout) {
    throw Error(ExitCode::usage, fmt::format("--lock-timeout: {}", lock_timeout_problem));
  }
  options.lock_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*lock_timeout);
  const auto [max_lock_hold, max_lock_hold_problem] =
    read_duration(values.max_lock_hold, k_max_lock_hold_rule);
  if (!max_lock_hold) {
    throw Error(ExitCode::usage, fmt::format("--max-lock-hold: {}", max_lock_hold_problem));
  }
  options.max_lock_hold = std::chrono::duration_cast<std::chrono::milliseconds>(*max_lock_hold);
  options.key_columns = split_keys(values.keys);
  options.verbosity = values.quiet ? -1 : values.verbose;
}

void check_identifier(const std::string& what, const std::string& name) {
  if (name.empty()) {
    throw Error(ExitCode::usage, fmt::format("{} must not be empty", what));
  }
  if (name.find('\0') != std::string::npos) {
    throw Error(ExitCode::usage, fmt::format("{} must not contain a NUL byte", what));
  }
}

// Checks the table and column names. Names compare as SQLite compares them (same_name()), so
// "--key X,x" names one column twice.
void check_names(const Options& options) {
  check_identifier("--table", options.table);
  check_identifier("--time-column", options.time_column);
  const std::vector<std::string>& keys = options.key_columns;
  if (keys.empty()) {
    throw Error(ExitCode::usage, "--key needs at least one column");
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    check_identifier("--key column", keys[i]);
    const bool named_before =
      std::any_of(keys.begin(),
                  keys.begin() + static_cast<std::ptrdiff_t>(i),
                  [&](const std::string& earlier) { return same_name(earlier, keys[i]); });
    if (named_before) {
      throw Error(ExitCode::usage, fmt::format("--key names column '{}' twice", keys[i]));
    }
  }
  const bool names_time_column =
    std::any_of(keys.begin(), keys.end(), [&](const std::string& column) {
      return same_name(column, options.time_column);
    });
  if (names_time_column) {
    throw Error(ExitCode::usage,
                fmt::format("--key must not name the time column '{}'", options.time_column));
  }
}

} // namespace

const char* version() {
  return HEATMAP_MERGE_VERSION;
}

std::optional<Options> parse_command_line(int argc,
                                          const char* const* argv,
                                          std::ostream& out,
                                          ReportFormat& error_format) {
  // The format of an error is known before anything can fail: from the arguments first, else
  // from a --config file's format key as soon as it is read.
  const std::optional<std::string> format_argument = format_in_arguments(argc, argv);
  if (format_argument && known_format(*format_argument)) {
    error_format = report_format(*format_argument);
  }
  Options options;
  ParsedValues values;
  CLI::App app{"Consolidate the SQLite click databases (heatmap.db) of service replicas into\n"
               "one, removing duplicate click rows by a timestamp + coordinate key.",
               "heatmap-merge"};
  add_options(app, options, values);
  const auto config = std::make_shared<ConfigReader>(app, [&](const std::string& format) {
    if (!format_argument && known_format(format)) {
      error_format = report_format(format);
    }
  });
  app.config_formatter(config);
  if (!parse(app, *config, argc, argv, out)) {
    return std::nullopt;
  }
  const auto from = [&](const char* name) {
    const std::string origin = config->origin(app.get_option_no_throw(std::string("--") + name));
    return origin.empty() ? origin : origin + ": ";
  };
  to_options(values, options, from);
  try {
    check_names(options);
  } catch (const Error& error) {
    // "--key names column 'x' twice": the setting behind it, if a file made it.
    for (const char* name : {"table", "time-column", "key"}) {
      const std::string what = error.what();
      if (what.compare(0, std::strlen(name) + 2, std::string("--") + name) == 0) {
        throw Error(ExitCode::usage, from(name) + what);
      }
    }
    throw;
  }

  // For tests and for ruling an optimisation out when something looks wrong: not an option, so
  // that no config file or cron line comes to depend on it.
  const char* plain = std::getenv("HEATMAP_MERGE_NO_OPTIMIZATIONS");
  if (plain != nullptr && *plain != '\0' && std::string_view(plain) != "0") {
    options.optimizations = Optimizations{false, false, false, false, false, false, false};
  }
  return options;
}

WriteMode write_mode(const Options& options) {
  if (options.dry_run) {
    return WriteMode::dry_run;
  }
  return options.in_place ? WriteMode::in_place : WriteMode::new_output;
}

} // namespace heatmap_merge
