#pragma once
// Instants: the time column's text or epoch numbers read into nanoseconds since 1970 (UTC),
// and written back as ISO 8601. Durations are in duration.hpp.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace heatmap_merge {

// An instant: nanoseconds since the Unix epoch, UTC. Years 1678 to 2261 fit; the parsers give
// from INT64_MIN to INT64_MAX - 1 (the largest is the instant of a time that is text).
using Instant = std::int64_t;

// Parses an ISO 8601 date-time ("2026-02-18T10:00:03.5Z", "2026-02-18 10:00:03.500000",
// "2026-02-18T12:00:03+02:00"; no offset means UTC) or a decimal Unix epoch number in the text.
// Returns nothing for anything else, which the caller then compares as text.
std::optional<Instant> parse_instant(std::string_view text);

// A Unix epoch number stored as a number: seconds, or milliseconds when its magnitude is at
// least 1e11 (1e11 seconds is the year 5138, 1e11 milliseconds is 1973).
std::optional<Instant> instant_from_epoch(std::int64_t value);
std::optional<Instant> instant_from_epoch(double value);

// "2026-02-18T10:00:03.5Z": ISO 8601 in UTC, with the fraction only as long as it needs.
std::string format_instant(Instant instant);

// The nanoseconds between two instants, |a - b|. Unsigned: instants more than 292 years apart (a
// stray date of 1700 beside 2026) overflow a signed difference.
constexpr std::uint64_t instant_distance(Instant a, Instant b) {
  return a >= b ? static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b)
                : static_cast<std::uint64_t>(b) - static_cast<std::uint64_t>(a);
}

// `instant` plus `nanoseconds`, or the largest instant where the sum would pass it: the end of
// the last hour or bin of a chart that reaches the year 2262.
constexpr Instant instant_plus(Instant instant, std::uint64_t nanoseconds) {
  return nanoseconds > instant_distance(instant, INT64_MAX)
           ? INT64_MAX
           : static_cast<Instant>(static_cast<std::uint64_t>(instant) + nanoseconds);
}

} // namespace heatmap_merge
