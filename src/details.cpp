#include "heatmap_merge/details.hpp"
#include "heatmap_merge/error.hpp"
#include "heatmap_merge/options.hpp"
#include "heatmap_merge/schema.hpp"
#include "heatmap_merge/sql_text.hpp"
#include "raw_statement.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace heatmap_merge {

namespace {

// How many pages get a heat grid.
constexpr std::size_t k_heat_pages = 3;

std::string value_text(sqlite3_stmt* row, int column) {
  switch (sqlite3_column_type(row, column)) {
  case SQLITE_NULL:
    return "NULL";
  case SQLITE_BLOB: {
    const unsigned char* bytes =
      static_cast<const unsigned char*>(sqlite3_column_blob(row, column));
    std::string text = "x'";
    for (int i = 0; i < sqlite3_column_bytes(row, column); ++i) {
      text += fmt::format("{:02x}", bytes[i]);
    }
    return text + "'";
  }
  default:
    return std::string(reinterpret_cast<const char*>(sqlite3_column_text(row, column)),
                       static_cast<std::size_t>(sqlite3_column_bytes(row, column)));
  }
}

SampleRow read_sample(const DetailSource& source, std::size_t input, std::int64_t rowid) {
  RawStatement statement(
    *source.database,
    fmt::format("SELECT * FROM main.{} WHERE _rowid_ = ?1", quote_identifier(source.table->table)),
    source.table->path);
  sqlite3_bind_int64(statement.get(), 1, rowid);
  SampleRow sample;
  sample.input = input;
  sample.rowid = rowid;
  if (statement.step("reading a sample row")) {
    for (int column = 0; column < sqlite3_column_count(statement.get()); ++column) {
      sample.values.emplace_back(sqlite3_column_name(statement.get(), column),
                                 value_text(statement.get(), column));
    }
  }
  return sample;
}

struct PageAccumulator {
  std::int64_t rows = 0;
  std::vector<std::pair<double, double>> points;
};

void fill_heat(PageInsight& page, const std::vector<std::pair<double, double>>& points) {
  if (points.empty()) {
    return;
  }
  double min_x = points.front().first;
  double max_x = min_x;
  double min_y = points.front().second;
  double max_y = min_y;
  for (const std::pair<double, double>& point : points) {
    min_x = std::min(min_x, point.first);
    max_x = std::max(max_x, point.first);
    min_y = std::min(min_y, point.second);
    max_y = std::max(max_y, point.second);
  }
  auto cell = [](double value, double low, double high) {
    const double span = high - low;
    const double scaled = span > 0 ? (value - low) / span * k_heat_cells : 0;
    return std::min(k_heat_cells - 1, static_cast<std::size_t>(std::max(0.0, scaled)));
  };
  for (const std::pair<double, double>& point : points) {
    ++page.heat[cell(point.second, min_y, max_y) * k_heat_cells + cell(point.first, min_x, max_x)];
  }
}

} // namespace

void read_details(Insights& insights,
                  const Plan& plan,
                  const std::vector<DetailSource>& sources,
                  const Options& options,
                  bool with_samples) {
  const std::string& page_column = options.key_columns.front();
  std::unordered_map<std::string, PageAccumulator> pages;
  for (std::size_t input = 1; input < sources.size(); ++input) {
    const DetailSource& source = sources[input];
    const TableSchema& table = *source.table;
    const bool has_xy = table.find("x") && table.find("y");
    const std::string select =
      fmt::format("SELECT _rowid_, {}, {} FROM main.{} WHERE _rowid_ >= ?1 ORDER BY _rowid_",
                  quote_identifier(page_column),
                  has_xy ? "\"x\", \"y\"" : "NULL, NULL",
                  quote_identifier(table.table));
    RawStatement reader(*source.database, select, table.path);
    visit_added_rows(
      reader, table.path, plan.inputs[input].added, [&](sqlite3_stmt* row, const AddedRow&) {
        PageAccumulator& page = pages[value_text(row, 1)];
        ++page.rows;
        if (sqlite3_column_type(row, 2) != SQLITE_NULL &&
            sqlite3_column_type(row, 3) != SQLITE_NULL) {
          page.points.emplace_back(sqlite3_column_double(row, 2), sqlite3_column_double(row, 3));
        }
      });
    if (with_samples) {
      for (RunMerger<AddedRow, SourceOrder> added = plan.inputs[input].added.merge();
           !added.done() && insights.added_samples.size() < k_added_samples;
           added.advance()) {
        insights.added_samples.push_back(read_sample(source, input, added.head().source_rowid));
        insights.added_samples.back().new_id = added.head().new_id;
      }
      for (const ConflictPair& conflict : plan.inputs[input].conflict_samples) {
        // A row kept from an earlier secondary has no id in any input yet: show the primary's.
        if (conflict.kept_rowid >= plan.first_new_id) {
          continue;
        }
        insights.conflict_samples.push_back({read_sample(sources.front(), 0, conflict.kept_rowid),
                                             read_sample(source, input, conflict.dropped_rowid)});
      }
    }
  }

  std::vector<std::pair<std::string, PageAccumulator>> ordered(pages.begin(), pages.end());
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
    return a.second.rows != b.second.rows ? a.second.rows > b.second.rows : a.first < b.first;
  });
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    PageInsight page;
    page.page = ordered[i].first;
    page.rows_added = ordered[i].second.rows;
    if (i < k_heat_pages) {
      fill_heat(page, ordered[i].second.points);
    }
    insights.pages.push_back(std::move(page));
  }
  std::sort(insights.added_samples.begin(),
            insights.added_samples.end(),
            [](const SampleRow& a, const SampleRow& b) { return a.new_id < b.new_id; });
}

} // namespace heatmap_merge
