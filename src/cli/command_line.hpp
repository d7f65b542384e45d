#pragma once

// What parse_command_line() (options.cpp) adds to CLI11: durations with reasons for a refusal,
// a --config reader that names the file and line of every problem, a --help that fits 80
// columns, and suggestions for misspelled options.

#include "util/duration.hpp"
#include "util/options.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace heatmap_merge {

// A CLI11 check made of read_duration(), for the option itself and its --config key alike.
CLI::Validator duration_validator(const DurationRule& rule);

// The --config reader. CLI11's own gives "INI was not able to parse windw" with neither file nor
// line, and takes "force = yes" for true. This one reads one `key = value` a line (TOML strings,
// true/false, numbers, arrays for inputs; INI's bare values), and refuses with Error(usage)
// naming the file and line: an unknown key (with the nearest known one), a flag set to anything
// but true or false, several settings on one line, a value its option's checks refuse, two
// settings that exclude each other. The command line wins: a setting is dropped when the command
// line gives its option or one that excludes it (and so is a setting that needs a dropped one).
class ConfigReader : public CLI::Config {
public:
  // `on_format` is called with the value of a `format` key that the --format check accepts, so
  // that an error later in the file, or after it, is reported in that format.
  ConfigReader(CLI::App& app, std::function<void(const std::string&)> on_format);

  std::string to_config(const CLI::App* app,
                        bool default_also,
                        bool write_description,
                        std::string prefix) const override;
  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override;

  // "FILE:LINE" of the setting that gave `option` its value, or empty when the command line did
  // (or nothing did), for the messages about a value.
  std::string origin(const CLI::Option* option) const;

private:
  // The name of the file that the next from_config() reads, for the messages.
  std::filesystem::path next_file() const;

  CLI::App& m_app;
  std::function<void(const std::string&)> m_on_format;
  // CLI11 reads the --config files last to first: the count tells which one the stream is.
  mutable std::size_t m_files_read = 0;
  mutable std::map<const CLI::Option*, std::string> m_origins;
};

// CLI11's formatter, with the positional shown as "PRIMARY SECONDARY..." (its type name) alone
// and every description wrapped so that no line of --help passes 80 columns.
class HelpFormatter : public CLI::Formatter {
public:
  std::string make_option(const CLI::Option* option, bool is_positional) const override;
  std::string make_option_name(const CLI::Option* option, bool is_positional) const override;
  std::string make_option_opts(const CLI::Option* option) const override;
  std::string make_option_usage(const CLI::Option* option) const override;
};

// "Usage: heatmap-merge [OPTIONS] PRIMARY SECONDARY...\nTry 'heatmap-merge --help' for more
// information.": printed after a usage error.
std::string usage_hint(const CLI::App& app);
// The second line of it alone.
std::string help_hint();

// Every option of `app`, those in option groups included.
std::vector<const CLI::Option*> all_options(const CLI::App& app);

// The known long name ("dry-run", without dashes) nearest to `name` by edit distance, if one is
// close enough to be what was meant.
std::optional<std::string> nearest_long_name(const CLI::App& app, const std::string& name);

// The --format the arguments ask for, read before CLI11 parses them so that even a command line
// that fails to parse gets its error in that format. The last one before "--" wins.
std::optional<std::string> format_in_arguments(int argc, const char* const* argv);

} // namespace heatmap_merge
