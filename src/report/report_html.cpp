// The HTML report: turns the model and the pictures' layout (html_layout.hpp) into one page.
// Every string goes through HtmlWriter, which escapes it unless it is a Markup literal.

#include "util/duration.hpp"
#include "util/error.hpp"
#include "report/html_layout.hpp"
#include "report/html_writer.hpp"
#include "util/sql_text.hpp"
#include "util/terminal_text.hpp"
#include "util/text.hpp"
#include "report/report_model.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <ostream>
#include <string_view>

namespace heatmap_merge {

namespace {

// One colour per input, the primary first; the added rows have their own.
constexpr std::array<std::string_view, 6> k_input_colours = {
  "#1f6fb4", "#e8790c", "#7b4fb0", "#8c564b", "#d4449c", "#5f6b73"};
constexpr std::string_view k_added_colour = "#2ca02c";
constexpr std::string_view k_outage_colour = "#d62728";

std::string_view input_colour(std::size_t input) {
  return k_input_colours[input % k_input_colours.size()];
}

// The CSP forbids every outside resource and every script even if something slipped through
// the escaping; the page needs nothing but its own inline style.
constexpr Markup k_head{R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
)"};

constexpr Markup k_style{R"(<style>
body { font-family: system-ui, "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1d2329;
       background: #fff; margin: 0; padding: 24px 32px 48px; font-size: 14px; line-height: 1.45; }
main { max-width: 1180px; margin: 0 auto; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #d8dde2; }
h3 { font-size: 15px; margin: 20px 0 8px; }
p { margin: 6px 0; }
code, .mono { font-family: "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace;
              font-size: 13px; }
.sub { color: #5a6570; margin: 0 0 16px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0 8px; }
.card { border: 1px solid #d8dde2; border-radius: 6px; padding: 10px 16px; min-width: 120px; }
.card b { display: block; font-size: 22px; }
.card span { color: #5a6570; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card.alert { border-color: #d62728; background: #fdf1f1; }
.card.warn { border-color: #e8a10c; background: #fff8e6; }
table { border-collapse: collapse; margin: 6px 0 10px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e6e9ec; text-align: left; vertical-align: top; }
th { background: #f3f5f7; font-weight: 600; white-space: nowrap; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.t { white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 600; border-top: 2px solid #c9d0d6; }
tr.in-outage td { background: #fbe9e9; }
td.path { word-break: break-all; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px;
          vertical-align: -1px; margin-right: 6px; }
.line-swatch { display: inline-block; width: 22px; height: 0; vertical-align: 3px;
               margin-right: 6px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 22px; margin: 4px 0 0; font-size: 13px; }
.legend span { word-break: break-all; }
figure { margin: 0; }
.chart { border: 1px solid #e6e9ec; border-radius: 6px; padding: 8px 8px 10px; }
.chart svg { display: block; width: 100%; height: auto; }
.heat { display: flex; flex-wrap: wrap; gap: 24px; }
.heat figure { width: 220px; }
.heat svg { display: block; width: 220px; height: 220px; }
.heat figcaption { font-size: 13px; margin-top: 6px; word-break: break-all; }
.hours { display: flex; flex-wrap: wrap; gap: 8px 40px; align-items: flex-start; }
.bar { display: inline-block; height: 10px; background: #1f6fb4; vertical-align: middle; }
.barcell { width: 220px; }
.note { color: #5a6570; font-size: 13px; }
.warning { border-left: 4px solid #e8a10c; background: #fff8e6; padding: 8px 12px; margin: 16px 0; }
.samples { font-size: 12px; }
.samples th { font-weight: 600; }
.samples .v { overflow-wrap: anywhere; min-width: 120px; max-width: 320px; white-space: normal; }
.samples th.v { font-weight: 400; }
.samples tr.diff th, .samples tr.diff td { background: #fff1c2; font-weight: 600; }
.conflicts { display: flex; flex-wrap: wrap; gap: 8px 32px; align-items: flex-start; }
.footer { margin-top: 28px; padding-top: 10px; border-top: 1px solid #d8dde2; }
</style>
)"};

// An input's label in code and its role after it, or the role alone when the labels are the
// roles: the colour of its swatch is never all that tells it from the others.
void write_label(HtmlWriter& html, const ReportModel& model, std::size_t input) {
  if (model.labels == role_labels(model.labels.size())) {
    html.print("{}", model.labels[input]);
  } else {
    html.print("<code>{}</code> ({})", terminal_safe(model.labels[input]), input_role(input));
  }
}

std::string optional_time(const std::optional<Instant>& instant) {
  return instant ? readable_time(*instant) : "-";
}

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
    const InputPlan& input = result.plan.inputs[i];
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

// Outages first, so that everything else is drawn over them.
void write_outage_bands(HtmlWriter& html,
                        const TimelineLayout& layout,
                        const std::vector<Outage>& outages) {
  const TimelineFrame& frame = layout.frame;
  for (const OutageBand& band : layout.outage_bands) {
    const Outage& outage = outages[band.outage];
    html.print("<rect class=\"outage-band\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" "
               "height=\"{:.1f}\" fill=\"{}\" fill-opacity=\"0.16\" stroke=\"{}\" "
               "stroke-opacity=\"0.5\" stroke-width=\"0.8\">"
               "<title>outage {}: {} to {} UTC, {} rows</title></rect>\n",
               band.x,
               frame.top,
               band.width,
               frame.plot_height(),
               k_outage_colour,
               k_outage_colour,
               band.outage + 1,
               readable_time(outage.start),
               readable_time(outage.end),
               outage.rows);
    html.print("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"{}\" "
               "font-weight=\"600\">{}</text>\n",
               band.label_x,
               frame.top - 8,
               k_outage_colour,
               band.outage + 1);
  }
}

// Horizontal grid lines and the y axis labels; the offsets place the text beside its line.
void write_value_axis(HtmlWriter& html, const TimelineLayout& layout) {
  const TimelineFrame& frame = layout.frame;
  for (const ValueTick& tick : layout.value_ticks) {
    html.print("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" "
               "stroke-width=\"1\"/>\n",
               frame.left,
               tick.y,
               frame.left + frame.plot_width(),
               tick.y,
               tick.value == 0 ? "#8a949c" : "#e6e9ec");
    html.print("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#5a6570\">{}</text>\n",
               frame.left - 8,
               tick.y + 4,
               tick.value);
  }
  html.print("<text transform=\"translate({:.1f} {:.1f}) rotate(-90)\" text-anchor=\"middle\" "
             "fill=\"#5a6570\">clicks per {}</text>\n",
             frame.left - 48,
             frame.top + frame.plot_height() / 2,
             layout.unit);
}

// Vertical ticks below the plot, the time under each and, where it changes, the date.
void write_time_axis(HtmlWriter& html, const TimelineLayout& layout) {
  const double bottom = layout.frame.plot_bottom();
  for (const TimeTick& tick : layout.time_ticks) {
    html.print(
      "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#8a949c\"/>\n",
      tick.x,
      bottom,
      tick.x,
      bottom + 5);
    html.print(
      "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"#1d2329\">{}</text>\n",
      tick.x,
      bottom + 18,
      tick.label);
    if (!tick.date.empty()) {
      html.print(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"#5a6570\">{}</text>\n",
        tick.x,
        bottom + 33,
        tick.date);
    }
  }
}

// The added rows as bars, then each input as a step line over them.
void write_series(HtmlWriter& html, const TimelineLayout& layout) {
  for (const Rect& bar : layout.added_bars) {
    html.print("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\" "
               "fill-opacity=\"0.45\"/>\n",
               bar.x,
               bar.y,
               bar.width,
               bar.height,
               k_added_colour);
  }
  // The primary first, the secondaries dashed over it: where they agree, both still show.
  for (std::size_t s = 0; s < layout.input_lines.size(); ++s) {
    html.print("<polyline points=\"");
    for (const Point& point : layout.input_lines[s]) {
      html.print("{:.1f},{:.1f} ", point.x, point.y);
    }
    html.print("\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" stroke-linejoin=\"round\"{}/>\n",
               input_colour(s),
               s == 0 ? 2.5 : 2,
               s == 0 ? Markup("") : Markup(" stroke-dasharray=\"6 3\""));
  }
}

// The inputs by label and role, not colour alone: a solid line for the primary, dashed for the
// secondaries, as the chart draws them. The full path shows on hover.
void write_timeline_legend(HtmlWriter& html, const ReportModel& model) {
  const MergeResult& result = model.result;
  html.print("<figcaption class=\"legend\">\n");
  for (std::size_t i = 0; i < result.inputs.size(); ++i) {
    html.print("<span title=\"{}\"><span class=\"line-swatch\" style=\"border-top:3px {} {}\">"
               "</span>",
               display(result.inputs[i]),
               i == 0 ? "solid" : "dashed",
               input_colour(i));
    write_label(html, model, i);
    html.print("</span>\n");
  }
  html.print(
    "<span><span class=\"swatch\" style=\"background:{};opacity:.6\"></span>rows {}</span>\n",
    k_added_colour,
    result.dry_run ? "that would be added" : "added");
  if (!result.insights.outages.empty()) {
    html.print("<span><span class=\"swatch\" style=\"background:{};opacity:.3\"></span>"
               "outages (numbered as in the table)</span>\n",
               k_outage_colour);
  }
  html.print("</figcaption>\n");
}

void write_timeline(HtmlWriter& html, const ReportModel& model) {
  const MergeResult& result = model.result;
  const std::optional<TimelineLayout> layout = layout_timeline(result.insights);
  if (!layout) {
    html.print("<h2>Clicks per hour (UTC)</h2>\n<p class=\"note\">No input holds a row with a "
               "readable time: nothing to draw.</p>\n");
    return;
  }
  html.print("<h2>Clicks per {} (UTC)</h2>\n<figure class=\"chart\">\n", layout->unit);
  html.print("<svg viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"clicks per {} per input\" "
             "font-size=\"12\" font-family=\"system-ui, DejaVu Sans, sans-serif\">\n",
             layout->frame.width,
             layout->frame.height,
             layout->unit);
  write_outage_bands(html, *layout, result.insights.outages);
  write_value_axis(html, *layout);
  write_time_axis(html, *layout);
  write_series(html, *layout);
  html.print("</svg>\n");
  write_timeline_legend(html, model);
  html.print("</figure>\n");
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
                 readable_span(outage.end - outage.start),
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

void write_heat(HtmlWriter& html, const ReportModel& model) {
  const std::vector<HeatPicture> pictures = layout_heat(model.result.insights.pages);
  if (pictures.empty()) {
    return;
  }
  html.print("<h2>Where the added clicks land</h2>\n<p class=\"note\">The added clicks of the "
             "busiest pages on a 20&times;20 grid over their own extent (x across, y down); the "
             "darker the cell, the more clicks.</p>\n<div class=\"heat\">\n");
  for (const HeatPicture& picture : pictures) {
    html.print(
      "<figure>\n<svg viewBox=\"0 0 {} {}\" role=\"img\">\n"
      "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#f4f5f6\" stroke=\"#c9d0d6\"/>\n",
      picture.side,
      picture.side,
      picture.side,
      picture.side);
    for (const HeatCell& cell : picture.cells) {
      html.print("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
                 "fill=\"rgb({:.0f},{:.0f},{:.0f})\"><title>{}</title></rect>\n",
                 cell.rect.x,
                 cell.rect.y,
                 cell.rect.width,
                 cell.rect.height,
                 cell.colour.r,
                 cell.colour.g,
                 cell.colour.b,
                 cell.count);
    }
    html.print("</svg>\n<figcaption><code>{}</code><br>{} {}; busiest cell {}</figcaption>\n"
               "</figure>\n",
               picture.page->page,
               counted(picture.page->rows_added, "row"),
               model.result.dry_run ? "to add" : "added",
               picture.busiest);
  }
  html.print("</div>\n");
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

// What was (or would be) written: added columns, the new rows' ids or the in-place summary.
void write_outcome(HtmlWriter& html, const ReportModel& model) {
  const MergeResult& result = model.result;
  for (std::size_t i = 0; i < result.layout.added_columns.size(); ++i) {
    html.print("<p>Column added: <code>{}</code> (only in <code>{}</code>)</p>\n",
               quote_identifier(result.layout.added_columns[i].name),
               display(result.inputs[result.layout.added_from[i]]));
  }
  if (model.totals.added == 0) {
    html.print("<p>Nothing to add: every secondary row is already in the primary.</p>\n");
  } else if (result.in_place) {
    const InPlaceSummary& in_place = *result.in_place;
    html.print("<p>Backup: <code>{}</code></p>\n", display(in_place.backup));
    html.print("<p>Added {} to <code>{}</code> in place, in {} (the longest {:.0f} ms).</p>\n",
               counted(in_place.inserted, "row"),
               display(result.inputs.front()),
               counted(in_place.transactions, "transaction"),
               in_place.longest_transaction_seconds * 1000);
    if (in_place.already_there > 0) {
      html.print("<p>{} had meanwhile reached the primary and {} not added again.</p>\n",
                 counted(in_place.already_there, "planned row"),
                 in_place.already_there == 1 ? "was" : "were");
    }
  } else {
    html.print("<p>{} {} with {}.</p>\n",
               result.dry_run ? "Would add" : "Added",
               counted(model.totals.added, "row"),
               model.totals.added == 1
                 ? fmt::format("id {}", result.plan.first_new_id)
                 : fmt::format("ids {} to {}",
                               result.plan.first_new_id,
                               result.plan.first_new_id + model.totals.added - 1));
  }
}

void write_footer(HtmlWriter& html, const ReportModel& model) {
  const MergeResult& result = model.result;
  html.print("<div class=\"footer\">\n");
  write_outcome(html, model);
  if (result.dry_run) {
    html.print("<p><b>Dry run: nothing written.</b></p>\n");
  } else if (result.output) {
    html.print("<p>Wrote <code>{}</code>.</p>\n", display(*result.output));
  }
  html.print("<p class=\"note\">Took {:.2f} s. Times are UTC.</p>\n</div>\n",
             result.elapsed.count());
}

void write_title(HtmlWriter& html, const ReportModel& model) {
  const MergeResult& result = model.result;
  const std::string_view title = result.dry_run ? "heatmap-merge dry run" : "heatmap-merge merge";
  html.write(k_head);
  html.print("<title>{}: {}</title>\n", title, display(result.inputs.front()));
  html.write(k_style);
  html.print("</head>\n<body>\n<main>\n");
  html.print(
    "<h1>{}</h1>\n<p class=\"sub\">Primary <code>{}</code>", title, display(result.inputs.front()));
  for (std::size_t i = 1; i < result.inputs.size(); ++i) {
    html.print("{} <code>{}</code>", i == 1 ? "; secondary" : ",", display(result.inputs[i]));
  }
  html.print("</p>\n");
}

} // namespace

void write_html_report(std::ostream& out, const ReportModel& model) {
  HtmlWriter html(out);
  write_title(html, model);
  write_cards(html, model);
  if (model.totals.conflicts > 0) {
    html.print("<p class=\"warning\">Conflicts: {} whose other columns differ from the row "
               "kept; {}.</p>\n",
               counted(model.totals.conflicts, "duplicate"),
               conflict_winner(model.totals));
  }
  for (const SwapSuspicion& suspicion : model.result.swap_suspicions) {
    html.print("<p class=\"warning\">Warning: {}.</p>\n",
               swap_warning(model.result, suspicion, display));
  }
  if (!model.result.triggers.empty()) {
    html.print("<p class=\"warning\">Warning: {}.</p>\n", trigger_warning(model.result, display));
  }
  write_inputs(html, model);
  write_timeline(html, model);
  write_outages(html, model);
  write_hours(html, model);
  write_pages(html, model);
  write_heat(html, model);
  write_window(html, model);
  write_samples(html, model);
  write_footer(html, model);
  html.print("</main>\n</body>\n</html>\n");
}

} // namespace heatmap_merge
