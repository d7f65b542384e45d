#pragma once

// What every report format shows, computed once from a MergeResult; each format only renders it.

#include "plan/stats.hpp"
#include "report/merge_result.hpp"
#include "report/report.hpp"

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace heatmap_merge {

struct Totals {
  std::int64_t duplicates_exact = 0;
  std::int64_t duplicates_window = 0;
  std::int64_t conflicts = 0;
  std::int64_t conflicts_with_added = 0; // the kept row an earlier secondary's
  std::int64_t added = 0;
};

// The evidence for choosing a window: the differences of pairs matched within it, and of the
// same-key pairs within 10 s that it left apart.
struct WindowEvidence {
  OffsetSummary matched;
  OffsetSummary near_misses;
  OffsetSummary all;
  // The window to suggest, and whether the one given is too wide.
  WindowAdvice advice;
};

// What --replay-window paired (plan/replay.hpp), over every secondary: the replay pairs across
// inputs and the replayed duplicates within a secondary, their delays, and the first samples.
struct ReplayEvidence {
  std::int64_t pairs = 0;    // a secondary's row and a kept row
  std::int64_t replayed = 0; // two rows of one secondary: the later not added
  std::int64_t chance = 0;   // about how many of both chance alone gives (Share), and of
                             // the primary's removed (chance_primary, counted in it)
  OffsetSummary across;      // the secondary's row minus the kept one
  OffsetSummary within;      // the later copy minus the earlier
  struct Sample {
    std::size_t input = 0; // the secondary whose row is not added
    ReplaySample pair;
  };
  std::vector<Sample> samples;
  // --remove-replays: the primary's replayed duplicates removed (rows_removed), their delays
  // (the copy removed minus the one kept); their samples are among `samples`, of input 0.
  bool removing = false;
  std::int64_t removed = 0;
  std::int64_t chance_primary = 0; // PrimaryReplays::chance
  OffsetSummary removed_delays;
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
  // What the tables call each input (input_labels), [0] the primary's.
  std::vector<std::string> labels;
  // Per conflict sample, the compared columns whose values differ: what made it a conflict.
  std::vector<std::vector<std::string>> conflict_columns;
  Totals totals;
  WindowEvidence evidence;
  std::vector<const PageInsight*> top_pages;
  std::int64_t other_pages = 0;
  std::int64_t other_pages_rows = 0;
  std::vector<HourTable> hour_tables;
  ReplayEvidence replay; // empty without --replay-window
};

// "primary" or "secondary": the part an input plays.
inline const char* input_role(std::size_t input) {
  return input == 0 ? "primary" : "secondary";
}

ReportModel make_report_model(const MergeResult& result);

// The compared columns (ColumnLayout::compared_columns) in which a conflict's two rows differ as
// the report shows their values; empty when they differ only in a value's type (1 and '1').
std::vector<std::string> differing_columns(const ColumnLayout& layout,
                                           const ConflictSample& conflict);

// How a format shows an option or a duration in running text: as it is, or "`--window 2s`".
using CodeStyle = std::string (*)(const std::string& text);
std::string plain_code(const std::string& text);

// The suggested window in sentences, for every format alike: first "suggested window:
// --window 2s", then why and what a tighter one or the window in use leaves apart. Empty when no
// pair lies within 10 s.
std::vector<std::string> window_advice(const ReportModel& model, CodeStyle code = plain_code);
// The warning that the window given is probably too wide (WindowAdvice::too_wide), or "".
std::string window_warning(const ReportModel& model, CodeStyle code = plain_code);

// Which row won the conflicts: "the primary's row wins", or with several secondaries "the row
// an earlier secondary added wins", or both with their counts.
std::string conflict_winner(const Totals& totals);

// "2026-02-18 10:00:03" (UTC, to the second) for tables people read.
std::string readable_time(Instant instant);
// The time from one instant to another: "19m40s", "2h05m", "45s", "2858817h00m".
std::string readable_span(Instant from, Instant to);

void write_text_report(std::ostream& out, const ReportModel& model, bool colour);
void write_json_report(std::ostream& out, const ReportModel& model);
// Runs `render`; a failure after a write (`written` not empty: "merged N rows into PATH, but the
// report failed: ") is an Error whose message starts with `written`, with the failure's exit
// code (74), or 70 for any other exception.
void render_after_writing(const std::string& written, const std::function<void()>& render);

// The JSON report as an object, and how every JSON report is written.
nlohmann::json json_report(const ReportModel& model);
void write_json(std::ostream& out, const nlohmann::json& report);
void write_markdown_report(std::ostream& out, const ReportModel& model);
// Text from the data (a page URL, a path) as a Markdown code span that nothing can end early.
std::string code_span(std::string_view text);
// One self-contained page (inline CSS and SVG, nothing fetched, no script).
void write_html_report(std::ostream& out, const ReportModel& model);
// The page's parts, for a page of several reports (--peers): its head up to <main> with `title`,
// one report's body (its heading at <h1>, or <h2> and in a <section> when `nested`), the end.
void write_html_start(std::ostream& out, std::string_view title, const std::filesystem::path& file);
void write_html_body(std::ostream& out, const ReportModel& model, bool nested);
void write_html_end(std::ostream& out);
// One line for logs and cron mail: what was (would be) added where, from what, and how long it
// took.
void write_summary_report(std::ostream& out, const ReportModel& model);

} // namespace heatmap_merge
