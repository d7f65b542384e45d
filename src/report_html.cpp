#include "heatmap_merge/error.hpp"
#include "report_model.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <ostream>
#include <string_view>

namespace heatmap_merge {

namespace {

constexpr std::int64_t k_ns_per_hour = 3'600'000'000'000;
// More bins than this and the timeline sums several hours per bin: a year of hourly steps is a
// smear, and the page would grow by megabytes.
constexpr std::int64_t k_max_timeline_bins = 720;
// How many heat pictures the page shows at most (the details only grid the busiest pages).
constexpr std::size_t k_heat_pictures = 6;

// One colour per input, the primary first; the added rows have their own.
constexpr std::array<std::string_view, 6> k_input_colours = {
  "#1f6fb4", "#e8790c", "#7b4fb0", "#8c564b", "#d4449c", "#5f6b73"};
constexpr std::string_view k_added_colour = "#2ca02c";
constexpr std::string_view k_outage_colour = "#d62728";

// Everything that comes from the databases (paths, page URLs, values) is untrusted: escaped so
// that it can only ever be text, both between tags and inside quoted attributes.
std::string escape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
    case '&':
      escaped += "&amp;";
      break;
    case '<':
      escaped += "&lt;";
      break;
    case '>':
      escaped += "&gt;";
      break;
    case '"':
      escaped += "&quot;";
      break;
    case '\'':
      escaped += "&#39;";
      break;
    default:
      escaped += c;
      break;
    }
  }
  return escaped;
}

std::string_view input_colour(std::size_t input) {
  return k_input_colours[input % k_input_colours.size()];
}

// The CSP forbids every outside resource and every script even if something slipped through
// the escaping; the page needs nothing but its own inline style.
constexpr std::string_view k_head = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
)";

constexpr std::string_view k_style = R"(<style>
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
)";

std::string optional_time(const std::optional<Instant>& instant) {
  return instant ? readable_time(*instant) : "-";
}

void write_cards(std::ostream& out, const ReportModel& model) {
  const MergeResult& result = model.result;
  const std::size_t outages = result.insights.outages.size();
  out << "<div class=\"cards\">\n";
  fmt::print(out,
             "<div class=\"card\"><b>{}</b><span>rows {}</span></div>\n",
             model.totals.added,
             result.dry_run ? "to add" : "added");
  fmt::print(out,
             "<div class=\"card\"><b>{}</b><span>rows in the output</span></div>\n",
             result.plan.rows_out);
  fmt::print(out,
             "<div class=\"card{}\"><b>{}</b><span>outages</span></div>\n",
             outages > 0 ? " alert" : "",
             outages);
  fmt::print(out,
             "<div class=\"card\"><b>{}</b><span>duplicates</span></div>\n",
             model.totals.duplicates_exact + model.totals.duplicates_window);
  fmt::print(out,
             "<div class=\"card{}\"><b>{}</b><span>conflicts</span></div>\n",
             model.totals.conflicts > 0 ? " warn" : "",
             model.totals.conflicts);
  out << "</div>\n";
}

void write_inputs(std::ostream& out, const ReportModel& model) {
  const MergeResult& result = model.result;
  out << "<h2>Inputs</h2>\n<table>\n<tr><th>input</th><th class=\"n\">rows</th>"
         "<th>first (UTC)</th><th>last (UTC)</th><th class=\"n\">exact</th>"
         "<th class=\"n\">window</th><th class=\"n\">conflicts</th>"
         "<th class=\"n\">added</th></tr>\n";
  for (std::size_t i = 0; i < result.inputs.size(); ++i) {
    const InputPlan& input = result.plan.inputs[i];
    fmt::print(out,
               "<tr><td class=\"path\"><span class=\"swatch\" style=\"background:{}\"></span>"
               "<code>{}</code>{}</td><td class=\"n\">{}</td><td class=\"t\">{}</td>"
               "<td class=\"t\">{}</td>",
               input_colour(i),
               escape(display(result.inputs[i])),
               i == 0 ? " (primary)" : "",
               input.rows,
               optional_time(input.first),
               optional_time(input.last));
    if (i == 0) {
      out << "<td class=\"n\">-</td><td class=\"n\">-</td><td class=\"n\">-</td>"
             "<td class=\"n\">-</td>";
    } else {
      fmt::print(out,
                 "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                 "<td class=\"n\">{}</td>",
                 input.duplicates_exact,
                 input.duplicates_window,
                 input.conflicts,
                 input.added.size());
    }
    out << "</tr>\n";
  }
  fmt::print(out,
             "<tr class=\"total\"><td>{}</td><td class=\"n\">{}</td><td></td><td></td>"
             "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
             "<td class=\"n\">{}</td></tr>\n</table>\n",
             result.dry_run ? "output (dry run)" : "output",
             result.plan.rows_out,
             model.totals.duplicates_exact,
             model.totals.duplicates_window,
             model.totals.conflicts,
             model.totals.added);
}

// The timeline's geometry, in the SVG's own units (its viewBox).
struct Frame {
  double width = 1120;
  double height = 330;
  double left = 64;
  double right = 40; // room for the last date label
  double top = 30;
  double bottom = 52;

  double plot_width() const {
    return width - left - right;
  }
  double plot_height() const {
    return height - top - bottom;
  }
};

// A round step for about `ticks` divisions of [0, largest]: 1, 2 or 5 times a power of ten.
std::int64_t round_step(std::int64_t largest, std::int64_t ticks) {
  std::int64_t step = 1;
  for (;;) {
    for (const std::int64_t factor : {1, 2, 5}) {
      if (step * factor * ticks >= largest) {
        return step * factor;
      }
    }
    step *= 10;
  }
}

// An x-axis tick: where it is and what it says (a second line only where the date changes).
struct Tick {
  Instant at = 0;
  std::string label;
  std::string date;
};

// About a dozen ticks over [first, end]: on round hours or days up to two months, on the first
// of a month (or of a year) beyond, so that the labels are dates people use.
std::vector<Tick> time_ticks(Instant first, Instant end) {
  const std::int64_t hours = (end - first) / k_ns_per_hour;
  std::vector<Tick> ticks;
  if (hours <= 24 * 62) {
    std::int64_t step_hours = 168;
    for (const std::int64_t step : {1, 2, 3, 6, 12, 24, 48}) {
      if (hours / step <= 12) {
        step_hours = step;
        break;
      }
    }
    const Instant step = step_hours * k_ns_per_hour;
    Instant tick = first / step * step;
    // Division truncates towards zero: before 1970 that rounds up, after it down.
    if (tick < first) {
      tick += step;
    }
    std::string last_date;
    for (; tick <= end; tick += step) {
      const std::string when = readable_time(tick);
      const std::string date = when.substr(0, 10);
      if (step_hours < 24) {
        ticks.push_back({tick, when.substr(11, 5), date != last_date ? date : ""});
      } else {
        ticks.push_back({tick,
                         date.substr(5),
                         date.substr(0, 4) != last_date.substr(0, 4) ? date.substr(0, 4) : ""});
      }
      last_date = date;
    }
    return ticks;
  }
  using std::chrono::days;
  using std::chrono::floor;
  using std::chrono::nanoseconds;
  using std::chrono::sys_days;
  using std::chrono::sys_time;
  using std::chrono::year_month;
  using std::chrono::year_month_day;
  const std::int64_t span_months = hours / 730;
  int step = 120;
  for (const int candidate : {1, 2, 3, 6, 12, 24, 60}) {
    if (span_months / candidate <= 12) {
      step = candidate;
      break;
    }
  }
  const year_month_day first_day{floor<days>(sys_time<nanoseconds>(nanoseconds(first)))};
  // Months counted from year 0, so that every step starts at January.
  const int first_index = static_cast<int>(first_day.year()) * 12 +
                          static_cast<int>(static_cast<unsigned>(first_day.month())) - 1;
  int index = (first_index + step - 1) / step * step;
  for (;; index += step) {
    const year_month month{std::chrono::year(index / 12),
                           std::chrono::month(static_cast<unsigned>(index % 12 + 1))};
    const Instant at =
      std::chrono::duration_cast<nanoseconds>(sys_days(month / 1).time_since_epoch()).count();
    if (at < first) {
      continue;
    }
    if (at > end) {
      break;
    }
    const std::string date = readable_time(at).substr(0, 10);
    if (step >= 12) {
      ticks.push_back({at, date.substr(0, 4), ""});
    } else {
      ticks.push_back({at, date.substr(0, 7), ""});
    }
  }
  return ticks;
}

// Hours summed per bin of the timeline: 1 unless the span is long.
std::int64_t bin_hours(std::int64_t hours) {
  for (const std::int64_t step : {1, 2, 3, 6, 12, 24, 48, 168}) {
    if (hours / step <= k_max_timeline_bins) {
      return step;
    }
  }
  return 168 * ((hours / 168 + k_max_timeline_bins - 1) / k_max_timeline_bins);
}

void write_timeline(std::ostream& out, const ReportModel& model) {
  const MergeResult& result = model.result;
  const Insights& insights = result.insights;
  std::vector<const HourlyCounts*> series;
  for (const HourlyCounts& counts : insights.hourly) {
    series.push_back(&counts);
  }
  series.push_back(&insights.hourly_added);

  // The span covered by the inputs, in whole hours.
  Instant first = 0;
  Instant end = 0;
  bool any = false;
  for (const HourlyCounts* counts : series) {
    if (counts->counts.empty()) {
      continue;
    }
    const Instant counts_end =
      counts->first_hour + static_cast<std::int64_t>(counts->counts.size()) * k_ns_per_hour;
    first = any ? std::min(first, counts->first_hour) : counts->first_hour;
    end = any ? std::max(end, counts_end) : counts_end;
    any = true;
  }
  if (!any) {
    out << "<h2>Clicks per hour (UTC)</h2>\n<p class=\"note\">No input holds a row with a readable "
           "time: nothing to draw.</p>\n";
    return;
  }
  const std::int64_t hours = (end - first) / k_ns_per_hour;
  const std::int64_t per_bin = bin_hours(hours);
  const std::int64_t bins = (hours + per_bin - 1) / per_bin;
  end = first + bins * per_bin * k_ns_per_hour;

  // Sum each series per bin.
  std::vector<std::vector<std::int64_t>> values(series.size(), std::vector<std::int64_t>(bins, 0));
  std::int64_t largest = 1;
  for (std::size_t s = 0; s < series.size(); ++s) {
    for (std::int64_t b = 0; b < bins; ++b) {
      std::int64_t sum = 0;
      for (std::int64_t h = 0; h < per_bin; ++h) {
        sum += series[s]->at(first + (b * per_bin + h) * k_ns_per_hour);
      }
      values[s][static_cast<std::size_t>(b)] = sum;
      largest = std::max(largest, sum);
    }
  }
  const std::int64_t y_step = round_step(largest, 5);
  const std::int64_t y_top = (largest + y_step - 1) / y_step * y_step;

  const Frame frame;
  const double span = static_cast<double>(end - first);
  auto x_of = [&](Instant instant) {
    return frame.left + static_cast<double>(instant - first) / span * frame.plot_width();
  };
  auto y_of = [&](std::int64_t value) {
    return frame.top + frame.plot_height() -
           static_cast<double>(value) / static_cast<double>(y_top) * frame.plot_height();
  };
  const std::string unit = per_bin == 1         ? "hour"
                           : per_bin == 24      ? "day"
                           : per_bin == 168     ? "week"
                           : per_bin % 168 == 0 ? fmt::format("{} weeks", per_bin / 168)
                           : per_bin % 24 == 0  ? fmt::format("{} days", per_bin / 24)
                                                : fmt::format("{} hours", per_bin);

  fmt::print(out, "<h2>Clicks per {} (UTC)</h2>\n<figure class=\"chart\">\n", unit);
  fmt::print(out,
             "<svg viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"clicks per {} per input\" "
             "font-size=\"12\" font-family=\"system-ui, DejaVu Sans, sans-serif\">\n",
             frame.width,
             frame.height,
             unit);

  // Outages first, so that everything else is drawn over them; at least 3 units wide so that a
  // ten-minute outage in a week-long chart is still seen.
  for (std::size_t n = 0; n < insights.outages.size(); ++n) {
    const Outage& outage = insights.outages[n];
    const double x0 = x_of(outage.start);
    const double x1 = std::max(x_of(outage.end), x0 + 3);
    fmt::print(out,
               "<rect class=\"outage-band\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" "
               "height=\"{:.1f}\" fill=\"{}\" fill-opacity=\"0.16\" stroke=\"{}\" "
               "stroke-opacity=\"0.5\" stroke-width=\"0.8\">"
               "<title>outage {}: {} to {} UTC, {} rows</title></rect>\n",
               x0,
               frame.top,
               x1 - x0,
               frame.plot_height(),
               k_outage_colour,
               k_outage_colour,
               n + 1,
               readable_time(outage.start),
               readable_time(outage.end),
               outage.rows);
    fmt::print(out,
               "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"{}\" "
               "font-weight=\"600\">{}</text>\n",
               (x0 + x1) / 2,
               frame.top - 8,
               k_outage_colour,
               n + 1);
  }

  // Horizontal grid and the y axis labels.
  for (std::int64_t value = 0; value <= y_top; value += y_step) {
    const double y = y_of(value);
    fmt::print(out,
               "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" "
               "stroke-width=\"1\"/>\n",
               frame.left,
               y,
               frame.left + frame.plot_width(),
               y,
               value == 0 ? "#8a949c" : "#e6e9ec");
    fmt::print(out,
               "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#5a6570\">{}</text>\n",
               frame.left - 8,
               y + 4,
               value);
  }
  fmt::print(out,
             "<text transform=\"translate({:.1f} {:.1f}) rotate(-90)\" text-anchor=\"middle\" "
             "fill=\"#5a6570\">clicks per {}</text>\n",
             frame.left - 48,
             frame.top + frame.plot_height() / 2,
             unit);

  // Vertical ticks on round hours, days or months, labelled with the UTC time and, where it
  // changes, the date.
  for (const Tick& tick : time_ticks(first, end)) {
    const double x = x_of(tick.at);
    fmt::print(
      out,
      "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#8a949c\"/>\n",
      x,
      frame.top + frame.plot_height(),
      x,
      frame.top + frame.plot_height() + 5);
    fmt::print(
      out,
      "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"#1d2329\">{}</text>\n",
      x,
      frame.top + frame.plot_height() + 18,
      tick.label);
    if (!tick.date.empty()) {
      fmt::print(
        out,
        "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"#5a6570\">{}</text>\n",
        x,
        frame.top + frame.plot_height() + 33,
        tick.date);
    }
  }

  // The added rows as bars, then each input as a step line over them.
  const double bin_width = frame.plot_width() / static_cast<double>(bins);
  const std::vector<std::int64_t>& added = values.back();
  for (std::int64_t b = 0; b < bins; ++b) {
    const std::int64_t value = added[static_cast<std::size_t>(b)];
    if (value == 0) {
      continue;
    }
    const double x = frame.left + static_cast<double>(b) * bin_width;
    const double gap = bin_width > 4 ? 1 : 0;
    fmt::print(out,
               "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\" "
               "fill-opacity=\"0.45\"/>\n",
               x + gap,
               y_of(value),
               std::max(bin_width - 2 * gap, 0.6),
               y_of(0) - y_of(value),
               k_added_colour);
  }
  // The primary first, the secondaries dashed over it: where they agree, both still show.
  for (std::size_t s = 0; s < insights.hourly.size(); ++s) {
    std::string points;
    for (std::int64_t b = 0; b < bins; ++b) {
      const double y = y_of(values[s][static_cast<std::size_t>(b)]);
      const double x0 = frame.left + static_cast<double>(b) * bin_width;
      points += fmt::format("{:.1f},{:.1f} {:.1f},{:.1f} ", x0, y, x0 + bin_width, y);
    }
    fmt::print(out,
               "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" "
               "stroke-linejoin=\"round\"{}/>\n",
               points,
               input_colour(s),
               s == 0 ? 2.5 : 2,
               s == 0 ? "" : " stroke-dasharray=\"6 3\"");
  }
  out << "</svg>\n<figcaption class=\"legend\">\n";
  for (std::size_t i = 0; i < result.inputs.size(); ++i) {
    fmt::print(
      out,
      "<span><span class=\"swatch\" style=\"background:{}\"></span><code>{}</code>{}</span>\n",
      input_colour(i),
      escape(display(result.inputs[i])),
      i == 0 ? " (primary)" : "");
  }
  fmt::print(
    out,
    "<span><span class=\"swatch\" style=\"background:{};opacity:.6\"></span>rows {}</span>\n",
    k_added_colour,
    result.dry_run ? "that would be added" : "added");
  if (!insights.outages.empty()) {
    fmt::print(out,
               "<span><span class=\"swatch\" style=\"background:{};opacity:.3\"></span>"
               "outages (numbered as in the table)</span>\n",
               k_outage_colour);
  }
  out << "</figcaption>\n</figure>\n";
}

void write_outages(std::ostream& out, const ReportModel& model) {
  const Insights& insights = model.result.insights;
  fmt::print(out,
             "<h2>Outages</h2>\n<p class=\"note\">Intervals in which clicks landed only on a "
             "secondary, {} or more in a row.</p>\n",
             k_outage_min_rows);
  if (insights.outages.empty()) {
    out << "<p>None found.</p>\n";
  } else {
    out << "<table>\n<tr><th class=\"n\">#</th><th>start (UTC)</th><th>end (UTC)</th>"
           "<th class=\"n\">duration</th><th class=\"n\">rows</th></tr>\n";
    for (std::size_t n = 0; n < insights.outages.size(); ++n) {
      const Outage& outage = insights.outages[n];
      fmt::print(out,
                 "<tr class=\"outage\"><td class=\"n\">{}</td><td class=\"t\">{}</td>"
                 "<td class=\"t\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                 n + 1,
                 readable_time(outage.start),
                 readable_time(outage.end),
                 readable_span(outage.end - outage.start),
                 outage.rows);
    }
    out << "</table>\n";
  }
  if (insights.isolated_rows > 0) {
    fmt::print(
      out, "<p>{} isolated failover clicks outside outages.</p>\n", insights.isolated_rows);
  }
}

void write_pages(std::ostream& out, const ReportModel& model) {
  if (model.top_pages.empty()) {
    return;
  }
  std::int64_t largest = 1;
  for (const PageInsight* page : model.top_pages) {
    largest = std::max(largest, page->rows_added);
  }
  out << "<h2>Rows added per page</h2>\n<table>\n<tr><th>page</th><th class=\"n\">rows added</th>"
         "<th></th></tr>\n";
  for (const PageInsight* page : model.top_pages) {
    fmt::print(
      out,
      "<tr><td class=\"path\"><code>{}</code></td><td class=\"n\">{}</td>"
      "<td class=\"barcell\"><span class=\"bar\" style=\"width:{:.1f}%\"></span></td></tr>\n",
      escape(page->page),
      page->rows_added,
      100.0 * static_cast<double>(page->rows_added) / static_cast<double>(largest));
  }
  if (model.other_pages > 0) {
    fmt::print(out,
               "<tr><td>({} other pages)</td><td class=\"n\">{}</td><td></td></tr>\n",
               model.other_pages,
               model.other_pages_rows);
  }
  out << "</table>\n";
}

// Light yellow to dark red, by the share of the busiest cell.
std::string heat_colour(double share) {
  struct Stop {
    double at;
    double r, g, b;
  };
  constexpr std::array<Stop, 3> stops = {
    {{0.0, 255, 237, 160}, {0.5, 253, 141, 60}, {1.0, 189, 0, 38}}};
  std::size_t i = 0;
  while (i + 2 < stops.size() && share > stops[i + 1].at) {
    ++i;
  }
  const Stop& low = stops[i];
  const Stop& high = stops[i + 1];
  const double t = std::clamp((share - low.at) / (high.at - low.at), 0.0, 1.0);
  return fmt::format("rgb({:.0f},{:.0f},{:.0f})",
                     low.r + (high.r - low.r) * t,
                     low.g + (high.g - low.g) * t,
                     low.b + (high.b - low.b) * t);
}

void write_heat(std::ostream& out, const ReportModel& model) {
  std::vector<const PageInsight*> pages;
  for (const PageInsight& page : model.result.insights.pages) {
    if (pages.size() < k_heat_pictures &&
        std::any_of(
          page.heat.begin(), page.heat.end(), [](std::int64_t cell) { return cell != 0; })) {
      pages.push_back(&page);
    }
  }
  if (pages.empty()) {
    return;
  }
  out << "<h2>Where the added clicks land</h2>\n<p class=\"note\">The added clicks of the busiest "
         "pages on a 20&times;20 grid over their own extent (x across, y down); the darker the "
         "cell, the more clicks.</p>\n<div class=\"heat\">\n";
  constexpr double cell = 11;
  constexpr double side = cell * static_cast<double>(k_heat_cells);
  for (const PageInsight* page : pages) {
    const std::int64_t busiest = *std::max_element(page->heat.begin(), page->heat.end());
    fmt::print(
      out,
      "<figure>\n<svg viewBox=\"0 0 {} {}\" role=\"img\">\n"
      "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#f4f5f6\" stroke=\"#c9d0d6\"/>\n",
      side,
      side,
      side,
      side);
    for (std::size_t row = 0; row < k_heat_cells; ++row) {
      for (std::size_t column = 0; column < k_heat_cells; ++column) {
        const std::int64_t count = page->heat[row * k_heat_cells + column];
        if (count == 0) {
          continue;
        }
        fmt::print(out,
                   "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\">"
                   "<title>{}</title></rect>\n",
                   static_cast<double>(column) * cell + 0.5,
                   static_cast<double>(row) * cell + 0.5,
                   cell - 1,
                   cell - 1,
                   heat_colour(static_cast<double>(count) / static_cast<double>(busiest)),
                   count);
      }
    }
    fmt::print(out,
               "</svg>\n<figcaption><code>{}</code><br>{} rows {}; busiest cell {}</figcaption>\n"
               "</figure>\n",
               escape(page->page),
               page->rows_added,
               model.result.dry_run ? "to add" : "added",
               busiest);
  }
  out << "</div>\n";
}

bool hour_in_outage(Instant hour, const Outage& outage) {
  return hour <= outage.end && hour + k_ns_per_hour > outage.start;
}

void write_hours(std::ostream& out, const ReportModel& model) {
  const MergeResult& result = model.result;
  if (model.hour_tables.empty()) {
    return;
  }
  out << "<h2>Clicks per hour around each outage</h2>\n<p class=\"note\">Hours that overlap the "
         "outage are shaded: the gap on the primary and the fill-in from the secondaries.</p>\n"
         "<div class=\"hours\">\n";
  for (const HourTable& table : model.hour_tables) {
    const Outage& outage = result.insights.outages[table.outage];
    fmt::print(out,
               "<div>\n<h3>Outage {} <span class=\"note\">{} to {}</span></h3>\n<table>\n"
               "<tr><th>hour (UTC)</th>",
               table.outage + 1,
               readable_time(outage.start).substr(11, 5),
               readable_time(outage.end).substr(11, 5));
    for (std::size_t i = 0; i < result.inputs.size(); ++i) {
      fmt::print(out,
                 "<th class=\"n\"><span class=\"swatch\" style=\"background:{}\"></span>{}</th>",
                 input_colour(i),
                 escape(result.inputs[i].filename().string()));
    }
    out << "<th class=\"n\">added</th></tr>\n";
    for (std::size_t h = 0; h < table.hours.size(); ++h) {
      fmt::print(out,
                 "<tr{}><td class=\"t\">{}</td>",
                 hour_in_outage(table.hours[h], outage) ? " class=\"in-outage\"" : "",
                 readable_time(table.hours[h]).substr(0, 16));
      for (const std::vector<std::int64_t>& counts : table.per_input) {
        fmt::print(out, "<td class=\"n\">{}</td>", counts[h]);
      }
      fmt::print(out, "<td class=\"n\">{}</td></tr>\n", table.added[h]);
    }
    out << "</table>\n</div>\n";
  }
  out << "</div>\n";
}

void write_histogram(std::ostream& out, const OffsetSummary& summary) {
  std::int64_t largest = 1;
  for (const HistogramBin& bin : summary.histogram) {
    largest = std::max(largest, bin.count);
  }
  out << "<table>\n<tr><th>time difference</th><th class=\"n\">pairs</th><th></th></tr>\n";
  for (const HistogramBin& bin : summary.histogram) {
    fmt::print(
      out,
      "<tr><td class=\"t\">{} to {}</td><td class=\"n\">{}</td>"
      "<td class=\"barcell\"><span class=\"bar\" style=\"width:{:.1f}%\"></span></td></tr>\n",
      format_duration(std::chrono::nanoseconds(bin.from_ns)),
      format_duration(std::chrono::nanoseconds(bin.to_ns)),
      bin.count,
      100.0 * static_cast<double>(bin.count) / static_cast<double>(largest));
  }
  out << "</table>\n";
}

void write_window(std::ostream& out, const ReportModel& model) {
  const MergeResult& result = model.result;
  const WindowEvidence& evidence = model.evidence;
  if (result.window.count() == 0 && evidence.matched.count == 0 &&
      evidence.near_misses.count == 0) {
    return;
  }
  out << "<h2>Window</h2>\n";
  fmt::print(out,
             "<p>Window {}: {} exact duplicates, {} within the window.</p>\n",
             format_duration(result.window),
             model.totals.duplicates_exact,
             model.totals.duplicates_window);
  if (evidence.matched.count > 0) {
    fmt::print(out,
               "<h3>Time differences of the {} pairs matched within {} (secondary minus kept "
               "row)</h3>\n",
               evidence.matched.count,
               format_duration(result.window));
    write_histogram(out, evidence.matched);
    fmt::print(out,
               "<p>Median {}: the failover delay plus the clock skew between the nodes. 99% of "
               "them are within {}.</p>\n",
               format_duration(std::chrono::nanoseconds(evidence.matched.median_ns)),
               format_duration(std::chrono::nanoseconds(evidence.matched.window_99_ns)));
  }
  if (evidence.near_misses.count > 0) {
    fmt::print(out,
               "<h3>{} same-key pairs lie further apart than the window but within 10 s; they "
               "stay separate clicks</h3>\n",
               evidence.near_misses.count);
    write_histogram(out, evidence.near_misses);
    fmt::print(out,
               "<p><code>--window {}</code> would match 99% of all pairs within 10 s; pairs far "
               "from the failover delay are more likely distinct clicks than duplicates.</p>\n",
               format_duration(std::chrono::nanoseconds(evidence.all.window_99_ns)));
  }
}

// The column names of `rows` in their first order of appearance: inputs may differ in columns.
std::vector<std::string> sample_columns(const std::vector<const SampleRow*>& rows) {
  std::vector<std::string> columns;
  for (const SampleRow* row : rows) {
    for (const std::pair<std::string, std::string>& value : row->values) {
      if (std::find(columns.begin(), columns.end(), value.first) == columns.end()) {
        columns.push_back(value.first);
      }
    }
  }
  return columns;
}

const std::string* sample_value(const SampleRow& row, const std::string& column) {
  for (const std::pair<std::string, std::string>& value : row.values) {
    if (value.first == column) {
      return &value.second;
    }
  }
  return nullptr;
}

// Sample rows side by side, one column per row and one line per database column: rows are wide
// (user agents), so a row per sample would squeeze every value into a sliver. With `mark_diff`,
// the lines whose values differ between the rows are marked (a conflict's kept and dropped row).
void write_sample_table(std::ostream& out,
                        const MergeResult& result,
                        const std::vector<const SampleRow*>& rows,
                        const std::vector<std::string_view>& roles,
                        bool mark_diff) {
  out << "<table class=\"samples\">\n<tr><th>column</th>";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const SampleRow& row = *rows[i];
    fmt::print(out,
               "<th class=\"v\">{}<code>{}</code><br>row {}{}</th>",
               roles[i].empty() ? "" : fmt::format("{}: ", roles[i]),
               escape(display(result.inputs[row.input])),
               row.rowid,
               row.new_id != 0 ? fmt::format(" &rarr; id {}", row.new_id) : "");
  }
  out << "</tr>\n";
  for (const std::string& column : sample_columns(rows)) {
    bool differs = false;
    const std::string* first = sample_value(*rows.front(), column);
    for (const SampleRow* row : rows) {
      const std::string* value = sample_value(*row, column);
      if ((value == nullptr || first == nullptr) ? value != first : *value != *first) {
        differs = true;
      }
    }
    fmt::print(
      out, "<tr{}><th>{}</th>", mark_diff && differs ? " class=\"diff\"" : "", escape(column));
    for (const SampleRow* row : rows) {
      const std::string* value = sample_value(*row, column);
      fmt::print(out, "<td class=\"v\">{}</td>", value != nullptr ? escape(*value) : "");
    }
    out << "</tr>\n";
  }
  out << "</table>\n";
}

void write_samples(std::ostream& out, const ReportModel& model) {
  const MergeResult& result = model.result;
  const Insights& insights = result.insights;
  if (!insights.added_samples.empty()) {
    fmt::print(out,
               "<h2>{}</h2>\n",
               result.dry_run ? "Rows that would be added (first ones)"
                              : "Rows added (first ones)");
    std::vector<const SampleRow*> rows;
    for (const SampleRow& sample : insights.added_samples) {
      rows.push_back(&sample);
    }
    write_sample_table(out, result, rows, std::vector<std::string_view>(rows.size()), false);
  }
  if (!insights.conflict_samples.empty()) {
    out << "<h2>Conflicts (the first row is kept)</h2>\n<p class=\"note\">Marked: the columns in "
           "which the two rows differ.</p>\n<div class=\"conflicts\">\n";
    for (const ConflictSample& conflict : insights.conflict_samples) {
      write_sample_table(
        out, result, {&conflict.kept, &conflict.dropped}, {"kept", "dropped"}, true);
    }
    out << "</div>\n";
  }
}

void write_footer(std::ostream& out, const ReportModel& model) {
  const MergeResult& result = model.result;
  out << "<div class=\"footer\">\n";
  for (std::size_t i = 0; i < result.layout.added_columns.size(); ++i) {
    fmt::print(out,
               "<p>Column added: <code>{}</code> (only in <code>{}</code>)</p>\n",
               escape(quote_identifier(result.layout.added_columns[i].name)),
               escape(display(result.inputs[result.layout.added_from[i]])));
  }
  if (model.totals.added == 0) {
    out << "<p>Nothing to add: every secondary row is already in the primary.</p>\n";
  } else if (result.in_place) {
    const InPlaceSummary& in_place = *result.in_place;
    fmt::print(out, "<p>Backup: <code>{}</code></p>\n", escape(display(in_place.backup)));
    fmt::print(out,
               "<p>Added {} rows to <code>{}</code> in place, in {} transactions (the longest "
               "{:.0f} ms).</p>\n",
               in_place.inserted,
               escape(display(result.inputs.front())),
               in_place.transactions,
               in_place.longest_transaction_seconds * 1000);
    if (in_place.already_there > 0) {
      fmt::print(out,
                 "<p>{} planned rows had meanwhile reached the primary and were not added "
                 "again.</p>\n",
                 in_place.already_there);
    }
  } else {
    fmt::print(out,
               "<p>{} {} rows with ids {} to {}.</p>\n",
               result.dry_run ? "Would add" : "Added",
               model.totals.added,
               result.plan.first_new_id,
               result.plan.first_new_id + model.totals.added - 1);
  }
  if (result.dry_run) {
    out << "<p><b>Dry run: nothing written.</b></p>\n";
  } else if (result.output) {
    fmt::print(out, "<p>Wrote <code>{}</code>.</p>\n", escape(display(*result.output)));
  }
  fmt::print(
    out, "<p class=\"note\">Took {:.2f} s. Times are UTC.</p>\n</div>\n", result.elapsed.count());
}

} // namespace

void write_html_report(std::ostream& out, const ReportModel& model) {
  const MergeResult& result = model.result;
  const std::string title = result.dry_run ? "heatmap-merge dry run" : "heatmap-merge merge";
  out << k_head;
  fmt::print(out, "<title>{}: {}</title>\n", title, escape(display(result.inputs.front())));
  out << k_style << "</head>\n<body>\n<main>\n";
  fmt::print(out,
             "<h1>{}</h1>\n<p class=\"sub\">Primary <code>{}</code>",
             title,
             escape(display(result.inputs.front())));
  for (std::size_t i = 1; i < result.inputs.size(); ++i) {
    fmt::print(
      out, "{} <code>{}</code>", i == 1 ? "; secondary" : ",", escape(display(result.inputs[i])));
  }
  out << "</p>\n";
  write_cards(out, model);
  if (model.totals.conflicts > 0) {
    fmt::print(out,
               "<p class=\"warning\">Conflicts: {} duplicates differ from the row kept in "
               "other columns; the primary's row was kept.</p>\n",
               model.totals.conflicts);
  }
  write_inputs(out, model);
  write_timeline(out, model);
  write_outages(out, model);
  write_hours(out, model);
  write_pages(out, model);
  write_heat(out, model);
  write_window(out, model);
  write_samples(out, model);
  write_footer(out, model);
  out << "</main>\n</body>\n</html>\n";
}

} // namespace heatmap_merge
