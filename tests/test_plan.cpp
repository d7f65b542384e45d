#include "plan/plan.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

using heatmap_merge::AddedRow;
using heatmap_merge::InputKeys;
using heatmap_merge::InputPlan;
using heatmap_merge::Instant;
using heatmap_merge::k_text_instant;
using heatmap_merge::KeyLess;
using heatmap_merge::make_plan;
using heatmap_merge::match_keys;
using heatmap_merge::Plan;
using heatmap_merge::RowKey;
using heatmap_merge::UnkeyedRow;

using namespace std::chrono_literals;

namespace {

constexpr std::int64_t k_ns_per_ms = 1'000'000;
constexpr std::int64_t k_next_id = 1'000;
// 2026-02-18T10:00:00Z in milliseconds, so that instants look like real ones.
constexpr std::int64_t k_base_ms = 1'771'408'800'000;

Instant at_ms(std::int64_t ms) {
  return (k_base_ms + ms) * k_ns_per_ms;
}

// A keyed row: `group` stands for the hash of the key columns other than the time.
RowKey row(std::uint32_t group, std::int64_t ms, std::int64_t rowid, std::uint32_t payload = 0) {
  RowKey key;
  key.group_hi = 0x9e37'79b9'7f4a'7c15ULL * group;
  key.group_lo = group;
  key.payload = payload;
  key.instant = at_ms(ms);
  key.rowid = rowid;
  return key;
}

// A keyed row whose time is text: its group hashes the text too.
RowKey text_row(std::uint32_t group, std::int64_t rowid, std::uint32_t payload = 0) {
  RowKey key = row(group, 0, rowid, payload);
  key.instant = k_text_instant;
  return key;
}

// A row with a NULL key column, unlike every other one made here: each gets a hash of its own.
std::uint64_t next_unkeyed_hash() {
  static std::uint64_t k_last = 0;
  return ++k_last;
}

UnkeyedRow unkeyed(std::int64_t ms, std::int64_t rowid) {
  return UnkeyedRow{at_ms(ms), rowid, next_unkeyed_hash(), 7};
}

UnkeyedRow unkeyed_text(std::int64_t rowid) {
  return UnkeyedRow{k_text_instant, rowid, next_unkeyed_hash(), 7};
}

// Rows with a NULL key column equal in every column: the same `hash`.
UnkeyedRow unkeyed_alike(std::uint64_t hash, std::int64_t rowid) {
  return UnkeyedRow{k_text_instant, rowid, hash, 0};
}

InputKeys input(std::vector<RowKey> keys, std::vector<UnkeyedRow> unkeyed_rows = {}) {
  InputKeys result;
  result.rows = static_cast<std::int64_t>(keys.size() + unkeyed_rows.size());
  for (const RowKey& key : keys) {
    result.max_rowid = std::max(result.max_rowid, key.rowid);
    if (key.instant != k_text_instant) {
      result.first = result.first ? std::min(*result.first, key.instant) : key.instant;
      result.last = result.last ? std::max(*result.last, key.instant) : key.instant;
    }
  }
  for (const UnkeyedRow& unkeyed_row : unkeyed_rows) {
    result.max_rowid = std::max(result.max_rowid, unkeyed_row.rowid);
  }
  for (const RowKey& key : keys) {
    result.keys.add(key);
  }
  result.unkeyed = std::move(unkeyed_rows);
  return result;
}

std::vector<RowKey> keys_of(const InputKeys& input) {
  std::vector<RowKey> keys;
  input.keys.for_each([&keys](const RowKey& key) { keys.push_back(key); });
  return keys;
}

std::vector<AddedRow> rows_of(const heatmap_merge::AddedRows& added) {
  std::vector<AddedRow> rows;
  added.for_each([&rows](const AddedRow& row) { rows.push_back(row); });
  return rows;
}

Plan plan_of(std::vector<InputKeys> inputs,
             std::chrono::nanoseconds window = 0ns,
             std::int64_t next_id = k_next_id) {
  return make_plan(std::move(inputs), window, next_id);
}

// "source>new" pairs, in the plan's order: readable when a check fails.
std::string describe(const heatmap_merge::AddedRows& added) {
  std::string text;
  for (const AddedRow& row_added : rows_of(added)) {
    if (!text.empty()) {
      text += ' ';
    }
    text += std::to_string(row_added.source_rowid) + '>' + std::to_string(row_added.new_id);
  }
  return text;
}

std::vector<std::int64_t> source_ids(const heatmap_merge::AddedRows& added) {
  std::vector<std::int64_t> ids;
  for (const AddedRow& row_added : rows_of(added)) {
    ids.push_back(row_added.source_rowid);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::string join(const std::vector<std::int64_t>& values) {
  std::string text;
  for (const std::int64_t value : values) {
    if (!text.empty()) {
      text += ' ';
    }
    text += std::to_string(value);
  }
  return text;
}

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
ReferencePlan reference_plan(const std::vector<InputKeys>& inputs,
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

// How random inputs may repeat an instant within a group.
enum class Repeats {
  none,         // never: every row names its instant
  same_payload, // double clicks whose rows are identical
  any,          // double clicks whose rows may differ
};

// A random case of a few groups and a few seconds: exact ties, text times and NULL keys included.
std::vector<InputKeys> random_inputs(std::mt19937_64& random, Repeats repeats) {
  std::uniform_int_distribution<int> secondaries(1, 3);
  std::uniform_int_distribution<int> row_count(0, 9);
  std::uniform_int_distribution<int> unkeyed_count(0, 2);
  std::uniform_int_distribution<std::uint32_t> group(1, 3);
  std::uniform_int_distribution<std::int64_t> tenth(0, 40);
  std::uniform_int_distribution<std::uint32_t> payload(0, 2);
  std::uniform_int_distribution<int> percent(0, 99);
  const int input_count = 1 + secondaries(random);
  std::vector<InputKeys> inputs;
  for (int n = 0; n < input_count; ++n) {
    std::vector<RowKey> keys;
    std::map<std::pair<std::uint32_t, Instant>, std::uint32_t> payloads;
    std::int64_t rowid = 1;
    const int rows = row_count(random);
    for (int r = 0; r < rows; ++r) {
      const std::uint32_t row_group = group(random);
      RowKey key = percent(random) < 8
                     ? text_row(row_group, rowid, payload(random))
                     : row(row_group, tenth(random) * 100, rowid, payload(random));
      using Payloads = std::map<std::pair<std::uint32_t, Instant>, std::uint32_t>;
      const std::pair<Payloads::iterator, bool> inserted =
        payloads.insert({{row_group, key.instant}, key.payload});
      if (!inserted.second && repeats == Repeats::none) {
        continue;
      }
      if (repeats == Repeats::same_payload) {
        key.payload = inserted.first->second;
      }
      keys.push_back(key);
      ++rowid;
    }
    std::vector<UnkeyedRow> unkeyed_rows;
    const int unkeyed_rows_count = unkeyed_count(random);
    for (int r = 0; r < unkeyed_rows_count; ++r) {
      unkeyed_rows.push_back(percent(random) < 30 ? unkeyed_text(rowid)
                                                  : unkeyed(tenth(random) * 100, rowid));
      ++rowid;
    }
    inputs.push_back(input(std::move(keys), std::move(unkeyed_rows)));
  }
  return inputs;
}

std::chrono::nanoseconds random_window(std::mt19937_64& random) {
  const std::chrono::nanoseconds k_windows[] = {0ns, 100ms, 500ms, 1000ms, 2000ms};
  std::uniform_int_distribution<std::size_t> pick(0, std::size(k_windows) - 1);
  return k_windows[pick(random)];
}

void check_same_plan(const Plan& expected, const Plan& actual) {
  CHECK(actual.rows_out == expected.rows_out);
  CHECK(actual.first_new_id == expected.first_new_id);
  REQUIRE(actual.inputs.size() == expected.inputs.size());
  for (std::size_t n = 0; n < expected.inputs.size(); ++n) {
    CAPTURE(n);
    const InputPlan& want = expected.inputs[n];
    const InputPlan& got = actual.inputs[n];
    CHECK(describe(got.added) == describe(want.added));
    CHECK(got.rows == want.rows);
    CHECK(got.unkeyed == want.unkeyed);
    CHECK(got.duplicates_exact == want.duplicates_exact);
    CHECK(got.duplicates_window == want.duplicates_window);
    CHECK(got.conflicts == want.conflicts);
    CHECK(join(got.match_offsets.values()) == join(want.match_offsets.values()));
    CHECK(join(got.near_miss_offsets.values()) == join(want.near_miss_offsets.values()));
  }
}

} // namespace

TEST_CASE("plan: exact duplicates") {
  SUBCASE("rows equal to the primary's are dropped, the others added") {
    const Plan plan = plan_of({input({row(1, 0, 1), row(2, 1000, 2)}),
                               input({row(1, 0, 10), row(2, 1000, 11), row(3, 2000, 12)})});
    REQUIRE(plan.inputs.size() == 2);
    CHECK(plan.first_new_id == k_next_id);
    CHECK(plan.inputs[1].duplicates_exact == 2);
    CHECK(plan.inputs[1].duplicates_window == 0);
    CHECK(plan.inputs[1].conflicts == 0);
    CHECK(plan.inputs[1].match_offsets.empty());
    CHECK(describe(plan.inputs[1].added) == "12>1000");
    CHECK(plan.rows_out == 3);
  }

  SUBCASE("the primary adds nothing and keeps its counts") {
    const Plan plan =
      plan_of({input({row(1, 0, 1), row(2, 1000, 2)}, {unkeyed(0, 3)}), input({row(1, 0, 10)})});
    const InputPlan& primary = plan.inputs[0];
    CHECK(primary.rows == 3);
    CHECK(primary.unkeyed == 1);
    CHECK(primary.added.empty());
    CHECK(primary.duplicates_exact == 0);
    CHECK(primary.first == at_ms(0));
    CHECK(primary.last == at_ms(1000));
    CHECK(plan.inputs[1].rows == 1);
    CHECK(plan.inputs[1].first == at_ms(0));
    CHECK(plan.rows_out == 3);
  }

  SUBCASE("the same instant in another group is not a duplicate") {
    const Plan plan = plan_of({input({row(1, 0, 1)}), input({row(2, 0, 1)})});
    CHECK(plan.inputs[1].duplicates_exact == 0);
    CHECK(describe(plan.inputs[1].added) == "1>1000");
  }

  SUBCASE("groups that differ only in the low bits of their hash are apart") {
    RowKey other = row(1, 0, 1);
    other.group_lo ^= 1U;
    const Plan plan = plan_of({input({row(1, 0, 1)}), input({other})});
    CHECK(plan.inputs[1].duplicates_exact == 0);
    CHECK(plan.inputs[1].added.size() == 1);
  }

  SUBCASE("1 ms apart is not a duplicate without a window") {
    const Plan plan = plan_of({input({row(1, 0, 1)}), input({row(1, 1, 1)})});
    CHECK(plan.inputs[1].duplicates_exact == 0);
    CHECK(plan.inputs[1].added.size() == 1);
  }

  SUBCASE("rows whose time is text match the same text") {
    const Plan plan = plan_of({input({text_row(1, 1)}), input({text_row(1, 1), text_row(2, 2)})});
    CHECK(plan.inputs[1].duplicates_exact == 1);
    CHECK(describe(plan.inputs[1].added) == "2>1000");
  }

  SUBCASE("an empty secondary adds nothing") {
    const Plan plan = plan_of({input({row(1, 0, 1)}), input({})});
    CHECK(plan.inputs[1].added.empty());
    CHECK(plan.rows_out == 1);
  }

  SUBCASE("an empty primary takes every row") {
    const Plan plan = plan_of({input({}), input({row(1, 0, 5), row(1, 0, 6)})});
    CHECK(describe(plan.inputs[1].added) == "5>1000 6>1001");
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
      const InputPlan& result = plan.inputs[1];
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
    CHECK(plan.inputs[0].unkeyed == 1);
    CHECK(plan.inputs[1].unkeyed == 1);
    CHECK(plan.inputs[1].duplicates_exact == 1);
    CHECK(plan.inputs[1].added.empty());
    CHECK(plan.rows_out == 1);
  }

  SUBCASE("a row that differs, at the same instant, is added") {
    const Plan plan = plan_of({input({}, {unkeyed(0, 1)}), input({}, {unkeyed(0, 1)})});
    CHECK(plan.inputs[1].duplicates_exact == 0);
    CHECK(describe(plan.inputs[1].added) == "1>1000");
    CHECK(plan.rows_out == 2);
  }

  SUBCASE("as multisets: max(m, n) copies, the highest source ids added") {
    const Plan plan = plan_of(
      {input({}, {unkeyed_alike(1, 1), unkeyed_alike(2, 2), unkeyed_alike(2, 3)}),
       input(
         {},
         {unkeyed_alike(1, 9), unkeyed_alike(1, 4), unkeyed_alike(1, 6), unkeyed_alike(2, 5)})});
    CHECK(plan.inputs[1].duplicates_exact == 2);
    CHECK(describe(plan.inputs[1].added) == "6>1000 9>1001");
    CHECK(plan.rows_out == 5);
  }

  SUBCASE("a later secondary finds the rows an earlier one added") {
    const Plan plan = plan_of({input({}, {unkeyed_alike(1, 1)}),
                               input({}, {unkeyed_alike(2, 1), unkeyed_alike(1, 2)}),
                               input({}, {unkeyed_alike(2, 1), unkeyed_alike(2, 2)})});
    CHECK(describe(plan.inputs[1].added) == "1>1000");
    CHECK(plan.inputs[2].duplicates_exact == 1);
    CHECK(describe(plan.inputs[2].added) == "2>1001");
    CHECK(plan.rows_out == 3);
  }

  SUBCASE("next to keyed rows that do match") {
    const Plan plan =
      plan_of({input({row(1, 0, 1)}), input({row(1, 0, 1)}, {unkeyed(0, 2), unkeyed_text(3)})});
    CHECK(plan.inputs[1].duplicates_exact == 1);
    CHECK(describe(plan.inputs[1].added) == "2>1000 3>1001");
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
    CHECK(describe(plan.inputs[1].added) == "1>505 2>501 3>502 5>504 7>506 8>500 9>503");
    CHECK(plan.rows_out == 7);
  }

  SUBCASE("the added list is sorted by source row id") {
    const Plan plan =
      plan_of({input({}), input({row(1, 9000, 1), row(1, 8000, 2), row(1, 7000, 3)})});
    CHECK(describe(plan.inputs[1].added) == "1>1002 2>1001 3>1000");
  }

  SUBCASE("ids run on from one secondary to the next") {
    const Plan plan = plan_of({input({row(1, 0, 1)}),
                               input({row(1, 0, 1), row(2, 500, 2), row(3, 100, 3)}),
                               input({row(4, 0, 1), row(2, 500, 2)})});
    CHECK(describe(plan.inputs[1].added) == "2>1001 3>1000");
    CHECK(describe(plan.inputs[2].added) == "1>1002");
    CHECK(plan.rows_out == 4);
  }
}

TEST_CASE("plan: conflicts") {
  SUBCASE("a duplicate whose other columns differ is a conflict and is not added") {
    const Plan plan = plan_of(
      {input({row(1, 0, 1, 7), row(2, 0, 2, 7)}), input({row(1, 0, 1, 8), row(2, 0, 2, 7)})});
    CHECK(plan.inputs[1].duplicates_exact == 2);
    CHECK(plan.inputs[1].conflicts == 1);
    CHECK(plan.inputs[1].added.empty());
    CHECK(plan.rows_out == 2);
  }

  SUBCASE("within the window too") {
    const Plan plan = plan_of({input({row(1, 0, 1, 7)}), input({row(1, 1200, 1, 8)})}, 2s);
    CHECK(plan.inputs[1].duplicates_window == 1);
    CHECK(plan.inputs[1].conflicts == 1);
    CHECK(plan.inputs[1].added.empty());
  }

  SUBCASE("a double click whose rows differ pairs with its identical rows first") {
    const Plan plan = plan_of(
      {input({row(1, 0, 1, 1), row(1, 0, 2, 2)}), input({row(1, 0, 11, 2), row(1, 0, 12, 1)})});
    CHECK(plan.inputs[1].duplicates_exact == 2);
    CHECK(plan.inputs[1].conflicts == 0);
  }

  SUBCASE("a secondary's double click meets the primary's single copy: the other row is added") {
    // The primary holds the click with payload 2; the secondary holds it and a second click at
    // the same instant with payload 1. Pairing the identical rows keeps both distinct rows.
    const Plan plan =
      plan_of({input({row(1, 0, 1, 2)}), input({row(1, 0, 10, 1), row(1, 0, 11, 2)})});
    CHECK(plan.inputs[1].duplicates_exact == 1);
    CHECK(plan.inputs[1].conflicts == 0);
    CHECK(describe(plan.inputs[1].added) == "10>1000");
  }
}

TEST_CASE("plan: at equal distance identical rows pair first, past a double click at one instant") {
  SUBCASE("a secondary's double click, the primary's copy of one of its rows 1 s earlier") {
    // The primary's click (payload 2) was retried on the secondary 1 s later, where a second
    // click with payload 1 landed at the same instant. Both secondary rows are 1 s away: the
    // identical one is the duplicate, the other a click of its own.
    const Plan plan =
      plan_of({input({row(1, 0, 1, 2)}), input({row(1, 1000, 10, 1), row(1, 1000, 11, 2)})}, 2s);
    CHECK(plan.inputs[1].duplicates_window == 1);
    CHECK(plan.inputs[1].conflicts == 0);
    CHECK(describe(plan.inputs[1].added) == "10>1000");
  }

  SUBCASE("a primary's double click, the secondary's copy of one of its rows 1 s later") {
    const Plan plan =
      plan_of({input({row(1, 0, 1, 1), row(1, 0, 2, 2)}), input({row(1, 1000, 10, 1)})}, 2s);
    CHECK(plan.inputs[1].duplicates_window == 1);
    CHECK(plan.inputs[1].conflicts == 0);
    CHECK(plan.inputs[1].added.empty());
  }

  SUBCASE("the same with the secondary earlier") {
    const Plan plan =
      plan_of({input({row(1, 1000, 1, 1)}), input({row(1, 0, 10, 1), row(1, 0, 11, 2)})}, 2s);
    CHECK(plan.inputs[1].conflicts == 0);
    CHECK(describe(plan.inputs[1].added) == "11>1000");
  }
}

TEST_CASE("plan: tolerance window") {
  SUBCASE("a pair 1.3 s apart matches with a 2 s window") {
    const Plan plan = plan_of({input({row(1, 0, 1)}), input({row(1, 1300, 1)})}, 2s);
    CHECK(plan.inputs[1].duplicates_exact == 0);
    CHECK(plan.inputs[1].duplicates_window == 1);
    CHECK(join(plan.inputs[1].match_offsets.values()) == join({1300 * k_ns_per_ms}));
    CHECK(plan.inputs[1].added.empty());
    CHECK(plan.rows_out == 1);
  }

  SUBCASE("but not with a 1 s window, where it is a near miss") {
    const Plan plan = plan_of({input({row(1, 0, 1)}), input({row(1, 1300, 1)})}, 1s);
    CHECK(plan.inputs[1].duplicates_window == 0);
    CHECK(plan.inputs[1].match_offsets.empty());
    CHECK(join(plan.inputs[1].near_miss_offsets.values()) == join({1300 * k_ns_per_ms}));
    CHECK(describe(plan.inputs[1].added) == "1>1000");
    CHECK(plan.rows_out == 2);
  }

  SUBCASE("the window is inclusive") {
    const Plan plan = plan_of({input({row(1, 0, 1)}), input({row(1, 2000, 1)})}, 2s);
    CHECK(plan.inputs[1].duplicates_window == 1);
    const Plan wider = plan_of({input({row(1, 0, 1)}), input({row(1, 2001, 1)})}, 2s);
    CHECK(wider.inputs[1].duplicates_window == 0);
  }

  SUBCASE("an offset is the secondary's instant minus the kept row's") {
    const Plan plan = plan_of(
      {input({row(1, 5000, 1), row(2, 5000, 2)}), input({row(1, 3800, 1), row(2, 6100, 2)})}, 2s);
    CHECK(plan.inputs[1].duplicates_window == 2);
    std::vector<std::int64_t> offsets = plan.inputs[1].match_offsets.values();
    std::sort(offsets.begin(), offsets.end());
    CHECK(join(offsets) == join({-1200 * k_ns_per_ms, 1100 * k_ns_per_ms}));
  }

  SUBCASE("exact and window duplicates are counted apart") {
    const Plan plan =
      plan_of({input({row(1, 0, 1), row(2, 0, 2)}), input({row(1, 0, 1), row(2, 1500, 2)})}, 2s);
    CHECK(plan.inputs[1].duplicates_exact == 1);
    CHECK(plan.inputs[1].duplicates_window == 1);
    CHECK(join(plan.inputs[1].match_offsets.values()) == join({1500 * k_ns_per_ms}));
  }

  SUBCASE("an exact duplicate wins over a match within the window") {
    const Plan plan =
      plan_of({input({row(1, 0, 1), row(1, 1000, 2)}), input({row(1, 1000, 1)})}, 2s);
    CHECK(plan.inputs[1].duplicates_exact == 1);
    CHECK(plan.inputs[1].duplicates_window == 0);
    CHECK(plan.rows_out == 2);
  }

  SUBCASE("text times never match a real instant, whatever the window") {
    const Plan plan = plan_of({input({row(1, 0, 1)}), input({text_row(1, 1)})}, 168h);
    CHECK(plan.inputs[1].duplicates_exact == 0);
    CHECK(plan.inputs[1].duplicates_window == 0);
    CHECK(plan.inputs[1].added.size() == 1);
  }

  SUBCASE("a window of a week still keeps far instants apart") {
    const Plan plan = plan_of({input({row(1, 0, 1)}), input({row(1, 8LL * 86'400'000, 1)})}, 168h);
    CHECK(plan.inputs[1].duplicates_window == 0);
    CHECK(plan.inputs[1].added.size() == 1);
  }
}

TEST_CASE("plan: matching within the window is one-to-one") {
  SUBCASE("three clicks on the secondary, one on the primary: three rows") {
    const Plan plan = plan_of(
      {input({row(1, 600, 1)}), input({row(1, 0, 1), row(1, 500, 2), row(1, 1000, 3)})}, 2s);
    CHECK(plan.inputs[1].duplicates_window == 1);
    // Nearest first: 500 ms is 100 ms from the primary's click.
    CHECK(describe(plan.inputs[1].added) == "1>1000 3>1001");
    CHECK(plan.rows_out == 3);
  }

  SUBCASE("three clicks on the primary, one on the secondary: three rows") {
    const Plan plan = plan_of(
      {input({row(1, 0, 1), row(1, 500, 2), row(1, 1000, 3)}), input({row(1, 600, 1)})}, 2s);
    CHECK(plan.inputs[1].duplicates_window == 1);
    CHECK(plan.inputs[1].added.empty());
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
    CHECK(plan.inputs[1].duplicates_window == 1);
    CHECK(join(plan.inputs[1].match_offsets.values()) == join({-100 * k_ns_per_ms}));
    CHECK(describe(plan.inputs[1].added) == "12>1000");
    CHECK(plan.rows_out == 3);
  }

  SUBCASE("a freed row pairs with its next neighbour") {
    // (1000, 1100) first; then 0 and 700 become neighbours, 700 ms apart.
    const Plan plan = plan_of(
      {input({row(1, 0, 1), row(1, 1000, 2)}), input({row(1, 700, 11), row(1, 1100, 12)})}, 1000ms);
    CHECK(plan.inputs[1].duplicates_window == 2);
    std::vector<std::int64_t> offsets = plan.inputs[1].match_offsets.values();
    std::sort(offsets.begin(), offsets.end());
    CHECK(join(offsets) == join({100 * k_ns_per_ms, 700 * k_ns_per_ms}));
    CHECK(plan.inputs[1].added.empty());
  }

  SUBCASE("equally near pairs: the earlier goes first") {
    // Secondary at 0 and 2000, merged at 1000 and 3000, every neighbour 1000 ms apart: taking
    // (0, 1000) first leaves (2000, 3000), two matches.
    const Plan plan =
      plan_of({input({row(1, 1000, 1), row(1, 3000, 2)}), input({row(1, 0, 11), row(1, 2000, 12)})},
              1000ms);
    CHECK(plan.inputs[1].duplicates_window == 2);
    CHECK(plan.inputs[1].added.empty());
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
  CHECK(plan.inputs[1].duplicates_window == 2);
  CHECK(describe(plan.inputs[1].added) == "2>1000");
}

TEST_CASE("plan: rows of the same input never match each other") {
  SUBCASE("a double click 200 ms apart on the secondary, nothing on the primary") {
    const Plan plan = plan_of({input({row(2, 0, 1)}), input({row(1, 0, 1), row(1, 200, 2)})}, 2s);
    CHECK(plan.inputs[1].duplicates_exact == 0);
    CHECK(plan.inputs[1].duplicates_window == 0);
    CHECK(describe(plan.inputs[1].added) == "1>1000 2>1001");
    CHECK(plan.rows_out == 3);
  }

  SUBCASE("a double click 200 ms apart on both: two rows") {
    const Plan plan = plan_of(
      {input({row(1, 0, 1), row(1, 200, 2)}), input({row(1, 1100, 1), row(1, 1300, 2)})}, 2s);
    CHECK(plan.inputs[1].duplicates_window == 2);
    CHECK(plan.inputs[1].added.empty());
    CHECK(plan.rows_out == 2);
  }

  SUBCASE("a double click on the secondary meeting one click on the primary") {
    const Plan plan =
      plan_of({input({row(1, 0, 1)}), input({row(1, 1100, 1), row(1, 1300, 2)})}, 2s);
    CHECK(plan.inputs[1].duplicates_window == 1);
    CHECK(describe(plan.inputs[1].added) == "2>1000");
  }
}

TEST_CASE("plan: several secondaries are folded in order") {
  SUBCASE("an outage row on both secondaries ends up once") {
    const Plan plan = plan_of({input({row(1, 0, 1), row(1, 1000, 2)}),
                               input({row(1, 0, 1), row(1, 1000, 2), row(2, 5000, 3)}),
                               input({row(1, 0, 1), row(2, 5000, 2), row(3, 7000, 3)})},
                              0ns,
                              100);
    CHECK(plan.inputs[1].duplicates_exact == 2);
    CHECK(describe(plan.inputs[1].added) == "3>100");
    CHECK(plan.inputs[2].duplicates_exact == 2);
    CHECK(describe(plan.inputs[2].added) == "3>101");
    CHECK(plan.rows_out == 4);
  }

  SUBCASE("within the window too, against the rows added before") {
    const Plan plan = plan_of(
      {input({row(1, 0, 1)}), input({row(2, 5000, 1)}), input({row(2, 6200, 1), row(1, 1200, 2)})},
      2s);
    CHECK(plan.inputs[2].duplicates_window == 2);
    CHECK(plan.inputs[2].added.empty());
    CHECK(plan.rows_out == 2);
  }

  SUBCASE("one click replicated on three nodes is one row") {
    const Plan plan =
      plan_of({input({row(1, 0, 1)}), input({row(1, 0, 1)}), input({row(1, 0, 1)})});
    CHECK(plan.inputs[1].duplicates_exact == 1);
    CHECK(plan.inputs[2].duplicates_exact == 1);
    CHECK(plan.rows_out == 1);
  }

  SUBCASE("the multiset grows to the largest count seen") {
    const Plan plan = plan_of({input({row(1, 0, 1)}),
                               input({row(1, 0, 1), row(1, 0, 2)}),
                               input({row(1, 0, 1), row(1, 0, 2), row(1, 0, 3)}),
                               input({row(1, 0, 1)})});
    CHECK(plan.inputs[1].added.size() == 1);
    CHECK(plan.inputs[2].added.size() == 1);
    CHECK(plan.inputs[3].added.empty());
    CHECK(plan.rows_out == 3);
  }

  SUBCASE("a later secondary matches the primary and an earlier secondary alike") {
    // Its first two clicks match the primary's row and the row the first secondary added.
    const Plan plan = plan_of({input({row(1, 0, 1)}),
                               input({row(1, 3000, 1)}),
                               input({row(1, 500, 1), row(1, 3500, 2), row(1, 9000, 3)})},
                              1s);
    CHECK(describe(plan.inputs[1].added) == "1>1000");
    CHECK(plan.inputs[2].duplicates_window == 2);
    CHECK(describe(plan.inputs[2].added) == "3>1001");
    CHECK(plan.rows_out == 3);
  }
}

TEST_CASE("plan: the result does not depend on the order of the rows") {
  std::mt19937_64 cases(20260218);
  for (int trial = 0; trial < 30; ++trial) {
    CAPTURE(trial);
    const std::vector<InputKeys> inputs = random_inputs(cases, Repeats::any);
    const std::chrono::nanoseconds window = random_window(cases);
    const Plan expected = plan_of(inputs, window);
    for (const std::uint64_t seed : {1ULL, 2ULL, 3ULL, 42ULL, 4242ULL}) {
      CAPTURE(seed);
      std::mt19937_64 random(seed);
      std::vector<InputKeys> shuffled = inputs;
      for (InputKeys& one : shuffled) {
        std::vector<RowKey> keys = keys_of(one);
        std::shuffle(keys.begin(), keys.end(), random);
        std::shuffle(one.unkeyed.begin(), one.unkeyed.end(), random);
        one = input(keys, one.unkeyed);
      }
      check_same_plan(expected, plan_of(shuffled, window));
    }
  }
}

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
    const InputPlan& result = plan.inputs[1];
    CHECK(result.duplicates_window == k_clicks - 1);
    CHECK(result.duplicates_exact == 0);
    CHECK(describe(result.added) == std::to_string(k_clicks) + ">1000");
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
    CHECK(plan.inputs[1].duplicates_window == k_clicks);
    CHECK(plan.inputs[1].added.empty());
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
    CHECK(plan.inputs[1].duplicates_exact == k_clicks);
    CHECK(plan.inputs[1].added.size() == 1);
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
    CHECK(plan.inputs[1].duplicates_exact == k_clicks);
    CHECK(plan.inputs[1].conflicts == 1);
    CHECK(plan.inputs[1].added.empty());
  }

  SUBCASE("two instants 1 s apart, no payload shared: all conflicts") {
    std::vector<RowKey> primary;
    std::vector<RowKey> secondary;
    for (int k = 0; k < k_clicks; ++k) {
      primary.push_back(row(1, 0, k + 1, static_cast<std::uint32_t>(2 * k)));
      secondary.push_back(row(1, 1000, k + 1, static_cast<std::uint32_t>(2 * k + 1)));
    }
    const Plan plan = plan_of({input(primary), input(secondary)}, 2s);
    CHECK(plan.inputs[1].duplicates_window == k_clicks);
    CHECK(plan.inputs[1].conflicts == k_clicks);
    CHECK(plan.inputs[1].added.empty());
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
    const std::vector<InputKeys> inputs =
      random_inputs(random, trial % 2 == 0 ? Repeats::none : Repeats::same_payload);
    const std::chrono::nanoseconds window = random_window(random);
    CAPTURE(window.count());
    const ReferencePlan expected = reference_plan(inputs, window);
    const Plan actual = plan_of(inputs, window);
    REQUIRE(actual.inputs.size() == inputs.size());
    std::int64_t rows_out = actual.inputs.front().rows;
    for (std::size_t n = 1; n < inputs.size(); ++n) {
      CAPTURE(n);
      const ReferenceInput& want = expected.inputs[n];
      const InputPlan& got = actual.inputs[n];
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
    InputKeys sorted = input(keys);
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
    std::vector<InputKeys> inputs = random_inputs(random, Repeats::any);
    inputs.resize(k_inputs); // the missing secondaries are empty
    const std::int64_t id_base = static_cast<std::int64_t>(c) * 100;
    for (InputKeys& one : inputs) {
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
      const InputPlan& part = small.inputs[static_cast<std::size_t>(n)];
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
      const InputKeys& one = inputs[static_cast<std::size_t>(n)];
      const std::vector<RowKey> keys = keys_of(one);
      joined_keys[n].insert(joined_keys[n].end(), keys.begin(), keys.end());
      joined_unkeyed[n].insert(joined_unkeyed[n].end(), one.unkeyed.begin(), one.unkeyed.end());
    }
  }
  std::vector<InputKeys> large;
  for (int n = 0; n < k_inputs; ++n) {
    large.push_back(input(joined_keys[n], joined_unkeyed[n]));
  }
  REQUIRE(large[0].keys.size() + large[1].keys.size() >= 65'536);
  const Plan plan = plan_of(large, window);
  for (int n = 1; n < k_inputs; ++n) {
    CAPTURE(n);
    const InputPlan& got = plan.inputs[static_cast<std::size_t>(n)];
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
std::vector<InputKeys> spilling(const std::vector<InputKeys>& inputs,
                                heatmap_merge::SpillSpace& space,
                                std::size_t max_keys) {
  std::vector<InputKeys> result;
  for (const InputKeys& one : inputs) {
    InputKeys copy = one;
    copy.keys = heatmap_merge::KeyStore(&space, max_keys);
    for (const RowKey& key : keys_of(one)) {
      copy.keys.add(key);
    }
    result.push_back(std::move(copy));
  }
  return result;
}

std::string describe_samples(const InputPlan& input) {
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
      const std::vector<InputKeys> inputs =
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
          for (std::size_t n = 1; n < expected.inputs.size(); ++n) {
            CHECK(describe_samples(actual.inputs[n]) == describe_samples(expected.inputs[n]));
          }
        }
      }
    }
  }
  SUBCASE("large enough to match in two threads, many runs") {
    std::vector<InputKeys> inputs;
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
        for (std::size_t n = 1; n < expected.inputs.size(); ++n) {
          CHECK(describe_samples(actual.inputs[n]) == describe_samples(expected.inputs[n]));
        }
        CHECK(space->spilled_bytes() > 0);
      }
    }
  }
}

TEST_CASE("spill: a store gives back what it was given, sorted, in memory or spilled") {
  for (const int partition_bits : {heatmap_merge::k_key_partition_bits, 1}) {
    CAPTURE(partition_bits);
    heatmap_merge::SpillSpace space(std::filesystem::temp_directory_path(), partition_bits);
    std::mt19937_64 random(5);
    for (const std::size_t max_keys : {1UL, 10UL, 1000UL, 100'000UL}) {
      CAPTURE(max_keys);
      heatmap_merge::KeyStore store(&space, max_keys);
      std::vector<RowKey> keys;
      for (std::int64_t n = 0; n < 20'000; ++n) {
        RowKey key = row(static_cast<std::uint32_t>(random() % 500), n % 97, n);
        key.group_hi = random();
        keys.push_back(key);
        store.add(key);
      }
      store.finish();
      CHECK(store.spilled() == (max_keys < keys.size()));
      std::sort(keys.begin(), keys.end(), KeyLess());
      std::vector<RowKey> got;
      store.for_each([&got](const RowKey& key) { got.push_back(key); });
      REQUIRE(got.size() == keys.size());
      CHECK(std::equal(got.begin(), got.end(), keys.begin(), [](const RowKey& a, const RowKey& b) {
        return a.rowid == b.rowid;
      }));
      // The partitions, read one by one within max_keys of memory, are the whole in order.
      const int bits = space.partition_bits();
      std::vector<RowKey> parts;
      std::vector<RowKey> memory;
      for (std::size_t p = 0; p < (std::size_t{1} << bits); ++p) {
        const heatmap_merge::KeyPart part = store.part(p, p + 1, bits, &space, max_keys, memory);
        for (heatmap_merge::RunMerger<RowKey, heatmap_merge::KeyOrder> merger(part.cursors());
             !merger.done();
             merger.advance()) {
          CHECK((merger.head().group_hi >> (64 - bits)) == p);
          parts.push_back(merger.head());
        }
      }
      REQUIRE(parts.size() == keys.size());
      CHECK(
        std::equal(parts.begin(), parts.end(), keys.begin(), [](const RowKey& a, const RowKey& b) {
          return a.rowid == b.rowid;
        }));
      // Read in batches of partitions that start anywhere, the same.
      const std::size_t all = std::size_t{1} << bits;
      for (const std::size_t batch : {std::size_t{3}, std::size_t{37}, all}) {
        CAPTURE(batch);
        std::vector<std::int64_t> rowids;
        std::size_t spilled = 0;
        for (std::size_t first = 0; first < all; first += batch) {
          const std::size_t last = std::min(first + batch, all);
          spilled += store.spilled_keys(first, last);
          const heatmap_merge::KeyPart part =
            store.part(first, last, bits, &space, max_keys, memory);
          for (heatmap_merge::RunMerger<RowKey, heatmap_merge::KeyOrder> merger(part.cursors());
               !merger.done();
               merger.advance()) {
            rowids.push_back(merger.head().rowid);
          }
        }
        CHECK(spilled == (store.spilled() ? keys.size() : 0));
        REQUIRE(rowids.size() == keys.size());
        for (std::size_t n = 0; n < keys.size(); ++n) {
          REQUIRE(rowids[n] == keys[n].rowid);
        }
      }
    }
  }
}

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

TEST_CASE("stats: offsets spilled a few to a run summarise as the same offsets in memory") {
  heatmap_merge::SpillSpace space(std::filesystem::temp_directory_path());
  std::mt19937_64 random(99);
  for (const std::size_t count : {1UL, 2UL, 7UL, 100UL, 5'001UL}) {
    CAPTURE(count);
    std::vector<std::int64_t> offsets;
    heatmap_merge::OffsetSet first(&space, 3);
    heatmap_merge::OffsetSet second(&space, 5);
    for (std::size_t n = 0; n < count; ++n) {
      const std::int64_t offset =
        static_cast<std::int64_t>(random() % 4'000'000'000) - 2'500'000'000;
      offsets.push_back(offset);
      (n % 3 == 0 ? first : second).add(offset);
    }
    first.finish();
    second.finish();
    const heatmap_merge::OffsetSummary got = heatmap_merge::summarize_offsets(
      std::vector<const heatmap_merge::OffsetSet*>{&first, &second});
    // As the summary was first written: sorted copies and indexes.
    std::sort(offsets.begin(), offsets.end());
    std::vector<std::int64_t> magnitudes;
    for (const std::int64_t offset : offsets) {
      magnitudes.push_back(std::abs(offset));
    }
    std::sort(magnitudes.begin(), magnitudes.end());
    CHECK(got.count == static_cast<std::int64_t>(count));
    CHECK(got.min_ns == offsets.front());
    CHECK(got.max_ns == offsets.back());
    CHECK(got.median_ns == (count % 2 == 1 ? offsets[count / 2]
                                           : offsets[count / 2 - 1] / 2 + offsets[count / 2] / 2));
    CHECK(got.window_99_ns == magnitudes[(count * 99 + 99) / 100 - 1]);
    std::int64_t binned = 0;
    for (const heatmap_merge::HistogramBin& bin : got.histogram) {
      const std::int64_t inside =
        std::count_if(offsets.begin(), offsets.end(), [&](std::int64_t o) {
          return o >= bin.from_ns && o < bin.to_ns;
        });
      CHECK(bin.count == inside);
      binned += bin.count;
    }
    CHECK(binned == static_cast<std::int64_t>(count));
  }
}

namespace {

heatmap_merge::OffsetSet offsets_ms(const std::vector<std::int64_t>& milliseconds) {
  heatmap_merge::OffsetSet set;
  for (const std::int64_t ms : milliseconds) {
    set.add(ms * k_ns_per_ms);
  }
  set.finish();
  return set;
}

heatmap_merge::OffsetSummary summary_ms(const std::vector<std::int64_t>& milliseconds) {
  const heatmap_merge::OffsetSet set = offsets_ms(milliseconds);
  return heatmap_merge::summarize_offsets(std::vector<const heatmap_merge::OffsetSet*>{&set});
}

// "from-to:count" per bin, in ms: readable when a check fails.
std::string bins_of(const heatmap_merge::OffsetSummary& summary) {
  std::string text;
  for (const heatmap_merge::HistogramBin& bin : summary.histogram) {
    if (!text.empty()) {
      text += ' ';
    }
    text += std::to_string(bin.from_ns / k_ns_per_ms);
    text += '-';
    text += std::to_string(bin.to_ns / k_ns_per_ms);
    text += ':';
    text += std::to_string(bin.count);
  }
  return text;
}

// Whether some bin with no pair lies between two bins that have some.
bool empty_interior_bin(const heatmap_merge::OffsetSummary& summary) {
  const std::vector<heatmap_merge::HistogramBin>& bins = summary.histogram;
  for (std::size_t n = 1; n + 1 < bins.size(); ++n) {
    if (bins[n].count == 0) {
      return true;
    }
  }
  return false;
}

std::vector<std::int64_t> sorted(std::vector<std::int64_t> values) {
  std::sort(values.begin(), values.end());
  return values;
}

} // namespace

TEST_CASE("stats: histogram bins are never finer than the offsets' resolution") {
  SUBCASE("the sample replicas' failover pairs, 100 ms apart: one bin each, none empty") {
    const heatmap_merge::OffsetSummary summary = summary_ms({1250, 1350, 1450, 1550, 1650});
    CHECK(summary.resolution_ns == 100 * k_ns_per_ms);
    CHECK(bins_of(summary) == "1200-1300:1 1300-1400:1 1400-1500:1 1500-1600:1 1600-1700:1");
  }

  SUBCASE("a gap the data has stays: the resolution does not explain it") {
    const heatmap_merge::OffsetSummary summary = summary_ms({1200, 1300, 1600});
    CHECK(summary.resolution_ns == 100 * k_ns_per_ms);
    CHECK(bins_of(summary) == "1200-1300:1 1300-1400:1 1400-1500:0 1500-1600:0 1600-1700:1");
  }

  SUBCASE("a 300 ms step: bins of 500 ms, each holding a possible offset") {
    const heatmap_merge::OffsetSummary summary = summary_ms({-600, -300, 0, 300, 600, 900, 1200});
    CHECK(summary.resolution_ns == 300 * k_ns_per_ms);
    CHECK(bins_of(summary) == "-1000--500:1 -500-0:1 0-500:2 500-1000:2 1000-1500:1");
  }

  SUBCASE("fine offsets keep bins as fine as ten of them over the span allow") {
    const heatmap_merge::OffsetSummary summary = summary_ms({1000, 1001, 1037, 1100});
    CHECK(summary.resolution_ns == k_ns_per_ms);
    CHECK(bins_of(summary) ==
          "1000-1020:2 1020-1040:1 1040-1060:0 1060-1080:0 1080-1100:0 1100-1120:1");
  }

  SUBCASE("one offset, or several equal: one bin") {
    CHECK(summary_ms({1300}).resolution_ns == 0);
    CHECK(bins_of(summary_ms({1300, 1300})) == "1300-1301:2");
  }

  SUBCASE("offsets at every step of a lattice never leave an interior bin empty") {
    std::mt19937_64 random(16);
    for (const std::int64_t step_ms : {1, 20, 50, 100, 250, 300, 700, 1000}) {
      for (int trial = 0; trial < 20; ++trial) {
        CAPTURE(step_ms);
        CAPTURE(trial);
        const std::int64_t start = static_cast<std::int64_t>(random() % 5000) - 2500;
        const std::int64_t steps = 1 + static_cast<std::int64_t>(random() % 60);
        std::vector<std::int64_t> offsets;
        for (std::int64_t n = 0; n <= steps; ++n) {
          // Every lattice point at least once, some twice.
          for (std::uint64_t copies = 1 + random() % 2; copies > 0; --copies) {
            offsets.push_back(start + n * step_ms);
          }
        }
        const heatmap_merge::OffsetSummary summary = summary_ms(offsets);
        CHECK(summary.resolution_ns == step_ms * k_ns_per_ms);
        CHECK_FALSE(empty_interior_bin(summary));
        CHECK(summary.histogram.size() <= 11);
        CAPTURE(bins_of(summary));
        CHECK(summary.histogram.front().to_ns - summary.histogram.front().from_ns >=
              summary.resolution_ns);
      }
    }
  }
}

TEST_CASE("stats: a suggested window is the widest pair rounded up to half a power of ten") {
  const auto rounded = [](std::int64_t widest_ns) {
    std::int64_t step_ns = 0;
    const std::int64_t window_ns = heatmap_merge::round_window_up(widest_ns, step_ns);
    return std::pair<std::int64_t, std::int64_t>(window_ns, step_ns);
  };
  using Pair = std::pair<std::int64_t, std::int64_t>;
  CHECK(rounded(1'650'000'000) == Pair(2'000'000'000, 500'000'000));
  CHECK(rounded(1'694'000'000) == Pair(2'000'000'000, 500'000'000));
  CHECK(rounded(2'000'000'001) == Pair(2'500'000'000, 500'000'000));
  CHECK(rounded(1'000'000'000) == Pair(1'000'000'000, 500'000'000));
  CHECK(rounded(9'600'000'000) == Pair(10'000'000'000, 500'000'000));
  CHECK(rounded(10'000'000'000) == Pair(10'000'000'000, 5'000'000'000));
  CHECK(rounded(999'000'000) == Pair(1'000'000'000, 50'000'000));
  CHECK(rounded(32'000'000) == Pair(35'000'000, 5'000'000));
  CHECK(rounded(7) == Pair(7, 1));
  CHECK(rounded(0) == Pair(0, 0));
}

TEST_CASE("stats: the window advice") {
  const heatmap_merge::OffsetSet matched = offsets_ms({1200, -1300, 1600, 1600});
  const heatmap_merge::OffsetSet near = offsets_ms({1400});
  const std::vector<const heatmap_merge::OffsetSet*> sets{&matched, &near};

  SUBCASE("it matches every pair; one step less leaves the wider ones apart") {
    const heatmap_merge::WindowAdvice advice =
      heatmap_merge::advise_window(sets, 1500 * k_ns_per_ms);
    CHECK(advice.pairs == 5);
    CHECK(advice.widest_ns == 1600 * k_ns_per_ms);
    CHECK(advice.window_ns == 2000 * k_ns_per_ms);
    CHECK(advice.step_ns == 500 * k_ns_per_ms);
    CHECK(advice.tighter_ns == 1500 * k_ns_per_ms);
    CHECK(advice.tighter_apart == 2);
    CHECK(advice.beyond == 0);
    CHECK_FALSE(advice.too_wide);
  }

  SUBCASE("up to twice the suggestion is not too wide; more is") {
    CHECK_FALSE(heatmap_merge::advise_window(sets, 4000 * k_ns_per_ms).too_wide);
    CHECK(heatmap_merge::advise_window(sets, 4001 * k_ns_per_ms).too_wide);
    CHECK(heatmap_merge::advise_window(sets, 3'600'000 * k_ns_per_ms).too_wide);
  }

  SUBCASE("pairs beyond the horizon are not suggested for, and make the window too wide") {
    const heatmap_merge::OffsetSet far = offsets_ms({1200, 1300, -1'800'000, 11'000});
    const heatmap_merge::WindowAdvice advice = heatmap_merge::advise_window(
      std::vector<const heatmap_merge::OffsetSet*>{&far}, 3'600'000 * k_ns_per_ms);
    CHECK(advice.pairs == 2);
    CHECK(advice.window_ns == 1500 * k_ns_per_ms);
    CHECK(advice.beyond == 2);
    CHECK(advice.too_wide);
  }

  SUBCASE("only pairs beyond the horizon: nothing to suggest, still too wide") {
    const heatmap_merge::OffsetSet far = offsets_ms({600'000});
    const heatmap_merge::WindowAdvice advice = heatmap_merge::advise_window(
      std::vector<const heatmap_merge::OffsetSet*>{&far}, 3'600'000 * k_ns_per_ms);
    CHECK(advice.pairs == 0);
    CHECK(advice.beyond == 1);
    CHECK(advice.too_wide);
  }

  SUBCASE("no pair at all: nothing to suggest, nothing to warn of") {
    const heatmap_merge::OffsetSet none = offsets_ms({});
    const heatmap_merge::WindowAdvice advice = heatmap_merge::advise_window(
      std::vector<const heatmap_merge::OffsetSet*>{&none}, 3'600'000 * k_ns_per_ms);
    CHECK(advice.pairs == 0);
    CHECK_FALSE(advice.too_wide);
  }
}

TEST_CASE("plan: the near-miss probe looks as far as the advice's horizon") {
  const std::int64_t horizon_ms = heatmap_merge::k_pair_horizon_ns / k_ns_per_ms;
  const Plan within = plan_of({input({row(1, 0, 1)}), input({row(1, horizon_ms, 1)})}, 1s);
  CHECK(within.inputs[1].near_miss_offsets.size() == 1);
  const Plan beyond = plan_of({input({row(1, 0, 1)}), input({row(1, horizon_ms + 1, 1)})}, 1s);
  CHECK(beyond.inputs[1].near_miss_offsets.empty());
}

TEST_CASE("plan: the suggested window matches every pair it promises, a tighter one leaves apart "
          "what the advice says") {
  constexpr int k_trials = 300;
  std::mt19937_64 random(1616);
  int suggested = 0;
  for (int trial = 0; trial < k_trials; ++trial) {
    CAPTURE(trial);
    // One secondary: with several, each is matched against rows the window chose to add.
    std::vector<InputKeys> inputs = random_inputs(random, static_cast<Repeats>(trial % 3));
    inputs.resize(2);
    const std::chrono::nanoseconds k_windows[] = {0ns, 100ms, 500ms, 1000ms, 2000ms, 1h};
    const std::chrono::nanoseconds window = k_windows[random() % std::size(k_windows)];
    CAPTURE(window.count());
    const Plan plan = plan_of(inputs, window);
    const InputPlan& first = plan.inputs[1];
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
    CHECK(join(sorted(with.inputs[1].match_offsets.values())) == join(pairs));
    CHECK(with.inputs[1].near_miss_offsets.empty());
    CHECK(with.inputs[1].duplicates_exact == first.duplicates_exact);
    // Asked again, it suggests itself.
    const heatmap_merge::WindowAdvice again = heatmap_merge::advise_window(
      std::vector<const heatmap_merge::OffsetSet*>{&with.inputs[1].match_offsets,
                                                   &with.inputs[1].near_miss_offsets},
      advice.window_ns);
    CHECK(again.window_ns == advice.window_ns);
    CHECK_FALSE(again.too_wide);

    // One step tighter leaves apart exactly the pairs wider than it.
    const Plan tighter = plan_of(inputs, std::chrono::nanoseconds(advice.tighter_ns));
    CHECK(static_cast<std::int64_t>(tighter.inputs[1].near_miss_offsets.size()) ==
          advice.tighter_apart);
    CHECK(tighter.inputs[1].duplicates_window == advice.pairs - advice.tighter_apart);
  }
  CHECK(suggested >= k_trials / 2);
}
