// The plan within a tolerance window (--window): one-to-one and nearest first, identical rows
// first at equal distance, match_keys as --in-place re-checks; and the window the advice suggests.
#include "plan/plan.hpp"
#include "plan/stats.hpp"
#include "plan_keys.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <random>
#include <utility>
#include <vector>

using heatmap_merge::KeyLess;
using heatmap_merge::match_keys;

using namespace plan_keys;
using namespace std::chrono_literals;

namespace {

std::vector<std::int64_t> sorted(std::vector<std::int64_t> values) {
  std::sort(values.begin(), values.end());
  return values;
}

} // namespace

TEST_CASE("plan: at equal distance identical rows pair first, past a double click at one instant") {
  SUBCASE("a secondary's double click, the primary's copy of one of its rows 1 s earlier") {
    // The primary's click (payload 2) was retried on the secondary 1 s later, where a second
    // click with payload 1 landed at the same instant. Both secondary rows are 1 s away: the
    // identical one is the duplicate, the other a click of its own.
    const Plan plan =
      plan_of({input({row(1, 0, 1, 2)}), input({row(1, 1000, 10, 1), row(1, 1000, 11, 2)})}, 2s);
    CHECK(plan.shares[1].duplicates_window == 1);
    CHECK(plan.shares[1].conflicts == 0);
    CHECK(gather_insights(plan.shares[1].added) == "10>1000");
  }

  SUBCASE("a primary's double click, the secondary's copy of one of its rows 1 s later") {
    const Plan plan =
      plan_of({input({row(1, 0, 1, 1), row(1, 0, 2, 2)}), input({row(1, 1000, 10, 1)})}, 2s);
    CHECK(plan.shares[1].duplicates_window == 1);
    CHECK(plan.shares[1].conflicts == 0);
    CHECK(plan.shares[1].added.empty());
  }

  SUBCASE("the same with the secondary earlier") {
    const Plan plan =
      plan_of({input({row(1, 1000, 1, 1)}), input({row(1, 0, 10, 1), row(1, 0, 11, 2)})}, 2s);
    CHECK(plan.shares[1].conflicts == 0);
    CHECK(gather_insights(plan.shares[1].added) == "11>1000");
  }
}

TEST_CASE("plan: tolerance window") {
  SUBCASE("a pair 1.3 s apart matches with a 2 s window") {
    const Plan plan = plan_of({input({row(1, 0, 1)}), input({row(1, 1300, 1)})}, 2s);
    CHECK(plan.shares[1].duplicates_exact == 0);
    CHECK(plan.shares[1].duplicates_window == 1);
    CHECK(join(plan.shares[1].match_offsets.values()) == join({1300 * k_ns_per_ms}));
    CHECK(plan.shares[1].added.empty());
    CHECK(plan.rows_out == 1);
  }

  SUBCASE("but not with a 1 s window, where it is a near miss") {
    const Plan plan = plan_of({input({row(1, 0, 1)}), input({row(1, 1300, 1)})}, 1s);
    CHECK(plan.shares[1].duplicates_window == 0);
    CHECK(plan.shares[1].match_offsets.empty());
    CHECK(join(plan.shares[1].near_miss_offsets.values()) == join({1300 * k_ns_per_ms}));
    CHECK(gather_insights(plan.shares[1].added) == "1>1000");
    CHECK(plan.rows_out == 2);
  }

  SUBCASE("the window is inclusive") {
    const Plan plan = plan_of({input({row(1, 0, 1)}), input({row(1, 2000, 1)})}, 2s);
    CHECK(plan.shares[1].duplicates_window == 1);
    const Plan wider = plan_of({input({row(1, 0, 1)}), input({row(1, 2001, 1)})}, 2s);
    CHECK(wider.shares[1].duplicates_window == 0);
  }

  SUBCASE("an offset is the secondary's instant minus the kept row's") {
    const Plan plan = plan_of(
      {input({row(1, 5000, 1), row(2, 5000, 2)}), input({row(1, 3800, 1), row(2, 6100, 2)})}, 2s);
    CHECK(plan.shares[1].duplicates_window == 2);
    std::vector<std::int64_t> offsets = plan.shares[1].match_offsets.values();
    std::sort(offsets.begin(), offsets.end());
    CHECK(join(offsets) == join({-1200 * k_ns_per_ms, 1100 * k_ns_per_ms}));
  }

  SUBCASE("exact and window duplicates are counted apart") {
    const Plan plan =
      plan_of({input({row(1, 0, 1), row(2, 0, 2)}), input({row(1, 0, 1), row(2, 1500, 2)})}, 2s);
    CHECK(plan.shares[1].duplicates_exact == 1);
    CHECK(plan.shares[1].duplicates_window == 1);
    CHECK(join(plan.shares[1].match_offsets.values()) == join({1500 * k_ns_per_ms}));
  }

  SUBCASE("an exact duplicate wins over a match within the window") {
    const Plan plan =
      plan_of({input({row(1, 0, 1), row(1, 1000, 2)}), input({row(1, 1000, 1)})}, 2s);
    CHECK(plan.shares[1].duplicates_exact == 1);
    CHECK(plan.shares[1].duplicates_window == 0);
    CHECK(plan.rows_out == 2);
  }

  SUBCASE("text times never match a real instant, whatever the window") {
    const Plan plan = plan_of({input({row(1, 0, 1)}), input({text_row(1, 1)})}, 168h);
    CHECK(plan.shares[1].duplicates_exact == 0);
    CHECK(plan.shares[1].duplicates_window == 0);
    CHECK(plan.shares[1].added.size() == 1);
  }

  SUBCASE("a window of a week still keeps far instants apart") {
    const Plan plan = plan_of({input({row(1, 0, 1)}), input({row(1, 8LL * 86'400'000, 1)})}, 168h);
    CHECK(plan.shares[1].duplicates_window == 0);
    CHECK(plan.shares[1].added.size() == 1);
  }
}

TEST_CASE("plan: matching within the window is one-to-one") {
  SUBCASE("three clicks on the secondary, one on the primary: three rows") {
    const Plan plan = plan_of(
      {input({row(1, 600, 1)}), input({row(1, 0, 1), row(1, 500, 2), row(1, 1000, 3)})}, 2s);
    CHECK(plan.shares[1].duplicates_window == 1);
    // Nearest first: 500 ms is 100 ms from the primary's click.
    CHECK(gather_insights(plan.shares[1].added) == "1>1000 3>1001");
    CHECK(plan.rows_out == 3);
  }

  SUBCASE("three clicks on the primary, one on the secondary: three rows") {
    const Plan plan = plan_of(
      {input({row(1, 0, 1), row(1, 500, 2), row(1, 1000, 3)}), input({row(1, 600, 1)})}, 2s);
    CHECK(plan.shares[1].duplicates_window == 1);
    CHECK(plan.shares[1].added.empty());
    CHECK(plan.rows_out == 3);
  }
}

TEST_CASE("plan: matching within the window is nearest first") {
  SUBCASE("the closest pair goes first, even when it leaves the others unmatched") {
    // Merged rows at 0 and 1000 ms, secondary rows at 900 and 1900 ms, window 1000 ms. The
    // closest pair is (1000, 900), 100 ms apart. After it, 0 and 1900 are 1900 ms apart: no
    // match. In-order pairing would have made (0, 900) and (1000, 1900) instead.
    const Plan plan = plan_of(
      {input({row(1, 0, 1), row(1, 1000, 2)}), input({row(1, 900, 11), row(1, 1900, 12)})}, 1000ms);
    CHECK(plan.shares[1].duplicates_window == 1);
    CHECK(join(plan.shares[1].match_offsets.values()) == join({-100 * k_ns_per_ms}));
    CHECK(gather_insights(plan.shares[1].added) == "12>1000");
    CHECK(plan.rows_out == 3);
  }

  SUBCASE("a freed row pairs with its next neighbour") {
    // (1000, 1100) first; then 0 and 700 become neighbours, 700 ms apart.
    const Plan plan = plan_of(
      {input({row(1, 0, 1), row(1, 1000, 2)}), input({row(1, 700, 11), row(1, 1100, 12)})}, 1000ms);
    CHECK(plan.shares[1].duplicates_window == 2);
    std::vector<std::int64_t> offsets = plan.shares[1].match_offsets.values();
    std::sort(offsets.begin(), offsets.end());
    CHECK(join(offsets) == join({100 * k_ns_per_ms, 700 * k_ns_per_ms}));
    CHECK(plan.shares[1].added.empty());
  }

  SUBCASE("equally near pairs: the earlier goes first") {
    // Secondary at 0 and 2000, merged at 1000 and 3000, every neighbour 1000 ms apart: taking
    // (0, 1000) first leaves (2000, 3000), two matches.
    const Plan plan =
      plan_of({input({row(1, 1000, 1), row(1, 3000, 2)}), input({row(1, 0, 11), row(1, 2000, 12)})},
              1000ms);
    CHECK(plan.shares[1].duplicates_window == 2);
    CHECK(plan.shares[1].added.empty());
  }
}

TEST_CASE("plan: match_keys pairs as the plan does, where a greedy first hit would not") {
  // --in-place's re-check: the service's fresh rows at 0 and 1900 ms, planned rows at 1000 and
  // 2500 ms, window 2000 ms. Taking each planned row's nearest free row in turn pairs 1000 with
  // 1900 (900 ms) and leaves 2500 alone (2500 ms from 0); nearest first pairs (1900, 2500) at
  // 600 ms, then (0, 1000): both planned rows are already there.
  std::vector<RowKey> fresh{row(1, 0, 1), row(1, 1900, 2), row(2, 0, 3)};
  std::vector<RowKey> planned{row(1, 1000, 0), row(1, 2500, 1), row(3, 0, 2)};
  std::sort(fresh.begin(), fresh.end(), KeyLess());
  std::sort(planned.begin(), planned.end(), KeyLess());
  std::vector<std::pair<std::size_t, std::size_t>> pairs = match_keys(fresh, planned, 2000ms);
  std::vector<std::pair<std::int64_t, std::int64_t>> rowids;
  for (const auto& [f, p] : pairs) {
    rowids.emplace_back(fresh[f].rowid, planned[p].rowid);
  }
  std::sort(rowids.begin(), rowids.end());
  REQUIRE(rowids.size() == 2);
  CHECK(rowids[0] == std::make_pair(std::int64_t{1}, std::int64_t{0}));
  CHECK(rowids[1] == std::make_pair(std::int64_t{2}, std::int64_t{1}));
  // The plan makes the same pairs of the same rows.
  const Plan plan = plan_of({input(fresh), input(planned)}, 2000ms);
  CHECK(plan.shares[1].duplicates_window == 2);
  CHECK(gather_insights(plan.shares[1].added) == "2>1000");
}

TEST_CASE("plan: rows of the same input never match each other") {
  SUBCASE("a double click 200 ms apart on the secondary, nothing on the primary") {
    const Plan plan = plan_of({input({row(2, 0, 1)}), input({row(1, 0, 1), row(1, 200, 2)})}, 2s);
    CHECK(plan.shares[1].duplicates_exact == 0);
    CHECK(plan.shares[1].duplicates_window == 0);
    CHECK(gather_insights(plan.shares[1].added) == "1>1000 2>1001");
    CHECK(plan.rows_out == 3);
  }

  SUBCASE("a double click 200 ms apart on both: two rows") {
    const Plan plan = plan_of(
      {input({row(1, 0, 1), row(1, 200, 2)}), input({row(1, 1100, 1), row(1, 1300, 2)})}, 2s);
    CHECK(plan.shares[1].duplicates_window == 2);
    CHECK(plan.shares[1].added.empty());
    CHECK(plan.rows_out == 2);
  }

  SUBCASE("a double click on the secondary meeting one click on the primary") {
    const Plan plan =
      plan_of({input({row(1, 0, 1)}), input({row(1, 1100, 1), row(1, 1300, 2)})}, 2s);
    CHECK(plan.shares[1].duplicates_window == 1);
    CHECK(gather_insights(plan.shares[1].added) == "2>1000");
  }
}

TEST_CASE("plan: the near-miss probe looks as far as the advice's horizon") {
  const std::int64_t horizon_ms = heatmap_merge::k_pair_horizon_ns / k_ns_per_ms;
  const Plan within = plan_of({input({row(1, 0, 1)}), input({row(1, horizon_ms, 1)})}, 1s);
  CHECK(within.shares[1].near_miss_offsets.size() == 1);
  const Plan beyond = plan_of({input({row(1, 0, 1)}), input({row(1, horizon_ms + 1, 1)})}, 1s);
  CHECK(beyond.shares[1].near_miss_offsets.empty());
}

TEST_CASE("plan: the suggested window matches every pair it promises, a tighter one leaves apart "
          "what the advice says") {
  constexpr int k_trials = 300;
  std::mt19937_64 random(1616);
  int suggested = 0;
  for (int trial = 0; trial < k_trials; ++trial) {
    CAPTURE(trial);
    // One secondary: with several, each is matched against rows the window chose to add.
    std::vector<Keys> inputs = random_inputs(random, static_cast<Repeats>(trial % 3));
    inputs.resize(2);
    const std::chrono::nanoseconds k_windows[] = {0ns, 100ms, 500ms, 1000ms, 2000ms, 1h};
    const std::chrono::nanoseconds window = k_windows[random() % std::size(k_windows)];
    CAPTURE(window.count());
    const Plan plan = plan_of(inputs, window);
    const Share& first = plan.shares[1];
    const heatmap_merge::WindowAdvice advice = heatmap_merge::advise_window(
      std::vector<const heatmap_merge::OffsetSet*>{&first.match_offsets, &first.near_miss_offsets},
      window.count());
    std::vector<std::int64_t> pairs = first.match_offsets.values();
    for (const std::int64_t offset : first.near_miss_offsets.values()) {
      pairs.push_back(offset);
    }
    pairs = sorted(pairs);
    REQUIRE(advice.pairs == static_cast<std::int64_t>(pairs.size()));
    CHECK(advice.beyond == 0); // the random rows lie within 4 s of each other
    if (advice.pairs == 0) {
      continue;
    }
    ++suggested;

    // With the suggestion, the plan matches exactly those pairs and leaves none apart.
    const Plan with = plan_of(inputs, std::chrono::nanoseconds(advice.window_ns));
    CHECK(join(sorted(with.shares[1].match_offsets.values())) == join(pairs));
    CHECK(with.shares[1].near_miss_offsets.empty());
    CHECK(with.shares[1].duplicates_exact == first.duplicates_exact);
    // Asked again, it suggests itself.
    const heatmap_merge::WindowAdvice again = heatmap_merge::advise_window(
      std::vector<const heatmap_merge::OffsetSet*>{&with.shares[1].match_offsets,
                                                   &with.shares[1].near_miss_offsets},
      advice.window_ns);
    CHECK(again.window_ns == advice.window_ns);
    CHECK_FALSE(again.too_wide);

    // One step tighter leaves apart exactly the pairs wider than it.
    const Plan tighter = plan_of(inputs, std::chrono::nanoseconds(advice.tighter_ns));
    CHECK(static_cast<std::int64_t>(tighter.shares[1].near_miss_offsets.size()) ==
          advice.tighter_apart);
    CHECK(tighter.shares[1].duplicates_window == advice.pairs - advice.tighter_apart);
  }
  CHECK(suggested >= k_trials / 2);
}
