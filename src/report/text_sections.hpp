#pragma once
// The text report's sections, which report_text.cpp writes in order: the tables of the inputs,
// outages, pages and hours (text_tables.cpp), the window's evidence (text_window.cpp) and the
// sample rows (text_samples.cpp). Internal to report/.

#include "report/report_model.hpp"
#include "report/text_writer.hpp"

namespace heatmap_merge {

// The inputs' table; then, with secondaries, theirs.
void write_inputs(TextWriter& writer, const ReportModel& model);
// The outages found and the failover clicks outside them.
void write_outages(TextWriter& writer, const ReportModel& model);
// The rows added per page, the busiest first.
void write_pages(TextWriter& writer, const ReportModel& model);
// The clicks per hour of each input around each outage.
void write_hours(TextWriter& writer, const ReportModel& model);

// The duplicates, the time differences of the pairs, and the window suggested.
void write_window(TextWriter& writer, const ReportModel& model);

// The first rows added and the first conflicts.
void write_samples(TextWriter& writer, const ReportModel& model);

} // namespace heatmap_merge
