#pragma once
// An input's rows per hour and the seconds it has rows in (Timeline), gathered as its keys are
// read: the report's timelines and the outages' evidence, without keeping every instant.

#include "util/timestamp.hpp"
#include "util/units.hpp"

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <utility>

namespace heatmap_merge {

// The instant of a row whose time is not a date-time: it sorts after every real instant.
inline constexpr Instant k_text_instant = std::numeric_limits<Instant>::max();

// The rows of an input per hour, and the seconds in which it has a row, gathered row by row as
// the input is read: the report's timelines without keeping every instant (a year of clicks
// takes 4 MiB, whatever their number). Instants that are text are not counted.
class Timeline {
public:
  Timeline() = default;
  // Copies and moves forget the cached chunk, which is the source's.
  Timeline(const Timeline& other) : m_chunks(other.m_chunks) {}
  Timeline(Timeline&& other) noexcept : m_chunks(std::move(other.m_chunks)) {}
  Timeline& operator=(const Timeline& other) {
    m_chunks = other.m_chunks;
    m_cached = nullptr;
    return *this;
  }
  Timeline& operator=(Timeline&& other) noexcept {
    m_chunks = std::move(other.m_chunks);
    m_cached = nullptr;
    return *this;
  }

  void add(Instant instant);
  void add(const Timeline& other);

  // The rows in the hour starting at `hour` (a multiple of an hour since the epoch), as hour_of()
  // cuts them: the first whole hour holds the rows before it too.
  std::int64_t rows_in_hour(Instant hour) const;
  // True when a row lies in a second strictly after the second of `a` and strictly before the
  // second of `b`.
  bool any_between(Instant a, Instant b) const;
  // The span of at most `max_hours` hours that holds the most rows, as the instants of its first
  // and last row's hours (to 64 hours: whole chunks are weighed); nothing without rows. Where the
  // rows span more, a stray row centuries off (a click dated 1700) leaves the bulk in view.
  std::optional<std::pair<Instant, Instant>> busiest_span(std::int64_t max_hours) const;

private:
  // 64 hours: 3600 words of bits, one a second, and 64 counts.
  static constexpr std::int64_t k_chunk_hours = 64;
  static constexpr std::int64_t k_chunk_seconds = k_chunk_hours * k_seconds_per_hour;
  struct Chunk {
    std::array<std::uint64_t, k_chunk_seconds / 64> seconds{};
    std::array<std::int64_t, k_chunk_hours> hours{};
  };

  std::map<std::int64_t, Chunk> m_chunks; // by chunk number since the epoch
  // The chunk the last row went to: rows come in time order, nearly.
  Chunk* m_cached = nullptr;
  std::int64_t m_cached_number = 0;
};

} // namespace heatmap_merge
