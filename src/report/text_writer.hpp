#pragma once
// The text report's means to fit an 80-column terminal: TextWriter (headings and warnings,
// wrapped and styled), the widths of columns and labels, and the last pass that wraps any longer
// line. Shared by the text report's sections (text_sections.hpp). Internal to report/.

#include "report/report_model.hpp"

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace heatmap_merge {

// The report fits an 80-column terminal: tables are laid out for it, and write_text_report wraps
// any longer line, so that no section can make the terminal wrap it mid-column.
inline constexpr std::size_t k_text_width = 80;

class TextWriter {
public:
  TextWriter(std::ostream& out, bool colour) : m_out(out), m_colour(colour) {}

  // A heading, or a warning, wrapped to the report's width before it is styled: the styles'
  // escape sequences take no columns, and a line of them must not be cut apart.
  void heading(const std::string& text);
  void warning(const std::string& text);
  std::ostream& out() {
    return m_out;
  }

private:
  std::ostream& m_out;
  bool m_colour;
};

// The width of the widest of `numbers` and `header`.
std::size_t column_width(const std::vector<std::int64_t>& numbers, std::string_view header);

// The labels terminal-safe and at most `width` columns wide (fit_labels), padded to the widest.
struct LabelColumn {
  std::vector<std::string> labels;
  std::size_t width = 0;
};

LabelColumn label_column(const ReportModel& model, std::size_t width, std::size_t at_least);

// `text` left-aligned in `width` columns (fmt pads by its own idea of width, which counts an
// East Asian wide character twice: text_width does not).
std::string padded(const std::string& text, std::size_t width);
// `text` right-aligned in `width` columns, as padded measures them.
std::string padded_left(const std::string& text, std::size_t width);

// Lines longer than the report's width broken at spaces, the rest of each indented as it was
// and two more: the last guard of the 80 columns, for a line no layout above foresaw.
std::string fit_width(const std::string& text);

} // namespace heatmap_merge
