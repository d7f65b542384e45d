#pragma once
// Time units in nanoseconds (the unit of an Instant) and floor division, which times before 1970
// need: the bottom layer (util), for every layer that cuts time into seconds, hours or days.

#include <cstdint>

namespace heatmap_merge {

inline constexpr std::int64_t k_ns_per_second = 1'000'000'000;
inline constexpr std::int64_t k_ns_per_minute = 60 * k_ns_per_second;
inline constexpr std::int64_t k_ns_per_hour = 60 * k_ns_per_minute;
inline constexpr std::int64_t k_ns_per_day = 24 * k_ns_per_hour;

// a / b rounded towards minus infinity (b > 0): the second, hour or day an instant falls in,
// before 1970 too, where C++'s division rounds towards zero.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t quotient = a / b;
  return quotient - (a % b < 0 ? 1 : 0);
}

} // namespace heatmap_merge
