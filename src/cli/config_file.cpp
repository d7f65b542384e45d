// The --config file (config_file.hpp): each setting's key found among the options, its value
// checked as the option checks it, and the command line's precedence kept.
#include "cli/config_file.hpp"

#include "cli/suggest.hpp"
#include "util/error.hpp"
#include "util/terminal_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <system_error>

namespace heatmap_merge {

namespace {

// At most `limit` bytes of `text`, cut before a UTF-8 continuation byte, with "..." when cut:
// a message quotes the start of a long line, not all of it.
std::string excerpt(std::string_view text, std::size_t limit = 40) {
  if (text.size() <= limit) {
    return std::string(text);
  }
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) {
    --end;
  }
  return std::string(text.substr(0, end)) + "...";
}

// One value of a config file: a string, true/false or a number (one item), or an array.
struct ConfigValue {
  std::vector<std::string> items;
  bool list = false;
};

// Reads one config file. Each problem throws Error(usage) naming the file and the line.
class ConfigParser {
public:
  ConfigParser(std::string text, std::filesystem::path file)
      : m_text(std::move(text)), m_file(std::move(file)) {
    // A byte order mark, as some editors write one.
    if (m_text.compare(0, 3, "\xef\xbb\xbf") == 0) {
      m_pos = 3;
    }
  }

  // Calls `handle(key, value, line)` for each setting, in the file's order.
  template <typename Handle>
  void parse(Handle handle) {
    while (m_pos < m_text.size()) {
      skip_blanks();
      if (at_line_end()) {
        next_line();
        continue;
      }
      const char c = m_text[m_pos];
      if (c == '#' || c == ';') {
        skip_comment();
        next_line();
        continue;
      }
      if (c == '[') {
        fail(m_line,
             fmt::format("'{}': sections are not supported; put every key = value at the top "
                         "level, one a line",
                         excerpt(rest_of_line())));
      }
      const std::size_t line = m_line;
      const std::string key = read_key();
      skip_blanks();
      if (m_pos >= m_text.size() || m_text[m_pos] != '=') {
        fail(line, fmt::format("expected key = value after \"{}\"", key));
      }
      ++m_pos;
      skip_blanks();
      const ConfigValue value = read_value(key);
      end_line(key);
      handle(key, value, line);
    }
  }

  [[noreturn]] void fail(std::size_t line, const std::string& message) const {
    throw Error(ExitCode::usage, fmt::format("{}:{}: {}", display(m_file), line, message), m_file);
  }

private:
  bool at_line_end() const {
    return m_pos >= m_text.size() || m_text[m_pos] == '\n' ||
           (m_text[m_pos] == '\r' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '\n');
  }

  void skip_blanks() {
    while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t')) {
      ++m_pos;
    }
  }

  void skip_comment() {
    while (m_pos < m_text.size() && m_text[m_pos] != '\n') {
      ++m_pos;
    }
  }

  void next_line() {
    skip_comment();
    if (m_pos < m_text.size()) {
      ++m_pos;
      ++m_line;
    }
  }

  std::string_view rest_of_line() const {
    const std::size_t end = std::min(m_text.find('\n', m_pos), m_text.size());
    std::string_view rest = std::string_view(m_text).substr(m_pos, end - m_pos);
    while (!rest.empty() && (rest.back() == '\r' || rest.back() == ' ' || rest.back() == '\t')) {
      rest.remove_suffix(1);
    }
    return rest;
  }

  // A bare TOML key: letters, digits, '-' and '_'.
  std::string read_key() {
    const std::size_t start = m_pos;
    while (m_pos < m_text.size() && (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) != 0 ||
                                     m_text[m_pos] == '-' || m_text[m_pos] == '_')) {
      ++m_pos;
    }
    if (m_pos == start) {
      fail(m_line, fmt::format("expected key = value, not '{}'", excerpt(rest_of_line())));
    }
    return m_text.substr(start, m_pos - start);
  }

  ConfigValue read_value(const std::string& key) {
    if (at_line_end() || m_text[m_pos] == '#') {
      fail(m_line, fmt::format("no value for \"{}\"", key));
    }
    const char c = m_text[m_pos];
    if (c == '"' || c == '\'') {
      return {{read_string(key)}, false};
    }
    if (c == '[') {
      return read_array(key);
    }
    // A bare value: true, false, a number, or INI's unquoted text up to a comment.
    const std::size_t start = m_pos;
    while (!at_line_end() && m_text[m_pos] != '#') {
      ++m_pos;
    }
    std::string value = m_text.substr(start, m_pos - start);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
      value.pop_back();
    }
    if (value.find('=') != std::string::npos) {
      fail(m_line,
           fmt::format("\"{}\" = {}: several settings on one line? Put each key = value on a "
                       "line of its own (and quote a value that holds '=')",
                       key,
                       excerpt(value)));
    }
    return {{value}, false};
  }

  // A TOML basic ("...", with escapes) or literal ('...') string on one line.
  std::string read_string(const std::string& key) {
    const char quote = m_text[m_pos++];
    std::string value;
    for (;;) {
      if (at_line_end()) {
        fail(m_line, fmt::format("the value of \"{}\" lacks its closing {}", key, quote));
      }
      const char c = m_text[m_pos++];
      if (c == quote) {
        return value;
      }
      if (c != '\\' || quote == '\'') {
        value += c;
        continue;
      }
      if (m_pos >= m_text.size()) {
        fail(m_line, fmt::format("the value of \"{}\" lacks its closing {}", key, quote));
      }
      const char escaped = m_text[m_pos++];
      switch (escaped) {
      case '"':
      case '\\':
        value += escaped;
        break;
      case 'b':
        value += '\b';
        break;
      case 't':
        value += '\t';
        break;
      case 'n':
        value += '\n';
        break;
      case 'f':
        value += '\f';
        break;
      case 'r':
        value += '\r';
        break;
      case 'u':
      case 'U':
        value += read_unicode_escape(key, escaped == 'u' ? 4 : 8);
        break;
      default:
        fail(m_line,
             fmt::format("the value of \"{}\" has an unknown escape \\{} (write \\\\ for a "
                         "backslash, or use '...' quotes)",
                         key,
                         escaped));
      }
    }
  }

  // The UTF-8 of a \uXXXX or \UXXXXXXXX escape.
  std::string read_unicode_escape(const std::string& key, std::size_t digits) {
    std::uint32_t code = 0;
    const char* begin = m_text.data() + m_pos;
    const auto [end, status] =
      std::from_chars(begin, begin + std::min(digits, m_text.size() - m_pos), code, 16);
    if (status != std::errc{} || end != begin + digits || code > 0x10ffff ||
        (code >= 0xd800 && code <= 0xdfff)) {
      fail(m_line, fmt::format("the value of \"{}\" has a bad \\u escape", key));
    }
    m_pos += digits;
    std::string utf8;
    if (code < 0x80) {
      utf8 += static_cast<char>(code);
    } else if (code < 0x800) {
      utf8 += static_cast<char>(0xc0 | (code >> 6));
      utf8 += static_cast<char>(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      utf8 += static_cast<char>(0xe0 | (code >> 12));
      utf8 += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
      utf8 += static_cast<char>(0x80 | (code & 0x3f));
    } else {
      utf8 += static_cast<char>(0xf0 | (code >> 18));
      utf8 += static_cast<char>(0x80 | ((code >> 12) & 0x3f));
      utf8 += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
      utf8 += static_cast<char>(0x80 | (code & 0x3f));
    }
    return utf8;
  }

  // Blanks, line ends and comments inside an array, which may span lines.
  void skip_in_array() {
    for (;;) {
      skip_blanks();
      if (m_pos < m_text.size() && m_text[m_pos] == '#') {
        skip_comment();
      }
      if (m_pos < m_text.size() && (m_text[m_pos] == '\n' || m_text[m_pos] == '\r')) {
        if (m_text[m_pos] == '\n') {
          ++m_line;
        }
        ++m_pos;
        continue;
      }
      return;
    }
  }

  ConfigValue read_array(const std::string& key) {
    const std::size_t line = m_line;
    ++m_pos;
    ConfigValue value;
    value.list = true;
    for (;;) {
      skip_in_array();
      if (m_pos >= m_text.size()) {
        fail(line, fmt::format("the list of \"{}\" is not closed with ]", key));
      }
      if (m_text[m_pos] == ']') {
        ++m_pos;
        return value;
      }
      if (m_text[m_pos] == '"' || m_text[m_pos] == '\'') {
        value.items.push_back(read_string(key));
      } else {
        const std::size_t start = m_pos;
        while (m_pos < m_text.size() &&
               std::string_view(",]#\n\r \t").find(m_text[m_pos]) == std::string_view::npos) {
          ++m_pos;
        }
        if (m_pos == start) {
          fail(m_line, fmt::format("the list of \"{}\" has an empty item", key));
        }
        value.items.push_back(m_text.substr(start, m_pos - start));
      }
      skip_in_array();
      if (m_pos < m_text.size() && m_text[m_pos] == ',') {
        ++m_pos;
      } else if (m_pos < m_text.size() && m_text[m_pos] != ']') {
        fail(m_line,
             fmt::format(
               "the list of \"{}\" needs a comma before '{}'", key, excerpt(rest_of_line())));
      }
    }
  }

  // After a value: blanks and a comment, then the line ends. The README once showed a whole
  // config on one line; this says what is wrong with that instead of a CLI11 message.
  void end_line(const std::string& key) {
    skip_blanks();
    if (m_pos < m_text.size() && m_text[m_pos] == '#') {
      skip_comment();
    }
    if (!at_line_end()) {
      fail(m_line,
           fmt::format("more after the value of \"{}\": '{}'; put each key = value on a line "
                       "of its own",
                       key,
                       excerpt(rest_of_line())));
    }
    next_line();
  }

  std::string m_text;
  std::filesystem::path m_file;
  std::size_t m_pos = 0;
  std::size_t m_line = 1;
};

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

// Refuses a key set on an earlier line of the file too, naming both lines.
void check_set_once(const ConfigParser& parser,
                    std::map<std::string, std::size_t>& lines,
                    const std::string& key,
                    std::size_t line) {
  const auto [earlier, first] = lines.emplace(key, line);
  if (!first) {
    parser.fail(line,
                fmt::format("\"{}\" is set twice, on lines {} and {}", key, earlier->second, line));
  }
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
                                     const ConfigParser& parser,
                                     const CLI::Option* option,
                                     const std::string& key,
                                     std::size_t line) {
  if (option != nullptr && option == app.get_config_ptr()) {
    parser.fail(line, "\"config\" cannot be set in a config file");
  }
  // --help and --version print and exit: options for a command line, not settings.
  if (option != nullptr &&
      (option == app.get_help_ptr() || option == app.get_option_no_throw("--version"))) {
    parser.fail(line, fmt::format("\"{}\" cannot be set in a config file", key));
  }
  const CLI::Option* by_letter = key.size() == 1 ? app.get_option_no_throw("-" + key) : nullptr;
  std::optional<std::string> nearest = nearest_long_name(app, key);
  if (by_letter != nullptr && !by_letter->get_lnames().empty()) {
    nearest = by_letter->get_lnames().front();
  }
  parser.fail(line,
              nearest ? fmt::format("unknown key \"{}\" (did you mean \"{}\"?)", key, *nearest)
                      : fmt::format("unknown key \"{}\" (the keys are the long options "
                                    "without their dashes: see --help)",
                                    key));
}

// The option a config key sets, or Error(usage) if none.
CLI::Option&
config_option(CLI::App& app, const ConfigParser& parser, const std::string& key, std::size_t line) {
  CLI::Option* option =
    key == "inputs" ? app.get_option_no_throw("inputs") : app.get_option_no_throw("--" + key);
  if (!settable(app, option, key)) {
    refuse_unknown_key(app, parser, option, key, line);
  }
  return *option;
}

// A flag takes TOML's booleans only: "yes" or "1" passing for true would hide a typo. One that
// counts (-v) takes a small count too.
void check_flag(const ConfigParser& parser,
                const CLI::Option& option,
                const std::string& key,
                const std::string& text,
                std::size_t line) {
  const bool counts = option.get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll;
  const bool count =
    counts && !text.empty() && text.size() < 3 && std::all_of(text.begin(), text.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
  if (text != "true" && text != "false" && !count) {
    parser.fail(line,
                fmt::format("\"{}\" takes true or false{}, not {}",
                            key,
                            counts ? " or a count" : "",
                            text.empty() ? "an empty value" : "'" + excerpt(text) + "'"));
  }
}

// The option's own checks, on a copy: CLI11 runs them again on the value it keeps, but its
// message could not name this line.
void check_validators(const ConfigParser& parser,
                      CLI::Option& option,
                      const std::string& key,
                      const std::string& text,
                      std::size_t line) {
  std::string checked = text;
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
      parser.fail(line, fmt::format("{}: {}", key, problem));
    }
  }
}

// Refuses the value of an option's key that the option would not take: a list, a flag set to
// anything but true or false, a value its checks refuse.
void check_value(const ConfigParser& parser,
                 CLI::Option& option,
                 const std::string& key,
                 const ConfigValue& value,
                 std::size_t line) {
  if (value.list) {
    parser.fail(line, fmt::format("\"{}\" takes one value, not a list", key));
  }
  if (option.get_expected_min() == 0) {
    check_flag(parser, option, key, value.items.front(), line);
  } else {
    check_validators(parser, option, key, value.items.front(), line);
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
  ConfigParser parser(read_config_text(input, file), file);
  // The settings this file makes, with their options and lines, and the options it would have
  // set but for the command line.
  struct Setting {
    CLI::ConfigItem item;
    CLI::Option* option;
    std::size_t line;
  };
  std::vector<Setting> settings;
  std::set<const CLI::Option*> overridden;
  std::map<std::string, std::size_t> lines;
  parser.parse([&](const std::string& key, const ConfigValue& value, std::size_t line) {
    check_set_once(parser, lines, key, line);
    CLI::Option& option = config_option(m_app, parser, key, line);
    if (!option.get_positional()) {
      check_value(parser, option, key, value, line);
      if (key == "format" && m_on_format) {
        m_on_format(value.items.front());
      }
    }
    // Every flag is off unless set: "force = false" sets nothing, and excludes nothing.
    if (!option.get_positional() && option.get_expected_min() == 0 &&
        (value.items.front() == "false" ||
         value.items.front().find_first_not_of('0') == std::string::npos)) {
      return;
    }
    // The command line (or a later --config file, which CLI11 reads first) wins: over this key,
    // and over a key that excludes what it set, as --in-place does --output.
    const std::set<CLI::Option*> excluded = option.get_excludes();
    if (!option.empty() || std::any_of(excluded.begin(), excluded.end(), [](const CLI::Option* o) {
          return !o->empty();
        })) {
      overridden.insert(&option);
      return;
    }
    for (const Setting& earlier : settings) {
      if (excluded.count(earlier.option) > 0) {
        parser.fail(line,
                    fmt::format("\"{}\" excludes \"{}\", set on line {}: keep one of them (on "
                                "the command line, either wins over the file)",
                                key,
                                earlier.item.name,
                                earlier.line));
      }
    }
    settings.push_back({CLI::ConfigItem{{}, key, value.items}, &option, line});
  });
  // A setting that needs one the command line overrode goes with it: keep-backups with the
  // file's in-place, when the command line says -o.
  std::vector<CLI::ConfigItem> kept;
  for (const Setting& setting : settings) {
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
