// --help (help.hpp): CLI11's formatter with the positional named by its type and every
// description wrapped to 80 columns; the usage lines printed after a usage error.
#include "cli/help.hpp"

#include <sstream>

namespace heatmap_merge {

std::string HelpFormatter::make_option(const CLI::Option* option, bool is_positional) const {
  // CLI11 indents the options of a group by two more columns: wrap them all for 78.
  constexpr std::size_t k_width = 78;
  const std::size_t column = get_column_width();
  std::string out = "  " + make_option_name(option, is_positional) + make_option_opts(option);
  const std::string description = make_option_desc(option);
  if (description.empty()) {
    return out + "\n";
  }
  if (out.size() >= column) {
    out += "\n" + std::string(column, ' ');
  } else {
    out += std::string(column - out.size(), ' ');
  }
  std::size_t length = column;
  bool line_start = true;
  std::istringstream words(description);
  std::string word;
  while (words >> word) {
    if (!line_start && length + 1 + word.size() > k_width) {
      out += "\n" + std::string(column, ' ');
      length = column;
      line_start = true;
    }
    if (!line_start) {
      out += ' ';
      ++length;
    }
    out += word;
    length += word.size();
    line_start = false;
  }
  return out + "\n";
}

std::string HelpFormatter::make_option_name(const CLI::Option* option, bool is_positional) const {
  if (is_positional && !option->get_type_name().empty()) {
    return option->get_type_name();
  }
  return CLI::Formatter::make_option_name(option, is_positional);
}

std::string HelpFormatter::make_option_opts(const CLI::Option* option) const {
  // The positional's type name says it all: no "... REQUIRED" after it.
  if (option->get_positional()) {
    return {};
  }
  return CLI::Formatter::make_option_opts(option);
}

std::string HelpFormatter::make_option_usage(const CLI::Option* option) const {
  if (option->get_positional() && !option->get_type_name().empty()) {
    return option->get_type_name();
  }
  return CLI::Formatter::make_option_usage(option);
}

std::string help_hint() {
  return "Try 'heatmap-merge --help' for more information.";
}

std::string usage_hint(const CLI::App& app) {
  return HelpFormatter().make_usage(&app, app.get_name()) + help_hint();
}

} // namespace heatmap_merge
