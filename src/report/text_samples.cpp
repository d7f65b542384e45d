// The text report's sample rows (text_sections.hpp): the first rows added and the first
// conflicts, each row's columns as name=value wrapped to 80 columns.

#include "report/text_sections.hpp"
#include "util/terminal_text.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace heatmap_merge {

namespace {

// A sample row: its input, row id and new id on a line, then its columns as name=value, wrapped
// to the report's width; a value too long for a line continues on the next, indented further.
void write_sample(std::ostream& out, const ReportModel& model, const SampleRow& sample) {
  fmt::print(out,
             "  {} row {}{}:\n",
             terminal_safe(model.labels[sample.input]),
             sample.rowid,
             sample.new_id != 0 ? fmt::format(" -> id {}", sample.new_id) : "");
  std::string line = "   ";
  std::size_t line_width = 3;
  for (const std::pair<std::string, std::string>& value : sample.values) {
    const std::string field =
      fmt::format("{}={}", terminal_safe(value.first), terminal_safe(value.second));
    const std::size_t field_width = text_width(field);
    if (line_width > 3 && line_width + 1 + field_width > k_text_width) {
      out << line << '\n';
      line = "   ";
      line_width = 3;
    }
    if (line_width + 1 + field_width > k_text_width) {
      for (const std::string& piece : wrap_text("    " + field, k_text_width, 6)) {
        out << piece << '\n';
      }
      continue;
    }
    line += ' ' + field;
    line_width += 1 + field_width;
  }
  if (line_width > 3) {
    out << line << '\n';
  }
}

} // namespace

void write_samples(TextWriter& writer, const ReportModel& model) {
  const Insights& insights = model.result.insights;
  if (!insights.added_samples.empty()) {
    writer.heading(model.result.dry_run ? "rows that would be added (first ones)"
                                        : "rows added (first ones)");
    for (const SampleRow& sample : insights.added_samples) {
      write_sample(writer.out(), model, sample);
    }
  }
  if (!insights.conflict_samples.empty()) {
    writer.heading("conflicts (the first row is kept)");
    for (std::size_t i = 0; i < insights.conflict_samples.size(); ++i) {
      const ConflictSample& conflict = insights.conflict_samples[i];
      const std::vector<std::string>& columns = model.conflict_columns[i];
      std::string names;
      for (const std::string& column : columns) {
        names += (names.empty() ? "" : ", ") + terminal_safe(column);
      }
      for (const std::string& line :
           wrap_text(columns.empty()
                       ? std::string("  these rows differ only in the type of a value (1 and '1')")
                       : fmt::format("  these rows differ in {}:", names),
                     k_text_width,
                     4)) {
        writer.out() << line << '\n';
      }
      write_sample(writer.out(), model, conflict.kept);
      write_sample(writer.out(), model, conflict.dropped);
    }
  }
}

} // namespace heatmap_merge
