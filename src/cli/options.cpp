#include "util/options.hpp"

#include "cli/command_line.hpp"
#include "util/error.hpp"
#include "read/schema.hpp"
#include "util/terminal_text.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdint>
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
#include <utility>
#include <vector>

namespace heatmap_merge {

namespace {

// The one list of report formats: the --format check and its help text are made from it. A
// vector, not a map, because the help text and CLI11's "not in {...}" message list the formats in
// this order.
const std::vector<std::pair<std::string, ReportFormat>> k_formats = {
  {"text", ReportFormat::text},
  {"json", ReportFormat::json},
  {"markdown", ReportFormat::markdown},
  {"html", ReportFormat::html},
  {"summary", ReportFormat::summary},
  {"sql", ReportFormat::sql},
};

// --memory-limit's minimum and default as SIZE text, for the messages and --help: both are whole
// MiB, so that "1MiB" and "128MiB" say exactly what the constants hold.
static_assert(k_min_memory_limit % (std::uint64_t{1} << 20) == 0);
static_assert(k_default_memory_limit % (std::uint64_t{1} << 20) == 0);
std::string mib_text(std::uint64_t bytes) {
  return fmt::format("{}MiB", bytes >> 20);
}

// The values CLI11 parses into that Options holds in another form (a path, a duration, an enum)
// or not at all. to_options() turns them into Options.
struct ParsedValues {
  std::vector<std::string> inputs;
  std::string output;
  std::string backup_dir;
  bool no_verify = false;
  std::string keys = "page_url,x,y";
  std::string window = "0";
  std::string lock_timeout = "5s";
  std::string max_lock_hold = "1s";
  std::string format = "text";
  bool quiet = false;
  int verbose = 0;
};

// --window: only 0 goes without a unit, since "2" could be seconds or milliseconds; a week is
// parse_duration()'s own limit.
const DurationRule k_window_rule{
  "", std::chrono::hours(168), "168h (one week)", "0, 1500ms, 2s, 0.5s"};
// --lock-timeout: a plain number is seconds, as it always was; an hour at most, as before.
const DurationRule k_lock_timeout_rule{"s", std::chrono::hours(1), "1h", "5, 30s, 1500ms, 1m"};
// --max-lock-hold: a unit always, as for --window (0 refuses every rollback-journal input that
// would need its lock held at all); an hour at most, as --lock-timeout.
const DurationRule k_max_lock_hold_rule{"", std::chrono::hours(1), "1h", "1s, 250ms, 30s"};

// "text, json, markdown or html".
std::string format_list() {
  std::string list;
  for (std::size_t i = 0; i < k_formats.size(); ++i) {
    if (i > 0) {
      list += i + 1 == k_formats.size() ? " or " : ", ";
    }
    list += k_formats[i].first;
  }
  return list;
}

// `name` has passed the IsMember check made from k_formats, so it is in the list.
ReportFormat report_format(const std::string& name) {
  const auto it = std::find_if(
    k_formats.begin(), k_formats.end(), [&](const std::pair<std::string, ReportFormat>& entry) {
      return entry.first == name;
    });
  return it->second;
}

// `text` as "64MiB" for AsSizeValue: without outer blanks, leading zeros or blanks before the
// unit ("0064 MiB" is "64MiB"). Empty when `text` is not decimal digits and an optional unit of
// letters, or its number is past 2^64-1.
std::string decimal_size(const std::string& text) {
  const std::size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) {
    return {};
  }
  const std::string_view size =
    std::string_view(text).substr(begin, text.find_last_not_of(" \t") + 1 - begin);
  const std::size_t digits = std::min(size.find_first_not_of("0123456789"), size.size());
  std::uint64_t number = 0;
  const auto [end, status] = std::from_chars(size.data(), size.data() + digits, number);
  if (digits == 0 || status != std::errc{}) {
    return {};
  }
  std::string_view unit = size.substr(digits);
  unit.remove_prefix(std::min(unit.find_first_not_of(" \t"), unit.size()));
  const bool letters = std::all_of(unit.begin(), unit.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0;
  });
  if (!letters) {
    return {};
  }
  return fmt::format("{}{}", number, unit);
}

// --memory-limit's SIZE, turned into a number of bytes by CLI11's AsSizeValue(true): units in any
// case, KB (or K), MB, GB... are powers of 1000 and KiB (or Ki), MiB, GiB... powers of 1024, as
// the man page says; a number without a unit is bytes. AsSizeValue reads the number with
// strtoull(base 0), which would take "-1" for 2^64-1 (no limit at all, on a 1 GB VM), "0x10" for
// hex, "010" for octal and a number past 2^64-1 for 2^64-1: decimal_size() hands it only plain
// decimal that fits. Every refusal says what is allowed, because a cron job's mail is all its
// author will see.
CLI::Validator memory_limit_size() {
  const CLI::Validator as_size = CLI::AsSizeValue(true);
  return CLI::Validator(
    [as_size](std::string& value) -> std::string {
      const std::string not_a_size = fmt::format("'{}' is not a size (a whole number and a unit, "
                                                 "such as 64MiB, 512MiB or 2GiB; at least {})",
                                                 value,
                                                 mib_text(k_min_memory_limit));
      std::string size = decimal_size(value);
      if (size.empty()) {
        return not_a_size;
      }
      try {
        if (!as_size(size).empty()) {
          return not_a_size;
        }
      } catch (const CLI::ValidationError&) {
        // An unknown unit, or a product past 2^64-1. CLI11's own message would list every unit
        // of its table, bare "k" and "mi" included, and not say what the option wants.
        return not_a_size;
      }
      std::uint64_t bytes = 0;
      const auto [end, status] = std::from_chars(size.data(), size.data() + size.size(), bytes);
      if (status != std::errc{} || end != size.data() + size.size()) {
        return not_a_size;
      }
      if (bytes < k_min_memory_limit) {
        return fmt::format("'{}' is {} bytes, less than the minimum {} ({} bytes)",
                           value,
                           bytes,
                           mib_text(k_min_memory_limit),
                           k_min_memory_limit);
      }
      value = size;
      return std::string{};
    },
    // Empty, so that --help shows SIZE, not CLI11's "SIZE [b, kb(=1000b), kib(=1024b), ...]".
    "");
}

void add_output_options(CLI::App& app, Options& options, ParsedValues& values) {
  CLI::Option_group* group = app.add_option_group("Output");
  CLI::Option* output_option =
    group
      ->add_option(
        "-o,--output", values.output, "Write the consolidated database to PATH (a new file)")
      ->type_name("PATH");
  CLI::Option* force_option =
    group->add_flag("-f,--force", options.force, "Replace PATH if it exists");
  CLI::Option* in_place_option =
    group->add_flag("--in-place",
                    options.in_place,
                    "Merge into PRIMARY itself, in short transactions, after backing it up");
  group->add_option("--backup-dir", values.backup_dir, "Write the --in-place backup in DIR")
    ->type_name("DIR")
    ->needs(in_place_option);
  group
    ->add_option("--keep-backups",
                 options.keep_backups,
                 "After --in-place, keep only the newest N backups of PRIMARY (default: all)")
    ->type_name("N")
    ->check(CLI::Validator(
      [](std::string& value) -> std::string {
        // Whole decimal digits only: "0", "-1" and "3x" would otherwise say "not in range".
        const bool digits = !value.empty() && value.size() <= 6 &&
                            value.find_first_not_of("0123456789") == std::string::npos;
        if (!digits || std::stoul(value) == 0) {
          return fmt::format("'{}' is not a number of backups to keep (1 to 999999)", value);
        }
        return std::string{};
      },
      ""))
    ->needs(in_place_option);
  // Named for its risk: a service that inserts by position fails on every insert after it.
  group
    ->add_flag("--alter-live-table",
               options.alter_live_table,
               "Let --in-place add columns to the live table; a service that inserts by "
               "position breaks")
    ->needs(in_place_option);
  in_place_option->excludes(output_option)->excludes(force_option);
  // -n with an output (say from a cron job's --config) is a dry run of that job.
  group->add_flag("-n,--dry-run", options.dry_run, "Plan and report, write nothing");
  group->add_flag("--exit-code",
                  options.exit_code,
                  "Exit 1 if rows were added (or would be, with -n), 0 if none");
  group->add_flag("--no-verify",
                  values.no_verify,
                  "Skip the integrity check (PRAGMA quick_check) of the primary's snapshot");
}

void add_matching_options(CLI::App& app, Options& options, ParsedValues& values) {
  CLI::Option_group* group = app.add_option_group("Matching");
  group->add_option("--table", options.table, "The click table")
    ->type_name("NAME")
    ->capture_default_str();
  group->add_option("--time-column", options.time_column, "The timestamp column")
    ->type_name("COL")
    ->capture_default_str();
  group->add_option("--key", values.keys, "The other key columns, comma-separated")
    ->type_name("COLS")
    ->capture_default_str();
  group
    ->add_option("--window",
                 values.window,
                 "Also match rows whose times differ by at most DURATION (1500ms, 2s)")
    ->type_name("DURATION")
    ->check(duration_validator(k_window_rule))
    ->capture_default_str();
  group
    ->add_option("--lock-timeout",
                 values.lock_timeout,
                 "Wait up to DURATION for a locked input before exit 75 (30s, 1m; a plain "
                 "number is seconds; at most 1h)")
    ->type_name("DURATION")
    ->check(duration_validator(k_lock_timeout_rule))
    ->capture_default_str();
  group
    ->add_option("--max-lock-hold",
                 values.max_lock_hold,
                 "Hold a rollback-journal input's read lock (the service's writers wait) at most "
                 "DURATION: copy a larger input under it, refuse with exit 75 one whose copy "
                 "would take longer (250ms, 5s)")
    ->type_name("DURATION")
    ->check(duration_validator(k_max_lock_hold_rule))
    ->capture_default_str();
  // Beside --lock-timeout: both bound how the run treats the machine, not what it plans. Bound
  // to Options directly, since the validator hands it a plain number of bytes.
  group
    ->add_option("--memory-limit",
                 options.memory_limit,
                 "Keep keys and plan in memory up to SIZE (64MiB, 1GiB); spill to disk beyond it")
    ->type_name("SIZE")
    ->transform(memory_limit_size())
    ->default_str(mib_text(k_default_memory_limit));
}

void add_report_options(CLI::App& app, ParsedValues& values) {
  CLI::Option_group* group = app.add_option_group("Report");
  group
    ->add_option(
      "--format", values.format, fmt::format("Report format on stdout: {}", format_list()))
    ->type_name("FMT")
    ->check(CLI::IsMember(k_formats))
    ->capture_default_str();
  CLI::Option* quiet_option =
    group->add_flag("-q,--quiet", values.quiet, "Print nothing on success");
  group
    ->add_flag("-v,--verbose",
               values.verbose,
               "Add sample rows to the report; log on stderr each phase's duration and rows, the "
               "rows on pages the primary holds byte for byte, and any spill to disk")
    ->excludes(quiet_option);
}

// Sets up `app` to parse into `options` and `values`.
void add_options(CLI::App& app, Options& options, ParsedValues& values) {
  // The SQLite that runs, not the one built against: Debian's security updates replace it.
  app.set_version_flag(
    "--version", fmt::format("heatmap-merge {} (SQLite {})", version(), sqlite3_libversion()));
  app.set_config("--config", "", "Read long options from FILE, TOML: one key = value a line")
    ->type_name("FILE");
  // A misspelled key in a cron job's config must fail loudly, not be ignored. ConfigReader
  // refuses it first, naming the file and line.
  app.allow_config_extras(CLI::config_extras_mode::error);
  // Before the option groups, which take the formatter they are created with.
  app.formatter(std::make_shared<HelpFormatter>());
  app.get_formatter()->column_width(26);

  app.add_option("inputs", values.inputs, "PRIMARY then one or more SECONDARY databases")
    ->type_name("PRIMARY SECONDARY...")
    ->required();
  add_output_options(app, options, values);
  add_matching_options(app, options, values);
  add_report_options(app, values);
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
  const auto known_format = [](const std::string& name) {
    return std::any_of(
      k_formats.begin(), k_formats.end(), [&](const std::pair<std::string, ReportFormat>& entry) {
        return entry.first == name;
      });
  };
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
    options.optimizations = Optimizations{false, false, false, false, false, false};
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
