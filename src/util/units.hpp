#pragma once
// Time units in nanoseconds (the unit of an Instant) and floor division, which times before 1970
// need: the bottom layer (util), for every layer that cuts time into seconds, hours or days.

#include <cstdint>

namespace heatmap_merge {

inline constexpr std::int64_t k_ns_per_millisecond = 1'000'000;
inline constexpr std::int64_t k_ns_per_second = 1'000'000'000;
inline constexpr std::int64_t k_ns_per_minute = 60 * k_ns_per_second;
inline constexpr std::int64_t k_ns_per_hour = 60 * k_ns_per_minute;
inline constexpr std::int64_t k_ns_per_day = 24 * k_ns_per_hour;

// The same units counted in one another, for clock times and calendars.
inline constexpr std::int64_t k_seconds_per_minute = k_ns_per_minute / k_ns_per_second;
inline constexpr std::int64_t k_seconds_per_hour = k_ns_per_hour / k_ns_per_second;
inline constexpr std::int64_t k_hours_per_day = k_ns_per_day / k_ns_per_hour;

// a / b rounded towards minus infinity (b > 0): the second, hour or day an instant falls in,
// before 1970 too, where C++'s division rounds towards zero.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t quotient = a / b;
  return quotient - (a % b < 0 ? 1 : 0);
}

// a - floor_div(a, b) * b, in [0, b), without the product, which may overflow: the time of day.
constexpr std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
  const std::int64_t remainder = a % b;
  return remainder < 0 ? remainder + b : remainder;
}

// The earliest whole hour an int64 of nanoseconds holds, 1677-09-21 01:00 UTC (rounded towards 0):
// the instants before it, from 00:12:43, have no hour of their own.
inline constexpr std::int64_t k_first_whole_hour = INT64_MIN / k_ns_per_hour * k_ns_per_hour;

// The start of the hour that `instant` (nanoseconds since the epoch) falls in; for an instant
// before the earliest whole hour, that hour.
constexpr std::int64_t hour_of(std::int64_t instant) {
  return instant < k_first_whole_hour ? k_first_whole_hour
                                      : floor_div(instant, k_ns_per_hour) * k_ns_per_hour;
}

} // namespace heatmap_merge
