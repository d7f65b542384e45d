#include "heatmap_merge/options.hpp"

#include "heatmap_merge/error.hpp"
#include "heatmap_merge/timestamp.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <map>
#include <ostream>
#include <set>
#include <string_view>

namespace heatmap_merge {

namespace {

const std::map<std::string, ReportFormat> k_formats = {
  {"text", ReportFormat::text},
  {"json", ReportFormat::json},
  {"markdown", ReportFormat::markdown},
  {"html", ReportFormat::html},
};

void check_identifier(const std::string& what, const std::string& name) {
  if (name.empty()) {
    throw Error(ExitCode::usage, fmt::format("{} must not be empty", what));
  }
  if (name.find('\0') != std::string::npos) {
    throw Error(ExitCode::usage, fmt::format("{} must not contain a NUL byte", what));
  }
}

} // namespace

const char* version() {
  return HEATMAP_MERGE_VERSION;
}

std::optional<Options> parse_command_line(int argc, const char* const* argv, std::ostream& out) {
  Options options;
  std::vector<std::string> inputs;
  std::string output;
  std::string window = "0";
  std::string format = "text";
  double lock_timeout_seconds = 5.0;
  bool quiet = false;
  int verbose = 0;

  CLI::App app{"Consolidate the SQLite click databases (heatmap.db) of service replicas into one,\n"
               "removing duplicate click rows by a timestamp + coordinate key.",
               "heatmap-merge"};
  app.set_version_flag("--version", fmt::format("heatmap-merge {}", version()));
  app.set_config("--config", "", "Read long options from a TOML (or INI) file");
  // A misspelled key in a cron job's config must fail loudly, not be ignored.
  app.allow_config_extras(CLI::config_extras_mode::error);
  app.get_formatter()->column_width(26);

  app.add_option("inputs", inputs, "PRIMARY then one or more SECONDARY databases")
    ->type_name("PRIMARY SECONDARY...")
    ->required();

  CLI::Option_group* output_group = app.add_option_group("Output");
  CLI::Option* output_option =
    output_group
      ->add_option("-o,--output", output, "Write the consolidated database to PATH (a new file)")
      ->type_name("PATH");
  CLI::Option* force_option =
    output_group->add_flag("-f,--force", options.force, "Replace PATH if it exists");
  std::string backup_dir;
  CLI::Option* in_place_option =
    output_group->add_flag("--in-place",
                           options.in_place,
                           "Merge into PRIMARY itself, in short transactions, after backing it up");
  output_group->add_option("--backup-dir", backup_dir, "Write the --in-place backup in DIR")
    ->type_name("DIR")
    ->needs(in_place_option);
  in_place_option->excludes(output_option)->excludes(force_option);
  CLI::Option* dry_run_option =
    output_group->add_flag("-n,--dry-run", options.dry_run, "Plan and report, write nothing");
  // -n with an output (say from a cron job's --config) is a dry run of that job.
  static_cast<void>(dry_run_option);
  bool no_verify = false;
  output_group->add_flag("--no-verify",
                         no_verify,
                         "Skip the integrity check (PRAGMA quick_check) of the primary's snapshot");

  CLI::Option_group* matching = app.add_option_group("Matching");
  matching->add_option("--table", options.table, "The click table")
    ->type_name("NAME")
    ->capture_default_str();
  matching->add_option("--time-column", options.time_column, "The timestamp column")
    ->type_name("COL")
    ->capture_default_str();
  std::string keys = "page_url,x,y";
  matching->add_option("--key", keys, "The other key columns, comma-separated")
    ->type_name("COLS")
    ->capture_default_str();
  matching
    ->add_option(
      "--window", window, "Also match rows whose times differ by at most DURATION (1500ms, 2s)")
    ->type_name("DURATION")
    ->capture_default_str();
  matching
    ->add_option(
      "--lock-timeout", lock_timeout_seconds, "Seconds to wait for a locked input before exit 75")
    ->type_name("SECONDS")
    ->check(CLI::Range(0.0, 3600.0))
    ->capture_default_str();

  CLI::Option_group* report = app.add_option_group("Report");
  report->add_option("--format", format, "Report format on stdout: text, json, markdown or html")
    ->type_name("FMT")
    ->check(CLI::IsMember({"text", "json", "markdown", "html"}))
    ->capture_default_str();
  CLI::Option* quiet_option = report->add_flag("-q,--quiet", quiet, "Print nothing on success");
  report
    ->add_flag("-v,--verbose",
               verbose,
               "Add sample rows to the report; phase timings and rows paired as they are on stderr")
    ->excludes(quiet_option);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return std::nullopt;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return std::nullopt;
  } catch (const CLI::CallForVersion&) {
    out << app.version() << '\n';
    return std::nullopt;
  } catch (const CLI::ParseError& error) {
    // CLI11's own exit codes (100 and up) are not ours: every parse error is a usage error.
    throw Error(ExitCode::usage, fmt::format("{} (try --help)", error.what()));
  }

  if (inputs.size() < 2) {
    throw Error(ExitCode::usage,
                "expected PRIMARY and at least one SECONDARY database (try --help)");
  }
  options.primary = inputs.front();
  options.secondaries.assign(inputs.begin() + 1, inputs.end());
  if (!output.empty()) {
    options.output = output;
  } else if (!options.dry_run && !options.in_place) {
    throw Error(ExitCode::usage,
                "say where to write the result with --output PATH, or use --in-place or --dry-run");
  }
  if (!backup_dir.empty()) {
    options.backup_dir = backup_dir;
  }
  options.format = k_formats.at(format);
  options.verify = !no_verify;

  const std::optional<std::chrono::nanoseconds> parsed_window = parse_duration(window);
  if (!parsed_window) {
    throw Error(
      ExitCode::usage,
      fmt::format("--window: '{}' is not a duration (examples: 0, 1500ms, 2s, 0.5s)", window));
  }
  options.window = *parsed_window;
  options.lock_timeout =
    std::chrono::milliseconds(static_cast<long>(lock_timeout_seconds * 1000.0));

  // Split by hand: a vector option with a delimiter would also swallow the inputs after it.
  options.key_columns.clear();
  for (std::size_t start = 0;;) {
    const std::size_t comma = keys.find(',', start);
    options.key_columns.push_back(keys.substr(start, comma - start));
    if (comma == std::string::npos) {
      break;
    }
    start = comma + 1;
  }
  check_identifier("--table", options.table);
  check_identifier("--time-column", options.time_column);
  if (options.key_columns.empty()) {
    throw Error(ExitCode::usage, "--key needs at least one column");
  }
  std::set<std::string> seen;
  for (const std::string& column : options.key_columns) {
    check_identifier("--key column", column);
    std::string lower;
    for (const char c : column) {
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (!seen.insert(lower).second) {
      throw Error(ExitCode::usage, fmt::format("--key names column '{}' twice", column));
    }
  }
  std::string time_lower;
  for (const char c : options.time_column) {
    time_lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (seen.count(time_lower) != 0) {
    throw Error(ExitCode::usage,
                fmt::format("--key must not name the time column '{}'", options.time_column));
  }
  options.verbosity = quiet ? -1 : verbose;
  // For tests and for ruling an optimisation out when something looks wrong: not an option, so
  // that no config file or cron line comes to depend on it.
  const char* plain = std::getenv("HEATMAP_MERGE_NO_OPTIMIZATIONS");
  if (plain != nullptr && *plain != '\0' && std::string_view(plain) != "0") {
    options.optimizations = Optimizations{false, false, false, false};
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
