#include "heatmap_merge/insights.hpp"

#include <algorithm>

namespace heatmap_merge {

namespace {

constexpr std::int64_t k_ns_per_second = 1'000'000'000;
constexpr std::int64_t k_ns_per_hour = 3600 * k_ns_per_second;
// At most 2^25 buckets (4 MiB of bits): one second each for spans up to a year.
constexpr std::int64_t k_max_buckets = std::int64_t{1} << 25;

Instant hour_of(Instant instant) {
  const std::int64_t hours = instant / k_ns_per_hour - (instant % k_ns_per_hour < 0 ? 1 : 0);
  return hours * k_ns_per_hour;
}

} // namespace

ActivityMap ActivityMap::of(const InputKeys& input) {
  ActivityMap map;
  if (!input.first || !input.last) {
    return map;
  }
  map.m_origin = *input.first;
  const std::int64_t span = *input.last - *input.first;
  map.m_resolution_ns = std::max(k_ns_per_second, span / k_max_buckets + 1);
  map.m_seen.assign(static_cast<std::size_t>(span / map.m_resolution_ns + 1), false);
  for (const RowKey& key : input.keys) {
    if (key.instant != k_text_instant) {
      map.m_seen[map.bucket(key.instant)] = true;
    }
  }
  for (const UnkeyedRow& row : input.unkeyed) {
    if (row.instant != k_text_instant) {
      map.m_seen[map.bucket(row.instant)] = true;
    }
  }
  if (input.paired_instants) {
    for (const Instant instant : *input.paired_instants) {
      if (instant != k_text_instant) {
        map.m_seen[map.bucket(instant)] = true;
      }
    }
  }
  return map;
}

std::size_t ActivityMap::bucket(Instant instant) const {
  return static_cast<std::size_t>((instant - m_origin) / m_resolution_ns);
}

bool ActivityMap::any_between(Instant a, Instant b) const {
  if (m_seen.empty() || b <= m_origin) {
    return false;
  }
  const Instant last = m_origin + static_cast<std::int64_t>(m_seen.size()) * m_resolution_ns;
  if (a >= last) {
    return false;
  }
  // Buckets strictly inside (a, b); the buckets of a and b themselves are shared with the
  // secondary's clicks and say nothing at this resolution.
  const std::size_t from = a < m_origin ? 0 : bucket(a) + 1;
  const std::size_t to = b >= last ? m_seen.size() : bucket(b);
  for (std::size_t i = from; i < to; ++i) {
    if (m_seen[i]) {
      return true;
    }
  }
  return false;
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
template <typename Visit>
HourlyCounts count_hours(Instant first, Instant last, Visit visit) {
  HourlyCounts hourly;
  hourly.first_hour = hour_of(first);
  // Spans beyond ten years are not an hourly chart anyone reads; clip them.
  const std::int64_t hours =
    std::min<std::int64_t>((hour_of(last) - hourly.first_hour) / k_ns_per_hour + 1, 24 * 366 * 10);
  hourly.counts.assign(static_cast<std::size_t>(hours), 0);
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
  return count_hours(*input.first, *input.last, [&](auto each) {
    for (const RowKey& key : input.keys) {
      each(key.instant);
    }
    for (const UnkeyedRow& row : input.unkeyed) {
      each(row.instant);
    }
    if (input.paired_instants) {
      for (const Instant instant : *input.paired_instants) {
        each(instant);
      }
    }
  });
}

} // namespace heatmap_merge
