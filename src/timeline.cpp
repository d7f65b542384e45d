#include "heatmap_merge/timeline.hpp"

#include <algorithm>

namespace heatmap_merge {

namespace {

constexpr std::int64_t k_ns_per_second = 1'000'000'000;

// a / b rounded down, for a negative `a` (an instant before 1970) too.
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t quotient = a / b;
  return quotient - (a % b < 0 ? 1 : 0);
}

} // namespace

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
  ++m_cached->hours[static_cast<std::size_t>(offset / 3600)];
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
  return found->second.hours[static_cast<std::size_t>((second - number * k_chunk_seconds) / 3600)];
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

} // namespace heatmap_merge
