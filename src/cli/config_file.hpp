#pragma once
// The --config file: its settings checked against the options and handed to CLI11, which reads
// them after the command line, so that the command line wins.

#include <CLI/CLI.hpp>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace heatmap_merge {

// The --config reader. CLI11's own gives "INI was not able to parse windw" with neither file nor
// line, and takes "force = yes" for true. This one reads the file with read_config_syntax()
// (config_syntax.hpp: TOML through toml++, and INI's bare values), and refuses with Error(usage)
// naming the file and line: a syntax error, an unknown key (with the nearest known one), a flag
// set to anything but true or false, a value its option's checks refuse, two settings that
// exclude each other. The command line wins: a setting is dropped when the command line gives
// its option or one that excludes it (and so is a setting that needs a dropped one).
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

} // namespace heatmap_merge
