// The plan (plan/plan.hpp) on small cases made by hand: which rows are duplicates, conflicts or
// added, and with what new ids; with several secondaries folded in order.
#include "plan/plan.hpp"
#include "plan_keys.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <utility>
#include <vector>

using namespace plan_keys;
using namespace std::chrono_literals;

TEST_CASE("plan: exact duplicates") {
  SUBCASE("rows equal to the primary's are dropped, the others added") {
    const Plan plan = plan_of({input({row(1, 0, 1), row(2, 1000, 2)}),
                               input({row(1, 0, 10), row(2, 1000, 11), row(3, 2000, 12)})});
    REQUIRE(plan.shares.size() == 2);
    CHECK(plan.first_new_id == k_next_id);
    CHECK(plan.shares[1].duplicates_exact == 2);
    CHECK(plan.shares[1].duplicates_window == 0);
    CHECK(plan.shares[1].conflicts == 0);
    CHECK(plan.shares[1].match_offsets.empty());
    CHECK(gather_insights(plan.shares[1].added) == "12>1000");
    CHECK(plan.rows_out == 3);
  }

  SUBCASE("the primary adds nothing and keeps its counts") {
    const Plan plan =
      plan_of({input({row(1, 0, 1), row(2, 1000, 2)}, {unkeyed(0, 3)}), input({row(1, 0, 10)})});
    const Share& primary = plan.shares[0];
    CHECK(primary.rows == 3);
    CHECK(primary.unkeyed == 1);
    CHECK(primary.added.empty());
    CHECK(primary.duplicates_exact == 0);
    CHECK(primary.first == at_ms(0));
    CHECK(primary.last == at_ms(1000));
    CHECK(plan.shares[1].rows == 1);
    CHECK(plan.shares[1].first == at_ms(0));
    CHECK(plan.rows_out == 3);
  }

  SUBCASE("the same instant in another group is not a duplicate") {
    const Plan plan = plan_of({input({row(1, 0, 1)}), input({row(2, 0, 1)})});
    CHECK(plan.shares[1].duplicates_exact == 0);
    CHECK(gather_insights(plan.shares[1].added) == "1>1000");
  }

  SUBCASE("groups that differ only in the low bits of their hash are apart") {
    RowKey other = row(1, 0, 1);
    other.group_lo ^= 1U;
    const Plan plan = plan_of({input({row(1, 0, 1)}), input({other})});
    CHECK(plan.shares[1].duplicates_exact == 0);
    CHECK(plan.shares[1].added.size() == 1);
  }

  SUBCASE("1 ms apart is not a duplicate without a window") {
    const Plan plan = plan_of({input({row(1, 0, 1)}), input({row(1, 1, 1)})});
    CHECK(plan.shares[1].duplicates_exact == 0);
    CHECK(plan.shares[1].added.size() == 1);
  }

  SUBCASE("rows whose time is text match the same text") {
    const Plan plan = plan_of({input({text_row(1, 1)}), input({text_row(1, 1), text_row(2, 2)})});
    CHECK(plan.shares[1].duplicates_exact == 1);
    CHECK(gather_insights(plan.shares[1].added) == "2>1000");
  }

  SUBCASE("an empty secondary adds nothing") {
    const Plan plan = plan_of({input({row(1, 0, 1)}), input({})});
    CHECK(plan.shares[1].added.empty());
    CHECK(plan.rows_out == 1);
  }

  SUBCASE("an empty primary takes every row") {
    const Plan plan = plan_of({input({}), input({row(1, 0, 5), row(1, 0, 6)})});
    CHECK(gather_insights(plan.shares[1].added) == "5>1000 6>1001");
    CHECK(plan.rows_out == 2);
  }
}

TEST_CASE("plan: a key m times in the primary and n times in a secondary ends up max(m, n) times") {
  const std::pair<int, int> k_cases[] = {{1, 1}, {2, 1}, {1, 2}, {2, 2}, {0, 3}, {3, 0}, {3, 5}};
  const std::chrono::nanoseconds k_windows[] = {0ns, 2s};
  for (const std::chrono::nanoseconds window : k_windows) {
    for (const std::pair<int, int>& counts : k_cases) {
      const int m = counts.first;
      const int n = counts.second;
      CAPTURE(m);
      CAPTURE(n);
      CAPTURE(window.count());
      std::vector<RowKey> primary;
      for (int r = 0; r < m; ++r) {
        primary.push_back(row(1, 5000, r + 1));
      }
      std::vector<RowKey> secondary;
      for (int r = 0; r < n; ++r) {
        secondary.push_back(row(1, 5000, r + 101));
      }
      // Another key alongside, once on each side, must not disturb the count.
      primary.push_back(row(2, 5000, 50));
      secondary.push_back(row(2, 5000, 150));
      const Plan plan = plan_of({input(primary), input(secondary)}, window);
      const Share& result = plan.shares[1];
      CHECK(result.duplicates_exact == std::min(m, n) + 1);
      CHECK(result.duplicates_window == 0);
      CHECK(static_cast<int>(result.added.size()) == n - std::min(m, n));
      CHECK(plan.rows_out == std::max(m, n) + 1);
      CHECK(result.conflicts == 0);
    }
  }
}

TEST_CASE("plan: rows with a NULL key column match only the very same row") {
  SUBCASE("a row the primary holds in every column is not added") {
    const Plan plan = plan_of({input({}, {unkeyed_alike(1, 1)}), input({}, {unkeyed_alike(1, 1)})});
    CHECK(plan.shares[0].unkeyed == 1);
    CHECK(plan.shares[1].unkeyed == 1);
    CHECK(plan.shares[1].duplicates_exact == 1);
    CHECK(plan.shares[1].added.empty());
    CHECK(plan.rows_out == 1);
  }

  SUBCASE("a row that differs, at the same instant, is added") {
    const Plan plan = plan_of({input({}, {unkeyed(0, 1)}), input({}, {unkeyed(0, 1)})});
    CHECK(plan.shares[1].duplicates_exact == 0);
    CHECK(gather_insights(plan.shares[1].added) == "1>1000");
    CHECK(plan.rows_out == 2);
  }

  SUBCASE("as multisets: max(m, n) copies, the highest source ids added") {
    const Plan plan = plan_of(
      {input({}, {unkeyed_alike(1, 1), unkeyed_alike(2, 2), unkeyed_alike(2, 3)}),
       input(
         {},
         {unkeyed_alike(1, 9), unkeyed_alike(1, 4), unkeyed_alike(1, 6), unkeyed_alike(2, 5)})});
    CHECK(plan.shares[1].duplicates_exact == 2);
    CHECK(gather_insights(plan.shares[1].added) == "6>1000 9>1001");
    CHECK(plan.rows_out == 5);
  }

  SUBCASE("a later secondary finds the rows an earlier one added") {
    const Plan plan = plan_of({input({}, {unkeyed_alike(1, 1)}),
                               input({}, {unkeyed_alike(2, 1), unkeyed_alike(1, 2)}),
                               input({}, {unkeyed_alike(2, 1), unkeyed_alike(2, 2)})});
    CHECK(gather_insights(plan.shares[1].added) == "1>1000");
    CHECK(plan.shares[2].duplicates_exact == 1);
    CHECK(gather_insights(plan.shares[2].added) == "2>1001");
    CHECK(plan.rows_out == 3);
  }

  SUBCASE("next to keyed rows that do match") {
    const Plan plan =
      plan_of({input({row(1, 0, 1)}), input({row(1, 0, 1)}, {unkeyed(0, 2), unkeyed_text(3)})});
    CHECK(plan.shares[1].duplicates_exact == 1);
    CHECK(gather_insights(plan.shares[1].added) == "2>1000 3>1001");
    CHECK(plan.rows_out == 3);
  }
}

TEST_CASE("plan: new ids follow time, then source id, with text times last") {
  SUBCASE("keyed and unkeyed rows interleave by time") {
    const std::vector<RowKey> keys = {
      row(1, 3000, 5), row(1, 1000, 2), text_row(4, 7), row(2, 1000, 3)};
    const std::vector<UnkeyedRow> unkeyed_rows = {
      unkeyed(2000, 9), unkeyed_text(1), unkeyed(-5000, 8)};
    const Plan plan = plan_of({input({}), input(keys, unkeyed_rows)}, 0ns, 500);
    CHECK(plan.first_new_id == 500);
    // By time: 8 (-5 s), 2 and 3 (1 s), 9 (2 s), 5 (3 s), then the text times 1 and 7.
    CHECK(gather_insights(plan.shares[1].added) == "1>505 2>501 3>502 5>504 7>506 8>500 9>503");
    CHECK(plan.rows_out == 7);
  }

  SUBCASE("the added list is sorted by source row id") {
    const Plan plan =
      plan_of({input({}), input({row(1, 9000, 1), row(1, 8000, 2), row(1, 7000, 3)})});
    CHECK(gather_insights(plan.shares[1].added) == "1>1002 2>1001 3>1000");
  }

  SUBCASE("ids run on from one secondary to the next") {
    const Plan plan = plan_of({input({row(1, 0, 1)}),
                               input({row(1, 0, 1), row(2, 500, 2), row(3, 100, 3)}),
                               input({row(4, 0, 1), row(2, 500, 2)})});
    CHECK(gather_insights(plan.shares[1].added) == "2>1001 3>1000");
    CHECK(gather_insights(plan.shares[2].added) == "1>1002");
    CHECK(plan.rows_out == 4);
  }
}

TEST_CASE("plan: conflicts") {
  SUBCASE("a duplicate whose other columns differ is a conflict and is not added") {
    const Plan plan = plan_of(
      {input({row(1, 0, 1, 7), row(2, 0, 2, 7)}), input({row(1, 0, 1, 8), row(2, 0, 2, 7)})});
    CHECK(plan.shares[1].duplicates_exact == 2);
    CHECK(plan.shares[1].conflicts == 1);
    CHECK(plan.shares[1].added.empty());
    CHECK(plan.rows_out == 2);
  }

  SUBCASE("within the window too") {
    const Plan plan = plan_of({input({row(1, 0, 1, 7)}), input({row(1, 1200, 1, 8)})}, 2s);
    CHECK(plan.shares[1].duplicates_window == 1);
    CHECK(plan.shares[1].conflicts == 1);
    CHECK(plan.shares[1].added.empty());
  }

  SUBCASE("a double click whose rows differ pairs with its identical rows first") {
    const Plan plan = plan_of(
      {input({row(1, 0, 1, 1), row(1, 0, 2, 2)}), input({row(1, 0, 11, 2), row(1, 0, 12, 1)})});
    CHECK(plan.shares[1].duplicates_exact == 2);
    CHECK(plan.shares[1].conflicts == 0);
  }

  SUBCASE("a secondary's double click meets the primary's single copy: the other row is added") {
    // The primary holds the click with payload 2; the secondary holds it and a second click at
    // the same instant with payload 1. Pairing the identical rows keeps both distinct rows.
    const Plan plan =
      plan_of({input({row(1, 0, 1, 2)}), input({row(1, 0, 10, 1), row(1, 0, 11, 2)})});
    CHECK(plan.shares[1].duplicates_exact == 1);
    CHECK(plan.shares[1].conflicts == 0);
    CHECK(gather_insights(plan.shares[1].added) == "10>1000");
  }
}

TEST_CASE("plan: several secondaries are folded in order") {
  SUBCASE("an outage row on both secondaries ends up once") {
    const Plan plan = plan_of({input({row(1, 0, 1), row(1, 1000, 2)}),
                               input({row(1, 0, 1), row(1, 1000, 2), row(2, 5000, 3)}),
                               input({row(1, 0, 1), row(2, 5000, 2), row(3, 7000, 3)})},
                              0ns,
                              100);
    CHECK(plan.shares[1].duplicates_exact == 2);
    CHECK(gather_insights(plan.shares[1].added) == "3>100");
    CHECK(plan.shares[2].duplicates_exact == 2);
    CHECK(gather_insights(plan.shares[2].added) == "3>101");
    CHECK(plan.rows_out == 4);
  }

  SUBCASE("within the window too, against the rows added before") {
    const Plan plan = plan_of(
      {input({row(1, 0, 1)}), input({row(2, 5000, 1)}), input({row(2, 6200, 1), row(1, 1200, 2)})},
      2s);
    CHECK(plan.shares[2].duplicates_window == 2);
    CHECK(plan.shares[2].added.empty());
    CHECK(plan.rows_out == 2);
  }

  SUBCASE("one click replicated on three nodes is one row") {
    const Plan plan =
      plan_of({input({row(1, 0, 1)}), input({row(1, 0, 1)}), input({row(1, 0, 1)})});
    CHECK(plan.shares[1].duplicates_exact == 1);
    CHECK(plan.shares[2].duplicates_exact == 1);
    CHECK(plan.rows_out == 1);
  }

  SUBCASE("the multiset grows to the largest count seen") {
    const Plan plan = plan_of({input({row(1, 0, 1)}),
                               input({row(1, 0, 1), row(1, 0, 2)}),
                               input({row(1, 0, 1), row(1, 0, 2), row(1, 0, 3)}),
                               input({row(1, 0, 1)})});
    CHECK(plan.shares[1].added.size() == 1);
    CHECK(plan.shares[2].added.size() == 1);
    CHECK(plan.shares[3].added.empty());
    CHECK(plan.rows_out == 3);
  }

  SUBCASE("a later secondary matches the primary and an earlier secondary alike") {
    // Its first two clicks match the primary's row and the row the first secondary added.
    const Plan plan = plan_of({input({row(1, 0, 1)}),
                               input({row(1, 3000, 1)}),
                               input({row(1, 500, 1), row(1, 3500, 2), row(1, 9000, 3)})},
                              1s);
    CHECK(gather_insights(plan.shares[1].added) == "1>1000");
    CHECK(plan.shares[2].duplicates_window == 2);
    CHECK(gather_insights(plan.shares[2].added) == "3>1001");
    CHECK(plan.rows_out == 3);
  }
}
