// The text report, for a terminal. Every string from the data (page URLs, values, column and
// table names, file names) goes through terminal_safe (display() for paths): any visitor chooses
// a page URL or a user agent, and raw, it could retitle or clear the operator's terminal or forge
// lines of the report.

#include "util/duration.hpp"
#include "util/error.hpp"
#include "util/terminal_text.hpp"
#include "util/text.hpp"
#include "report/report_model.hpp"

#include <fmt/color.h>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <ostream>
#include <sstream>
#include <string>
#include <vector>

namespace heatmap_merge {

namespace {

// The report fits an 80-column terminal: tables are laid out for it, and write_text_report wraps
// any longer line, so that no section can make the terminal wrap it mid-column.
constexpr std::size_t k_text_width = 80;

class TextWriter {
public:
  TextWriter(std::ostream& out, bool colour) : m_out(out), m_colour(colour) {}

  // A heading, or a warning, wrapped to the report's width before it is styled: the styles'
  // escape sequences take no columns, and a line of them must not be cut apart.
  void heading(const std::string& text) {
    m_out << '\n';
    for (const std::string& line : wrap_text(text, k_text_width, 2)) {
      if (m_colour) {
        fmt::print(m_out, "{}\n", fmt::styled(line, fmt::emphasis::bold));
      } else {
        fmt::print(m_out, "{}\n", line);
      }
    }
  }
  void warning(const std::string& text) {
    for (const std::string& line : wrap_text(text, k_text_width, 2)) {
      if (m_colour) {
        fmt::print(m_out, "{}\n", fmt::styled(line, fmt::fg(fmt::terminal_color::yellow)));
      } else {
        fmt::print(m_out, "{}\n", line);
      }
    }
  }
  std::ostream& out() {
    return m_out;
  }

private:
  std::ostream& m_out;
  bool m_colour;
};

void write_histogram(std::ostream& out, const OffsetSummary& summary) {
  std::int64_t largest = 1;
  for (const HistogramBin& bin : summary.histogram) {
    largest = std::max(largest, bin.count);
  }
  for (const HistogramBin& bin : summary.histogram) {
    const std::size_t bar = static_cast<std::size_t>((bin.count * 30 + largest - 1) / largest);
    fmt::print(out,
               "  {:>8} to {:<8} {:<30} {}\n",
               format_duration(std::chrono::nanoseconds(bin.from_ns)),
               format_duration(std::chrono::nanoseconds(bin.to_ns)),
               std::string(bar, '#'),
               bin.count);
  }
}

// The width of the widest of `numbers` and `header`.
std::size_t column_width(const std::vector<std::int64_t>& numbers, std::string_view header) {
  std::size_t width = header.size();
  for (const std::int64_t number : numbers) {
    width = std::max(width, std::to_string(number).size());
  }
  return width;
}

// The labels terminal-safe and at most `width` columns wide (fit_labels), padded to the widest.
struct LabelColumn {
  std::vector<std::string> labels;
  std::size_t width = 0;
};

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

// `text` left-aligned in `width` columns (fmt pads by its own idea of width, which counts an
// East Asian wide character twice: text_width does not).
std::string padded(const std::string& text, std::size_t width) {
  const std::size_t used = text_width(text);
  return used >= width ? text : text + std::string(width - used, ' ');
}

std::string padded_left(const std::string& text, std::size_t width) {
  const std::size_t used = text_width(text);
  return used >= width ? text : std::string(width - used, ' ') + text;
}

// The table of the inputs, that fits 80 columns: each input with its role, rows and time span,
// and the output's rows. Labels, not paths, name the inputs; the paths follow where a label is not
// the path as given.
void write_input_table(std::ostream& out, const ReportModel& model) {
  const MergeResult& result = model.result;
  std::vector<std::int64_t> rows = {result.plan.rows_out};
  for (const InputPlan& input : result.plan.inputs) {
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
    const InputPlan& input = result.plan.inputs[i];
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
    const InputPlan& input = result.plan.inputs[i];
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
                 readable_span(outage.end - outage.start),
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

void write_window(TextWriter& writer, const ReportModel& model) {
  const MergeResult& result = model.result;
  const WindowEvidence& evidence = model.evidence;
  std::ostream& out = writer.out();
  if (result.window.count() > 0) {
    fmt::print(out,
               "\nduplicates: {} exact, {} within {}\n",
               model.totals.duplicates_exact,
               model.totals.duplicates_window,
               readable_duration(result.window));
  }
  if (evidence.matched.count > 0) {
    writer.heading(fmt::format("time differences of the {} pairs matched within {} (secondary "
                               "minus kept row)",
                               evidence.matched.count,
                               readable_duration(result.window)));
    write_histogram(out, evidence.matched);
    fmt::print(out,
               "  median {}: the failover delay plus the clock skew between the nodes\n",
               format_duration(std::chrono::nanoseconds(evidence.matched.median_ns)));
    fmt::print(out,
               "  99% of them are within {}\n",
               format_duration(std::chrono::nanoseconds(evidence.matched.window_99_ns)));
  }
  if (evidence.near_misses.count > 0) {
    writer.heading(
      fmt::format("{} same-key pairs lie further apart than the window{} but within "
                  "10s; they stay separate clicks",
                  evidence.near_misses.count,
                  result.window.count() > 0 ? " (" + readable_duration(result.window) + ")" : ""));
    write_histogram(out, evidence.near_misses);
  }
  // The suggestion: a heading, then its reasons, each wrapped under it.
  const std::vector<std::string> advice = window_advice(model);
  for (std::size_t i = 0; i < advice.size(); ++i) {
    if (i == 0) {
      writer.heading(advice[i]);
      continue;
    }
    for (const std::string& line : wrap_text("  " + advice[i], k_text_width, 4)) {
      fmt::print(out, "{}\n", line);
    }
  }
  const std::string warning = window_warning(model);
  if (!warning.empty()) {
    out << '\n';
    writer.warning(warning);
  }
}

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

// "id 401" or "ids 401 to 465": the ids the added rows get.
std::string new_ids(const ReportModel& model) {
  const std::int64_t first = model.result.plan.first_new_id;
  return model.totals.added == 1
           ? fmt::format("id {}", first)
           : fmt::format("ids {} to {}", first, first + model.totals.added - 1);
}

// Lines longer than the report's width broken at spaces, the rest of each indented as it was
// and two more: the last guard of the 80 columns, for a line no layout above foresaw.
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

// The warnings after the sections: conflicts, inputs that look swapped, columns added.
void write_warnings(TextWriter& writer, const ReportModel& model) {
  const MergeResult& result = model.result;
  if (model.totals.conflicts > 0) {
    writer.warning(fmt::format("conflicts: {} whose other columns differ from the row kept; {}",
                               counted(model.totals.conflicts, "duplicate"),
                               conflict_winner(model.totals)));
  }
  for (const SwapSuspicion& suspicion : result.swap_suspicions) {
    writer.warning("warning: " + swap_warning(result, suspicion, display));
  }
  if (!result.triggers.empty()) {
    writer.warning("warning: " + trigger_warning(result, display));
  }
  for (std::size_t i = 0; i < result.layout.added_columns.size(); ++i) {
    fmt::print(writer.out(),
               "column added: {} (only in {})\n",
               display_name(result.layout.added_columns[i].name),
               display(result.inputs[result.layout.added_from[i]]));
  }
}

// What --in-place did: the backup, the rows added in how many transactions, and the planned rows
// that had reached the primary on their own.
void write_in_place(std::ostream& out, const MergeResult& result) {
  const InPlaceSummary& in_place = *result.in_place;
  fmt::print(out, "backup: {}\n", display(in_place.backup));
  fmt::print(out,
             "added {} to {} in place, in {} (the longest {:.0f} ms)\n",
             counted(in_place.inserted, "row"),
             display(result.inputs.front()),
             counted(in_place.transactions, "transaction"),
             in_place.longest_transaction_seconds * 1000);
  if (in_place.already_there > 0) {
    fmt::print(out,
               "{} had meanwhile reached the primary and {} not added again\n",
               counted(in_place.already_there, "planned row"),
               in_place.already_there == 1 ? "was" : "were");
  }
}

// The last lines: what was added (or would be), the backups removed, and what was written.
void write_outcome(std::ostream& out, const ReportModel& model) {
  const MergeResult& result = model.result;
  if (model.totals.added == 0) {
    fmt::print(out, "nothing to add: every secondary row is already in the primary\n");
  } else if (result.in_place) {
    write_in_place(out, result);
  } else {
    fmt::print(out,
               "{} {} with {}\n",
               result.dry_run ? "would add" : "added",
               counted(model.totals.added, "row"),
               new_ids(model));
  }
  if (result.in_place && !result.in_place->removed_backups.empty()) {
    std::string names;
    for (const std::filesystem::path& path : result.in_place->removed_backups) {
      names += (names.empty() ? "" : ", ") + display(path.filename());
    }
    fmt::print(out, "removed old backups (--keep-backups): {}\n", names);
  }
  if (result.dry_run) {
    out << "dry run: nothing written\n";
  } else if (result.output) {
    fmt::print(out, "wrote {}\n", display(*result.output));
  }
}

} // namespace

void write_text_report(std::ostream& report, const ReportModel& model, bool colour) {
  std::ostringstream out;
  TextWriter writer(out, colour);
  write_inputs(writer, model);
  write_outages(writer, model);
  write_pages(writer, model);
  write_hours(writer, model);
  write_window(writer, model);
  out << '\n';
  write_warnings(writer, model);
  write_samples(writer, model);
  if (!model.result.insights.added_samples.empty() ||
      !model.result.insights.conflict_samples.empty()) {
    out << '\n';
  }
  write_outcome(out, model);
  fmt::print(out, "time: {:.2f} s\n", model.result.elapsed.count());
  report << fit_width(out.str());
}

} // namespace heatmap_merge
