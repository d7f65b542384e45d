// The primary's replayed duplicates (--remove-replays, plan/primary_replays.cpp): found by hand
// in small cases, against a brute-force reference of the rule on random ones, and spilled alike.
#include "plan/plan.hpp"
#include "plan_keys.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

using heatmap_merge::make_plan;
using heatmap_merge::RemovedRow;

using namespace plan_keys;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t k_minute_ms = 60'000;

Plan removing_plan(std::vector<Keys> inputs,
                   std::chrono::nanoseconds window,
                   std::chrono::nanoseconds replay,
                   const heatmap_merge::PlanSpace& space = {}) {
  return make_plan(std::move(inputs), window, k_next_id, space, replay, true);
}

// "kept<removed" pairs, by removed row id.
std::string removed(const Plan& plan) {
  std::string text;
  plan.primary_replays.rows.for_each([&text](const RemovedRow& row) {
    text += std::to_string(row.kept_rowid) + "<" + std::to_string(row.rowid) + " ";
  });
  return text;
}

} // namespace

TEST_CASE("plan: the chance estimate counts the primary's pass") {
  // Replay window 1 h. The secondary's 10 pairs with the primary's 1 (the window), and its 11
  // with the primary's 6: 1 and 6 are the partners the primary's pass gives its other rows.
  // 2, 10 min after 1, pairs with it (within the window, not in the band); 3, 90 min after 1
  // (80 min after 2, so in a part of its own for the pairing), is in 1's band; 4, 3 h after 1,
  // has only 3 (no partner) 90 min away; 5, of another payload, has none of its own; 7, 1 h
  // 40 min before 6, is in its band.
  constexpr std::int64_t hour = 60 * k_minute_ms;
  const Plan plan = removing_plan({input({row(1, 0, 1, 5),
                                          row(1, 10 * k_minute_ms, 2, 5),
                                          row(1, 90 * k_minute_ms, 3, 5),
                                          row(1, 3 * hour, 4, 5),
                                          row(1, 90 * k_minute_ms + 1, 5, 6),
                                          row(2, 20 * hour, 6, 5),
                                          row(2, 20 * hour - 100 * k_minute_ms, 7, 5)}),
                                   input({row(1, 1, 10, 5), row(2, 20 * hour + 1, 11, 5)})},
                                  1s,
                                  1h);
  CHECK(removed(plan) == "1<2 ");
  CHECK(plan.shares[1].replay_chance == 0);
  CHECK(plan.primary_replays.chance == 2);

  SUBCASE("the band's bounds: more than once, at most twice the window, before or after") {
    // Around 1, paired across: 2 and 3, exactly 1 h after and before it, pair with it (within
    // the window, not in the band); 4 and 5, exactly 2 h before and after it, count; 6 and 7,
    // 2 h and 1 ms after and before it, do not.
    const Plan bounds = removing_plan({input({row(1, 0, 1, 5),
                                              row(1, hour, 2, 5),
                                              row(1, -hour, 3, 5),
                                              row(1, -2 * hour, 4, 5),
                                              row(1, 2 * hour, 5, 5),
                                              row(1, 2 * hour + 1, 6, 5),
                                              row(1, -2 * hour - 1, 7, 5)}),
                                       input({row(1, 0, 10, 5)})},
                                      1s,
                                      1h);
    CHECK(removed(bounds) == "1<2 1<3 ");
    CHECK(bounds.primary_replays.chance == 2);
  }

  SUBCASE("rows no secondary paired with, without a partner: none counted") {
    const Plan alone = removing_plan(
      {input({row(1, 0, 1, 5), row(1, 90 * k_minute_ms, 2, 5)}), input({row(9, 0, 10, 1)})},
      1s,
      1h);
    CHECK(alone.primary_replays.chance == 0);
  }
}

TEST_CASE("plan: the primary's replayed duplicates") {
  SUBCASE("the copy 10 minutes after a click the secondary holds too is removed") {
    const Plan plan = removing_plan(
      {input({row(1, 0, 1, 5), row(1, 10 * k_minute_ms, 2, 5)}), input({row(1, 1, 10, 5)})},
      1s,
      1h);
    CHECK(removed(plan) == "1<2 ");
    CHECK(plan.rows_out == 1);
    CHECK(join(plan.primary_replays.offsets.values()) ==
          join({10 * k_minute_ms * k_ns_per_ms - k_ns_per_ms * 0}));
    REQUIRE(plan.primary_replays.samples.size() == 1);
    CHECK(plan.primary_replays.samples[0].within);
  }

  SUBCASE("a double click that the secondary holds too stays two rows") {
    const Plan plan = removing_plan({input({row(1, 0, 1, 5), row(1, 2 * k_minute_ms, 2, 5)}),
                                     input({row(1, 1, 10, 5), row(1, 2 * k_minute_ms + 1, 11, 5)})},
                                    1s,
                                    1h);
    CHECK(removed(plan).empty());
    CHECK(plan.rows_out == 2);
  }

  SUBCASE("neither copy paired across: both stay (a double click the secondary lacks)") {
    const Plan plan = removing_plan({input({row(1, 0, 1, 5),
                                            row(1, 300, 2, 5),
                                            row(1, 4 * k_minute_ms, 3, 5),
                                            row(1, 5 * k_minute_ms, 4, 6)}),
                                     input({row(9, 0, 10, 1)})},
                                    1s,
                                    1h);
    CHECK(removed(plan).empty());
    CHECK(plan.rows_out == 5);
  }

  SUBCASE("a copy paired across keeps every later copy within the window from staying") {
    // 1 pairs with the secondary's 10 (the window); 2 and 3 are copies of it on the primary.
    const Plan plan = removing_plan(
      {input(
         {row(1, 0, 1, 5), row(1, 27 * k_minute_ms, 2, 5), row(1, 27 * k_minute_ms + 16, 3, 5)}),
       input({row(1, 20, 10, 5)})},
      1s,
      1h);
    CHECK(removed(plan) == "1<2 1<3 ");
    CHECK(plan.rows_out == 1);
  }

  SUBCASE("the copy that a secondary's replay pairs with stays, even the later one") {
    // The secondary's copy at 30 min pairs by replay with the primary's at 5 min (nearer than
    // the one at 0), which keeps that one: the copy at 0 is the one left, and goes.
    const Plan plan = removing_plan({input({row(1, 0, 1, 5), row(1, 5 * k_minute_ms, 2, 5)}),
                                     input({row(1, 30 * k_minute_ms, 10, 5)})},
                                    1s,
                                    1h);
    CHECK(plan.shares[1].duplicates_replay == 1);
    CHECK(removed(plan) == "2<1 ");
  }

  SUBCASE("a row that only a later secondary pairs with stays") {
    const Plan plan = removing_plan({input({row(1, 0, 1, 5), row(1, 2 * k_minute_ms, 2, 5)}),
                                     input({row(1, 1, 10, 5)}),
                                     input({row(1, 2 * k_minute_ms + 1, 20, 5)})},
                                    1s,
                                    1h);
    CHECK(removed(plan).empty());
  }

  SUBCASE("a time that is text never pairs; another group never pairs") {
    const Plan plan = removing_plan(
      {input({text_row(1, 1, 5), text_row(1, 2, 5), row(2, 0, 3, 5), row(3, 1, 4, 5)}),
       input({row(9, 0, 10, 1)})},
      1s,
      1h);
    CHECK(removed(plan).empty());
  }

  SUBCASE("beyond the replay window, a click of its own") {
    const Plan plan =
      removing_plan({input({row(1, 0, 1, 5), row(1, 61 * k_minute_ms, 2, 5)}), input({})}, 1s, 1h);
    CHECK(removed(plan).empty());
  }

  SUBCASE("not asked for, or without a replay window: not looked for") {
    const std::vector<Keys> inputs{input({row(1, 0, 1, 5), row(1, 1 * k_minute_ms, 2, 5)}),
                                   input({row(1, 1, 10, 5)})};
    const Plan without = make_plan(inputs, 1s, k_next_id, {}, 1h);
    CHECK_FALSE(without.primary_replays.found);
    CHECK(without.rows_out == 2);
    const Plan no_window = removing_plan(inputs, 1s, 0s);
    CHECK_FALSE(no_window.primary_replays.found);
    CHECK(no_window.rows_out == 2);
    const Plan with = removing_plan(inputs, 1s, 1h);
    CHECK(with.primary_replays.found);
    CHECK(with.rows_out == 1);
  }
}

namespace {

// A brute-force reference of the rule, on rows whose instants within a group all differ, and
// pairwise by distinct distances (a Golomb ruler's marks): nearest first then names each pair.
struct Ref {
  RowKey key;
  bool primary = false;
};

std::uint64_t distance(Instant a, Instant b) {
  return a >= b ? static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b)
                : static_cast<std::uint64_t>(b) - static_cast<std::uint64_t>(a);
}

bool same_group(const RowKey& a, const RowKey& b) {
  return a.group_hi == b.group_hi && a.group_lo == b.group_lo;
}

bool is_text(const RowKey& key) {
  return key.instant == heatmap_merge::k_text_instant;
}

// Pairs `a` with `b` greedily, nearest first, among the rows `a_free` and `b_free` leave, when
// `fits` says they may pair; calls `on_pair(i, j)`.
template <typename Fits, typename OnPair>
void greedy(const std::vector<RowKey>& a,
            std::vector<bool>& a_free,
            const std::vector<RowKey>& b,
            std::vector<bool>& b_free,
            std::uint64_t window,
            const Fits& fits,
            const OnPair& on_pair) {
  while (true) {
    std::uint64_t best = std::numeric_limits<std::uint64_t>::max();
    std::pair<std::size_t, std::size_t> chosen{0, 0};
    for (std::size_t i = 0; i < a.size(); ++i) {
      for (std::size_t j = 0; j < b.size(); ++j) {
        if (a_free[i] && b_free[j] && same_group(a[i], b[j]) && fits(i, j) &&
            distance(a[i].instant, b[j].instant) <= window &&
            distance(a[i].instant, b[j].instant) < best) {
          best = distance(a[i].instant, b[j].instant);
          chosen = {i, j};
        }
      }
    }
    if (best == std::numeric_limits<std::uint64_t>::max()) {
      return;
    }
    a_free[chosen.first] = false;
    b_free[chosen.second] = false;
    on_pair(chosen.first, chosen.second);
  }
}

// The rows of one input paired among themselves, nearest first, a row paired across with one not,
// the row paired across staying a partner: the (kept, removed) row ids.
std::vector<std::pair<std::int64_t, std::int64_t>>
within(const std::vector<RowKey>& rows, const std::vector<bool>& paired, std::uint64_t replay) {
  std::vector<std::pair<std::int64_t, std::int64_t>> pairs;
  std::vector<bool> alive(rows.size(), true);
  while (true) {
    std::uint64_t best = std::numeric_limits<std::uint64_t>::max();
    std::pair<std::size_t, std::size_t> chosen{0, 0};
    for (std::size_t i = 0; i < rows.size(); ++i) {
      for (std::size_t j = 0; j < rows.size(); ++j) {
        const bool may = i != j && alive[i] && alive[j] && !is_text(rows[i]) && !is_text(rows[j]) &&
                         same_group(rows[i], rows[j]) && rows[i].payload == rows[j].payload &&
                         paired[i] != paired[j] && rows[i].instant < rows[j].instant;
        if (may && distance(rows[i].instant, rows[j].instant) <= replay &&
            distance(rows[i].instant, rows[j].instant) < best) {
          best = distance(rows[i].instant, rows[j].instant);
          chosen = {i, j};
        }
      }
    }
    if (best == std::numeric_limits<std::uint64_t>::max()) {
      // Each removed row names the row that stays at the end of its chain.
      for (auto& [kept, gone] : pairs) {
        for (bool moved = true; moved;) {
          moved = false;
          for (const auto& [other_kept, other_gone] : pairs) {
            if (other_gone == kept) {
              kept = other_kept;
              moved = true;
            }
          }
        }
      }
      return pairs;
    }
    // The row that goes; the other stays to pair with more copies.
    const std::size_t kept = paired[chosen.second] ? chosen.second : chosen.first;
    const std::size_t gone = kept == chosen.first ? chosen.second : chosen.first;
    alive[gone] = false;
    pairs.emplace_back(rows[kept].rowid, rows[gone].rowid);
  }
}

// The chance estimate of the primary's pass, by brute force: its rows with a parsed time that
// no secondary paired with and that have an identical row that one did pair with more than
// `replay` and at most twice it away.
std::int64_t
chance(const std::vector<RowKey>& rows, const std::vector<bool>& paired, std::uint64_t replay) {
  std::int64_t count = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    bool found = false;
    for (std::size_t j = 0; j < rows.size() && !found; ++j) {
      const std::uint64_t apart = distance(rows[i].instant, rows[j].instant);
      found = !paired[i] && paired[j] && !is_text(rows[i]) && !is_text(rows[j]) &&
              same_group(rows[i], rows[j]) && rows[i].payload == rows[j].payload &&
              apart > replay && apart <= 2 * replay;
    }
    count += found ? 1 : 0;
  }
  return count;
}

// The rule, by brute force: each secondary against the primary and what earlier ones added, by
// the window, then by replay across, then within; then the primary within, and its chance
// estimate (into `chance_count`).
std::set<std::pair<std::int64_t, std::int64_t>>
reference(const std::vector<std::vector<RowKey>>& inputs,
          std::uint64_t window,
          std::uint64_t replay,
          std::int64_t& chance_count) {
  std::vector<RowKey> merged = inputs.front();
  std::vector<bool> merged_primary(merged.size(), true);
  std::vector<bool> primary_paired(merged.size(), false);
  for (std::size_t s = 1; s < inputs.size(); ++s) {
    const std::vector<RowKey>& fresh = inputs[s];
    std::vector<bool> merged_free(merged.size(), true);
    std::vector<bool> fresh_free(fresh.size(), true);
    const auto mark = [&](std::size_t m, std::size_t) {
      if (merged_primary[m]) {
        primary_paired[m] = true;
      }
    };
    greedy(
      merged,
      merged_free,
      fresh,
      fresh_free,
      window,
      [](std::size_t, std::size_t) { return true; },
      mark);
    greedy(
      merged,
      merged_free,
      fresh,
      fresh_free,
      replay,
      [&](std::size_t m, std::size_t f) {
        return !is_text(merged[m]) && !is_text(fresh[f]) && merged[m].payload == fresh[f].payload;
      },
      mark);
    std::vector<bool> fresh_paired(fresh.size());
    for (std::size_t f = 0; f < fresh.size(); ++f) {
      fresh_paired[f] = !fresh_free[f];
    }
    std::set<std::int64_t> dropped;
    for (const auto& [kept, gone] : within(fresh, fresh_paired, replay)) {
      dropped.insert(gone);
    }
    for (std::size_t f = 0; f < fresh.size(); ++f) {
      if (fresh_free[f] && dropped.count(fresh[f].rowid) == 0) {
        RowKey added = fresh[f];
        added.rowid = 1'000'000; // any id beyond the primary's: only the primary's are marked
        merged.push_back(added);
        merged_primary.push_back(false);
        primary_paired.push_back(false);
      }
    }
  }
  const std::vector<RowKey>& primary = inputs.front();
  const std::vector<bool> paired(
    primary_paired.begin(), primary_paired.begin() + static_cast<std::ptrdiff_t>(primary.size()));
  const auto pairs = within(primary, paired, replay);
  chance_count = chance(primary, paired, replay);
  return {pairs.begin(), pairs.end()};
}

// Random inputs: a few groups, each with rows at distinct marks of a Golomb ruler (in minutes),
// spread over the inputs, of two payloads; the primary has a row whose time is text now and then.
std::vector<std::vector<RowKey>> random_rows(std::mt19937_64& random) {
  constexpr std::int64_t k_marks[] = {0, 1, 6, 10, 23, 26, 34, 41, 53, 55};
  const std::size_t inputs = 2 + random() % 2;
  std::vector<std::vector<RowKey>> rows(inputs);
  std::vector<std::int64_t> next_id(inputs);
  for (std::size_t i = 0; i < inputs; ++i) {
    next_id[i] = 1 + static_cast<std::int64_t>(i) * 100;
  }
  const auto groups = static_cast<std::uint32_t>(1 + random() % 3);
  for (std::uint32_t group = 1; group <= groups; ++group) {
    for (const std::int64_t mark : k_marks) {
      if (random() % 3 == 0) {
        continue;
      }
      const std::size_t input = random() % 3 == 0 ? 0 : random() % inputs;
      const auto payload = static_cast<std::uint32_t>(1 + random() % 2);
      rows[input].push_back(row(group, mark * k_minute_ms, next_id[input]++, payload));
    }
    if (random() % 4 == 0) {
      rows[0].push_back(text_row(group, next_id[0]++, 1));
    }
  }
  return rows;
}

std::set<std::pair<std::int64_t, std::int64_t>> removed_pairs(const Plan& plan) {
  std::set<std::pair<std::int64_t, std::int64_t>> pairs;
  plan.primary_replays.rows.for_each(
    [&pairs](const RemovedRow& row) { pairs.emplace(row.kept_rowid, row.rowid); });
  return pairs;
}

} // namespace

TEST_CASE("plan: the primary's replayed duplicates against a brute-force reference") {
  std::mt19937_64 cases(20261209);
  std::int64_t found = 0;
  std::int64_t kept_paired = 0;
  std::int64_t chances = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    CAPTURE(trial);
    const std::vector<std::vector<RowKey>> rows = random_rows(cases);
    const std::chrono::nanoseconds window = std::chrono::seconds(30 * (cases() % 5));
    const std::chrono::nanoseconds replay = std::chrono::minutes(3 + cases() % 20);
    std::vector<Keys> inputs;
    for (const std::vector<RowKey>& one : rows) {
      inputs.push_back(input(one));
    }
    std::int64_t expected_chance = 0;
    const auto expected = reference(rows,
                                    static_cast<std::uint64_t>(window.count()),
                                    static_cast<std::uint64_t>(replay.count()),
                                    expected_chance);
    const Plan plan = removing_plan(std::move(inputs), window, replay);
    CHECK(removed_pairs(plan) == expected);
    CHECK(plan.primary_replays.rows.size() == expected.size());
    CHECK(plan.primary_replays.chance == expected_chance);
    found += static_cast<std::int64_t>(expected.size());
    chances += expected_chance;
    for (const auto& [kept, gone] : expected) {
      kept_paired += kept > gone ? 1 : 0;
    }
  }
  CHECK(found > 100);     // the random cases do remove rows
  CHECK(kept_paired > 0); // and some keep the later copy, which a secondary paired with
  CHECK(chances > 100);   // and some rows have a partner in the band
}

TEST_CASE("plan: the primary's replayed duplicates, spilled to disk, are those found in memory") {
  std::vector<std::unique_ptr<heatmap_merge::SpillSpace>> spaces;
  for (const int bits : {heatmap_merge::k_key_partition_bits, 1}) {
    spaces.push_back(
      std::make_unique<heatmap_merge::SpillSpace>(std::filesystem::temp_directory_path(), bits));
  }
  std::mt19937_64 cases(20261210);
  for (int trial = 0; trial < 100; ++trial) {
    CAPTURE(trial);
    const std::vector<std::vector<RowKey>> rows = random_rows(cases);
    std::vector<Keys> inputs;
    for (const std::vector<RowKey>& one : rows) {
      inputs.push_back(input(one));
    }
    const Plan expected = removing_plan(inputs, 30s, 10min);
    for (const std::unique_ptr<heatmap_merge::SpillSpace>& space : spaces) {
      std::vector<Keys> spilled;
      for (const Keys& one : inputs) {
        Keys copy = one;
        copy.keys = heatmap_merge::KeyStore(space.get(), 2);
        for (const RowKey& key : keys_of(one)) {
          copy.keys.add(key);
        }
        spilled.push_back(std::move(copy));
      }
      const Plan actual =
        removing_plan(std::move(spilled), 30s, 10min, {space.get(), 2 * sizeof(RowKey)});
      CHECK(removed_pairs(actual) == removed_pairs(expected));
      CHECK(actual.rows_out == expected.rows_out);
      CHECK(actual.primary_replays.chance == expected.primary_replays.chance);
    }
  }
}
