// The timeline (plan/timeline.hpp): rows counted per hour and the seconds with rows, as the
// instants say.
#include "plan/timeline.hpp"

#include <doctest/doctest.h>

#include <cstdint>

using heatmap_merge::Instant;
using heatmap_merge::k_text_instant;

namespace {

// 2026-02-18T10:00:00Z, as plan_keys.hpp's at_ms(0), so that instants look like real ones.
Instant at_ms(std::int64_t ms) {
  return (1'771'408'800'000 + ms) * 1'000'000;
}

} // namespace

TEST_CASE("timeline: counts per hour and active seconds as the instants say") {
  heatmap_merge::Timeline timeline;
  constexpr Instant k_hour = 3'600'000'000'000;
  const Instant base = at_ms(0) / k_hour * k_hour; // an hour's start
  timeline.add(base + 5'000'000'000);              // second 5 of the hour
  timeline.add(base + 5'500'000'000);              // the same second
  timeline.add(base + 3 * k_hour + 1);             // three hours on
  timeline.add(k_text_instant);                    // not counted
  timeline.add(-k_hour / 2);                       // before 1970
  CHECK(timeline.rows_in_hour(base) == 2);
  CHECK(timeline.rows_in_hour(base + k_hour) == 0);
  CHECK(timeline.rows_in_hour(base + 3 * k_hour) == 1);
  CHECK(timeline.rows_in_hour(-k_hour) == 1);
  // Strictly between the seconds of a and b.
  CHECK_FALSE(timeline.any_between(base + 4'000'000'000, base + 5'000'000'000));
  CHECK_FALSE(timeline.any_between(base + 5'000'000'000, base + 6'000'000'000));
  CHECK(timeline.any_between(base + 4'000'000'000, base + 6'000'000'000));
  CHECK(timeline.any_between(base, base + 4 * k_hour));
  CHECK_FALSE(timeline.any_between(base + 6'000'000'000, base + 3 * k_hour));
  CHECK(timeline.any_between(base + 6'000'000'000, base + 3 * k_hour + 1'000'000'000));
  heatmap_merge::Timeline other;
  other.add(base + 3 * k_hour + 2);
  timeline.add(other);
  CHECK(timeline.rows_in_hour(base + 3 * k_hour) == 2);
}
