// The HTML report's sample rows (html_sections.hpp): the first rows added, and the first
// conflicts with the columns in which their two rows differ marked.

#include "read/schema.hpp"
#include "report/html_layout.hpp"
#include "report/html_sections.hpp"
#include "util/terminal_text.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace heatmap_merge {

namespace {

// Sample rows side by side, one column per row and one line per database column: rows are wide
// (user agents), so a row per sample would squeeze every value into a sliver. The lines of the
// `marked` columns are marked: those in which a conflict's kept and dropped row differ.
void write_sample_table(HtmlWriter& html,
                        const ReportModel& model,
                        const std::vector<const SampleRow*>& rows,
                        const std::vector<std::string_view>& roles,
                        const std::vector<std::string>& marked) {
  html.print("<table class=\"samples\">\n<tr><th>column</th>");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const SampleRow& row = *rows[i];
    html.print("<th class=\"v\">");
    if (!roles[i].empty()) {
      html.print("{}: ", roles[i]);
    }
    html.print("<code>{}</code><br>row {}", terminal_safe(model.labels[row.input]), row.rowid);
    if (row.new_id != 0) {
      html.print(" &rarr; id {}", row.new_id);
    }
    html.print("</th>");
  }
  html.print("</tr>\n");
  for (const SampleLine& line : sample_lines(rows)) {
    const bool mark = std::any_of(marked.begin(), marked.end(), [&](const std::string& column) {
      return same_name(column, line.column);
    });
    html.print("<tr{}><th>{}</th>", mark ? Markup(" class=\"diff\"") : Markup(""), line.column);
    for (const std::string* value : line.values) {
      html.print("<td class=\"v\">{}</td>",
                 value != nullptr ? std::string_view(*value) : std::string_view());
    }
    html.print("</tr>\n");
  }
  html.print("</table>\n");
}

} // namespace

void write_samples(HtmlWriter& html, const ReportModel& model) {
  const MergeResult& result = model.result;
  const Insights& insights = result.insights;
  if (!insights.added_samples.empty()) {
    html.print("<h2>{}</h2>\n",
               result.dry_run ? "Rows that would be added (first ones)"
                              : "Rows added (first ones)");
    std::vector<const SampleRow*> rows;
    for (const SampleRow& sample : insights.added_samples) {
      rows.push_back(&sample);
    }
    write_sample_table(html, model, rows, std::vector<std::string_view>(rows.size()), {});
  }
  if (!insights.conflict_samples.empty()) {
    html.print("<h2>Conflicts (the first row is kept)</h2>\n<p class=\"note\">Marked: the "
               "columns in which the two rows differ.</p>\n<div class=\"conflicts\">\n");
    for (std::size_t i = 0; i < insights.conflict_samples.size(); ++i) {
      const ConflictSample& conflict = insights.conflict_samples[i];
      const std::vector<std::string>& columns = model.conflict_columns[i];
      html.print("<figure>\n<figcaption>");
      if (columns.empty()) {
        html.print("These rows differ only in the type of a value (1 and '1').");
      } else {
        html.print("These rows differ in ");
        for (std::size_t c = 0; c < columns.size(); ++c) {
          html.print("{}<code>{}</code>", c == 0 ? "" : ", ", terminal_safe(columns[c]));
        }
        html.print(".");
      }
      html.print("</figcaption>\n");
      write_sample_table(
        html, model, {&conflict.kept, &conflict.dropped}, {"kept", "dropped"}, columns);
      html.print("</figure>\n");
    }
    html.print("</div>\n");
  }
}

} // namespace heatmap_merge
