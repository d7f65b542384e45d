// PageTally: rows per page, counted the same whether they fit the budget or spill in sorted runs.
#include "plan/insights.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <tuple>
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
