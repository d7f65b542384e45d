#pragma once

// What every report format shows, computed once from a MergeResult; each format only renders it.

#include "heatmap_merge/merge.hpp"
#include "heatmap_merge/stats.hpp"

#include <string>
#include <vector>

namespace heatmap_merge {

struct Totals {
  std::int64_t duplicates_exact = 0;
  std::int64_t duplicates_window = 0;
  std::int64_t conflicts = 0;
  std::int64_t added = 0;
};

// The evidence for choosing a window: the differences of pairs matched within it, and of the
// same-key pairs within 10 s that it left apart.
struct WindowEvidence {
  OffsetSummary matched;
  OffsetSummary near_misses;
  OffsetSummary all;
};

// Clicks per hour per input (and added) from two hours before an outage to two hours after.
struct HourTable {
  std::size_t outage = 0;
  std::vector<Instant> hours;
  std::vector<std::vector<std::int64_t>> per_input; // [input][hour]
  std::vector<std::int64_t> added;
};

struct ReportModel {
  const MergeResult& result;
  Totals totals;
  WindowEvidence evidence;
  std::vector<const PageInsight*> top_pages;
  std::int64_t other_pages = 0;
  std::int64_t other_pages_rows = 0;
  std::vector<HourTable> hour_tables;
};

// How many pages the report lists before summing the rest.
inline constexpr std::size_t k_top_pages = 10;

ReportModel make_report_model(const MergeResult& result);

// "2026-02-18 10:00:03" (UTC, to the second) for tables people read.
std::string readable_time(Instant instant);
// "19m40s", "2h05m", "45s".
std::string readable_span(std::int64_t nanoseconds);

void write_text_report(std::ostream& out, const ReportModel& model, bool colour);
void write_json_report(std::ostream& out, const ReportModel& model);
void write_markdown_report(std::ostream& out, const ReportModel& model);
// One self-contained page (inline CSS and SVG, nothing fetched, no script).
void write_html_report(std::ostream& out, const ReportModel& model);

} // namespace heatmap_merge
