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
find_outages(const InstantStore& added, const ActivityMap& primary, std::int64_t min_rows) {
  std::vector<Outage> outages;
  Outage run;
  const auto close_run = [&]() {
    if (run.rows >= min_rows) {
      outages.push_back(run);
    }
  };
  added.for_each([&](Instant instant) {
    if (run.rows > 0 && primary.any_between(run.end, instant)) {
      close_run();
      run.rows = 0;
    }
    if (run.rows == 0) {
      run.start = instant;
    }
    run.end = instant;
    ++run.rows;
  });
  close_run();
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

} // namespace

HourlyCounts hourly_counts(const InputKeys& input) {
  return hourly_counts(input.timeline, input.first, input.last);
}

HourlyCounts
hourly_counts(const Timeline& timeline, std::optional<Instant> first, std::optional<Instant> last) {
  if (!first || !last) {
    return {};
  }
  HourlyCounts hourly = hour_range(*first, *last);
  for (std::size_t n = 0; n < hourly.counts.size(); ++n) {
    hourly.counts[n] =
      timeline.rows_in_hour(hourly.first_hour + static_cast<std::int64_t>(n) * k_ns_per_hour);
  }
  return hourly;
}

} // namespace heatmap_merge
