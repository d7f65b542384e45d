// The keys, inputs and plan checks of plan_keys.hpp, for the plan's unit tests.
#include "plan_keys.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

using heatmap_merge::k_text_instant;
using heatmap_merge::make_plan;

using namespace std::chrono_literals;

namespace {

// A row with a NULL key column, unlike every other one made here: each gets a hash of its own.
std::uint64_t next_unkeyed_hash() {
  static std::uint64_t k_last = 0;
  return ++k_last;
}

} // namespace

namespace plan_keys {

Instant at_ms(std::int64_t ms) {
  return (k_base_ms + ms) * k_ns_per_ms;
}

RowKey row(std::uint32_t group, std::int64_t ms, std::int64_t rowid, std::uint32_t payload) {
  RowKey key;
  key.group_hi = 0x9e37'79b9'7f4a'7c15ULL * group;
  key.group_lo = group;
  key.payload = payload;
  key.instant = at_ms(ms);
  key.rowid = rowid;
  return key;
}

RowKey text_row(std::uint32_t group, std::int64_t rowid, std::uint32_t payload) {
  RowKey key = row(group, 0, rowid, payload);
  key.instant = k_text_instant;
  return key;
}

UnkeyedRow unkeyed(std::int64_t ms, std::int64_t rowid) {
  return UnkeyedRow{at_ms(ms), rowid, next_unkeyed_hash(), 7};
}

UnkeyedRow unkeyed_text(std::int64_t rowid) {
  return UnkeyedRow{k_text_instant, rowid, next_unkeyed_hash(), 7};
}

UnkeyedRow unkeyed_alike(std::uint64_t hash, std::int64_t rowid) {
  return UnkeyedRow{k_text_instant, rowid, hash, 0};
}

Keys input(std::vector<RowKey> keys, std::vector<UnkeyedRow> unkeyed_rows) {
  Keys result;
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

std::vector<RowKey> keys_of(const Keys& input) {
  std::vector<RowKey> keys;
  input.keys.for_each([&keys](const RowKey& key) { keys.push_back(key); });
  return keys;
}

std::vector<AddedRow> rows_of(const heatmap_merge::AddedRows& added) {
  std::vector<AddedRow> rows;
  added.for_each([&rows](const AddedRow& row) { rows.push_back(row); });
  return rows;
}

Plan plan_of(std::vector<Keys> inputs, std::chrono::nanoseconds window, std::int64_t next_id) {
  return make_plan(std::move(inputs), window, next_id);
}

std::string gather_insights(const heatmap_merge::AddedRows& added) {
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

std::vector<Keys> random_inputs(std::mt19937_64& random, Repeats repeats) {
  std::uniform_int_distribution<int> secondaries(1, 3);
  std::uniform_int_distribution<int> row_count(0, 9);
  std::uniform_int_distribution<int> unkeyed_count(0, 2);
  std::uniform_int_distribution<std::uint32_t> group(1, 3);
  std::uniform_int_distribution<std::int64_t> tenth(0, 40);
  std::uniform_int_distribution<std::uint32_t> payload(0, 2);
  std::uniform_int_distribution<int> percent(0, 99);
  const int input_count = 1 + secondaries(random);
  std::vector<Keys> inputs;
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
  CHECK(actual.primary_replays.found == expected.primary_replays.found);
  CHECK(actual.primary_replays.rows.size() == expected.primary_replays.rows.size());
  CHECK(actual.primary_replays.chance == expected.primary_replays.chance);
  REQUIRE(actual.shares.size() == expected.shares.size());
  for (std::size_t n = 0; n < expected.shares.size(); ++n) {
    CAPTURE(n);
    const Share& want = expected.shares[n];
    const Share& got = actual.shares[n];
    CHECK(gather_insights(got.added) == gather_insights(want.added));
    CHECK(got.rows == want.rows);
    CHECK(got.unkeyed == want.unkeyed);
    CHECK(got.duplicates_exact == want.duplicates_exact);
    CHECK(got.duplicates_window == want.duplicates_window);
    CHECK(got.conflicts == want.conflicts);
    CHECK(join(got.match_offsets.values()) == join(want.match_offsets.values()));
    CHECK(join(got.near_miss_offsets.values()) == join(want.near_miss_offsets.values()));
    CHECK(got.duplicates_replay == want.duplicates_replay);
    CHECK(got.replayed_duplicates == want.replayed_duplicates);
    CHECK(got.replay_chance == want.replay_chance);
    CHECK(join(got.replay_offsets.values()) == join(want.replay_offsets.values()));
    CHECK(join(got.replayed_offsets.values()) == join(want.replayed_offsets.values()));
  }
}

} // namespace plan_keys
