// The text report's window section (text_sections.hpp): the duplicates, a histogram of the
// time differences of the pairs matched and of the near misses, and the window suggested; then,
// with --replay-window, what the replay pass paired.

#include "report/text_sections.hpp"
#include "util/duration.hpp"
#include "util/terminal_text.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <chrono>
#include <ostream>
#include <string>
#include <vector>

namespace heatmap_merge {

namespace {

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

// One kind of the replay pass's rows per page, as "rows added per page" (text_tables.cpp).
void write_replay_pages(TextWriter& writer, const std::string& heading, const PageCounts& counts) {
  if (counts.top.empty()) {
    return;
  }
  writer.heading(heading);
  std::vector<std::string> pages;
  for (const auto& [page, rows] : counts.top) {
    pages.push_back(terminal_safe(page));
  }
  pages = fit_labels(pages, k_text_width - 2 - 2 - 9);
  const std::string others = fmt::format("({})", counted(counts.other_pages, "other page"));
  std::size_t width = counts.other_pages > 0 ? text_width(others) : 10;
  for (const std::string& page : pages) {
    width = std::max(width, text_width(page));
  }
  for (std::size_t i = 0; i < pages.size(); ++i) {
    fmt::print(writer.out(), "  {}  {:>9}\n", padded(pages[i], width), counts.top[i].second);
  }
  if (counts.other_pages > 0) {
    fmt::print(writer.out(), "  {}  {:>9}\n", padded(others, width), counts.other_rows);
  }
}

// The replay pass (--replay-window): its counts, the delays of each kind, per page, the first
// pairs.
void write_replays(TextWriter& writer, const ReportModel& model) {
  const ReplayEvidence& replay = model.replay;
  std::ostream& out = writer.out();
  fmt::print(out,
             "\nreplays within {}: {} pairs across inputs, {} replayed duplicates within a "
             "secondary; neither added\n",
             readable_duration(model.result.replay_window),
             replay.pairs,
             replay.replayed);
  fmt::print(out,
             "  by chance alone: about {} (identical rows {} to {} apart)\n",
             replay.chance,
             readable_duration(model.result.replay_window),
             readable_duration(2 * model.result.replay_window));
  if (replay.removing) {
    // Its own part of the estimate above, beside the count it bears on.
    fmt::print(out,
               "  replayed duplicates removed from the primary: {} (by chance alone: about {})\n",
               replay.removed,
               replay.chance_primary);
  }
  if (replay.across.count > 0) {
    writer.heading("delays of the replay pairs (secondary minus kept row)");
    write_histogram(out, replay.across);
  }
  if (replay.within.count > 0) {
    writer.heading("delays of the replayed duplicates (later copy minus earlier)");
    write_histogram(out, replay.within);
  }
  if (replay.removed_delays.count > 0) {
    writer.heading("delays of the primary's replayed duplicates (copy removed minus copy kept)");
    write_histogram(out, replay.removed_delays);
  }
  write_replay_pages(writer, "replay pairs per page", model.result.insights.replay_pages);
  write_replay_pages(writer, "replayed duplicates per page", model.result.insights.replayed_pages);
  for (const ReplayEvidence::Sample& sample : replay.samples) {
    fmt::print(out,
               "  {} row {}: {} row {}, {} apart\n",
               model.labels[sample.input],
               sample.pair.dropped_rowid,
               sample.input == 0    ? "removed, a copy of its"
               : sample.pair.within ? "a later copy of its"
                                    : "a copy of the kept",
               sample.pair.kept_rowid,
               format_duration(std::chrono::nanoseconds(sample.pair.offset_ns)));
  }
}

} // namespace

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
  if (result.replay_window.count() > 0) {
    write_replays(writer, model);
  }
}

} // namespace heatmap_merge
