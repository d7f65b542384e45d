// The HTML report's tables (html_sections.hpp): the counts on cards, the inputs, the outages,
// the clicks per hour around each outage, the rows added per page, the window's evidence, and
// what --replay-window paired.

#include "report/html_layout.hpp"
#include "report/html_sections.hpp"
#include "util/duration.hpp"
#include "util/terminal_text.hpp"
#include "util/text.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace heatmap_merge {

namespace {

std::string optional_time(const std::optional<Instant>& instant) {
  return instant ? readable_time(*instant) : "-";
}

void write_hour_table(HtmlWriter& html, const ReportModel& model, const HourTable& table) {
  const MergeResult& result = model.result;
  const Outage& outage = result.insights.outages[table.outage];
  html.print("<div>\n<h3>Outage {} <span class=\"note\">{} to {}</span></h3>\n<table>\n"
             "<tr><th>hour (UTC)</th>",
             table.outage + 1,
             readable_time(outage.start).substr(11, 5),
             readable_time(outage.end).substr(11, 5));
  for (std::size_t i = 0; i < result.inputs.size(); ++i) {
    html.print("<th class=\"n\" title=\"{}\"><span class=\"swatch\" style=\"background:{}\">"
               "</span>",
               display(result.inputs[i]),
               input_colour(i));
    write_label(html, model, i);
    html.print("</th>");
  }
  html.print("<th class=\"n\">added</th></tr>\n");
  for (std::size_t h = 0; h < table.hours.size(); ++h) {
    html.print("<tr{}><td class=\"t\">{}</td>",
               hour_in_outage(table.hours[h], outage) ? Markup(" class=\"in-outage\"") : Markup(""),
               readable_time(table.hours[h]).substr(0, 16));
    for (const std::vector<std::int64_t>& counts : table.per_input) {
      html.print("<td class=\"n\">{}</td>", counts[h]);
    }
    html.print("<td class=\"n\">{}</td></tr>\n", table.added[h]);
  }
  html.print("</table>\n</div>\n");
}

void write_histogram(HtmlWriter& html, const OffsetSummary& summary) {
  std::vector<std::int64_t> counts;
  for (const HistogramBin& bin : summary.histogram) {
    counts.push_back(bin.count);
  }
  const std::vector<double> bars = bar_percents(counts);
  html.print("<table>\n<tr><th>time difference</th><th class=\"n\">pairs</th><th></th></tr>\n");
  for (std::size_t i = 0; i < summary.histogram.size(); ++i) {
    const HistogramBin& bin = summary.histogram[i];
    html.print(
      "<tr><td class=\"t\">{} to {}</td><td class=\"n\">{}</td>"
      "<td class=\"barcell\"><span class=\"bar\" style=\"width:{:.1f}%\"></span></td></tr>\n",
      format_duration(std::chrono::nanoseconds(bin.from_ns)),
      format_duration(std::chrono::nanoseconds(bin.to_ns)),
      bin.count,
      bars[i]);
  }
  html.print("</table>\n");
}

// `text` with its first letter upper case, as a paragraph starts (the sentences of window_advice
// and window_warning start with a lower-case ASCII word).
std::string sentence_case(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') {
    text[0] = static_cast<char>(text[0] - 'a' + 'A');
  }
  return text;
}

} // namespace

void write_cards(HtmlWriter& html, const ReportModel& model) {
  const MergeResult& result = model.result;
  const std::size_t outages = result.insights.outages.size();
  html.print("<div class=\"cards\">\n");
  html.print("<div class=\"card\"><b>{}</b><span>rows {}</span></div>\n",
             model.totals.added,
             result.dry_run ? "to add" : "added");
  html.print("<div class=\"card\"><b>{}</b><span>rows in the output</span></div>\n",
             result.plan.rows_out);
  html.print("<div class=\"card{}\"><b>{}</b><span>outages</span></div>\n",
             outages > 0 ? " alert" : "",
             outages);
  html.print("<div class=\"card\"><b>{}</b><span>duplicates</span></div>\n",
             model.totals.duplicates_exact + model.totals.duplicates_window);
  html.print("<div class=\"card{}\"><b>{}</b><span>conflicts</span></div>\n",
             model.totals.conflicts > 0 ? " warn" : "",
             model.totals.conflicts);
  html.print("</div>\n");
}

void write_inputs(HtmlWriter& html, const ReportModel& model) {
  const MergeResult& result = model.result;
  html.print("<h2>Inputs</h2>\n<table>\n<tr><th>input</th><th>role</th><th class=\"n\">rows</th>"
             "<th>first (UTC)</th><th>last (UTC)</th><th class=\"n\">exact</th>"
             "<th class=\"n\">window</th><th class=\"n\">conflicts</th>"
             "<th class=\"n\">added</th></tr>\n");
  for (std::size_t i = 0; i < result.inputs.size(); ++i) {
    const Share& input = result.plan.shares[i];
    html.print("<tr><td class=\"path\"><span class=\"swatch\" style=\"background:{}\"></span>"
               "<code>{}</code></td><td>{}</td><td class=\"n\">{}</td><td class=\"t\">{}</td>"
               "<td class=\"t\">{}</td>",
               input_colour(i),
               display(result.inputs[i]),
               input_role(i),
               input.rows,
               optional_time(input.first),
               optional_time(input.last));
    if (i == 0) {
      html.print("<td class=\"n\">-</td><td class=\"n\">-</td><td class=\"n\">-</td>"
                 "<td class=\"n\">-</td>");
    } else {
      html.print("<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                 "<td class=\"n\">{}</td>",
                 input.duplicates_exact,
                 input.duplicates_window,
                 input.conflicts,
                 input.added.size());
    }
    html.print("</tr>\n");
  }
  html.print("<tr class=\"total\"><td>{}</td><td></td><td class=\"n\">{}</td><td></td><td></td>"
             "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
             "<td class=\"n\">{}</td></tr>\n</table>\n",
             result.dry_run ? "output (dry run)" : "output",
             result.plan.rows_out,
             model.totals.duplicates_exact,
             model.totals.duplicates_window,
             model.totals.conflicts,
             model.totals.added);
}

void write_outages(HtmlWriter& html, const ReportModel& model) {
  const Insights& insights = model.result.insights;
  html.print("<h2>Outages</h2>\n<p class=\"note\">Intervals in which clicks landed only on a "
             "secondary, {} or more in a row.</p>\n",
             k_outage_min_rows);
  if (insights.outages.empty()) {
    html.print("<p>None found.</p>\n");
  } else {
    html.print("<table>\n<tr><th class=\"n\">#</th><th>start (UTC)</th><th>end (UTC)</th>"
               "<th class=\"n\">duration</th><th class=\"n\">rows</th></tr>\n");
    for (std::size_t n = 0; n < insights.outages.size(); ++n) {
      const Outage& outage = insights.outages[n];
      html.print("<tr class=\"outage\"><td class=\"n\">{}</td><td class=\"t\">{}</td>"
                 "<td class=\"t\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                 n + 1,
                 readable_time(outage.start),
                 readable_time(outage.end),
                 readable_span(outage.start, outage.end),
                 outage.rows);
    }
    html.print("</table>\n");
  }
  if (insights.isolated_rows > 0) {
    html.print("<p>{} outside outages.</p>\n",
               counted(insights.isolated_rows, "isolated failover click"));
  }
}

void write_pages(HtmlWriter& html, const ReportModel& model) {
  if (model.top_pages.empty()) {
    return;
  }
  std::vector<std::int64_t> rows;
  for (const PageInsight* page : model.top_pages) {
    rows.push_back(page->rows_added);
  }
  const std::vector<double> bars = bar_percents(rows);
  html.print("<h2>Rows added per page</h2>\n<table>\n<tr><th>page</th>"
             "<th class=\"n\">rows added</th><th></th></tr>\n");
  for (std::size_t i = 0; i < model.top_pages.size(); ++i) {
    html.print(
      "<tr><td class=\"path\"><code>{}</code></td><td class=\"n\">{}</td>"
      "<td class=\"barcell\"><span class=\"bar\" style=\"width:{:.1f}%\"></span></td></tr>\n",
      model.top_pages[i]->page,
      rows[i],
      bars[i]);
  }
  if (model.other_pages > 0) {
    html.print("<tr><td>({})</td><td class=\"n\">{}</td><td></td></tr>\n",
               counted(model.other_pages, "other page"),
               model.other_pages_rows);
  }
  html.print("</table>\n");
}

void write_hours(HtmlWriter& html, const ReportModel& model) {
  if (model.hour_tables.empty()) {
    return;
  }
  html.print("<h2>Clicks per hour around each outage</h2>\n<p class=\"note\">Hours that overlap "
             "the outage are shaded: the gap on the primary and the fill-in from the "
             "secondaries.</p>\n<div class=\"hours\">\n");
  for (const HourTable& table : model.hour_tables) {
    write_hour_table(html, model, table);
  }
  html.print("</div>\n");
}

void write_window(HtmlWriter& html, const ReportModel& model) {
  const MergeResult& result = model.result;
  const WindowEvidence& evidence = model.evidence;
  if (result.window.count() == 0 && evidence.matched.count == 0 &&
      evidence.near_misses.count == 0) {
    return;
  }
  html.print("<h2>Window</h2>\n");
  html.print("<p>Window {}: {} exact duplicates, {} within the window.</p>\n",
             readable_duration(result.window),
             model.totals.duplicates_exact,
             model.totals.duplicates_window);
  if (evidence.matched.count > 0) {
    html.print("<h3>Time differences of the {} pairs matched within {} (secondary minus kept "
               "row)</h3>\n",
               evidence.matched.count,
               readable_duration(result.window));
    write_histogram(html, evidence.matched);
    html.print("<p>Median {}: the failover delay plus the clock skew between the nodes. 99% of "
               "them are within {}.</p>\n",
               format_duration(std::chrono::nanoseconds(evidence.matched.median_ns)),
               format_duration(std::chrono::nanoseconds(evidence.matched.window_99_ns)));
  }
  if (evidence.near_misses.count > 0) {
    html.print("<h3>{} same-key pairs lie further apart than the window but within 10 s; they "
               "stay separate clicks</h3>\n",
               evidence.near_misses.count);
    write_histogram(html, evidence.near_misses);
  }
  // The suggestion under a heading of its own; its reasons as the other formats give them.
  const std::vector<std::string> advice = window_advice(model);
  if (!advice.empty()) {
    std::string reasons;
    for (std::size_t i = 1; i < advice.size(); ++i) {
      reasons += (i > 1 ? "; " : "") + advice[i];
    }
    html.print("<h3>Suggested window: <code>--window {}</code></h3>\n<p>{}.</p>\n",
               readable_duration(std::chrono::nanoseconds(evidence.advice.window_ns)),
               sentence_case(reasons));
  }
  const std::string warning = window_warning(model);
  if (!warning.empty()) {
    html.print("<p class=\"warning\">{}.</p>\n", sentence_case(warning));
  }
}

void write_replays(HtmlWriter& html, const ReportModel& model) {
  const ReplayEvidence& replay = model.replay;
  const std::string window = readable_duration(model.result.replay_window);
  html.print("<h2>Replays</h2>\n");
  html.print("<p>Replay window {}: {} replay pairs across inputs, {} replayed duplicates within a "
             "secondary; neither added. By chance alone: about {} (identical rows {} to {} "
             "apart).</p>\n",
             window,
             replay.pairs,
             replay.replayed,
             replay.chance,
             window,
             readable_duration(2 * model.result.replay_window));
  if (replay.removing) {
    html.print("<p>Replayed duplicates removed from the primary: {} (by chance alone: about "
               "{}).</p>\n",
               replay.removed,
               replay.chance_primary);
  }
  if (replay.across.count > 0) {
    html.print("<h3>Delays of the replay pairs (secondary minus kept row)</h3>\n");
    write_histogram(html, replay.across);
  }
  if (replay.within.count > 0) {
    html.print("<h3>Delays of the replayed duplicates (the copy not added minus the other)</h3>\n");
    write_histogram(html, replay.within);
  }
  if (replay.removed_delays.count > 0) {
    html.print("<h3>Delays of the primary's replayed duplicates (the copy removed minus the "
               "other)</h3>\n");
    write_histogram(html, replay.removed_delays);
  }
  for (const auto& [name, counts] :
       {std::pair{"replay pairs", &model.result.insights.replay_pages},
        std::pair{"replayed duplicates", &model.result.insights.replayed_pages}}) {
    if (counts->top.empty()) {
      continue;
    }
    html.print("<table>\n<tr><th>page</th><th class=\"n\">{}</th></tr>\n", std::string(name));
    for (const auto& [page, rows] : counts->top) {
      html.print(
        "<tr><td class=\"path\"><code>{}</code></td><td class=\"n\">{}</td></tr>\n", page, rows);
    }
    if (counts->other_pages > 0) {
      html.print("<tr><td>({})</td><td class=\"n\">{}</td></tr>\n",
                 counted(counts->other_pages, "other page"),
                 counts->other_rows);
    }
    html.print("</table>\n");
  }
  if (replay.samples.empty()) {
    return;
  }
  html.print("<ul>\n");
  for (const ReplayEvidence::Sample& sample : replay.samples) {
    html.print("<li>{} row {}: {} row {}, {} apart</li>\n",
               model.labels[sample.input],
               sample.pair.dropped_rowid,
               sample.input == 0    ? "removed, a copy of its"
               : sample.pair.within ? "a copy of its"
                                    : "a copy of the kept",
               sample.pair.kept_rowid,
               format_duration(std::chrono::nanoseconds(sample.pair.offset_ns)));
  }
  html.print("</ul>\n");
}

} // namespace heatmap_merge
