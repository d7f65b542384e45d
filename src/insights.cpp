#include "heatmap_merge/insights.hpp"

#include <algorithm>
#include <cstdint>

namespace heatmap_merge {

namespace {

constexpr std::int64_t k_ns_per_second = 1'000'000'000;
constexpr std::int64_t k_ns_per_hour = 3600 * k_ns_per_second;

// The start of the hour of `instant`; of the earliest whole hour for an instant before it.
Instant hour_of(Instant instant) {
  constexpr std::int64_t k_first_hour = INT64_MIN / k_ns_per_hour; // rounded towards 0
  const std::int64_t hours = instant / k_ns_per_hour - (instant % k_ns_per_hour < 0 ? 1 : 0);
  return std::max(hours, k_first_hour) * k_ns_per_hour;
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
  const std::size_t index = static_cast<std::size_t>(
    (static_cast<std::uint64_t>(hour) - static_cast<std::uint64_t>(first_hour)) / k_ns_per_hour);
  return index < counts.size() ? counts[index] : 0;
}

namespace {

// The hours from the one of `first` to the one of `last`, counting nothing yet.
HourlyCounts hour_range(Instant first, Instant last) {
  HourlyCounts hourly;
  hourly.first_hour = hour_of(first);
  // Spans beyond ten years are not an hourly chart anyone reads; clip them.
  // Unsigned: instants more than 292 years apart overflow a signed difference.
  const std::uint64_t apart =
    static_cast<std::uint64_t>(hour_of(last)) - static_cast<std::uint64_t>(hourly.first_hour);
  // Nor may the last hour's start pass the largest instant.
  const std::uint64_t room =
    (static_cast<std::uint64_t>(INT64_MAX) - static_cast<std::uint64_t>(hourly.first_hour)) /
      k_ns_per_hour +
    1;
  const std::int64_t hours = static_cast<std::int64_t>(
    std::min({apart / k_ns_per_hour + 1, std::uint64_t{24} * 366 * 10, room}));
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
