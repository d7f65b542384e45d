#pragma once
// The rows the report shows, read again from the snapshots once the plan is made: the busiest
// pages, the sample rows, the heat grids (read layer, after planning).

#include "plan/insights.hpp"
#include "plan/plan.hpp"

#include <vector>

namespace SQLite {
class Database;
}

namespace heatmap_merge {

struct TableSchema;
struct Options;

// Where to read an input's rows from: for the primary in a real run, the copy.
struct RowSource {
  SQLite::Database* database = nullptr;
  const TableSchema* table = nullptr;
};

// How many added rows the verbose report shows.
inline constexpr std::size_t k_added_samples = 5;

// Reads what the report shows of the added rows: rows added per page (the first key column),
// the heat grid of the busiest pages (when the table has x and y columns), and, when
// `with_samples`, sample rows of what is added and of each conflict. The pages are counted within
// `space`'s store budget, spilling beyond it (PageTally).
void read_details(Insights& insights,
                  const Plan& plan,
                  const std::vector<RowSource>& sources,
                  const Options& options,
                  const PlanSpace& space,
                  bool with_samples);

} // namespace heatmap_merge
