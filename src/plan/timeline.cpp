// Timeline (timeline.hpp): an input's rows per hour and the seconds it has rows in, in chunks of
// 64 hours.

#include "plan/timeline.hpp"
#include "util/units.hpp"

#include <algorithm>
#include <limits>

namespace heatmap_merge {

void Timeline::add(Instant instant) {
  if (instant == k_text_instant) {
    return;
  }
  const std::int64_t second = floor_div(instant, k_ns_per_second);
  const std::int64_t number = floor_div(second, k_chunk_seconds);
  if (m_cached == nullptr || number != m_cached_number) {
    m_cached = &m_chunks[number];
    m_cached_number = number;
  }
  const std::int64_t offset = second - number * k_chunk_seconds;
  m_cached->seconds[static_cast<std::size_t>(offset / 64)] |= std::uint64_t{1} << (offset % 64);
  if (instant < k_first_whole_hour) {
    // Hours as hour_of() cuts them: a row before the first whole hour counts in it.
    const std::int64_t first = k_first_whole_hour / k_ns_per_second;
    const std::int64_t first_number = floor_div(first, k_chunk_seconds);
    ++m_chunks[first_number].hours[static_cast<std::size_t>(
      (first - first_number * k_chunk_seconds) / k_seconds_per_hour)];
    return;
  }
  ++m_cached->hours[static_cast<std::size_t>(offset / k_seconds_per_hour)];
}

void Timeline::add(const Timeline& other) {
  for (const auto& [number, chunk] : other.m_chunks) {
    Chunk& mine = m_chunks[number];
    for (std::size_t i = 0; i < mine.seconds.size(); ++i) {
      mine.seconds[i] |= chunk.seconds[i];
    }
    for (std::size_t i = 0; i < mine.hours.size(); ++i) {
      mine.hours[i] += chunk.hours[i];
    }
  }
}

std::int64_t Timeline::rows_in_hour(Instant hour) const {
  const std::int64_t second = floor_div(hour, k_ns_per_second);
  const std::int64_t number = floor_div(second, k_chunk_seconds);
  const auto found = m_chunks.find(number);
  if (found == m_chunks.end()) {
    return 0;
  }
  return found->second
    .hours[static_cast<std::size_t>((second - number * k_chunk_seconds) / k_seconds_per_hour)];
}

bool Timeline::any_between(Instant a, Instant b) const {
  // Seconds [from, to).
  const std::int64_t from = floor_div(a, k_ns_per_second) + 1;
  const std::int64_t to = floor_div(b, k_ns_per_second);
  if (from >= to) {
    return false;
  }
  for (auto chunk = m_chunks.lower_bound(floor_div(from, k_chunk_seconds));
       chunk != m_chunks.end() && chunk->first * k_chunk_seconds < to;
       ++chunk) {
    const std::int64_t base = chunk->first * k_chunk_seconds;
    const std::int64_t first = std::max(from, base) - base;
    const std::int64_t last = std::min(to, base + k_chunk_seconds) - base; // exclusive
    for (std::int64_t s = first; s < last;) {
      const std::uint64_t word = chunk->second.seconds[static_cast<std::size_t>(s / 64)];
      if (s % 64 == 0 && s + 64 <= last) {
        if (word != 0) {
          return true;
        }
        s += 64;
        continue;
      }
      if ((word >> (s % 64)) & 1U) {
        return true;
      }
      ++s;
    }
  }
  return false;
}

namespace {

// The instant that starts `hour` of chunk `number`, clamped to the instants there are: the
// chunks at either end of the range begin or end beyond it.
Instant hour_start(std::int64_t number, std::int64_t chunk_seconds, std::int64_t hour) {
  __extension__ using Wide = __int128;
  const Wide ns =
    (static_cast<Wide>(number) * chunk_seconds + hour * k_seconds_per_hour) * k_ns_per_second;
  return static_cast<Instant>(std::clamp<Wide>(
    ns, std::numeric_limits<Instant>::min(), std::numeric_limits<Instant>::max() - 1));
}

} // namespace

std::optional<std::pair<Instant, Instant>> Timeline::busiest_span(std::int64_t max_hours) const {
  if (m_chunks.empty()) {
    return std::nullopt;
  }
  const std::int64_t max_chunks = std::max<std::int64_t>(max_hours / k_chunk_hours, 1);
  const auto rows_of = [](const Chunk& chunk) {
    std::int64_t rows = 0;
    for (const std::int64_t count : chunk.hours) {
      rows += count;
    }
    return rows;
  };
  // A window of chunks slid over the ones there are: [from, to), no wider than max_chunks.
  auto from = m_chunks.begin();
  auto best_from = from;
  auto best_last = from;
  std::int64_t rows = 0;
  std::int64_t best = -1;
  for (auto to = m_chunks.begin(); to != m_chunks.end(); ++to) {
    rows += rows_of(to->second);
    while (to->first - from->first >= max_chunks) {
      rows -= rows_of(from->second);
      ++from;
    }
    if (rows > best) {
      best = rows;
      best_from = from;
      best_last = to;
    }
  }
  const auto first_hour = [](const Chunk& chunk) {
    std::int64_t hour = 0;
    while (hour + 1 < k_chunk_hours && chunk.hours[static_cast<std::size_t>(hour)] == 0) {
      ++hour;
    }
    return hour;
  };
  const auto last_hour = [](const Chunk& chunk) {
    std::int64_t hour = k_chunk_hours - 1;
    while (hour > 0 && chunk.hours[static_cast<std::size_t>(hour)] == 0) {
      --hour;
    }
    return hour;
  };
  return std::pair{hour_start(best_from->first, k_chunk_seconds, first_hour(best_from->second)),
                   hour_start(best_last->first, k_chunk_seconds, last_hour(best_last->second))};
}

} // namespace heatmap_merge
