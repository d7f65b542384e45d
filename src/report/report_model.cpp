// What every format shows, computed once from a MergeResult (report_model.hpp): labels, totals,
// the window's evidence and advice in words, the busiest pages, the hours around each outage.

#include "report/report_model.hpp"
#include "util/duration.hpp"
#include "util/text.hpp"
#include "util/timestamp.hpp"
#include "util/units.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace heatmap_merge {

namespace {

constexpr std::int64_t k_hours_around = 2;
constexpr std::size_t k_max_hours = 48;

// The latest whole hour that instants have (k_first_whole_hour, units.hpp, is the earliest).
constexpr Instant k_last_hour = (INT64_MAX - 1) / k_ns_per_hour * k_ns_per_hour;

// The value of `column` in `row`, by name as SQLite compares names; null if the row lacks it.
const std::string* value_of(const SampleRow& row, const std::string& column) {
  for (const std::pair<std::string, std::string>& value : row.values) {
    if (same_name(value.first, column)) {
      return &value.second;
    }
  }
  return nullptr;
}

} // namespace

std::vector<std::string> differing_columns(const ColumnLayout& layout,
                                           const ConflictSample& conflict) {
  std::vector<std::string> columns;
  for (const std::string& column : layout.compared_columns) {
    const std::string* kept = value_of(conflict.kept, column);
    const std::string* dropped = value_of(conflict.dropped, column);
    if ((kept == nullptr || dropped == nullptr) ? kept != dropped : *kept != *dropped) {
      columns.push_back(column);
    }
  }
  return columns;
}

std::string conflict_winner(const Totals& totals) {
  const std::int64_t primary = totals.conflicts - totals.conflicts_with_added;
  if (totals.conflicts_with_added == 0) {
    return "the primary's row wins";
  }
  if (primary == 0) {
    return "the row an earlier secondary added wins";
  }
  return fmt::format("the primary's row wins in {}, the row an earlier secondary added in {}",
                     primary,
                     totals.conflicts_with_added);
}

std::string readable_time(Instant instant) {
  std::string iso = format_instant(instant);
  iso = iso.substr(0, 19);
  iso[10] = ' ';
  return iso;
}

std::string readable_span(Instant from, Instant to) {
  const std::uint64_t seconds = instant_distance(from, to) / k_ns_per_second;
  if (seconds >= k_seconds_per_hour) {
    return fmt::format("{}h{:02}m",
                       seconds / k_seconds_per_hour,
                       seconds % k_seconds_per_hour / k_seconds_per_minute);
  }
  if (seconds >= k_seconds_per_minute) {
    return fmt::format("{}m{:02}s", seconds / k_seconds_per_minute, seconds % k_seconds_per_minute);
  }
  return fmt::format("{}s", seconds);
}

namespace {

// What the replay pass did over every secondary, for the report's replay section.
ReplayEvidence replay_evidence(const MergeResult& result) {
  const Plan& plan = result.plan;
  ReplayEvidence replay;
  if (plan.primary_replays.found) {
    replay.removing = true;
    replay.removed = rows_removed(result);
    replay.removed_delays = summarize_offsets({&plan.primary_replays.offsets});
    replay.chance_primary = plan.primary_replays.chance;
    replay.chance += plan.primary_replays.chance;
    for (const ReplaySample& sample : plan.primary_replays.samples) {
      replay.samples.push_back({0, sample});
    }
  }
  std::vector<const OffsetSet*> across;
  std::vector<const OffsetSet*> within;
  for (std::size_t i = 1; i < plan.shares.size(); ++i) {
    const Share& input = plan.shares[i];
    replay.pairs += input.duplicates_replay;
    replay.replayed += input.replayed_duplicates;
    replay.chance += input.replay_chance;
    across.push_back(&input.replay_offsets);
    within.push_back(&input.replayed_offsets);
    for (const ReplaySample& sample : input.replay_samples) {
      replay.samples.push_back({i, sample});
    }
  }
  replay.across = summarize_offsets(across);
  replay.within = summarize_offsets(within);
  return replay;
}

} // namespace

ReportModel make_report_model(const MergeResult& result) {
  ReportModel model{result, input_labels(result.inputs), {}, {}, {}, {}, 0, 0, {}, {}};
  for (const ConflictSample& conflict : result.insights.conflict_samples) {
    model.conflict_columns.push_back(differing_columns(result.layout, conflict));
  }
  std::vector<const OffsetSet*> matched;
  std::vector<const OffsetSet*> near_misses;
  for (const Share& input : result.plan.shares) {
    model.totals.duplicates_exact += input.duplicates_exact;
    model.totals.duplicates_window += input.duplicates_window;
    model.totals.conflicts += input.conflicts;
    model.totals.conflicts_with_added += input.conflicts_with_added;
    model.totals.added += static_cast<std::int64_t>(input.added.size());
    matched.push_back(&input.match_offsets);
    near_misses.push_back(&input.near_miss_offsets);
  }
  std::vector<const OffsetSet*> all = matched;
  all.insert(all.end(), near_misses.begin(), near_misses.end());
  model.evidence = {summarize_offsets(matched),
                    summarize_offsets(near_misses),
                    summarize_offsets(all),
                    advise_window(all, result.window.count())};
  if (result.replay_window.count() > 0) {
    model.replay = replay_evidence(result);
  }

  const Insights& insights = result.insights;
  for (const PageInsight& page : insights.pages) {
    model.top_pages.push_back(&page);
  }
  model.other_pages = insights.other_pages;
  model.other_pages_rows = insights.other_pages_rows;

  for (std::size_t n = 0; n < insights.outages.size(); ++n) {
    const Outage& outage = insights.outages[n];
    HourTable table;
    table.outage = n;
    table.per_input.resize(insights.timelines.size());
    // Two hours either side, but no hour before the first instant or past the last.
    const Instant from = hour_of(outage.start) < k_first_whole_hour + k_hours_around * k_ns_per_hour
                           ? k_first_whole_hour
                           : hour_of(outage.start) - k_hours_around * k_ns_per_hour;
    const Instant to = hour_of(outage.end) > k_last_hour - k_hours_around * k_ns_per_hour
                         ? k_last_hour
                         : hour_of(outage.end) + k_hours_around * k_ns_per_hour;
    for (Instant hour = from; hour <= to && table.hours.size() < k_max_hours;
         hour = hour == to ? to + 1 : hour + k_ns_per_hour) {
      table.hours.push_back(hour);
      for (std::size_t input = 0; input < insights.timelines.size(); ++input) {
        table.per_input[input].push_back(insights.timelines[input].rows_in_hour(hour));
      }
      table.added.push_back(insights.added_timeline.rows_in_hour(hour));
    }
    model.hour_tables.push_back(std::move(table));
  }
  return model;
}

std::string plain_code(const std::string& text) {
  return text;
}

namespace {

std::string window_option(std::int64_t nanoseconds) {
  return "--window " + readable_duration(std::chrono::nanoseconds(nanoseconds));
}

std::string duration_text(std::int64_t nanoseconds) {
  return format_duration(std::chrono::nanoseconds(nanoseconds));
}

} // namespace

std::vector<std::string> window_advice(const ReportModel& model, CodeStyle code) {
  const WindowAdvice& advice = model.evidence.advice;
  std::vector<std::string> sentences;
  if (advice.pairs == 0) {
    return sentences;
  }
  const std::int64_t window = model.result.window.count();
  sentences.push_back(fmt::format("suggested window: {}", code(window_option(advice.window_ns))));
  sentences.push_back(fmt::format(
    "same-key pairs within {} at different instants: {}, the widest {} apart; rounded up to a "
    "multiple of {}, the suggestion matches them all",
    duration_text(k_pair_horizon_ns),
    advice.pairs,
    duration_text(advice.widest_ns),
    duration_text(advice.step_ns)));
  sentences.push_back(fmt::format("{} would leave {} apart",
                                  code(window_option(advice.tighter_ns)),
                                  counted(advice.tighter_apart, "pair")));
  if (window < advice.window_ns) {
    sentences.push_back(fmt::format("the window in use ({}) leaves {} apart",
                                    code(readable_duration(model.result.window)),
                                    counted(model.evidence.near_misses.count, "pair")));
  } else if (!advice.too_wide) {
    sentences.push_back(fmt::format("the window in use ({}) matches them all",
                                    code(readable_duration(model.result.window))));
  }
  if (model.result.inputs.size() > 2) {
    sentences.push_back("with several secondaries, confirm it with another dry run: each "
                        "secondary is matched against the rows the earlier ones added, and the "
                        "window changes which those are");
  }
  return sentences;
}

std::string window_warning(const ReportModel& model, CodeStyle code) {
  const WindowAdvice& advice = model.evidence.advice;
  if (!advice.too_wide) {
    return {};
  }
  const std::string given = code(window_option(model.result.window.count()));
  // Distinct clicks matched as one often differ in other columns: say how many duplicates do.
  const std::string conflicts =
    model.totals.conflicts > 0
      ? fmt::format(" ({} among all duplicates)", counted(model.totals.conflicts, "conflict"))
      : "";
  if (advice.beyond > 0 && advice.pairs == 0) {
    return fmt::format("window probably too wide: {} matched {} further apart than {}, where "
                       "failover duplicates lie, and none closer: they are likely distinct "
                       "clicks, kept as one{}",
                       given,
                       counted(advice.beyond, "pair"),
                       duration_text(k_pair_horizon_ns),
                       conflicts);
  }
  if (advice.beyond > 0) {
    return fmt::format("window probably too wide: {} matched {} further apart than {}, the "
                       "widest of the failover pairs within {} (rounded up): they are likely "
                       "distinct clicks, kept as one{}; {} matches every pair the data shows",
                       given,
                       counted(advice.beyond, "pair"),
                       duration_text(advice.window_ns),
                       duration_text(k_pair_horizon_ns),
                       conflicts,
                       code(window_option(advice.window_ns)));
  }
  return fmt::format("window probably too wide: {} is more than twice what the data needs (every "
                     "pair within {} lies at most {} apart); a wider window matches no more "
                     "failover duplicates, only distinct clicks that happen to lie that close; {} "
                     "matches every pair the data shows",
                     given,
                     duration_text(k_pair_horizon_ns),
                     duration_text(advice.widest_ns),
                     code(window_option(advice.window_ns)));
}

} // namespace heatmap_merge
