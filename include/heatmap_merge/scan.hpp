#pragma once

#include "heatmap_merge/plan.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>

namespace SQLite {
class Database;
}

namespace heatmap_merge {

struct Options;
struct TableSchema;
struct ColumnLayout;
class Progress;

// Row ids from `first` to `last`, both included.
struct RowRange {
  std::int64_t first = 0;
  std::int64_t last = 0;
};

// Reads what the planner needs of every row of the click table, in one pass. `path` names the
// file in error messages.
InputKeys scan_keys(SQLite::Database& database,
                    const std::filesystem::path& path,
                    const TableSchema& schema,
                    const ColumnLayout& layout,
                    const Options& options,
                    Progress& progress);

} // namespace heatmap_merge
