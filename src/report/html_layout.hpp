#pragma once
// The HTML report's pictures as numbers: the timeline's bins, scales and ticks, the heat
// pictures' cells, the widths of the tables' bars. No markup here; html_pictures.cpp and
// html_tables.cpp turn these into SVG and HTML, so that the geometry can be tested on its own.

#include "plan/insights.hpp"

#include <optional>
#include <string>
#include <vector>

namespace heatmap_merge {

// The timeline's geometry, in the SVG's own units (its viewBox).
struct TimelineFrame {
  double width = 1120;
  double height = 330;
  double left = 64;
  double right = 40; // room for the last date label
  double top = 30;
  double bottom = 52;

  double plot_width() const {
    return width - left - right;
  }
  double plot_height() const {
    return height - top - bottom;
  }
  double plot_bottom() const {
    return top + plot_height();
  }
};

// Maps [first, end] (instants) onto [left, left + width].
struct TimeScale {
  Instant first = 0;
  Instant end = 0;
  double left = 0;
  double width = 0;

  double x(Instant instant) const;
};

// Maps [0, top_value] onto [top + height, top]: up is more.
struct ValueScale {
  std::int64_t top_value = 1;
  double top = 0;
  double height = 0;

  double y(std::int64_t value) const;
};

// The timeline's series summed per bin of whole hours, from `first` to `end`.
struct TimelineBins {
  Instant first = 0;
  Instant end = 0; // first + count * hours_per_bin hours
  std::int64_t hours_per_bin = 1;
  std::int64_t count = 0;
  std::vector<std::vector<std::int64_t>> values; // [series][bin]
  std::int64_t largest = 1;                      // the largest sum, at least 1
};

// An x-axis tick: where it is and what it says (a second line only where the date changes).
struct TimeTick {
  Instant at = 0;
  double x = 0;
  std::string label;
  std::string date;
};

// A y-axis tick and its horizontal grid line.
struct ValueTick {
  std::int64_t value = 0;
  double y = 0;
};

struct Point {
  double x = 0;
  double y = 0;
};

struct Rect {
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;
};

// The shaded band of an outage across the plot, and where its number goes.
struct OutageBand {
  std::size_t outage = 0; // index into Insights::outages
  double x = 0;
  double width = 0;
  double label_x = 0;
};

struct TimelineLayout {
  TimelineFrame frame;
  TimelineBins bins;
  std::string unit; // what one bin sums: "hour", "2 days", "week"
  TimeScale x;
  ValueScale y;
  std::vector<ValueTick> value_ticks;
  std::vector<TimeTick> time_ticks;
  std::vector<OutageBand> outage_bands;
  std::vector<Rect> added_bars;                // the bins with added rows
  std::vector<std::vector<Point>> input_lines; // per input, the corners of its step line
};

// A round step for about `ticks` divisions of [0, largest]: 1, 2 or 5 times a power of ten.
std::int64_t round_step(std::int64_t largest, std::int64_t ticks);

// Hours summed per bin of a timeline `hours` long: 1 unless the span is long.
std::int64_t bin_hours(std::int64_t hours);

// "hour", "day", "week", "2 weeks", "3 days", "6 hours".
std::string bin_unit(std::int64_t hours_per_bin);

// Sums each series per bin over the hours that any series covers; nothing when all are empty.
std::optional<TimelineBins> bin_timeline(const std::vector<const HourlyCounts*>& series);

// About a dozen ticks over [scale.first, scale.end]: on round hours or days up to two months, on
// the first of a month (or of a year) beyond, so that the labels are dates people use.
std::vector<TimeTick> time_ticks(const TimeScale& scale);

// The timeline of the inputs' clicks and the added rows; nothing when no row has a time.
std::optional<TimelineLayout> layout_timeline(const Insights& insights);

// The share of the largest count (at least 1) of each count, in percent: a table's bars.
std::vector<double> bar_percents(const std::vector<std::int64_t>& counts);

struct Rgb {
  double r = 0;
  double g = 0;
  double b = 0;
};

// Light yellow to dark red, by the share of the busiest cell.
Rgb heat_colour(double share);

struct HeatCell {
  Rect rect;
  std::int64_t count = 0;
  Rgb colour;
};

// One page's added clicks on its grid, in the picture's own units.
struct HeatPicture {
  const PageInsight* page = nullptr;
  double side = 0;
  std::int64_t busiest = 0;
  std::vector<HeatCell> cells; // the cells with clicks, row by row
};

// How many heat pictures the page shows at most (the details only grid the busiest pages).
inline constexpr std::size_t k_heat_pictures = 6;

// The heat pictures of the first pages (by rows added) whose grid has any click.
std::vector<HeatPicture> layout_heat(const std::vector<PageInsight>& pages);

// True when the hour starting at `hour` overlaps the outage.
bool hour_in_outage(Instant hour, const Outage& outage);

// One database column of sample rows shown side by side.
struct SampleLine {
  std::string column;
  std::vector<const std::string*> values; // per row; null where the row lacks the column
  bool differs = false;                   // not the same in every row
};

// The columns of `rows` in their first order of appearance (inputs may differ in columns).
std::vector<SampleLine> sample_lines(const std::vector<const SampleRow*>& rows);

} // namespace heatmap_merge
