// The plan against a brute-force reference of the spec's greedy on random small cases, and its
// independence of the order of the rows.
#include "plan/plan.hpp"
#include "plan_keys.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

using namespace plan_keys;
using namespace std::chrono_literals;

namespace {

std::uint64_t distance(Instant a, Instant b) {
  return a >= b ? static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b)
                : static_cast<std::uint64_t>(b) - static_cast<std::uint64_t>(a);
}

bool same_group(const RowKey& a, const RowKey& b) {
  return a.group_hi == b.group_hi && a.group_lo == b.group_lo;
}

// Whether no two rows share their group and instant: then nearest first names each pair's rows.
bool unique_instants(const std::vector<RowKey>& keys) {
  std::set<std::tuple<std::uint64_t, std::uint32_t, Instant>> seen;
  for (const RowKey& key : keys) {
    if (!seen.insert({key.group_hi, key.group_lo, key.instant}).second) {
      return false;
    }
  }
  return true;
}

// What the brute-force reference says of one secondary.
struct ReferenceInput {
  std::int64_t duplicates_exact = 0;
  std::int64_t duplicates_window = 0;
  std::int64_t conflicts = 0;
  std::vector<std::int64_t> match_offsets;                       // sorted
  std::vector<std::int64_t> added_ids;                           // sorted
  std::vector<std::pair<std::uint64_t, Instant>> added_instants; // keyed rows; sorted
  // The rules decide every pair up to rows that are interchangeable: rows of one side at one
  // instant all have the same payload, here and in every fold before. Else the greedy may choose
  // between rows that differ, and the counts may follow that choice.
  bool determined = false;
  // And which row of the secondary is added: it repeats no instant within a group.
  bool ids_determined = false;
};

struct ReferencePlan {
  std::vector<ReferenceInput> inputs;
  std::int64_t rows_out = 0;
};

// Whether rows that share their group and instant also share their payload.
bool uniform_payloads(const std::vector<RowKey>& keys) {
  std::set<std::tuple<std::uint64_t, std::uint32_t, Instant, std::uint32_t>> seen;
  std::set<std::tuple<std::uint64_t, std::uint32_t, Instant>> instants;
  for (const RowKey& key : keys) {
    seen.insert({key.group_hi, key.group_lo, key.instant, key.payload});
    instants.insert({key.group_hi, key.group_lo, key.instant});
  }
  return seen.size() == instants.size();
}

// The greedy of the spec, O(n^2) per match: repeatedly pair the nearest two unmatched rows of the
// same group, one merged and one secondary, within the window. At equal distance identical rows
// (equal payloads) pair first, then the earlier pair. Each secondary is folded against the primary
// and every row added before it.
ReferencePlan reference_plan(const std::vector<Keys>& inputs,
                             std::chrono::nanoseconds window) {
  const std::uint64_t window_ns = static_cast<std::uint64_t>(window.count());
  ReferencePlan result;
  result.inputs.resize(inputs.size());
  result.rows_out = inputs.front().rows;
  std::vector<RowKey> merged = keys_of(inputs.front());
  bool determined = true;
  for (std::size_t input_index = 1; input_index < inputs.size(); ++input_index) {
    const std::vector<RowKey> secondary = keys_of(inputs[input_index]);
    ReferenceInput& out = result.inputs[input_index];
    determined = determined && uniform_payloads(merged) && uniform_payloads(secondary);
    out.determined = determined;
    out.ids_determined = determined && unique_instants(secondary);
    std::vector<bool> merged_used(merged.size(), false);
    std::vector<bool> secondary_used(secondary.size(), false);
    while (true) {
      bool found = false;
      std::uint64_t best_gap = 0;
      bool best_differ = false;
      Instant best_earlier = 0;
      std::size_t best_merged = 0;
      std::size_t best_secondary = 0;
      for (std::size_t i = 0; i < merged.size(); ++i) {
        if (merged_used[i]) {
          continue;
        }
        for (std::size_t j = 0; j < secondary.size(); ++j) {
          if (secondary_used[j] || !same_group(merged[i], secondary[j])) {
            continue;
          }
          const std::uint64_t gap = distance(merged[i].instant, secondary[j].instant);
          if (gap > window_ns) {
            continue;
          }
          const bool differ = merged[i].payload != secondary[j].payload;
          const Instant earlier = std::min(merged[i].instant, secondary[j].instant);
          if (!found ||
              std::tie(gap, differ, earlier) < std::tie(best_gap, best_differ, best_earlier)) {
            found = true;
            best_gap = gap;
            best_differ = differ;
            best_earlier = earlier;
            best_merged = i;
            best_secondary = j;
          }
        }
      }
      if (!found) {
        break;
      }
      merged_used[best_merged] = true;
      secondary_used[best_secondary] = true;
      if (best_gap == 0) {
        ++out.duplicates_exact;
      } else {
        ++out.duplicates_window;
        out.match_offsets.push_back(secondary[best_secondary].instant -
                                    merged[best_merged].instant);
      }
      if (best_differ) {
        ++out.conflicts;
      }
    }
    for (std::size_t j = 0; j < secondary.size(); ++j) {
      if (!secondary_used[j]) {
        out.added_ids.push_back(secondary[j].rowid);
        out.added_instants.emplace_back(secondary[j].group_hi, secondary[j].instant);
        merged.push_back(secondary[j]);
      }
    }
    for (const UnkeyedRow& unkeyed_row : inputs[input_index].unkeyed) {
      out.added_ids.push_back(unkeyed_row.rowid);
    }
    std::sort(out.match_offsets.begin(), out.match_offsets.end());
    std::sort(out.added_ids.begin(), out.added_ids.end());
    std::sort(out.added_instants.begin(), out.added_instants.end());
    result.rows_out += static_cast<std::int64_t>(out.added_ids.size());
  }
  return result;
}

} // namespace

TEST_CASE("plan: the result does not depend on the order of the rows") {
  std::mt19937_64 cases(20260218);
  for (int trial = 0; trial < 30; ++trial) {
    CAPTURE(trial);
    const std::vector<Keys> inputs = random_inputs(cases, Repeats::any);
    const std::chrono::nanoseconds window = random_window(cases);
    const Plan expected = plan_of(inputs, window);
    for (const std::uint64_t seed : {1ULL, 2ULL, 3ULL, 42ULL, 4242ULL}) {
      CAPTURE(seed);
      std::mt19937_64 random(seed);
      std::vector<Keys> shuffled = inputs;
      for (Keys& one : shuffled) {
        std::vector<RowKey> keys = keys_of(one);
        std::shuffle(keys.begin(), keys.end(), random);
        std::shuffle(one.unkeyed.begin(), one.unkeyed.end(), random);
        one = input(keys, one.unkeyed);
      }
      check_same_plan(expected, plan_of(shuffled, window));
    }
  }
}

TEST_CASE("plan: agrees with a brute-force greedy on random small cases") {
  constexpr int k_trials = 200;
  std::mt19937_64 random(7);
  int compared = 0;
  int compared_ids = 0;
  for (int trial = 0; trial < k_trials; ++trial) {
    CAPTURE(trial);
    // Every other trial has double clicks (identical rows at one instant); the others repeat no
    // instant within a group, so that the added ids can be compared one by one.
    const std::vector<Keys> inputs =
      random_inputs(random, trial % 2 == 0 ? Repeats::none : Repeats::same_payload);
    const std::chrono::nanoseconds window = random_window(random);
    CAPTURE(window.count());
    const ReferencePlan expected = reference_plan(inputs, window);
    const Plan actual = plan_of(inputs, window);
    REQUIRE(actual.shares.size() == inputs.size());
    std::int64_t rows_out = actual.shares.front().rows;
    for (std::size_t n = 1; n < inputs.size(); ++n) {
      CAPTURE(n);
      const ReferenceInput& want = expected.inputs[n];
      const Share& got = actual.shares[n];
      rows_out += static_cast<std::int64_t>(got.added.size());
      if (!want.determined) {
        continue;
      }
      ++compared;
      CHECK(got.duplicates_exact == want.duplicates_exact);
      CHECK(got.duplicates_window == want.duplicates_window);
      CHECK(got.conflicts == want.conflicts);
      std::vector<std::int64_t> offsets = got.match_offsets.values();
      std::sort(offsets.begin(), offsets.end());
      CHECK(join(offsets) == join(want.match_offsets));
      CHECK(got.added.size() == want.added_ids.size());
      std::vector<std::pair<std::uint64_t, Instant>> added_instants;
      const std::vector<AddedRow> got_added = rows_of(got.added);
      for (const RowKey& key : keys_of(inputs[n])) {
        const bool added = std::any_of(got_added.begin(), got_added.end(), [&](const AddedRow& a) {
          return a.source_rowid == key.rowid;
        });
        if (added) {
          added_instants.emplace_back(key.group_hi, key.instant);
        }
      }
      std::sort(added_instants.begin(), added_instants.end());
      CHECK(added_instants == want.added_instants);
      if (want.ids_determined) {
        CHECK(join(source_ids(got.added)) == join(want.added_ids));
        ++compared_ids;
      }
    }
    CHECK(actual.rows_out == rows_out);
    if (expected.inputs.back().determined) {
      CHECK(actual.rows_out == expected.rows_out);
    }
  }
  // Most folds were determined, and at least half of them named their added rows.
  CHECK(compared >= k_trials);
  CHECK(compared_ids >= k_trials / 2);
}
