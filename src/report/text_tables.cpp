// The text report's tables (text_sections.hpp): the inputs and what the matching did with
// each secondary's rows, the outages, the rows added per page, the clicks per hour around each
// outage. Each fits 80 columns, labels cut to fit (fit_labels).

#include "report/text_sections.hpp"
#include "util/terminal_text.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

namespace heatmap_merge {

namespace {

// The table of the inputs, that fits 80 columns: each input with its role, rows and time span,
// and the output's rows. Labels, not paths, name the inputs; the paths follow where a label is not
// the path as given.
void write_input_table(std::ostream& out, const ReportModel& model) {
  const MergeResult& result = model.result;
  std::vector<std::int64_t> rows = {result.plan.rows_out};
  for (const Share& input : result.plan.shares) {
    rows.push_back(input.rows);
  }
  const std::size_t rows_width = column_width(rows, "rows");
  constexpr std::size_t k_role_width = 9; // "secondary"
  constexpr std::size_t k_time_width = 19;
  const std::size_t fixed = 2 + k_role_width + 2 + rows_width + 2 + k_time_width + 2 + k_time_width;
  const LabelColumn inputs =
    label_column(model, k_text_width > fixed + 8 ? k_text_width - fixed : 8, 5);
  fmt::print(out,
             "{}  {:<{}}  {:>{}}  {:<19}  {}\n",
             padded("input", inputs.width),
             "role",
             k_role_width,
             "rows",
             rows_width,
             "first (UTC)",
             "last (UTC)");
  for (std::size_t i = 0; i < result.inputs.size(); ++i) {
    const Share& input = result.plan.shares[i];
    fmt::print(out,
               "{}  {:<{}}  {:>{}}  {:<19}  {}\n",
               padded(inputs.labels[i], inputs.width),
               input_role(i),
               k_role_width,
               input.rows,
               rows_width,
               input.first ? readable_time(*input.first) : "-",
               input.last ? readable_time(*input.last) : "-");
  }
  fmt::print(
    out,
    "{}  {:>{}}\n",
    padded(result.dry_run ? "output (dry run)" : "output", inputs.width + 2 + k_role_width),
    result.plan.rows_out,
    rows_width);
  for (std::size_t i = 0; i < result.inputs.size(); ++i) {
    const std::string path = display(result.inputs[i]);
    if (path != terminal_safe(model.labels[i])) {
      out << fmt::format("{}: {}\n", terminal_safe(model.labels[i]), path);
    }
  }
}

// A column of numbers of the secondaries' table, as wide as its widest number or its header.
struct CountColumn {
  std::string header;
  std::vector<std::int64_t> counts;
  std::size_t width = 0;
};

// The table of what the matching did with each secondary's rows, that fits 80 columns.
void write_secondary_table(std::ostream& out, const ReportModel& model) {
  const MergeResult& result = model.result;
  std::vector<CountColumn> columns{
    {"exact", {}, 0}, {"window", {}, 0}, {"conflicts", {}, 0}, {"added", {}, 0}};
  for (std::size_t i = 1; i < result.inputs.size(); ++i) {
    const Share& input = result.plan.shares[i];
    columns[0].counts.push_back(input.duplicates_exact);
    columns[1].counts.push_back(input.duplicates_window);
    columns[2].counts.push_back(input.conflicts);
    columns[3].counts.push_back(static_cast<std::int64_t>(input.added.size()));
  }
  std::size_t numbers_width = 0;
  for (CountColumn& column : columns) {
    column.width = column_width(column.counts, column.header);
    numbers_width += column.width + 2;
  }
  const LabelColumn secondaries = label_column(model, k_text_width - numbers_width, 9);
  out << '\n' << padded("secondary", secondaries.width);
  for (const CountColumn& column : columns) {
    fmt::print(out, "  {:>{}}", column.header, column.width);
  }
  out << '\n';
  for (std::size_t i = 1; i < result.inputs.size(); ++i) {
    out << padded(secondaries.labels[i], secondaries.width);
    for (const CountColumn& column : columns) {
      fmt::print(out, "  {:>{}}", column.counts[i - 1], column.width);
    }
    out << '\n';
  }
}

} // namespace

// The inputs' table; then, with secondaries, theirs.
void write_inputs(TextWriter& writer, const ReportModel& model) {
  write_input_table(writer.out(), model);
  if (model.result.inputs.size() >= 2) {
    write_secondary_table(writer.out(), model);
  }
}

void write_outages(TextWriter& writer, const ReportModel& model) {
  const Insights& insights = model.result.insights;
  if (insights.outages.empty() && insights.isolated_rows == 0) {
    return;
  }
  std::ostream& out = writer.out();
  writer.heading(
    fmt::format("outages: clicks only on a secondary, {} or more in a row", k_outage_min_rows));
  if (insights.outages.empty()) {
    out << "  none\n";
  } else {
    fmt::print(
      out, "  {:<19}  {:<19}  {:>8}  {:>7}\n", "start (UTC)", "end (UTC)", "duration", "rows");
    for (const Outage& outage : insights.outages) {
      fmt::print(out,
                 "  {:<19}  {:<19}  {:>8}  {:>7}\n",
                 readable_time(outage.start),
                 readable_time(outage.end),
                 readable_span(outage.start, outage.end),
                 outage.rows);
    }
  }
  if (insights.isolated_rows > 0) {
    fmt::print(
      out, "  {} outside outages\n", counted(insights.isolated_rows, "isolated failover click"));
  }
}

void write_pages(TextWriter& writer, const ReportModel& model) {
  if (model.top_pages.empty()) {
    return;
  }
  std::ostream& out = writer.out();
  writer.heading("rows added per page");
  std::vector<std::string> pages;
  for (const PageInsight* page : model.top_pages) {
    pages.push_back(terminal_safe(page->page));
  }
  // Long URLs lose their start (or middle) to an ellipsis, never so that two read the same.
  pages = fit_labels(pages, k_text_width - 2 - 2 - 9);
  const std::string others = fmt::format("({})", counted(model.other_pages, "other page"));
  std::size_t width = model.other_pages > 0 ? text_width(others) : 10;
  for (const std::string& page : pages) {
    width = std::max(width, text_width(page));
  }
  for (std::size_t i = 0; i < pages.size(); ++i) {
    fmt::print(out, "  {}  {:>9}\n", padded(pages[i], width), model.top_pages[i]->rows_added);
  }
  if (model.other_pages > 0) {
    fmt::print(out, "  {}  {:>9}\n", padded(others, width), model.other_pages_rows);
  }
}

void write_hours(TextWriter& writer, const ReportModel& model) {
  const MergeResult& result = model.result;
  std::ostream& out = writer.out();
  for (const HourTable& table : model.hour_tables) {
    writer.heading(fmt::format("clicks per hour around outage {} (UTC)", table.outage + 1));
    // A column per input, as wide as the widest label or count, the labels cut to share the
    // width left beside the hour and the added rows.
    std::vector<std::int64_t> counts;
    for (const std::vector<std::int64_t>& per_input : table.per_input) {
      counts.insert(counts.end(), per_input.begin(), per_input.end());
    }
    const std::size_t added_width = column_width(table.added, "added");
    const std::size_t inputs = std::max<std::size_t>(result.inputs.size(), 1);
    const std::size_t room = k_text_width - 2 - 16 - 2 - added_width;
    const LabelColumn labels =
      label_column(model, room / inputs > 2 ? room / inputs - 2 : 1, column_width(counts, ""));
    // The roles above the labels, unless the labels are the roles.
    if (model.labels != role_labels(result.inputs.size())) {
      fmt::print(out, "  {:<16}", "");
      for (std::size_t i = 0; i < result.inputs.size(); ++i) {
        fmt::print(out, "  {}", padded_left(input_role(i), labels.width));
      }
      out << '\n';
    }
    fmt::print(out, "  {:<16}", "hour");
    for (const std::string& label : labels.labels) {
      fmt::print(out, "  {}", padded_left(label, labels.width));
    }
    fmt::print(out, "  {:>{}}\n", "added", added_width);
    for (std::size_t h = 0; h < table.hours.size(); ++h) {
      fmt::print(out, "  {:<16}", readable_time(table.hours[h]).substr(0, 16));
      for (const std::vector<std::int64_t>& per_input : table.per_input) {
        fmt::print(out, "  {:>{}}", per_input[h], labels.width);
      }
      fmt::print(out, "  {:>{}}\n", table.added[h], added_width);
    }
  }
}

} // namespace heatmap_merge
