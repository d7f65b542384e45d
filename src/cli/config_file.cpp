// The --config file (config_file.hpp): each setting's key found among the options, its value
// checked as the option checks it, and the command line's precedence kept.
#include "cli/config_file.hpp"

#include "cli/config_syntax.hpp"
#include "cli/suggest.hpp"
#include "util/error.hpp"
#include "util/terminal_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <sstream>

namespace heatmap_merge {

namespace {

// Refuses `setting` of `file`: Error(usage) naming the file and the setting's line.
[[noreturn]] void refuse(const std::filesystem::path& file,
                         const ConfigSetting& setting,
                         const std::string& message) {
  throw Error(
    ExitCode::usage, fmt::format("{}:{}: {}", display(file), setting.line, message), file);
}

// The whole of a config file, or Error(usage) naming `file`.
std::string read_config_text(std::istream& input, const std::filesystem::path& file) {
  std::ostringstream contents;
  contents << input.rdbuf();
  if (input.bad()) {
    throw Error(
      ExitCode::usage, fmt::format("cannot read the --config file {}", display(file)), file);
  }
  return contents.str();
}

// Whether `option`, found for `key`, is what a config file may set: the positional as "inputs",
// or an option by one of its long names, but neither --help, --version nor --config.
bool settable(CLI::App& app, const CLI::Option* option, const std::string& key) {
  return option != nullptr && option != app.get_help_ptr() && option != app.get_version_ptr() &&
         option != app.get_config_ptr() &&
         (key == "inputs"
            ? option->get_positional()
            : std::count(option->get_lnames().begin(), option->get_lnames().end(), key) > 0);
}

// Refuses a key that names no option, with the nearest long name (or the long name of a
// one-letter key's short option) if one is near.
[[noreturn]] void refuse_unknown_key(CLI::App& app,
                                     const std::filesystem::path& file,
                                     const ConfigSetting& setting,
                                     const CLI::Option* option) {
  const std::string& key = setting.key;
  if (option != nullptr && option == app.get_config_ptr()) {
    refuse(file, setting, "\"config\" cannot be set in a config file");
  }
  // --help and --version print and exit: options for a command line, not settings.
  if (option != nullptr &&
      (option == app.get_help_ptr() || option == app.get_option_no_throw("--version"))) {
    refuse(file, setting, fmt::format("\"{}\" cannot be set in a config file", key));
  }
  const CLI::Option* by_letter = key.size() == 1 ? app.get_option_no_throw("-" + key) : nullptr;
  std::optional<std::string> nearest = nearest_long_name(app, key);
  if (by_letter != nullptr && !by_letter->get_lnames().empty()) {
    nearest = by_letter->get_lnames().front();
  }
  refuse(file,
         setting,
         nearest ? fmt::format("unknown key \"{}\" (did you mean \"{}\"?)", key, *nearest)
                 : fmt::format("unknown key \"{}\" (the keys are the long options "
                               "without their dashes: see --help)",
                               key));
}

// The option a config key sets, or Error(usage) if none.
CLI::Option&
config_option(CLI::App& app, const std::filesystem::path& file, const ConfigSetting& setting) {
  const std::string& key = setting.key;
  CLI::Option* option =
    key == "inputs" ? app.get_option_no_throw("inputs") : app.get_option_no_throw("--" + key);
  if (!settable(app, option, key)) {
    refuse_unknown_key(app, file, setting, option);
  }
  return *option;
}

// A flag takes TOML's booleans only: "yes" or "1" passing for true would hide a typo. One that
// counts (-v) takes a small count too.
void check_flag(const std::filesystem::path& file,
                const ConfigSetting& setting,
                const CLI::Option& option) {
  const std::string& text = setting.items.front();
  const bool counts = option.get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll;
  const bool count =
    counts && !text.empty() && text.size() < 3 && std::all_of(text.begin(), text.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
  if (text != "true" && text != "false" && !count) {
    refuse(file,
           setting,
           fmt::format("\"{}\" takes true or false{}, not {}",
                       setting.key,
                       counts ? " or a count" : "",
                       text.empty() ? "an empty value" : "'" + excerpt(text) + "'"));
  }
}

// The option's own checks, on a copy: CLI11 runs them again on the value it keeps, but its
// message could not name this line.
void check_validators(const std::filesystem::path& file,
                      const ConfigSetting& setting,
                      CLI::Option& option) {
  std::string checked = setting.items.front();
  for (int i = 0;; ++i) {
    const CLI::Validator* validator = nullptr;
    try {
      // In the order CLI11 runs them; past the last one it throws, having no count.
      validator = option.get_validator(i);
    } catch (const CLI::OptionNotFound&) {
      break;
    }
    if (!validator->get_active()) {
      continue;
    }
    std::string problem;
    try {
      problem = (*validator)(checked);
    } catch (const CLI::ValidationError& error) {
      problem = error.what();
    }
    if (!problem.empty()) {
      refuse(file, setting, fmt::format("{}: {}", setting.key, problem));
    }
  }
}

// Refuses the value of an option's key that the option would not take: a list, a flag set to
// anything but true or false, a value its checks refuse.
void check_value(const std::filesystem::path& file,
                 const ConfigSetting& setting,
                 CLI::Option& option) {
  if (setting.list) {
    refuse(file, setting, fmt::format("\"{}\" takes one value, not a list", setting.key));
  }
  if (option.get_expected_min() == 0) {
    check_flag(file, setting, option);
  } else {
    check_validators(file, setting, option);
  }
}

} // namespace

ConfigReader::ConfigReader(CLI::App& app, std::function<void(const std::string&)> on_format)
    : m_app(app), m_on_format(std::move(on_format)) {}

std::string ConfigReader::to_config(const CLI::App* /*app*/,
                                    bool /*default_also*/,
                                    bool /*write_description*/,
                                    std::string /*prefix*/) const {
  // The tool never writes a config file.
  return {};
}

std::vector<CLI::ConfigItem> ConfigReader::from_config(std::istream& input) const {
  const std::filesystem::path file = next_file();
  const ConfigSyntax syntax = read_config_syntax(read_config_text(input, file), file);
  // The settings this file makes, with their options, and the options it would have set but for
  // the command line.
  struct Made {
    CLI::ConfigItem item;
    CLI::Option* option;
    std::size_t line;
  };
  std::vector<Made> made;
  std::set<const CLI::Option*> overridden;
  for (const ConfigSetting& setting : syntax.settings) {
    CLI::Option& option = config_option(m_app, file, setting);
    if (!option.get_positional()) {
      check_value(file, setting, option);
      if (setting.key == "format" && m_on_format) {
        m_on_format(setting.items.front());
      }
    }
    // Every flag is off unless set: "force = false" sets nothing, and excludes nothing.
    if (!option.get_positional() && option.get_expected_min() == 0 &&
        (setting.items.front() == "false" ||
         setting.items.front().find_first_not_of('0') == std::string::npos)) {
      continue;
    }
    // The command line (or a later --config file, which CLI11 reads first) wins: over this key,
    // and over a key that excludes what it set, as --in-place does --output.
    const std::set<CLI::Option*> excluded = option.get_excludes();
    if (!option.empty() || std::any_of(excluded.begin(), excluded.end(), [](const CLI::Option* o) {
          return !o->empty();
        })) {
      overridden.insert(&option);
      continue;
    }
    for (const Made& earlier : made) {
      if (excluded.count(earlier.option) > 0) {
        refuse(file,
               setting,
               fmt::format("\"{}\" excludes \"{}\", set on line {}: keep one of them (on the "
                           "command line, either wins over the file)",
                           setting.key,
                           earlier.item.name,
                           earlier.line));
      }
    }
    made.push_back({CLI::ConfigItem{{}, setting.key, setting.items}, &option, setting.line});
  }
  // The settings above a syntax error are checked first: the first problem of the file is the
  // one reported.
  if (syntax.error) {
    throw *syntax.error;
  }
  // A setting that needs one the command line overrode goes with it: keep-backups with the
  // file's in-place, when the command line says -o.
  std::vector<CLI::ConfigItem> kept;
  for (const Made& setting : made) {
    const std::set<CLI::Option*> needs = setting.option->get_needs();
    const bool orphan = std::any_of(
      needs.begin(), needs.end(), [&](const CLI::Option* o) { return overridden.count(o) > 0; });
    if (!orphan) {
      m_origins[setting.option] = fmt::format("{}:{}", display(file), setting.line);
      kept.push_back(setting.item);
    }
  }
  return kept;
}

std::string ConfigReader::origin(const CLI::Option* option) const {
  const auto it = m_origins.find(option);
  return it == m_origins.end() ? std::string() : it->second;
}

std::filesystem::path ConfigReader::next_file() const {
  const std::vector<std::string> files = m_app.get_config_ptr()->as<std::vector<std::string>>();
  const std::size_t index = m_files_read++;
  if (index < files.size()) {
    return files[files.size() - 1 - index];
  }
  return "--config file";
}

} // namespace heatmap_merge
