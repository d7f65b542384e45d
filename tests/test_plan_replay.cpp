// The replay pass of the plan (--replay-window): rows the window left unpaired, identical but for
// the time, paired again nearest first: one-to-one across inputs; within a secondary, a copy
// paired across takes every later copy. Without the option, or with 0, the plan of the window.
#include "plan/plan.hpp"
#include "plan_keys.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

using heatmap_merge::make_plan;
using heatmap_merge::ReplaySample;

using namespace plan_keys;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t k_minute_ms = 60'000;

Plan replay_plan(std::vector<Keys> inputs,
                 std::chrono::nanoseconds window,
                 std::chrono::nanoseconds replay) {
  return make_plan(std::move(inputs), window, k_next_id, {}, replay);
}

std::string describe_replays(const Share& input) {
  std::string text;
  for (const ReplaySample& sample : input.replay_samples) {
    text += std::to_string(sample.kept_rowid) + (sample.within ? "<" : "/") +
            std::to_string(sample.dropped_rowid) + ' ';
  }
  return text;
}

} // namespace

TEST_CASE("plan: replay pairs across inputs") {
  SUBCASE("the secondary's copy 10 minutes later is a duplicate; another payload is not") {
    const Plan plan =
      replay_plan({input({row(1, 0, 1, 5)}),
                   input({row(1, 10 * k_minute_ms, 10, 5), row(1, 10 * k_minute_ms + 1, 11, 6)})},
                  1s,
                  1h);
    const Share& result = plan.shares[1];
    CHECK(result.duplicates_replay == 1);
    CHECK(result.duplicates_window == 0);
    CHECK(result.replayed_duplicates == 0);
    CHECK(result.conflicts == 0);
    CHECK(gather_insights(result.added) == "11>1000");
    CHECK(join(result.replay_offsets.values()) == join({10 * k_minute_ms * k_ns_per_ms}));
    CHECK(describe_replays(result) == "1/10 ");
  }

  SUBCASE("either copy may be the later one") {
    const Plan plan =
      replay_plan({input({row(1, 10 * k_minute_ms, 1, 5)}), input({row(1, 0, 10, 5)})}, 1s, 1h);
    CHECK(plan.shares[1].duplicates_replay == 1);
    CHECK(plan.shares[1].added.empty());
    CHECK(join(plan.shares[1].replay_offsets.values()) == join({-10 * k_minute_ms * k_ns_per_ms}));
  }

  SUBCASE("beyond the replay window, or in another group, a click of its own") {
    const Plan plan =
      replay_plan({input({row(1, 0, 1, 5), row(2, 0, 2, 5)}),
                   input({row(1, 61 * k_minute_ms, 10, 5), row(3, 5 * k_minute_ms, 11, 5)})},
                  1s,
                  1h);
    CHECK(plan.shares[1].duplicates_replay == 0);
    CHECK(gather_insights(plan.shares[1].added) == "10>1001 11>1000");
  }

  SUBCASE("a time that is text never pairs by replay") {
    const Plan plan =
      replay_plan({input({text_row(1, 1, 5)}), input({row(1, 5 * k_minute_ms, 10, 5)})}, 1s, 1h);
    CHECK(plan.shares[1].duplicates_replay == 0);
    CHECK(plan.shares[1].added.size() == 1);
  }
}

TEST_CASE("plan: the window pass comes first") {
  // The primary's copy at 0 is 500 ms from the secondary's at 0.5 s and 5 minutes from its copy
  // at 5 min. The window pairs the first two; the copy at 5 min, left, finds no kept row left,
  // but pairs with the secondary's copy that the window paired: a write that committed after the
  // client's timeout, then replayed to the same node. A replayed duplicate, not added.
  const Plan plan = replay_plan(
    {input({row(1, 0, 1, 5)}), input({row(1, 500, 10, 5), row(1, 5 * k_minute_ms, 11, 5)})},
    1s,
    1h);
  CHECK(plan.shares[1].duplicates_window == 1);
  CHECK(plan.shares[1].duplicates_replay == 0);
  CHECK(plan.shares[1].replayed_duplicates == 1);
  CHECK(describe_replays(plan.shares[1]) == "10<11 ");
  CHECK(plan.shares[1].added.empty());

  SUBCASE("the window pairs rows that differ; without it, the identical copy pairs by replay") {
    const std::vector<RowKey> secondary{row(1, 500, 10, 6), row(1, 5 * k_minute_ms, 11, 5)};
    const Plan windowed = replay_plan({input({row(1, 0, 1, 5)}), input(secondary)}, 1s, 1h);
    CHECK(windowed.shares[1].duplicates_window == 1);
    CHECK(windowed.shares[1].conflicts == 1);
    CHECK(windowed.shares[1].duplicates_replay == 0);
    CHECK(gather_insights(windowed.shares[1].added) == "11>1000");
    const Plan replayed = replay_plan({input({row(1, 0, 1, 5)}), input(secondary)}, 0s, 1h);
    CHECK(replayed.shares[1].duplicates_window == 0);
    CHECK(replayed.shares[1].duplicates_replay == 1);
    CHECK(describe_replays(replayed.shares[1]) == "1/11 ");
    CHECK(gather_insights(replayed.shares[1].added) == "10>1000");
  }
}

TEST_CASE("plan: replayed duplicates within a secondary") {
  SUBCASE("a later copy of a click merged across is not added") {
    const Plan plan = replay_plan(
      {input({row(1, 0, 1, 5)}),
       input({row(1, 0, 10, 5), row(1, 3 * k_minute_ms, 11, 5), row(1, 4 * k_minute_ms, 12, 6)})},
      1s,
      1h);
    const Share& result = plan.shares[1];
    CHECK(result.duplicates_exact == 1);
    CHECK(result.replayed_duplicates == 1);
    CHECK(result.duplicates_replay == 0);
    CHECK(gather_insights(result.added) == "12>1000");
    CHECK(join(result.replayed_offsets.values()) == join({3 * k_minute_ms * k_ns_per_ms}));
    CHECK(describe_replays(result) == "10<11 ");
  }

  SUBCASE("two copies of a click the primary lacks are both added: a double click") {
    // Neither is paired across, so nothing says one is a replay: a double click that only the
    // secondary holds (the primary was down) stays two clicks.
    const Plan plan = replay_plan(
      {input({row(9, 0, 1, 1)}), input({row(1, 0, 10, 5), row(1, 300, 11, 5)})}, 1s, 1h);
    CHECK(plan.shares[1].replayed_duplicates == 0);
    CHECK(gather_insights(plan.shares[1].added) == "10>1000 11>1001");
  }

  SUBCASE("identical rows at one instant (the browser's time), one merged: a replayed duplicate") {
    const Plan plan =
      replay_plan({input({row(1, 0, 1, 5)}), input({row(1, 0, 10, 5), row(1, 0, 11, 5)})}, 0s, 1h);
    CHECK(plan.shares[1].replayed_duplicates == 1);
    CHECK(plan.shares[1].added.size() == 0);
  }

  SUBCASE("the primary's own copies stay and are not counted") {
    const Plan plan = replay_plan(
      {input({row(1, 0, 1, 5), row(1, 3 * k_minute_ms, 2, 5)}), input({row(9, 0, 10, 1)})}, 1s, 1h);
    CHECK(plan.shares[1].replayed_duplicates == 0);
    CHECK(plan.rows_out == 3);
  }
}

TEST_CASE("plan: replay pairs are nearest first, one-to-one across inputs") {
  SUBCASE("nearest first across inputs") {
    // The primary's copies at 0 and 20 min; the secondary's at 12 min pairs with the one at
    // 20 min (8 minutes), which leaves the one at 0 alone.
    const Plan plan = replay_plan({input({row(1, 0, 1, 5), row(1, 20 * k_minute_ms, 2, 5)}),
                                   input({row(1, 12 * k_minute_ms, 10, 5)})},
                                  1s,
                                  1h);
    CHECK(plan.shares[1].duplicates_replay == 1);
    CHECK(describe_replays(plan.shares[1]) == "2/10 ");
  }

  SUBCASE("across, one-to-one; within a secondary, a kept copy takes every later copy") {
    // Across, the primary's copy at 0 pairs with the nearest, at 2 min; within the secondary,
    // that one takes the copy at 7 min, then the one at 30 min (28 min from it).
    const Plan plan = replay_plan({input({row(1, 0, 1, 5)}),
                                   input({row(1, 2 * k_minute_ms, 10, 5),
                                          row(1, 7 * k_minute_ms, 11, 5),
                                          row(1, 30 * k_minute_ms, 12, 5)})},
                                  1s,
                                  1h);
    const Share& result = plan.shares[1];
    CHECK(result.duplicates_replay == 1);
    CHECK(result.replayed_duplicates == 2);
    CHECK(describe_replays(result) == "1/10 10<11 10<12 ");
    CHECK(result.added.size() == 0);
  }

  SUBCASE("within a secondary, rows neither paired across never pair: 0, 10, 12 min all added") {
    const Plan plan = replay_plan(
      {input({row(9, 0, 1, 1)}),
       input({row(1, 0, 10, 5), row(1, 10 * k_minute_ms, 11, 5), row(1, 12 * k_minute_ms, 12, 5)})},
      1s,
      1h);
    CHECK(plan.shares[1].replayed_duplicates == 0);
    CHECK(gather_insights(plan.shares[1].added) == "10>1000 11>1001 12>1002");
  }

  SUBCASE("three copies on a node, the first merged: the two later ones are not added") {
    // The issue 28 shape found by --peers: a write that committed after the client's timeout,
    // replayed by two flushes at once (16 ms apart), 27 minutes after the copy the window pairs.
    const Plan plan = replay_plan({input({row(1, 0, 1, 5)}),
                                   input({row(1, 100, 10, 5),
                                          row(1, 27 * k_minute_ms, 11, 5),
                                          row(1, 27 * k_minute_ms + 16, 12, 5)})},
                                  1s,
                                  1h);
    CHECK(plan.shares[1].duplicates_window == 1);
    CHECK(plan.shares[1].replayed_duplicates == 2);
    CHECK(plan.shares[1].added.size() == 0);
    CHECK(plan.rows_out == 1);
  }

  SUBCASE("a copy beyond the replay window of every merged copy stays") {
    const Plan plan = replay_plan(
      {input({row(1, 0, 1, 5)}),
       input({row(1, 0, 10, 5), row(1, 10 * k_minute_ms, 11, 5), row(1, 75 * k_minute_ms, 12, 5)})},
      1s,
      1h);
    // 10 is merged (exact); 11 is its copy 10 min later; 12 is 75 min from it: a click of its own.
    CHECK(plan.shares[1].replayed_duplicates == 1);
    CHECK(gather_insights(plan.shares[1].added) == "12>1000");
  }

  SUBCASE("a second secondary pairs with what the first added") {
    const Plan plan = replay_plan({input({row(9, 0, 1, 1)}),
                                   input({row(1, 0, 10, 5)}),
                                   input({row(1, 30 * k_minute_ms, 20, 5)})},
                                  1s,
                                  1h);
    CHECK(plan.shares[2].duplicates_replay == 1);
    CHECK(describe_replays(plan.shares[2]) == "1000/20 ");
    CHECK(plan.rows_out == 2);
  }
}

TEST_CASE("plan: without a replay window, or with 0, the plan of the window alone") {
  std::mt19937_64 cases(20261207);
  for (int trial = 0; trial < 200; ++trial) {
    CAPTURE(trial);
    const std::vector<Keys> inputs =
      random_inputs(cases, trial % 2 == 0 ? Repeats::any : Repeats::same_payload);
    const std::chrono::nanoseconds window = random_window(cases);
    const Plan expected = plan_of(inputs, window);
    const Plan actual = replay_plan(inputs, window, 0s);
    check_same_plan(expected, actual);
    CHECK(actual.shares.back().duplicates_replay == 0);
    CHECK(actual.shares.back().replayed_duplicates == 0);
  }
}

TEST_CASE("plan: with a replay window, spilled to disk, the plan is the one made in memory") {
  std::vector<std::unique_ptr<heatmap_merge::SpillSpace>> spaces;
  for (const int bits : {heatmap_merge::k_key_partition_bits, 1}) {
    spaces.push_back(
      std::make_unique<heatmap_merge::SpillSpace>(std::filesystem::temp_directory_path(), bits));
  }
  std::mt19937_64 cases(20261208);
  std::int64_t replays = 0;
  for (int trial = 0; trial < 200; ++trial) {
    CAPTURE(trial);
    const std::vector<Keys> inputs =
      random_inputs(cases, trial % 2 == 0 ? Repeats::any : Repeats::same_payload);
    const std::chrono::nanoseconds window = random_window(cases);
    const std::chrono::nanoseconds replay = window + std::chrono::seconds(1 + trial % 5);
    const Plan expected = replay_plan(inputs, window, replay);
    for (std::size_t n = 1; n < expected.shares.size(); ++n) {
      replays += expected.shares[n].duplicates_replay + expected.shares[n].replayed_duplicates;
    }
    for (const std::size_t max_keys : {1UL, 3UL}) {
      for (const std::unique_ptr<heatmap_merge::SpillSpace>& space : spaces) {
        CAPTURE(max_keys);
        std::vector<Keys> spilled;
        for (const Keys& one : inputs) {
          Keys copy = one;
          copy.keys = heatmap_merge::KeyStore(space.get(), max_keys);
          for (const RowKey& key : keys_of(one)) {
            copy.keys.add(key);
          }
          spilled.push_back(std::move(copy));
        }
        const heatmap_merge::PlanSpace tiny{space.get(), max_keys * sizeof(RowKey)};
        const Plan actual = make_plan(std::move(spilled), window, k_next_id, tiny, replay);
        check_same_plan(expected, actual);
        for (std::size_t n = 1; n < expected.shares.size(); ++n) {
          CHECK(describe_replays(actual.shares[n]) == describe_replays(expected.shares[n]));
        }
      }
    }
  }
  CHECK(replays > 0); // the random cases do pair by replay
}

TEST_CASE("plan: the chance estimate counts identical rows once to twice the replay window away") {
  // With a replay window of 1 h: the secondary's row at 70 min has the primary's identical row
  // 70 min before it, in the band; the one at 5 h has none from 1 to 2 h away; the one at 10 h
  // 30 min has the primary's at 11 h 40 min in its band (that one pairs with the secondary's at
  // 11 h, 40 min away, across inputs first); another payload's row counts for none.
  constexpr std::int64_t hour = 60 * k_minute_ms;
  const Plan plan =
    replay_plan({input({row(1, 0, 1, 5), row(1, 11 * hour + 40 * k_minute_ms, 2, 5)}),
                 input({row(1, 70 * k_minute_ms, 10, 5),
                        row(1, 5 * hour, 11, 5),
                        row(1, 5 * hour + 90 * k_minute_ms, 12, 6),
                        row(1, 10 * hour + 30 * k_minute_ms, 13, 5),
                        row(1, 11 * hour, 14, 5)})},
                1s,
                1h);
  const Share& result = plan.shares[1];
  CHECK(result.replay_chance == 2);
  CHECK(result.duplicates_replay == 1);
  // The row at 10 h 30 min, 30 min before the one paired across, is its copy on the same node.
  CHECK(result.replayed_duplicates == 1);
  CHECK(describe_replays(result) == "2/14 14<13 ");

  SUBCASE("nothing in the band, nothing counted") {
    const Plan far =
      replay_plan({input({row(1, 0, 1, 5)}), input({row(1, 3 * hour, 10, 5)})}, 1s, 1h);
    CHECK(far.shares[1].replay_chance == 0);
    CHECK(far.shares[1].added.size() == 1);
  }

  SUBCASE("at the ends of time, where the instant plus the window would overflow") {
    // 70 min apart, as the first rows above, at the last and at the first instants there are
    // (the largest is k_text_instant, a time that is text).
    constexpr Instant last = std::numeric_limits<Instant>::max() - 1;
    constexpr Instant first = std::numeric_limits<Instant>::min();
    constexpr std::int64_t minutes_70 = 70 * k_minute_ms * k_ns_per_ms;
    for (const auto& [early, late] :
         {std::pair{last - minutes_70, last}, std::pair{first, first + minutes_70}}) {
      for (const bool primary_first : {true, false}) {
        RowKey primary = row(1, 0, 1, 5);
        RowKey secondary = row(1, 0, 10, 5);
        primary.instant = primary_first ? early : late;
        secondary.instant = primary_first ? late : early;
        const Plan ends = replay_plan({input({primary}), input({secondary})}, 1s, 1h);
        CHECK(ends.shares[1].replay_chance == 1);
      }
    }
  }
}
