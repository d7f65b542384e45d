#pragma once

#include "heatmap_merge/insights.hpp"
#include "heatmap_merge/plan.hpp"

#include <filesystem>
#include <vector>

namespace heatmap_merge {

struct Options;
struct TableSchema;
struct ColumnLayout;
class Progress;

struct InPlaceSummary {
  std::filesystem::path backup; // empty when there was nothing to add
  std::int64_t inserted = 0;
  // Planned rows that the live primary had meanwhile received itself, found by the re-check.
  std::int64_t already_there = 0;
  std::int64_t transactions = 0;
  double longest_transaction_seconds = 0;
};

// The longest a write transaction on the live primary is allowed to grow, so that the service,
// which waits 5 s for a lock, never waits long.
inline constexpr double k_transaction_budget_seconds = 0.05;

// Inserts the plan's added rows into the live primary at `primary_path`: in the plan's order
// (time, then source id), in short BEGIN IMMEDIATE transactions, ids given by AUTOINCREMENT, and
// each row re-checked inside the transaction against the rows the service wrote since the plan's
// snapshot, which ended at row id plan.first_new_id - 1. Existing rows are never touched.
// `sources[i]` reads secondary i (sources[0] is unused).
InPlaceSummary insert_in_place(const std::filesystem::path& primary_path,
                               const TableSchema& primary_table,
                               const ColumnLayout& layout,
                               const std::vector<DetailSource>& sources,
                               const Plan& plan,
                               const Options& options,
                               Progress& progress);

} // namespace heatmap_merge
