#pragma once

#include "heatmap_merge/plan.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

namespace heatmap_merge {

// When the primary saw clicks, at one-second resolution, so that outages can be told from
// scattered failover clicks without keeping every instant.
class ActivityMap {
public:
  ActivityMap() = default;
  static ActivityMap of(const InputKeys& input);

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
HourlyCounts hourly_counts(const InputKeys& input);
// The hours from the one of `first` to the one of `last`, as `timeline` counts them.
HourlyCounts
hourly_counts(const Timeline& timeline, std::optional<Instant> first, std::optional<Instant> last);

inline constexpr std::size_t k_heat_cells = 20;

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

// What the report shows beyond the counts.
struct Insights {
  std::vector<Outage> outages;
  std::int64_t isolated_rows = 0;   // added rows with a time outside every outage
  std::vector<PageInsight> pages;   // by rows added, most first
  std::vector<HourlyCounts> hourly; // per input
  HourlyCounts hourly_added;
  std::vector<SampleRow> added_samples;
  std::vector<ConflictSample> conflict_samples;
};

} // namespace heatmap_merge
