#pragma once

// What scan_keys() made of a table, for comparing the page scan with SQLite's own reading
// (page_scan_check.hpp, fuzz_page_scan.cpp).

#include "plan/plan.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

struct ScanOutcome {
  bool ok = false;
  std::string error;
  int code = 0;
  std::int64_t rows = 0;
  std::int64_t max_rowid = 0;
  std::int64_t paired = 0;
  std::optional<heatmap_merge::Instant> first;
  std::optional<heatmap_merge::Instant> last;
  std::vector<std::pair<heatmap_merge::Instant, std::int64_t>> unkeyed;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> unkeyed_hashes; // of every column
  std::vector<
    std::tuple<std::int64_t, heatmap_merge::Instant, std::uint64_t, std::uint32_t, std::uint32_t>>
    keys;
  heatmap_merge::Timeline timeline;
};

// A successful scan's keys (every key of the store, in its order) as an outcome.
inline ScanOutcome outcome_of(heatmap_merge::Keys& keys) {
  ScanOutcome outcome;
  outcome.ok = true;
  outcome.rows = keys.rows;
  outcome.max_rowid = keys.max_rowid;
  outcome.paired = keys.paired;
  outcome.first = keys.first;
  outcome.last = keys.last;
  for (const heatmap_merge::UnkeyedRow& row : keys.unkeyed) {
    outcome.unkeyed.emplace_back(row.instant, row.rowid);
    outcome.unkeyed_hashes.emplace_back(row.group_hi, row.group_lo);
  }
  keys.keys.finish();
  keys.keys.for_each([&outcome](const heatmap_merge::RowKey& key) {
    outcome.keys.emplace_back(key.rowid, key.instant, key.group_hi, key.group_lo, key.payload);
  });
  outcome.timeline = keys.timeline;
  return outcome;
}
