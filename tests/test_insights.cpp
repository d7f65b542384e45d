// The insights drawn from the keys (plan/insights.hpp): the hourly counts of the charts, and
// PageTally, rows per page counted the same whether they fit the budget or spill in sorted runs.
#include "plan/insights.hpp"
#include "plan/timeline.hpp"
#include "util/timestamp.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

using namespace heatmap_merge;

namespace {

using Visited = std::vector<std::tuple<std::string, std::int64_t, bool, double, double>>;

// Adds 3,000 rows on 1,000 pages, out of order, every third without a point; returns what
// for_each visits: page, rows, whether it has points, min x and max y.
Visited tally(SpillSpace* space, std::uint64_t max_bytes, bool& spilled) {
  PageTally pages(space, max_bytes);
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 1000; ++i) {
      const int page = (i * 7919 + round) % 1000;
      std::optional<std::pair<double, double>> point;
      if ((i + round) % 3 != 0) {
        point.emplace(i, round * 10 + i);
      }
      pages.add("/p" + std::to_string(page), point);
    }
  }
  spilled = pages.spilled();
  Visited visited;
  pages.for_each([&](const std::string& page, const PageTotals& totals) {
    visited.emplace_back(page, totals.rows, totals.has_points, totals.min_x, totals.max_y);
  });
  spilled = spilled || pages.spilled();
  return visited;
}

} // namespace

TEST_CASE("PageTally counts the same in memory and spilled") {
  SpillSpace space(std::filesystem::temp_directory_path());
  bool in_memory_spilled = true;
  const Visited in_memory = tally(nullptr, 0, in_memory_spilled);
  CHECK_FALSE(in_memory_spilled);
  REQUIRE(in_memory.size() == 1000);
  CHECK(std::is_sorted(in_memory.begin(), in_memory.end()));
  std::int64_t rows = 0;
  for (const auto& page : in_memory) {
    rows += std::get<1>(page);
  }
  CHECK(rows == 3000);

  // A budget of about 20 pages: dozens of runs, merged back.
  bool spilled = false;
  const Visited small = tally(&space, 4000, spilled);
  CHECK(spilled);
  CHECK(small == in_memory);
  CHECK(space.spilled_bytes() > 0);
}

TEST_CASE("hourly counts: instants centuries apart, at either end of the range") {

  heatmap_merge::Timeline timeline;
  const Instant earliest = std::numeric_limits<Instant>::min() + 1;
  const Instant latest = std::numeric_limits<Instant>::max() - 1;
  timeline.add(earliest);
  timeline.add(latest);
  // More than 292 years apart: the hours between overflowed a signed difference. The chart is
  // clipped to the ten years with the most rows, of equal ones the first: one hour here.
  const heatmap_merge::HourlyCounts hourly =
    heatmap_merge::hourly_counts(timeline, earliest, latest);
  CHECK(hourly.counts.size() == 1);
  // The hour of the earliest instant starts before the earliest instant there is: the chart
  // starts at the next one.
  CHECK(hourly.first_hour > earliest);
  CHECK(hourly.first_hour - earliest < std::int64_t{3600} * 1'000'000'000);
  CHECK(hourly.at(latest) == 0);
  // Near the end of the range the hours stop at the largest instant.
  heatmap_merge::Timeline late;
  late.add(latest);
  const heatmap_merge::HourlyCounts last_hours = heatmap_merge::hourly_counts(late, latest, latest);
  CHECK(last_hours.counts.size() == 1);
  CHECK(last_hours.counts[0] == 1);
}

TEST_CASE("hourly counts: a stray date centuries off leaves the busy hours counted") {
  heatmap_merge::Timeline timeline;
  const Instant stray = *parse_instant("1700-01-01 00:00:00");
  const Instant busy = *parse_instant("2026-02-18 10:00:00");
  timeline.add(stray);
  for (int i = 0; i < 100; ++i) {
    timeline.add(busy + std::int64_t{i} * 1'000'000'000);
  }
  timeline.add(busy + std::int64_t{3} * 3'600'000'000'000);
  // Before, the ten years from 1700 were counted, and 2026's hours read 0.
  const heatmap_merge::HourlyCounts hourly = heatmap_merge::hourly_counts(timeline, stray, busy);
  CHECK(hourly.at(busy) == 100);
  CHECK(hourly.at(busy + std::int64_t{3} * 3'600'000'000'000) == 1);
  CHECK(hourly.at(stray) == 0);
  CHECK(hourly.counts.size() == 4);
}
