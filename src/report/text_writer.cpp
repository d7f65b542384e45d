// The text report's means to fit an 80-column terminal (text_writer.hpp).

#include "report/text_writer.hpp"

#include "util/terminal_text.hpp"

#include <fmt/color.h>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>

namespace heatmap_merge {

void TextWriter::heading(const std::string& text) {
  m_out << '\n';
  for (const std::string& line : wrap_text(text, k_text_width, 2)) {
    if (m_colour) {
      fmt::print(m_out, "{}\n", fmt::styled(line, fmt::emphasis::bold));
    } else {
      fmt::print(m_out, "{}\n", line);
    }
  }
}

void TextWriter::warning(const std::string& text) {
  for (const std::string& line : wrap_text(text, k_text_width, 2)) {
    if (m_colour) {
      fmt::print(m_out, "{}\n", fmt::styled(line, fmt::fg(fmt::terminal_color::yellow)));
    } else {
      fmt::print(m_out, "{}\n", line);
    }
  }
}

std::size_t column_width(const std::vector<std::int64_t>& numbers, std::string_view header) {
  std::size_t width = header.size();
  for (const std::int64_t number : numbers) {
    width = std::max(width, std::to_string(number).size());
  }
  return width;
}

LabelColumn label_column(const ReportModel& model, std::size_t width, std::size_t at_least) {
  std::vector<std::string> safe;
  for (const std::string& label : model.labels) {
    safe.push_back(terminal_safe(label));
  }
  LabelColumn column{fit_labels(safe, width), at_least};
  for (const std::string& label : column.labels) {
    column.width = std::max(column.width, text_width(label));
  }
  return column;
}

std::string padded(const std::string& text, std::size_t width) {
  const std::size_t used = text_width(text);
  return used >= width ? text : text + std::string(width - used, ' ');
}

std::string padded_left(const std::string& text, std::size_t width) {
  const std::size_t used = text_width(text);
  return used >= width ? text : std::string(width - used, ' ') + text;
}

std::string fit_width(const std::string& text) {
  std::string fitted;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    const std::string_view line(text.data() + at, end - at);
    if (text_width(line) <= k_text_width) {
      fitted += line;
      fitted += '\n';
    } else {
      const std::size_t indent = std::min(line.find_first_not_of(' '), line.size());
      for (const std::string& piece : wrap_text(line, k_text_width, indent + 2)) {
        fitted += piece;
        fitted += '\n';
      }
    }
    at = end + 1;
  }
  return fitted;
}

} // namespace heatmap_merge
