// The options of the command line (options.hpp), declared to CLI11 in their --help groups, each
// with its checks: the report formats, the duration rules, --memory-limit's SIZE.
#include "cli/options.hpp"

#include "cli/help.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <memory>
#include <string_view>
#include <system_error>
#include <utility>

namespace heatmap_merge {

// --window: only 0 goes without a unit, since "2" could be seconds or milliseconds; a week is
// parse_duration()'s own limit.
const DurationRule k_window_rule{
  "", std::chrono::hours(168), "168h (one week)", "0, 1500ms, 2s, 0.5s"};
// --lock-timeout: a plain number is seconds, as it always was; an hour at most, as before.
const DurationRule k_lock_timeout_rule{"s", std::chrono::hours(1), "1h", "5, 30s, 1500ms, 1m"};
// --max-lock-hold: a unit always, as for --window (0 refuses every rollback-journal input that
// would need its lock held at all); an hour at most, as --lock-timeout.
const DurationRule k_max_lock_hold_rule{"", std::chrono::hours(1), "1h", "1s, 250ms, 30s"};

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

// A CLI11 check made of read_duration(), for the option itself and its --config key alike.
CLI::Validator duration_validator(const DurationRule& rule) {
  // Empty description: --help shows DURATION, not a validator's text.
  return CLI::Validator(
    [rule](const std::string& value) { return read_duration(value, rule).second; }, "");
}

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
  group->add_flag("--peers",
                  options.peers,
                  "The two databases are peer nodes, neither the primary: -n and --in-place give "
                  "each node what it lacks, -o writes their union");
  // -n with an output (say from a cron job's --config) is a dry run of that job.
  group->add_flag("-n,--dry-run", options.dry_run, "Plan and report, write nothing");
  group->add_flag("--exit-code",
                  options.exit_code,
                  "Exit 1 if rows were added or removed (or would be, with -n), 0 if none");
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
    ->add_option("--replay-window",
                 values.replay_window,
                 "Then match rows still unmatched, equal but for the id and the time, whose times "
                 "differ by at most DURATION (10m, 24h): replayed writes")
    ->type_name("DURATION")
    ->check(duration_validator(k_window_rule))
    ->capture_default_str();
  group->add_flag("--remove-replays",
                  options.remove_replays,
                  "Also remove the primary's own replayed duplicates (needs --replay-window): "
                  "left out of --output, deleted by --in-place after the backup");
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
                 "DURATION: copy the input under it (any size when the run writes, else one "
                 "too large to read within it), refuse with exit 75 one whose copy would take "
                 "longer (250ms, 5s)")
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

} // namespace

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

bool known_format(const std::string& name) {
  return std::any_of(
    k_formats.begin(), k_formats.end(), [&](const std::pair<std::string, ReportFormat>& entry) {
      return entry.first == name;
    });
}

// `name` has passed the IsMember check made from k_formats, so it is in the list.
ReportFormat report_format(const std::string& name) {
  const auto it = std::find_if(
    k_formats.begin(), k_formats.end(), [&](const std::pair<std::string, ReportFormat>& entry) {
      return entry.first == name;
    });
  return it->second;
}

std::vector<const CLI::Option*> all_options(const CLI::App& app) {
  std::vector<const CLI::Option*> options = app.get_options();
  for (const CLI::App* group :
       app.get_subcommands([](const CLI::App* sub) { return sub->get_name().empty(); })) {
    const std::vector<const CLI::Option*> more = group->get_options();
    options.insert(options.end(), more.begin(), more.end());
  }
  return options;
}

} // namespace heatmap_merge
