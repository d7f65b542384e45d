// What the report shows of the added rows, read again from the inputs once the plan is made:
// rows added per page, the busiest pages' heat grids, and sample rows (-v).
#include "read/details.hpp"
#include "read/raw_statement.hpp"
#include "read/schema.hpp"
#include "util/error.hpp"
#include "util/options.hpp"
#include "util/sql_text.hpp"

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

SampleRow read_sample(const RowSource& source, std::size_t input, std::int64_t rowid) {
  RawStatement statement(*source.database,
                         fmt::format("SELECT * FROM main.{} WHERE {} = ?1",
                                     quote_identifier(source.table->table),
                                     source.table->rowid_expression()),
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

// The cell of the page's grid that a point falls in: the grid spans the extent of the page's
// points, which a first pass learns (PageTally); a second counts the top pages' points into their
// grids, so nothing keeps a point per row.
std::size_t heat_cell(const PageTotals& page, double x, double y) {
  auto cell = [](double value, double low, double high) {
    const double span = high - low;
    const double scaled = span > 0 ? (value - low) / span * k_heat_cells : 0;
    return std::min(k_heat_cells - 1, static_cast<std::size_t>(std::max(0.0, scaled)));
  };
  return cell(y, page.min_y, page.max_y) * k_heat_cells + cell(x, page.min_x, page.max_x);
}

// Reads the added rows of every secondary, in source row id order: `visit(row)` gets the page
// (column 1) and x and y (columns 2 and 3, NULL without such columns).
template <typename Visit>
void read_added_pages(const Plan& plan,
                      const std::vector<RowSource>& sources,
                      const std::string& page_column,
                      Visit visit) {
  for (std::size_t input = 1; input < sources.size(); ++input) {
    const RowSource& source = sources[input];
    const TableSchema& table = *source.table;
    const bool has_xy = table.find("x") && table.find("y");
    const std::string select =
      fmt::format("SELECT {0}, {1}, {2} FROM main.{3} WHERE {0} >= ?1 ORDER BY {0}",
                  table.rowid_expression(),
                  quote_identifier(page_column),
                  has_xy ? "\"x\", \"y\"" : "NULL, NULL",
                  quote_identifier(table.table));
    RawStatement reader(*source.database, select, table.path);
    visit_added_rows(reader,
                     table.path,
                     plan.shares[input].added,
                     [&](sqlite3_stmt* row, const AddedRow&) { visit(row); });
  }
}

bool has_point(sqlite3_stmt* row) {
  return sqlite3_column_type(row, 2) != SQLITE_NULL && sqlite3_column_type(row, 3) != SQLITE_NULL;
}

// The pages the added rows fall on, busiest first, at most k_top_pages; the rest are counted in
// `insights` as other pages.
std::vector<std::pair<std::string, PageTotals>> busiest_pages(Insights& insights,
                                                              const Plan& plan,
                                                              const std::vector<RowSource>& sources,
                                                              const std::string& page_column,
                                                              const PlanSpace& space) {
  PageTally tally(space.spill, space.store_bytes);
  read_added_pages(plan, sources, page_column, [&tally](sqlite3_stmt* row) {
    std::optional<std::pair<double, double>> point;
    if (has_point(row)) {
      point.emplace(sqlite3_column_double(row, 2), sqlite3_column_double(row, 3));
    }
    tally.add(value_text(row, 1), point);
  });
  // The busiest pages, most first; of equal counts, the first in byte order, which is the order
  // the tally visits them in: a later page must have more rows to displace one.
  std::vector<std::pair<std::string, PageTotals>> top;
  tally.for_each([&](const std::string& page, const PageTotals& totals) {
    const auto at = std::upper_bound(
      top.begin(), top.end(), totals.rows, [](std::int64_t rows, const auto& kept) {
        return rows > kept.second.rows;
      });
    if (top.size() == k_top_pages && at == top.end()) {
      ++insights.other_pages;
      insights.other_pages_rows += totals.rows;
      return;
    }
    top.emplace(at, page, totals);
    if (top.size() > k_top_pages) {
      ++insights.other_pages;
      insights.other_pages_rows += top.back().second.rows;
      top.pop_back();
    }
  });
  return top;
}

// Keeps `page` among the k_top_pages of `counts` with the most rows; pages must come in byte
// order, so that of equal counts the first stays.
void keep_top(PageCounts& counts, const std::string& page, std::int64_t rows) {
  auto& top = counts.top;
  const auto at = std::upper_bound(
    top.begin(), top.end(), rows, [](std::int64_t n, const auto& kept) { return n > kept.second; });
  if (top.size() == k_top_pages && at == top.end()) {
    ++counts.other_pages;
    counts.other_rows += rows;
    return;
  }
  top.emplace(at, page, rows);
  if (top.size() > k_top_pages) {
    ++counts.other_pages;
    counts.other_rows += top.back().second;
    top.pop_back();
  }
}

// --replay-window: the rows each secondary does not add for the replay pass, per page, in one
// tally whose pages carry their kind as a first byte (0 a replay pair, 1 a replayed duplicate),
// so that it visits the pairs' pages first, each kind in byte order.
void count_replay_pages(Insights& insights,
                        const Plan& plan,
                        const std::vector<RowSource>& sources,
                        const std::string& page_column,
                        const PlanSpace& space) {
  PageTally tally(space.spill, space.store_bytes);
  for (std::size_t input = 1; input < sources.size(); ++input) {
    const TableSchema& table = *sources[input].table;
    const std::string select =
      fmt::format("SELECT {0}, {1} FROM main.{2} WHERE {0} >= ?1 ORDER BY {0}",
                  table.rowid_expression(),
                  quote_identifier(page_column),
                  quote_identifier(table.table));
    RawStatement reader(*sources[input].database, select, table.path);
    visit_added_rows(reader,
                     table.path,
                     plan.shares[input].replayed_rows,
                     [&](sqlite3_stmt* row, const ReplayedRow& replayed) {
                       tally.add(std::string(1, replayed.within ? '\1' : '\0') + value_text(row, 1),
                                 std::nullopt);
                     });
  }
  tally.for_each([&](const std::string& page, const PageTotals& totals) {
    keep_top(page.front() == '\0' ? insights.replay_pages : insights.replayed_pages,
             page.substr(1),
             totals.rows);
  });
}

// Sample rows of what each secondary adds (the first k_added_samples) and of its conflicts.
void read_samples(Insights& insights, const Plan& plan, const std::vector<RowSource>& sources) {
  for (std::size_t input = 1; input < sources.size(); ++input) {
    const RowSource& source = sources[input];
    for (AddedRows::Merger added = plan.shares[input].added.merge();
         !added.done() && insights.added_samples.size() < k_added_samples;
         added.advance()) {
      insights.added_samples.push_back(read_sample(source, input, added.head().source_rowid));
      insights.added_samples.back().new_id = added.head().new_id;
    }
    for (const ConflictPair& conflict : plan.shares[input].conflict_samples) {
      // A row kept from an earlier secondary has no id in any input yet: show the primary's.
      if (conflict.kept_rowid >= plan.first_new_id) {
        continue;
      }
      insights.conflict_samples.push_back({read_sample(sources.front(), 0, conflict.kept_rowid),
                                           read_sample(source, input, conflict.dropped_rowid)});
    }
  }
}

// Counts the added points of the first k_heat_pages of `top` (insights.pages, in that order) into
// their heat grids, in a second pass over the added rows.
void count_heat(Insights& insights,
                const std::vector<std::pair<std::string, PageTotals>>& top,
                const Plan& plan,
                const std::vector<RowSource>& sources,
                const std::string& page_column) {
  std::unordered_map<std::string, std::size_t> heat_pages; // page -> its index in insights.pages
  for (std::size_t i = 0; i < top.size() && i < k_heat_pages; ++i) {
    if (top[i].second.has_points) {
      heat_pages.emplace(top[i].first, i);
    }
  }
  if (heat_pages.empty()) {
    return;
  }
  read_added_pages(plan, sources, page_column, [&](sqlite3_stmt* row) {
    if (!has_point(row)) {
      return;
    }
    const auto found = heat_pages.find(value_text(row, 1));
    if (found != heat_pages.end()) {
      const PageTotals& extent = top[found->second].second;
      ++insights.pages[found->second]
          .heat[heat_cell(extent, sqlite3_column_double(row, 2), sqlite3_column_double(row, 3))];
    }
  });
}

} // namespace

void read_details(Insights& insights,
                  const Plan& plan,
                  const std::vector<RowSource>& sources,
                  const Options& options,
                  const PlanSpace& space,
                  bool with_samples) {
  const std::string& page_column = options.key_columns.front();
  const std::vector<std::pair<std::string, PageTotals>> top =
    busiest_pages(insights, plan, sources, page_column, space);
  if (with_samples) {
    read_samples(insights, plan, sources);
  }
  for (const auto& [page, totals] : top) {
    PageInsight insight;
    insight.page = page;
    insight.rows_added = totals.rows;
    insights.pages.push_back(std::move(insight));
  }
  count_heat(insights, top, plan, sources, page_column);
  if (options.replay_window.count() > 0) {
    count_replay_pages(insights, plan, sources, page_column, space);
  }
  std::sort(insights.added_samples.begin(),
            insights.added_samples.end(),
            [](const SampleRow& a, const SampleRow& b) { return a.new_id < b.new_id; });
}

} // namespace heatmap_merge
