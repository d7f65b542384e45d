#pragma once
// The HTML report's sections, which report_html.cpp writes in order: the page's tables
// (html_tables.cpp), its pictures (html_pictures.cpp) and sample rows (html_samples.cpp), and
// the colours and labels they share. Internal to report/.

#include "report/html_writer.hpp"
#include "report/report_model.hpp"

#include <cstddef>
#include <string_view>

namespace heatmap_merge {

// One colour per input, the primary first (report_html.cpp); the added rows have their own.
std::string_view input_colour(std::size_t input);
inline constexpr std::string_view k_added_colour = "#2ca02c";
inline constexpr std::string_view k_outage_colour = "#d62728";

// An input's label in code and its role after it, or the role alone when the labels are the
// roles: the colour of its swatch is never all that tells it from the others.
void write_label(HtmlWriter& html, const ReportModel& model, std::size_t input);

// html_tables.cpp: the counts on cards; the inputs; the outages; the clicks per hour around
// each outage; the rows added per page; the window's evidence and advice.
void write_cards(HtmlWriter& html, const ReportModel& model);
void write_inputs(HtmlWriter& html, const ReportModel& model);
void write_outages(HtmlWriter& html, const ReportModel& model);
void write_hours(HtmlWriter& html, const ReportModel& model);
void write_pages(HtmlWriter& html, const ReportModel& model);
void write_window(HtmlWriter& html, const ReportModel& model);
// What --replay-window paired: counts, the chance estimate, the delays, the first pairs.
void write_replays(HtmlWriter& html, const ReportModel& model);

// html_pictures.cpp: the clicks per hour of every input as one SVG chart; where the added clicks
// land on the busiest pages.
void write_timeline(HtmlWriter& html, const ReportModel& model);
void write_heat(HtmlWriter& html, const ReportModel& model);

// html_samples.cpp: the first rows added and the first conflicts, column by column.
void write_samples(HtmlWriter& html, const ReportModel& model);

} // namespace heatmap_merge
