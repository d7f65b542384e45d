#include "heatmap_merge/insights.hpp"

#include <algorithm>

namespace heatmap_merge {

namespace {

constexpr std::int64_t k_ns_per_second = 1'000'000'000;
constexpr std::int64_t k_ns_per_hour = 3600 * k_ns_per_second;

Instant hour_of(Instant instant) {
  const std::int64_t hours = instant / k_ns_per_hour - (instant % k_ns_per_hour < 0 ? 1 : 0);
  return hours * k_ns_per_hour;
}

} // namespace

ActivityMap ActivityMap::of(const InputKeys& input) {
  ActivityMap map;
  map.m_timeline = input.timeline;
  return map;
}

std::vector<Outage>
find_outages(const std::vector<Instant>& added, const ActivityMap& primary, std::int64_t min_rows) {
  std::vector<Outage> outages;
  std::size_t run_start = 0;
  for (std::size_t i = 1; i <= added.size(); ++i) {
    const bool run_ends = i == added.size() || primary.any_between(added[i - 1], added[i]);
    if (!run_ends) {
      continue;
    }
    const std::int64_t rows = static_cast<std::int64_t>(i - run_start);
    if (rows >= min_rows) {
      outages.push_back({added[run_start], added[i - 1], rows});
    }
    run_start = i;
  }
  return outages;
}

std::int64_t HourlyCounts::at(Instant hour) const {
  if (counts.empty() || hour < first_hour) {
    return 0;
  }
  const std::size_t index = static_cast<std::size_t>((hour - first_hour) / k_ns_per_hour);
  return index < counts.size() ? counts[index] : 0;
}

namespace {

// Counts per hour over [first, last], for instants given to `each` by `visit`.
// The hours from the one of `first` to the one of `last`, counting nothing yet.
HourlyCounts hour_range(Instant first, Instant last) {
  HourlyCounts hourly;
  hourly.first_hour = hour_of(first);
  // Spans beyond ten years are not an hourly chart anyone reads; clip them.
  const std::int64_t hours =
    std::min<std::int64_t>((hour_of(last) - hourly.first_hour) / k_ns_per_hour + 1, 24 * 366 * 10);
  hourly.counts.assign(static_cast<std::size_t>(hours), 0);
  return hourly;
}

template <typename Visit>
HourlyCounts count_hours(Instant first, Instant last, Visit visit) {
  HourlyCounts hourly = hour_range(first, last);
  visit([&](Instant instant) {
    if (instant == k_text_instant || instant < hourly.first_hour) {
      return;
    }
    const std::size_t index =
      static_cast<std::size_t>((instant - hourly.first_hour) / k_ns_per_hour);
    if (index < hourly.counts.size()) {
      ++hourly.counts[index];
    }
  });
  return hourly;
}

} // namespace

HourlyCounts hourly_counts(const std::vector<Instant>& instants) {
  Instant first = k_text_instant;
  Instant last = 0;
  for (const Instant instant : instants) {
    if (instant != k_text_instant) {
      first = std::min(first, instant);
      last = std::max(last, instant);
    }
  }
  if (first == k_text_instant) {
    return {};
  }
  return count_hours(first, last, [&](auto each) {
    for (const Instant instant : instants) {
      each(instant);
    }
  });
}

HourlyCounts hourly_counts(const InputKeys& input) {
  if (!input.first || !input.last) {
    return {};
  }
  HourlyCounts hourly = hour_range(*input.first, *input.last);
  for (std::size_t n = 0; n < hourly.counts.size(); ++n) {
    hourly.counts[n] =
      input.timeline.rows_in_hour(hourly.first_hour + static_cast<std::int64_t>(n) * k_ns_per_hour);
  }
  return hourly;
}

} // namespace heatmap_merge
