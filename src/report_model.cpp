#include "report_model.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace heatmap_merge {

namespace {

constexpr std::int64_t k_ns_per_hour = 3'600'000'000'000;
constexpr std::int64_t k_hours_around = 2;
constexpr std::size_t k_max_hours = 48;

Instant hour_of(Instant instant) {
  return instant / k_ns_per_hour * k_ns_per_hour -
         (instant % k_ns_per_hour < 0 ? k_ns_per_hour : 0);
}

} // namespace

std::string readable_time(Instant instant) {
  std::string iso = format_instant(instant);
  iso = iso.substr(0, 19);
  iso[10] = ' ';
  return iso;
}

std::string readable_span(std::int64_t nanoseconds) {
  const std::int64_t seconds = nanoseconds / 1'000'000'000;
  if (seconds >= 3600) {
    return fmt::format("{}h{:02}m", seconds / 3600, seconds / 60 % 60);
  }
  if (seconds >= 60) {
    return fmt::format("{}m{:02}s", seconds / 60, seconds % 60);
  }
  return fmt::format("{}s", seconds);
}

ReportModel make_report_model(const MergeResult& result) {
  ReportModel model{result, {}, {}, {}, 0, 0, {}};
  std::vector<const OffsetSet*> matched;
  std::vector<const OffsetSet*> near_misses;
  for (const InputPlan& input : result.plan.inputs) {
    model.totals.duplicates_exact += input.duplicates_exact;
    model.totals.duplicates_window += input.duplicates_window;
    model.totals.conflicts += input.conflicts;
    model.totals.added += static_cast<std::int64_t>(input.added.size());
    matched.push_back(&input.match_offsets);
    near_misses.push_back(&input.near_miss_offsets);
  }
  std::vector<const OffsetSet*> all = matched;
  all.insert(all.end(), near_misses.begin(), near_misses.end());
  model.evidence = {
    summarize_offsets(matched), summarize_offsets(near_misses), summarize_offsets(all)};

  const Insights& insights = result.insights;
  for (std::size_t i = 0; i < insights.pages.size(); ++i) {
    if (i < k_top_pages) {
      model.top_pages.push_back(&insights.pages[i]);
    } else {
      ++model.other_pages;
      model.other_pages_rows += insights.pages[i].rows_added;
    }
  }

  for (std::size_t n = 0; n < insights.outages.size(); ++n) {
    const Outage& outage = insights.outages[n];
    HourTable table;
    table.outage = n;
    table.per_input.resize(insights.hourly.size());
    for (Instant hour = hour_of(outage.start) - k_hours_around * k_ns_per_hour;
         hour <= hour_of(outage.end) + k_hours_around * k_ns_per_hour &&
         table.hours.size() < k_max_hours;
         hour += k_ns_per_hour) {
      table.hours.push_back(hour);
      for (std::size_t input = 0; input < insights.hourly.size(); ++input) {
        table.per_input[input].push_back(insights.hourly[input].at(hour));
      }
      table.added.push_back(insights.hourly_added.at(hour));
    }
    model.hour_tables.push_back(std::move(table));
  }
  return model;
}

} // namespace heatmap_merge
