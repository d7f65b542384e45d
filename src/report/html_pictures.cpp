// The HTML report's pictures as SVG (html_sections.hpp): the clicks per hour of every input on
// one timeline, and where the added clicks land on the busiest pages. Their geometry is
// html_layout.cpp's; this only draws it.

#include "report/html_layout.hpp"
#include "report/html_sections.hpp"
#include "util/terminal_text.hpp"
#include "util/text.hpp"

#include <optional>
#include <vector>

namespace heatmap_merge {

namespace {

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

} // namespace

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

} // namespace heatmap_merge
