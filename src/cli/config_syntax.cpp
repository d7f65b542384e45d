// A --config file's text into its settings (config_syntax.hpp). A pass over the lines turns what
// INI files allow and TOML does not into TOML, line for line; toml++ parses that; a walk over its
// table refuses what the tool never took; explain() says toml++'s errors in the tool's words.
#include "cli/config_syntax.hpp"

#include "util/terminal_text.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <utility>

namespace heatmap_merge {

namespace {

bool blank(char c) {
  return c == ' ' || c == '\t';
}

// A bare TOML key's characters: letters, digits, '-' and '_'.
bool key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
}

std::string_view trim_start(std::string_view text) {
  while (!text.empty() && blank(text.front())) {
    text.remove_prefix(1);
  }
  return text;
}

// Without the blanks at the end, nor a CRLF file's '\r'.
std::string_view trim_end(std::string_view text) {
  while (!text.empty() && (blank(text.back()) || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// The bare key that `text` starts with, after blanks: "window" of "window = 2s".
std::string_view leading_key(std::string_view text) {
  text = trim_start(text);
  std::size_t end = 0;
  while (end < text.size() && key_char(text[end])) {
    ++end;
  }
  return text.substr(0, end);
}

// A bare value as a TOML basic string, "2s" for 2s: the characters TOML would refuse escaped.
std::string basic_string(std::string_view value) {
  std::string quoted = "\"";
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += c;
    } else if ((byte < 0x20 && c != '\t') || byte == 0x7f) {
      quoted += fmt::format("\\u{:04x}", byte);
    } else {
      quoted += c;
    }
  }
  return quoted + '"';
}

// The quote that opens a string `text` does not close: '"' or '\'', or 0.
char open_quote(std::string_view text) {
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote == 0 && c == '#') {
      break;
    }
    if (quote == 0 && (c == '"' || c == '\'')) {
      quote = c;
    } else if (quote == '"' && c == '\\') {
      ++i;
    } else if (c == quote) {
      quote = 0;
    }
  }
  return quote;
}

// A line of the file as toml++ reads it, and as the file has it, which the messages quote.
struct Line {
  std::string text;
  // The key of a `key = value` line, else empty.
  std::string key;
  std::string written;
  // How many bytes of `text` start `written` too: a bare value made a string changes the rest.
  std::size_t kept = std::string::npos;
};

// The INI pass over one line: a comment line, '#' or INI's ';', becomes empty (so that its text
// need not be UTF-8 either), and a bare value a TOML string of its text up to a '#' comment.
// Returns the problem of a line that is no setting either way (no value; a bare value with '=',
// most likely several settings), else an empty string.
std::string ini_to_toml(Line& line) {
  const std::string_view text = line.text;
  const std::string_view content = trim_start(text);
  if (!content.empty() && (content.front() == '#' || content.front() == ';')) {
    line.kept = 0;
    line.text.clear();
    return {};
  }
  const std::string_view key = leading_key(text);
  std::size_t pos = text.size() - content.size() + key.size();
  while (pos < text.size() && blank(text[pos])) {
    ++pos;
  }
  if (key.empty() || pos == text.size() || text[pos] != '=') {
    return {};
  }
  line.key = std::string(key);
  ++pos;
  while (pos < text.size() && blank(text[pos])) {
    ++pos;
  }
  const std::size_t comment = std::min(text.find('#', pos), text.size());
  const std::string_view value = trim_end(text.substr(pos, comment - pos));
  if (value.empty()) {
    return fmt::format("no value for \"{}\"", key);
  }
  if (value.front() == '"' || value.front() == '\'' || value.front() == '[') {
    return {};
  }
  if (value.find('=') != std::string_view::npos) {
    return fmt::format("\"{}\" = {}: several settings on one line? Put each key = value on a "
                       "line of its own (and quote a value that holds '=')",
                       key,
                       excerpt(value));
  }
  std::string toml = std::string(text.substr(0, pos)) + basic_string(value);
  line.kept = pos;
  line.text = std::move(toml);
  return {};
}

// A problem found before toml++ reads the file: the INI pass's.
struct LineProblem {
  std::size_t line;
  std::string message;
};

class ConfigDocument {
public:
  ConfigDocument(std::string_view text, std::filesystem::path file);

  ConfigSyntax read() const;

private:
  // The first `lines` lines, parsed; throws toml::parse_error.
  toml::table parse(std::size_t lines) const;
  // The settings above the statement that `line` is part of, then `error`.
  ConfigSyntax before(std::size_t line, const Error& error) const;
  std::size_t statement_start(std::size_t line) const;
  // The settings of `table` whose keys are above `limit`, in the file's order, then `then`.
  ConfigSyntax
  settings(const toml::table& table, std::size_t limit, const std::optional<Error>& then) const;
  ConfigSetting setting(const toml::key& key, const toml::node& node) const;
  std::string scalar_text(const std::string& key, const toml::node& node) const;
  Error explain(const toml::parse_error& error, std::size_t start) const;
  std::optional<Error> explain_in_value(const toml::parse_error& error, std::size_t start) const;

  Error fail(std::size_t line, const std::string& message) const;
  // Line `line` (from 1) from its character `column` (from 1, as toml++ counts: code points).
  std::string_view text_at(std::size_t line, std::size_t column = 1) const;
  // The same place in the line as the file has it, for a message to quote: a bare value there is
  // not yet the string that toml++ read.
  std::string_view written_at(std::size_t line, std::size_t column = 1) const;
  const std::string& key_at(std::size_t line) const;

  std::filesystem::path m_file;
  std::vector<Line> m_lines;
  // Whether the last line ends with '\n': "x = 1\r" at the end is no CRLF line end.
  bool m_last_line_ends = true;
  std::optional<LineProblem> m_ini_problem;
};

ConfigDocument::ConfigDocument(std::string_view text, std::filesystem::path file)
    : m_file(std::move(file)) {
  // A byte order mark, as some editors write one.
  if (text.substr(0, 3) == "\xef\xbb\xbf") {
    text.remove_prefix(3);
  }
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    Line line{std::string(text.substr(0, end)), {}, std::string(text.substr(0, end))};
    const std::string problem = ini_to_toml(line);
    if (!problem.empty()) {
      if (!m_ini_problem) {
        m_ini_problem = LineProblem{m_lines.size() + 1, problem};
      }
      // toml++ reads the rest without it, for any problem above it.
      line = Line{};
    }
    m_lines.push_back(std::move(line));
    m_last_line_ends = end < text.size();
    text.remove_prefix(std::min(end + 1, text.size()));
  }
}

ConfigSyntax ConfigDocument::read() const {
  std::optional<Error> ini_error;
  std::size_t ini_line = m_lines.size() + 1;
  if (m_ini_problem) {
    ini_line = m_ini_problem->line;
    ini_error = fail(ini_line, m_ini_problem->message);
  }
  try {
    return settings(parse(m_lines.size()), ini_line, ini_error);
  } catch (const toml::parse_error& error) {
    const std::size_t line = error.source().begin.line;
    if (ini_error && ini_line < line) {
      return before(ini_line, *ini_error);
    }
    const std::size_t start = statement_start(line);
    return before(start, explain(error, start));
  }
}

toml::table ConfigDocument::parse(std::size_t lines) const {
  std::string text;
  for (std::size_t i = 0; i < lines && i < m_lines.size(); ++i) {
    text += m_lines[i].text;
    if (i + 1 < m_lines.size() || m_last_line_ends) {
      text += '\n';
    }
  }
  return toml::parse(std::string_view(text));
}

ConfigSyntax ConfigDocument::before(std::size_t line, const Error& error) const {
  try {
    return settings(parse(statement_start(line) - 1), m_lines.size() + 1, error);
  } catch (const toml::parse_error&) {
    return {{}, error};
  }
}

// The first line of the statement that `line` is in: `line` when the lines above it parse alone,
// else that of the last key above it, whose value (a list, a string) runs on into `line`.
std::size_t ConfigDocument::statement_start(std::size_t line) const {
  if (line <= 1) {
    return 1;
  }
  try {
    parse(line - 1);
    return line;
  } catch (const toml::parse_error&) {
    for (std::size_t above = std::min(line - 1, m_lines.size()); above > 0; --above) {
      if (!key_at(above).empty()) {
        return above;
      }
    }
    return 1;
  }
}

ConfigSyntax ConfigDocument::settings(const toml::table& table,
                                      std::size_t limit,
                                      const std::optional<Error>& then) const {
  // toml++ keeps a table's keys sorted by name: put them back in the file's order.
  std::vector<std::pair<const toml::key*, const toml::node*>> entries;
  for (const auto& [key, node] : table) {
    entries.emplace_back(&key, &node);
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    const toml::source_position& x = a.first->source().begin;
    const toml::source_position& y = b.first->source().begin;
    return std::pair(x.line, x.column) < std::pair(y.line, y.column);
  });
  ConfigSyntax syntax;
  try {
    for (const auto& [key, node] : entries) {
      if (key->source().begin.line >= limit) {
        break;
      }
      syntax.settings.push_back(setting(*key, *node));
    }
    syntax.error = then;
  } catch (const Error& error) {
    syntax.error = error;
  }
  return syntax;
}

// Refuses what TOML allows but the tool never took: quoted and dotted keys, sections.
ConfigSetting ConfigDocument::setting(const toml::key& key, const toml::node& node) const {
  const std::size_t line = key.source().begin.line;
  const std::string_view written = text_at(line, key.source().begin.column);
  if (!written.empty() && (written.front() == '"' || written.front() == '\'')) {
    throw fail(line, fmt::format("expected key = value, not '{}'", excerpt(trim_end(written))));
  }
  const std::string_view content = trim_end(trim_start(text_at(line)));
  if ((node.is_table() || node.is_array_of_tables()) && !content.empty() &&
      content.front() == '[') {
    throw fail(line,
               fmt::format("'{}': sections are not supported; put every key = value at the top "
                           "level, one a line",
                           excerpt(content)));
  }
  if (node.is_table()) {
    // A dotted key: window.x = 1.
    throw fail(line, fmt::format("expected key = value after \"{}\"", key.str()));
  }
  ConfigSetting setting{std::string(key.str()), {}, node.is_array(), line};
  if (const toml::array* list = node.as_array()) {
    for (const toml::node& item : *list) {
      setting.items.push_back(scalar_text(setting.key, item));
    }
  } else {
    setting.items.push_back(scalar_text(setting.key, node));
  }
  return setting;
}

// The text of a value or of a list's item: a string's contents; a number, a boolean or a date as
// written, which the option then reads as it would on the command line.
std::string ConfigDocument::scalar_text(const std::string& key, const toml::node& node) const {
  const toml::source_region& where = node.source();
  const std::string_view written = text_at(where.begin.line, where.begin.column);
  if (node.is_table() || node.is_array()) {
    throw fail(where.begin.line,
               fmt::format("the list of \"{}\" takes strings, not lists or tables", key));
  }
  if (const toml::value<std::string>* text = node.as_string()) {
    if (written.substr(0, 3) == "\"\"\"" || written.substr(0, 3) == "'''") {
      throw fail(
        where.begin.line,
        fmt::format("the value of \"{}\" is a multi-line string; write it on one line", key));
    }
    return text->get();
  }
  // Anything but a string is on one line.
  const std::size_t length = written.size() - text_at(where.begin.line, where.end.column).size();
  return std::string(written.substr(0, length));
}

// toml++'s error inside the value of the setting that starts on line `start`, as the tool has
// always said it, or nothing.
std::optional<Error> ConfigDocument::explain_in_value(const toml::parse_error& error,
                                                      std::size_t start) const {
  const std::string& key = key_at(start);
  const std::size_t line = error.source().begin.line;
  const std::string_view what = error.description();
  const std::string_view rest = trim_end(written_at(line, error.source().begin.column));
  const auto says = [&](std::string_view words) {
    return what.find(words) != std::string_view::npos;
  };
  if (key.empty()) {
    return std::nullopt;
  }
  if (says("cannot redefine existing") && line == start) {
    for (std::size_t earlier = 1; earlier < line; ++earlier) {
      if (key_at(earlier) == key) {
        return fail(line,
                    fmt::format("\"{}\" is set twice, on lines {} and {}", key, earlier, line));
      }
    }
  }
  if (says("parsing array") && says("end-of-file")) {
    return fail(start, fmt::format("the list of \"{}\" is not closed with ]", key));
  }
  if (says("string") && (says("end-of-file") || rest.empty())) {
    const char quote = open_quote(text_at(line));
    return fail(line,
                fmt::format("the value of \"{}\" lacks its closing {}",
                            key,
                            quote == 0 ? (says("literal string") ? '\'' : '"') : quote));
  }
  if (says("escape sequence '\\")) {
    const std::size_t escape = what.find("'\\") + 2;
    return fail(line,
                fmt::format("the value of \"{}\" has an unknown escape \\{} (write \\\\ for a "
                            "backslash, or use '...' quotes)",
                            key,
                            what.substr(escape, what.find('\'', escape) - escape)));
  }
  if (says("unicode")) {
    return fail(line, fmt::format("the value of \"{}\" has a bad \\u escape", key));
  }
  // A lone '\r' is no line end.
  if (says("expected a comment or whitespace") || says("after '\\r'")) {
    return fail(line,
                fmt::format("more after the value of \"{}\": '{}'; put each key = value on a line "
                            "of its own",
                            key,
                            excerpt(rest)));
  }
  if (says("expected comma or closing ']'")) {
    return fail(line,
                fmt::format("the list of \"{}\" needs a comma before '{}'", key, excerpt(rest)));
  }
  if (says("expected value or closing ']', saw comma")) {
    return fail(line, fmt::format("the list of \"{}\" has an empty item", key));
  }
  // Bare values are strings by then (ini_to_toml): this is an item of a list, one that may also
  // start like a number, a boolean or a date ([2s], [1.db]), which toml++ then parses as one.
  const bool in_list = written_at(line).find('[') != std::string_view::npos;
  if (says("could not determine value type") || (in_list && says("while parsing"))) {
    const std::string_view from = written_at(line);
    const std::size_t column = std::min<std::size_t>(error.source().begin.column, from.size());
    const std::size_t item = from.find_last_of("[,", column > 0 ? column - 1 : 0);
    return fail(
      line,
      fmt::format("the list of \"{}\" has an item not in quotes: '{}'",
                  key,
                  excerpt(trim_end(
                    item == std::string_view::npos ? rest : trim_start(from.substr(item + 1))))));
  }
  return std::nullopt;
}

Error ConfigDocument::explain(const toml::parse_error& error, std::size_t start) const {
  if (std::optional<Error> explained = explain_in_value(error, start)) {
    return *explained;
  }
  const std::size_t line = error.source().begin.line;
  const std::string_view what = error.description();
  const std::string_view key = leading_key(text_at(line));
  if (what.find("expected '='") != std::string_view::npos && !key.empty()) {
    return fail(line, fmt::format("expected key = value after \"{}\"", key));
  }
  if (what.find("expected keys, tables, whitespace or comments") != std::string_view::npos) {
    return fail(line,
                fmt::format("expected key = value, not '{}'",
                            excerpt(trim_end(trim_start(written_at(line))))));
  }
  // toml++'s own words, "Error while parsing ...", as the end of a sentence.
  std::string message(what);
  if (!message.empty()) {
    message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
  }
  return fail(line, message);
}

Error ConfigDocument::fail(std::size_t line, const std::string& message) const {
  return Error(ExitCode::usage, fmt::format("{}:{}: {}", display(m_file), line, message), m_file);
}

std::string_view ConfigDocument::text_at(std::size_t line, std::size_t column) const {
  if (line == 0 || line > m_lines.size()) {
    return {};
  }
  const std::string_view text = m_lines[line - 1].text;
  // Past `column - 1` code points, each a byte and the bytes that continue its UTF-8 sequence.
  std::size_t pos = 0;
  for (std::size_t point = 1; point < column && pos < text.size(); ++point) {
    ++pos;
    while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xc0) == 0x80) {
      ++pos;
    }
  }
  return text.substr(pos);
}

std::string_view ConfigDocument::written_at(std::size_t line, std::size_t column) const {
  if (line == 0 || line > m_lines.size()) {
    return {};
  }
  const Line& read = m_lines[line - 1];
  const std::size_t pos = read.text.size() - text_at(line, column).size();
  return std::string_view(read.written).substr(std::min({pos, read.kept, read.written.size()}));
}

const std::string& ConfigDocument::key_at(std::size_t line) const {
  static const std::string k_none;
  return line == 0 || line > m_lines.size() ? k_none : m_lines[line - 1].key;
}

} // namespace

ConfigSyntax read_config_syntax(std::string_view text, const std::filesystem::path& file) {
  return ConfigDocument(text, file).read();
}

std::string excerpt(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) {
    return std::string(text);
  }
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) {
    --end;
  }
  return std::string(text.substr(0, end)) + "...";
}

} // namespace heatmap_merge
