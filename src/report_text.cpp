// The text report, for a terminal. Every string from the data (page URLs, values, column and
// table names, file names) goes through terminal_safe (display() for paths): any visitor chooses
// a page URL or a user agent, and raw, it could retitle or clear the operator's terminal or forge
// lines of the report.

#include "heatmap_merge/error.hpp"
#include "heatmap_merge/terminal_text.hpp"
#include "report_model.hpp"

#include <fmt/color.h>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <ostream>
#include <string>
#include <vector>

namespace heatmap_merge {

namespace {

class TextWriter {
public:
  TextWriter(std::ostream& out, bool colour) : m_out(out), m_colour(colour) {}

  void heading(const std::string& text) {
    m_out << '\n';
    if (m_colour) {
      fmt::print(m_out, "{}\n", fmt::styled(text, fmt::emphasis::bold));
    } else {
      fmt::print(m_out, "{}\n", text);
    }
  }
  void warning(const std::string& text) {
    if (m_colour) {
      fmt::print(m_out, "{}\n", fmt::styled(text, fmt::fg(fmt::terminal_color::yellow)));
    } else {
      fmt::print(m_out, "{}\n", text);
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

void write_inputs(TextWriter& writer, const ReportModel& model) {
  const MergeResult& result = model.result;
  std::size_t width = 16; // "output (dry run)"
  for (const std::filesystem::path& path : result.inputs) {
    width = std::max(width, display(path).size());
  }
  std::ostream& out = writer.out();
  fmt::print(out,
             "{:<{}}  {:>9}  {:<19}  {:<19}  {:>9}  {:>7}  {:>9}  {:>9}\n",
             "input",
             width,
             "rows",
             "first",
             "last",
             "exact",
             "window",
             "conflicts",
             "added");
  for (std::size_t i = 0; i < result.inputs.size(); ++i) {
    const InputPlan& input = result.plan.inputs[i];
    const std::string first = input.first ? readable_time(*input.first) : "-";
    const std::string last = input.last ? readable_time(*input.last) : "-";
    // The primary adds nothing: its row says so instead of counting.
    const bool primary = i == 0;
    fmt::print(out,
               "{:<{}}  {:>9}  {:<19}  {:<19}  {:>9}  {:>7}  {:>9}  {:>9}\n",
               display(result.inputs[i]),
               width,
               input.rows,
               first,
               last,
               primary ? "primary" : std::to_string(input.duplicates_exact),
               primary ? "-" : std::to_string(input.duplicates_window),
               primary ? "-" : std::to_string(input.conflicts),
               primary ? "-" : std::to_string(input.added.size()));
  }
  fmt::print(out,
             "{:<{}}  {:>9}\n",
             result.dry_run ? "output (dry run)" : "output",
             width,
             result.plan.rows_out);
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
    fmt::print(out, "  {} isolated failover clicks outside outages\n", insights.isolated_rows);
  }
}

void write_pages(TextWriter& writer, const ReportModel& model) {
  if (model.top_pages.empty()) {
    return;
  }
  std::ostream& out = writer.out();
  writer.heading("rows added per page");
  std::vector<std::string> pages;
  std::size_t width = 10;
  for (const PageInsight* page : model.top_pages) {
    pages.push_back(terminal_safe(page->page));
    width = std::max(width, pages.back().size());
  }
  width = std::min<std::size_t>(width, 60);
  for (std::size_t i = 0; i < pages.size(); ++i) {
    fmt::print(out, "  {:<{}}  {:>9}\n", pages[i], width, model.top_pages[i]->rows_added);
  }
  if (model.other_pages > 0) {
    fmt::print(out,
               "  {:<{}}  {:>9}\n",
               fmt::format("({} other pages)", model.other_pages),
               width,
               model.other_pages_rows);
  }
}

void write_hours(TextWriter& writer, const ReportModel& model) {
  const MergeResult& result = model.result;
  std::ostream& out = writer.out();
  for (const HourTable& table : model.hour_tables) {
    writer.heading(fmt::format("clicks per hour around outage {} (UTC)", table.outage + 1));
    fmt::print(out, "  {:<16}", "hour");
    for (const std::filesystem::path& path : result.inputs) {
      fmt::print(out, "  {:>12}", terminal_safe(path.filename().string().substr(0, 12)));
    }
    fmt::print(out, "  {:>8}\n", "added");
    for (std::size_t h = 0; h < table.hours.size(); ++h) {
      fmt::print(out, "  {:<16}", readable_time(table.hours[h]).substr(0, 16));
      for (const std::vector<std::int64_t>& counts : table.per_input) {
        fmt::print(out, "  {:>12}", counts[h]);
      }
      fmt::print(out, "  {:>8}\n", table.added[h]);
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
               format_duration(result.window));
  }
  if (evidence.matched.count > 0) {
    writer.heading(fmt::format("time differences of the {} pairs matched within {} (secondary "
                               "minus kept row)",
                               evidence.matched.count,
                               format_duration(result.window)));
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
                  result.window.count() > 0 ? " (" + format_duration(result.window) + ")" : ""));
    write_histogram(out, evidence.near_misses);
    fmt::print(out,
               "  --window {} would match 99% of all pairs within 10s; pairs far from the\n"
               "  failover delay are more likely distinct clicks than duplicates\n",
               format_duration(std::chrono::nanoseconds(evidence.all.window_99_ns)));
  }
}

void write_sample(std::ostream& out, const MergeResult& result, const SampleRow& sample) {
  fmt::print(out,
             "  {} row {}{}:",
             display(result.inputs[sample.input]),
             sample.rowid,
             sample.new_id != 0 ? fmt::format(" -> id {}", sample.new_id) : "");
  for (const std::pair<std::string, std::string>& value : sample.values) {
    fmt::print(out, " {}={}", terminal_safe(value.first), terminal_safe(value.second));
  }
  out << '\n';
}

void write_samples(TextWriter& writer, const ReportModel& model) {
  const Insights& insights = model.result.insights;
  if (!insights.added_samples.empty()) {
    writer.heading(model.result.dry_run ? "rows that would be added (first ones)"
                                        : "rows added (first ones)");
    for (const SampleRow& sample : insights.added_samples) {
      write_sample(writer.out(), model.result, sample);
    }
  }
  if (!insights.conflict_samples.empty()) {
    writer.heading("conflicts (the first row is kept)");
    for (const ConflictSample& conflict : insights.conflict_samples) {
      write_sample(writer.out(), model.result, conflict.kept);
      write_sample(writer.out(), model.result, conflict.dropped);
    }
  }
}

} // namespace

void write_text_report(std::ostream& out, const ReportModel& model, bool colour) {
  const MergeResult& result = model.result;
  TextWriter writer(out, colour);
  write_inputs(writer, model);
  write_outages(writer, model);
  write_pages(writer, model);
  write_hours(writer, model);
  write_window(writer, model);
  out << '\n';
  if (model.totals.conflicts > 0) {
    writer.warning(fmt::format("conflicts: {} duplicates differ from the row kept in other "
                               "columns; the primary's row was kept",
                               model.totals.conflicts));
  }
  for (std::size_t i = 0; i < result.layout.added_columns.size(); ++i) {
    fmt::print(out,
               "column added: {} (only in {})\n",
               display_name(result.layout.added_columns[i].name),
               display(result.inputs[result.layout.added_from[i]]));
  }
  write_samples(writer, model);
  if (!result.insights.added_samples.empty() || !result.insights.conflict_samples.empty()) {
    out << '\n';
  }
  if (model.totals.added == 0) {
    fmt::print(out, "nothing to add: every secondary row is already in the primary\n");
  } else if (result.in_place) {
    const InPlaceSummary& in_place = *result.in_place;
    fmt::print(out, "backup: {}\n", display(in_place.backup));
    fmt::print(out,
               "added {} rows to {} in place, in {} transactions (the longest {:.0f} ms)\n",
               in_place.inserted,
               display(result.inputs.front()),
               in_place.transactions,
               in_place.longest_transaction_seconds * 1000);
    if (in_place.already_there > 0) {
      fmt::print(out,
                 "{} planned rows had meanwhile reached the primary and were not added again\n",
                 in_place.already_there);
    }
  } else {
    fmt::print(out,
               "{} {} rows with ids {} to {}\n",
               result.dry_run ? "would add" : "added",
               model.totals.added,
               result.plan.first_new_id,
               result.plan.first_new_id + model.totals.added - 1);
  }
  if (result.dry_run) {
    out << "dry run: nothing written\n";
  } else if (result.output) {
    fmt::print(out, "wrote {}\n", display(*result.output));
  }
  fmt::print(out, "time: {:.2f} s\n", result.elapsed.count());
}

} // namespace heatmap_merge
