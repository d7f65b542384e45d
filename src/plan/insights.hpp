#pragma once
// What the report shows beyond the counts: outages, clicks per hour, rows added per page, sample
// rows. Drawn from the keys and the plan by pipeline/ and read/details.cpp; read by report/.

#include "plan/plan.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace heatmap_merge {

// When the primary saw clicks, at one-second resolution, so that outages can be told from
// scattered failover clicks without keeping every instant.
class ActivityMap {
public:
  ActivityMap() = default;
  static ActivityMap of(const Keys& input);

  // True when some click lies strictly between the seconds of `a` and `b` (a < b).
  bool any_between(Instant a, Instant b) const {
    return m_timeline.any_between(a, b);
  }

private:
  Timeline m_timeline;
};

struct Outage {
  Instant start = 0;
  Instant end = 0;
  std::int64_t rows = 0;
};

// The fewest secondary-only clicks in a row that make an outage.
inline constexpr std::int64_t k_outage_min_rows = 10;

// Instants kept in time order, in memory or spilled.
using InstantStore = RunStore<Instant, Ascending<Instant>>;

// Outages: runs of at least `min_rows` secondary-only clicks (`added`: their instants) with no
// primary click between them. Shorter runs are isolated failover clicks, not outages.
std::vector<Outage>
find_outages(const InstantStore& added, const ActivityMap& primary, std::int64_t min_rows);

// Clicks per hour of one input.
struct HourlyCounts {
  Instant first_hour = 0; // the start of the hour of counts[0]
  std::vector<std::int64_t> counts;

  std::int64_t at(Instant hour) const;
};
HourlyCounts hourly_counts(const Keys& input);
// The hours from the one of `first` to the one of `last`, as `timeline` counts them.
HourlyCounts
hourly_counts(const Timeline& timeline, std::optional<Instant> first, std::optional<Instant> last);

inline constexpr std::size_t k_heat_cells = 20;

// How many pages the report lists (the busiest) before summing the rest.
inline constexpr std::size_t k_top_pages = 10;

// What the added rows of one page come to: how many, and the extent of their points (the grid
// its heat map is drawn on).
struct PageTotals {
  std::int64_t rows = 0;
  bool has_points = false;
  double min_x = 0;
  double max_x = 0;
  double min_y = 0;
  double max_y = 0;

  void add_point(double x, double y);
  void add(const PageTotals& more);
};

// Rows added per page, counted within a memory budget: with one row per page (query strings such
// as fbclid make every URL unique) a page per row is too many to keep. The pages are counted in
// a sorted map; once that outgrows `max_bytes` it goes to a spill file as a sorted run, and the
// runs are merged back page by page. Exact whatever the budget, so the report is the same.
class PageTally {
public:
  // In memory, unbounded, when `space` is null.
  PageTally(SpillSpace* space, std::uint64_t max_bytes);
  ~PageTally();
  PageTally(const PageTally&) = delete;
  PageTally& operator=(const PageTally&) = delete;

  // One added row on `page`, with its point if it has one.
  void add(std::string_view page, std::optional<std::pair<double, double>> point);
  // Calls `visit(page, totals)` once per page, in the pages' byte order. Once only.
  void for_each(const std::function<void(const std::string&, const PageTotals&)>& visit);
  bool spilled() const {
    return !m_runs.empty();
  }

private:
  struct Run {
    std::uint64_t offset = 0;
    std::uint64_t bytes = 0;
  };
  void spill();

  SpillSpace* m_space;
  std::uint64_t m_max_bytes;
  std::uint64_t m_bytes = 0; // what m_pages takes, about
  std::map<std::string, PageTotals, std::less<>> m_pages;
  std::unique_ptr<SpillFile> m_file;
  std::vector<Run> m_runs;
};

struct PageInsight {
  std::string page;
  std::int64_t rows_added = 0;
  // The added clicks on a 20x20 grid spanning their own extent on this page, row by row.
  std::array<std::int64_t, k_heat_cells * k_heat_cells> heat{};
};

// One row as the report shows it: column names and values as text.
struct SampleRow {
  std::size_t input = 0;
  std::int64_t rowid = 0;
  std::int64_t new_id = 0;
  std::vector<std::pair<std::string, std::string>> values;
};

struct ConflictSample {
  SampleRow kept;
  SampleRow dropped;
};

// The pages with the most rows of one kind, most first, and how many others there are and their
// rows: --replay-window's replay pairs and replayed duplicates, per page.
struct PageCounts {
  std::vector<std::pair<std::string, std::int64_t>> top;
  std::int64_t other_pages = 0;
  std::int64_t other_rows = 0;
};

// What the report shows beyond the counts.
struct Insights {
  std::vector<Outage> outages;
  std::int64_t isolated_rows = 0; // added rows with a time outside every outage
  // The k_top_pages pages with the most rows added, most first (of equal counts, the first in
  // byte order), and how many others there are and the rows they add.
  std::vector<PageInsight> pages;
  std::int64_t other_pages = 0;
  std::int64_t other_pages_rows = 0;
  // The chart's counts per hour, of each input and of the rows added: over ten years at most,
  // the busiest (a stray year leaves the bulk in view).
  std::vector<HourlyCounts> hourly; // per input
  HourlyCounts hourly_added;
  // Every hour's, for the tables around the outages, wherever they fall (an outage of clicks
  // dated 1970 by a reset clock, beside years of others).
  std::vector<Timeline> timelines; // per input
  Timeline added_timeline;
  std::vector<SampleRow> added_samples;
  std::vector<ConflictSample> conflict_samples;
  // --replay-window: the secondaries' rows in replay pairs, and their replayed duplicates, per
  // page (the first key column).
  PageCounts replay_pages;
  PageCounts replayed_pages;
};

} // namespace heatmap_merge
