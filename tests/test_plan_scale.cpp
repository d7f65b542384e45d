// The plan at scale: a hot spot, sort_keys at every size, a plan large enough to match in two
// threads, and keys spilled to disk (spill/), each against the plan made the simple way.
#include "plan/plan.hpp"
#include "plan_keys.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

using heatmap_merge::make_plan;

using namespace plan_keys;
using namespace std::chrono_literals;

TEST_CASE("plan: a hot spot stays fast and right") {
  constexpr int k_clicks = 20'000;

  SUBCASE("alternating, each secondary click 200 ms before the next primary click") {
    // Primary at k * 1500 ms, secondary at k * 1500 + 1300 ms. Nearest first pairs each
    // secondary click with the next primary click (200 ms); the first primary click and the
    // last secondary click are left.
    std::vector<RowKey> primary;
    std::vector<RowKey> secondary;
    for (int k = 0; k < k_clicks; ++k) {
      primary.push_back(row(1, k * 1500LL, k + 1));
      secondary.push_back(row(1, k * 1500LL + 1300, k + 1));
    }
    const Plan plan = plan_of({input(primary), input(secondary)}, 2s);
    const Share& result = plan.shares[1];
    CHECK(result.duplicates_window == k_clicks - 1);
    CHECK(result.duplicates_exact == 0);
    CHECK(gather_insights(result.added) == std::to_string(k_clicks) + ">1000");
    CHECK(plan.rows_out == k_clicks + 1);
    const std::vector<std::int64_t> offsets = result.match_offsets.values();
    const bool all_minus_200ms = std::all_of(
      offsets.begin(), offsets.end(), [](std::int64_t o) { return o == -200 * k_ns_per_ms; });
    CHECK(all_minus_200ms);
  }

  SUBCASE("alternating, evenly spaced: every tie goes to the earlier pair") {
    std::vector<RowKey> primary;
    std::vector<RowKey> secondary;
    for (int k = 0; k < k_clicks; ++k) {
      primary.push_back(row(1, k * 1000LL, k + 1));
      secondary.push_back(row(1, k * 1000LL + 500, k + 1));
    }
    const Plan plan = plan_of({input(primary), input(secondary)}, 2s);
    CHECK(plan.shares[1].duplicates_window == k_clicks);
    CHECK(plan.shares[1].added.empty());
    CHECK(plan.rows_out == k_clicks);
  }

  SUBCASE("every click at the same instant") {
    std::vector<RowKey> primary;
    std::vector<RowKey> secondary;
    for (int k = 0; k < k_clicks; ++k) {
      primary.push_back(row(1, 0, k + 1));
      secondary.push_back(row(1, 0, k + 1));
    }
    secondary.push_back(row(1, 0, k_clicks + 1));
    const Plan plan = plan_of({input(primary), input(secondary)}, 2s);
    CHECK(plan.shares[1].duplicates_exact == k_clicks);
    CHECK(plan.shares[1].added.size() == 1);
    CHECK(plan.rows_out == k_clicks + 1);
  }

  SUBCASE("every click at the same instant, payloads shifted by one: identical rows pair first") {
    std::vector<RowKey> primary;
    std::vector<RowKey> secondary;
    for (int k = 0; k < k_clicks; ++k) {
      primary.push_back(row(1, 0, k + 1, static_cast<std::uint32_t>(k)));
      secondary.push_back(row(1, 0, k + 1, static_cast<std::uint32_t>(k + 1)));
    }
    const Plan plan = plan_of({input(primary), input(secondary)}, 2s);
    CHECK(plan.shares[1].duplicates_exact == k_clicks);
    CHECK(plan.shares[1].conflicts == 1);
    CHECK(plan.shares[1].added.empty());
  }

  SUBCASE("two instants 1 s apart, no payload shared: all conflicts") {
    std::vector<RowKey> primary;
    std::vector<RowKey> secondary;
    for (int k = 0; k < k_clicks; ++k) {
      primary.push_back(row(1, 0, k + 1, static_cast<std::uint32_t>(2 * k)));
      secondary.push_back(row(1, 1000, k + 1, static_cast<std::uint32_t>(2 * k + 1)));
    }
    const Plan plan = plan_of({input(primary), input(secondary)}, 2s);
    CHECK(plan.shares[1].duplicates_window == k_clicks);
    CHECK(plan.shares[1].conflicts == k_clicks);
    CHECK(plan.shares[1].added.empty());
  }
}

TEST_CASE("plan: sort_keys orders keys as KeyLess does, at every size") {
  std::mt19937_64 random(7);
  // Below and above the size where a radix pass comes first; a quarter of the keys share one
  // group (a hot spot), the rest spread over uniform hashes as XXH3's are.
  for (const std::size_t size : {0UL, 1UL, 100UL, 8191UL, 8192UL, 50'000UL}) {
    CAPTURE(size);
    std::vector<RowKey> keys;
    for (std::size_t n = 0; n < size; ++n) {
      RowKey key;
      const bool hot = random() % 4 == 0;
      key.group_hi = hot ? 0x8000'0000'0000'0000ULL : random();
      key.group_lo = hot ? 5U : static_cast<std::uint32_t>(random() % 3);
      key.instant = static_cast<Instant>(random() % 1000);
      key.payload = static_cast<std::uint32_t>(random() % 4);
      key.rowid = static_cast<std::int64_t>(n);
      keys.push_back(key);
    }
    std::vector<RowKey> expected = keys;
    std::sort(expected.begin(), expected.end(), heatmap_merge::KeyLess());
    Keys sorted = input(keys);
    heatmap_merge::sort_keys(sorted);
    const std::vector<RowKey> got = keys_of(sorted);
    REQUIRE(got.size() == expected.size());
    for (std::size_t n = 0; n < expected.size(); ++n) {
      CHECK(got[n].rowid == expected[n].rowid);
    }
  }
}

TEST_CASE("plan: a plan large enough to match in two threads is the sum of its groups' plans") {
  // Many small random cases, each given group hashes of its own spread over the whole hash
  // range and row ids of its own, joined into one large plan. Groups are planned apart, so the
  // large plan's tallies, offsets and added rows are those of the small plans together.
  constexpr int k_inputs = 4;
  constexpr int k_cases = 10'000;
  std::mt19937_64 random(2026);
  const std::chrono::nanoseconds window = 1500ms;
  std::vector<std::vector<RowKey>> joined_keys(k_inputs);
  std::vector<std::vector<UnkeyedRow>> joined_unkeyed(k_inputs);
  std::vector<std::int64_t> exact(k_inputs, 0);
  std::vector<std::int64_t> within(k_inputs, 0);
  std::vector<std::int64_t> conflicts(k_inputs, 0);
  std::vector<std::vector<std::int64_t>> offsets(k_inputs);
  std::vector<std::vector<std::int64_t>> near_misses(k_inputs);
  std::vector<std::vector<std::int64_t>> added(k_inputs);
  for (int c = 0; c < k_cases; ++c) {
    std::vector<Keys> inputs = random_inputs(random, Repeats::any);
    inputs.resize(k_inputs); // the missing secondaries are empty
    const std::int64_t id_base = static_cast<std::int64_t>(c) * 100;
    for (Keys& one : inputs) {
      std::vector<RowKey> keys = keys_of(one);
      for (RowKey& key : keys) {
        std::seed_seq seed{c, static_cast<int>(key.group_lo)};
        std::mt19937_64 hash(seed);
        key.group_hi = hash();
        key.rowid += id_base;
      }
      for (UnkeyedRow& unkeyed_row : one.unkeyed) {
        unkeyed_row.rowid += id_base;
      }
      one = input(keys, one.unkeyed);
    }
    const Plan small = plan_of(inputs, window);
    for (int n = 1; n < k_inputs; ++n) {
      const Share& part = small.shares[static_cast<std::size_t>(n)];
      exact[n] += part.duplicates_exact;
      within[n] += part.duplicates_window;
      conflicts[n] += part.conflicts;
      const std::vector<std::int64_t> part_offsets = part.match_offsets.values();
      offsets[n].insert(offsets[n].end(), part_offsets.begin(), part_offsets.end());
      const std::vector<std::int64_t> part_near = part.near_miss_offsets.values();
      near_misses[n].insert(near_misses[n].end(), part_near.begin(), part_near.end());
      const std::vector<std::int64_t> ids = source_ids(part.added);
      added[n].insert(added[n].end(), ids.begin(), ids.end());
    }
    for (int n = 0; n < k_inputs; ++n) {
      const Keys& one = inputs[static_cast<std::size_t>(n)];
      const std::vector<RowKey> keys = keys_of(one);
      joined_keys[n].insert(joined_keys[n].end(), keys.begin(), keys.end());
      joined_unkeyed[n].insert(joined_unkeyed[n].end(), one.unkeyed.begin(), one.unkeyed.end());
    }
  }
  std::vector<Keys> large;
  for (int n = 0; n < k_inputs; ++n) {
    large.push_back(input(joined_keys[n], joined_unkeyed[n]));
  }
  REQUIRE(large[0].keys.size() + large[1].keys.size() >= 65'536);
  const Plan plan = plan_of(large, window);
  for (int n = 1; n < k_inputs; ++n) {
    CAPTURE(n);
    const Share& got = plan.shares[static_cast<std::size_t>(n)];
    CHECK(got.duplicates_exact == exact[n]);
    CHECK(got.duplicates_window == within[n]);
    CHECK(got.conflicts == conflicts[n]);
    std::vector<std::int64_t> got_offsets = got.match_offsets.values();
    std::sort(got_offsets.begin(), got_offsets.end());
    std::sort(offsets[n].begin(), offsets[n].end());
    CHECK(got_offsets == offsets[n]);
    std::vector<std::int64_t> got_near = got.near_miss_offsets.values();
    std::sort(got_near.begin(), got_near.end());
    std::sort(near_misses[n].begin(), near_misses[n].end());
    CHECK(got_near == near_misses[n]);
    std::sort(added[n].begin(), added[n].end());
    CHECK(source_ids(got.added) == added[n]);
  }
}

namespace {

// `inputs` again, with every input's keys in a store that holds `max_keys` in memory and spills
// the rest to `space`.
std::vector<Keys> spilling(const std::vector<Keys>& inputs,
                                heatmap_merge::SpillSpace& space,
                                std::size_t max_keys) {
  std::vector<Keys> result;
  for (const Keys& one : inputs) {
    Keys copy = one;
    copy.keys = heatmap_merge::KeyStore(&space, max_keys);
    for (const RowKey& key : keys_of(one)) {
      copy.keys.add(key);
    }
    result.push_back(std::move(copy));
  }
  return result;
}

std::string describe_samples(const Share& input) {
  std::string text;
  for (const heatmap_merge::ConflictPair& pair : input.conflict_samples) {
    text += std::to_string(pair.kept_rowid) + '/' + std::to_string(pair.dropped_rowid) + ' ';
  }
  return text;
}

} // namespace

TEST_CASE("plan: spilled to disk, the plan is the one made in memory") {
  // Keys partitioned as the tool spills them, and in halves as without partitioned_spill.
  std::vector<std::unique_ptr<heatmap_merge::SpillSpace>> spaces;
  for (const int bits : {heatmap_merge::k_key_partition_bits, 1}) {
    spaces.push_back(
      std::make_unique<heatmap_merge::SpillSpace>(std::filesystem::temp_directory_path(), bits));
  }
  std::mt19937_64 cases(20261130);
  SUBCASE("small random cases, a few keys to a run") {
    for (int trial = 0; trial < 300; ++trial) {
      CAPTURE(trial);
      const std::vector<Keys> inputs =
        random_inputs(cases, trial % 2 == 0 ? Repeats::any : Repeats::same_payload);
      const std::chrono::nanoseconds window = random_window(cases);
      const Plan expected = plan_of(inputs, window);
      for (const std::size_t max_keys : {1UL, 2UL, 3UL, 7UL}) {
        for (const std::unique_ptr<heatmap_merge::SpillSpace>& space : spaces) {
          CAPTURE(max_keys);
          CAPTURE(space->partition_bits());
          const heatmap_merge::PlanSpace tiny{space.get(), max_keys * sizeof(RowKey)};
          const Plan actual =
            make_plan(spilling(inputs, *space, max_keys), window, k_next_id, tiny);
          check_same_plan(expected, actual);
          for (std::size_t n = 1; n < expected.shares.size(); ++n) {
            CHECK(describe_samples(actual.shares[n]) == describe_samples(expected.shares[n]));
          }
        }
      }
    }
  }
  SUBCASE("large enough to match in two threads, many runs") {
    std::vector<Keys> inputs;
    for (int n = 0; n < 3; ++n) {
      std::vector<RowKey> keys;
      for (std::int64_t r = 0; r < 60'000; ++r) {
        const std::uint32_t group = static_cast<std::uint32_t>(cases() % 20'000);
        keys.push_back(row(group,
                           static_cast<std::int64_t>(cases() % 600'000),
                           r + 1,
                           static_cast<std::uint32_t>(cases() % 2)));
      }
      inputs.push_back(input(std::move(keys)));
    }
    for (const std::chrono::nanoseconds window : {0ns, 2'000'000'000ns}) {
      const Plan expected = plan_of(inputs, window);
      for (const std::unique_ptr<heatmap_merge::SpillSpace>& space : spaces) {
        CAPTURE(space->partition_bits());
        // 1,024 partitions of 180,000 keys fit in memory; two halves do not, and are sorted runs.
        const heatmap_merge::PlanSpace small{space.get(), 5'000 * sizeof(RowKey)};
        const Plan actual = make_plan(spilling(inputs, *space, 7'000), window, k_next_id, small);
        check_same_plan(expected, actual);
        for (std::size_t n = 1; n < expected.shares.size(); ++n) {
          CHECK(describe_samples(actual.shares[n]) == describe_samples(expected.shares[n]));
        }
        CHECK(space->spilled_bytes() > 0);
      }
    }
  }
}
