// The HTML report's pictures as numbers (html_layout.hpp): the timeline's bins, scales and
// ticks, the outages' bands, the heat grids' cells and colours, the bars' widths.

#include "report/html_layout.hpp"
#include "util/units.hpp"

#include "util/timestamp.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>

namespace heatmap_merge {

namespace {

constexpr std::int64_t k_hours_per_week = 168;
// More bins than this and the timeline sums several hours per bin: a year of hourly steps is a
// smear, and the page would grow by megabytes.
constexpr std::int64_t k_max_timeline_bins = 720;
// Up to this many hours the time axis has ticks on hours or days, beyond it on months.
constexpr std::int64_t k_max_hour_ticks_span = k_hours_per_day * 62;
constexpr std::int64_t k_max_time_ticks = 12;
// A bar narrower than this has no gap to its neighbours, and is never thinner than the minimum.
constexpr double k_min_bar_gap_width = 4;
constexpr double k_min_bar_width = 0.6;
// An outage band is at least this wide, so that ten minutes in a week-long chart still show.
constexpr double k_min_band_width = 3;
constexpr double k_heat_cell = 11;

// "2026-02-18" and "10:00" of an instant, in UTC.
std::string date_of(Instant instant) {
  return format_instant(instant).substr(0, 10);
}

std::string hour_minute_of(Instant instant) {
  return format_instant(instant).substr(11, 5);
}

// Ticks every 1 to 168 hours: a time under each tick below a day's step, the month and day from
// there on; the date (or year) in a second line where it changes.
std::vector<TimeTick> hour_ticks(const TimeScale& scale, std::int64_t hours) {
  std::int64_t step_hours = k_hours_per_week;
  for (const std::int64_t step : {1, 2, 3, 6, 12, 24, 48}) {
    if (hours / step <= k_max_time_ticks) {
      step_hours = step;
      break;
    }
  }
  const Instant step = step_hours * k_ns_per_hour;
  Instant tick = scale.first / step * step;
  // Division truncates towards zero: before 1970 that rounds up, after it down.
  if (tick < scale.first) {
    tick += step;
  }
  std::vector<TimeTick> ticks;
  std::string last_date;
  // The last tick stops short of the largest instant rather than overflow past it.
  for (; tick <= scale.end; tick = tick > INT64_MAX - step ? INT64_MAX : tick + step) {
    if (tick == INT64_MAX) {
      break;
    }
    const std::string date = date_of(tick);
    if (step_hours < k_hours_per_day) {
      ticks.push_back({tick, scale.x(tick), hour_minute_of(tick), date != last_date ? date : ""});
    } else {
      const std::string year = date.substr(0, 4);
      ticks.push_back(
        {tick, scale.x(tick), date.substr(5), year != last_date.substr(0, 4) ? year : ""});
    }
    last_date = date;
  }
  return ticks;
}

// Ticks on the first of every 1 to 120 months, counted from January so that a step of a year
// or more lands on New Year.
std::vector<TimeTick> month_ticks(const TimeScale& scale, std::int64_t hours) {
  using std::chrono::days;
  using std::chrono::floor;
  using std::chrono::nanoseconds;
  using std::chrono::sys_days;
  using std::chrono::sys_time;
  using std::chrono::year_month;
  using std::chrono::year_month_day;
  const std::int64_t span_months = hours / 730;
  int step = 120;
  for (const int candidate : {1, 2, 3, 6, 12, 24, 60}) {
    if (span_months / candidate <= k_max_time_ticks) {
      step = candidate;
      break;
    }
  }
  const year_month_day first_day{floor<days>(sys_time<nanoseconds>(nanoseconds(scale.first)))};
  // Months counted from year 0, so that every step starts at January.
  const int first_index = static_cast<int>(first_day.year()) * 12 +
                          static_cast<int>(static_cast<unsigned>(first_day.month())) - 1;
  std::vector<TimeTick> ticks;
  for (int index = (first_index + step - 1) / step * step;; index += step) {
    const year_month month{std::chrono::year(index / 12),
                           std::chrono::month(static_cast<unsigned>(index % 12 + 1))};
    // In days first: a month past 2262-04 has no instant, nor has the first of 1677-09.
    const std::int64_t day = sys_days(month / 1).time_since_epoch().count();
    if (day > INT64_MAX / k_ns_per_day) {
      break;
    }
    if (day < INT64_MIN / k_ns_per_day) {
      continue;
    }
    const Instant at = day * k_ns_per_day;
    if (at < scale.first) {
      continue;
    }
    if (at > scale.end) {
      break;
    }
    const std::string date = date_of(at);
    ticks.push_back({at, scale.x(at), date.substr(0, step >= 12 ? 4 : 7), ""});
  }
  return ticks;
}

std::vector<OutageBand> outage_bands(const std::vector<Outage>& outages, const TimeScale& x) {
  std::vector<OutageBand> bands;
  for (std::size_t n = 0; n < outages.size(); ++n) {
    // Within the chart: one that starts before it (in the hour before the first whole hour,
    // whose rows count in the first) starts at its edge; one off it (a stray year) has none.
    if (hour_of(outages[n].end) < x.first || outages[n].start > x.end) {
      continue;
    }
    const double x0 = x.x(std::max(outages[n].start, x.first));
    const double x1 = std::max(x.x(std::min(outages[n].end, x.end)), x0 + k_min_band_width);
    bands.push_back({n, x0, x1 - x0, (x0 + x1) / 2});
  }
  return bands;
}

// The added rows as bars, one per bin that has any, a gap between them where they are wide.
std::vector<Rect> added_bars(const TimelineLayout& layout) {
  const double bin_width = layout.frame.plot_width() / static_cast<double>(layout.bins.count);
  const double gap = bin_width > k_min_bar_gap_width ? 1 : 0;
  const std::vector<std::int64_t>& added = layout.bins.values.back();
  std::vector<Rect> bars;
  for (std::int64_t b = 0; b < layout.bins.count; ++b) {
    const std::int64_t value = added[static_cast<std::size_t>(b)];
    if (value == 0) {
      continue;
    }
    const double x = layout.frame.left + static_cast<double>(b) * bin_width;
    bars.push_back({x + gap,
                    layout.y.y(value),
                    std::max(bin_width - 2 * gap, k_min_bar_width),
                    layout.y.y(0) - layout.y.y(value)});
  }
  return bars;
}

// Each input as a step line: flat across each bin, so that a bin's sum reads as one level.
std::vector<std::vector<Point>> input_lines(const TimelineLayout& layout, std::size_t inputs) {
  const double bin_width = layout.frame.plot_width() / static_cast<double>(layout.bins.count);
  std::vector<std::vector<Point>> lines(inputs);
  for (std::size_t s = 0; s < inputs; ++s) {
    for (std::int64_t b = 0; b < layout.bins.count; ++b) {
      const double y = layout.y.y(layout.bins.values[s][static_cast<std::size_t>(b)]);
      const double x0 = layout.frame.left + static_cast<double>(b) * bin_width;
      lines[s].push_back({x0, y});
      lines[s].push_back({x0 + bin_width, y});
    }
  }
  return lines;
}

} // namespace

double TimeScale::x(Instant instant) const {
  // In doubles: instants centuries apart overflow a difference of int64s.
  return left + (static_cast<double>(instant) - static_cast<double>(first)) /
                  (static_cast<double>(end) - static_cast<double>(first)) * width;
}

double ValueScale::y(std::int64_t value) const {
  return top + height - static_cast<double>(value) / static_cast<double>(top_value) * height;
}

std::int64_t round_step(std::int64_t largest, std::int64_t ticks) {
  std::int64_t step = 1;
  for (;;) {
    for (const std::int64_t factor : {1, 2, 5}) {
      if (step * factor * ticks >= largest) {
        return step * factor;
      }
    }
    step *= 10;
  }
}

std::int64_t bin_hours(std::int64_t hours) {
  for (const std::int64_t step : {1, 2, 3, 6, 12, 24, 48, 168}) {
    if (hours / step <= k_max_timeline_bins) {
      return step;
    }
  }
  return k_hours_per_week *
         ((hours / k_hours_per_week + k_max_timeline_bins - 1) / k_max_timeline_bins);
}

std::string bin_unit(std::int64_t hours_per_bin) {
  if (hours_per_bin == 1) {
    return "hour";
  }
  if (hours_per_bin == k_hours_per_day) {
    return "day";
  }
  if (hours_per_bin == k_hours_per_week) {
    return "week";
  }
  if (hours_per_bin % k_hours_per_week == 0) {
    return fmt::format("{} weeks", hours_per_bin / k_hours_per_week);
  }
  if (hours_per_bin % k_hours_per_day == 0) {
    return fmt::format("{} days", hours_per_bin / k_hours_per_day);
  }
  return fmt::format("{} hours", hours_per_bin);
}

std::optional<TimelineBins> bin_timeline(const std::vector<const HourlyCounts*>& series) {
  TimelineBins bins;
  bool any = false;
  for (const HourlyCounts* counts : series) {
    if (counts->counts.empty()) {
      continue;
    }
    const Instant counts_end =
      instant_plus(counts->first_hour, counts->counts.size() * std::uint64_t{k_ns_per_hour});
    bins.first = any ? std::min(bins.first, counts->first_hour) : counts->first_hour;
    bins.end = any ? std::max(bins.end, counts_end) : counts_end;
    any = true;
  }
  if (!any) {
    return std::nullopt;
  }
  // Rounded up: an end cut short at the largest instant still ends its last hour.
  const std::uint64_t apart = instant_distance(bins.first, bins.end);
  const auto hours =
    static_cast<std::int64_t>(apart / k_ns_per_hour + (apart % k_ns_per_hour != 0));
  bins.hours_per_bin = bin_hours(hours);
  bins.count = (hours + bins.hours_per_bin - 1) / bins.hours_per_bin;
  // The last bin may reach past the largest instant: it ends there.
  const std::uint64_t span = static_cast<std::uint64_t>(bins.count) *
                             static_cast<std::uint64_t>(bins.hours_per_bin) * k_ns_per_hour;
  bins.end = instant_plus(bins.first, span);
  bins.values.assign(series.size(), std::vector<std::int64_t>(bins.count, 0));
  for (std::size_t s = 0; s < series.size(); ++s) {
    for (std::int64_t b = 0; b < bins.count; ++b) {
      std::int64_t sum = 0;
      for (std::int64_t h = 0; h < bins.hours_per_bin; ++h) {
        const std::uint64_t offset =
          static_cast<std::uint64_t>(b * bins.hours_per_bin + h) * k_ns_per_hour;
        if (offset > instant_distance(bins.first, bins.end)) {
          break;
        }
        sum += series[s]->at(static_cast<Instant>(static_cast<std::uint64_t>(bins.first) + offset));
      }
      bins.values[s][static_cast<std::size_t>(b)] = sum;
      bins.largest = std::max(bins.largest, sum);
    }
  }
  return bins;
}

std::vector<TimeTick> time_ticks(const TimeScale& scale) {
  const auto hours =
    static_cast<std::int64_t>(instant_distance(scale.first, scale.end) / k_ns_per_hour);
  if (hours <= k_max_hour_ticks_span) {
    return hour_ticks(scale, hours);
  }
  return month_ticks(scale, hours);
}

std::optional<TimelineLayout> layout_timeline(const Insights& insights) {
  std::vector<const HourlyCounts*> series;
  for (const HourlyCounts& counts : insights.hourly) {
    series.push_back(&counts);
  }
  series.push_back(&insights.hourly_added);
  std::optional<TimelineBins> bins = bin_timeline(series);
  if (!bins) {
    return std::nullopt;
  }
  TimelineLayout layout;
  layout.bins = std::move(*bins);
  layout.unit = bin_unit(layout.bins.hours_per_bin);
  const TimelineFrame& frame = layout.frame;
  layout.x = {layout.bins.first, layout.bins.end, frame.left, frame.plot_width()};
  // The y axis ends on the first round value at or above the largest bin, in about five steps.
  const std::int64_t y_step = round_step(layout.bins.largest, 5);
  const std::int64_t y_top = (layout.bins.largest + y_step - 1) / y_step * y_step;
  layout.y = {y_top, frame.top, frame.plot_height()};
  for (std::int64_t value = 0; value <= y_top; value += y_step) {
    layout.value_ticks.push_back({value, layout.y.y(value)});
  }
  layout.time_ticks = time_ticks(layout.x);
  layout.outage_bands = outage_bands(insights.outages, layout.x);
  layout.added_bars = added_bars(layout);
  layout.input_lines = input_lines(layout, insights.hourly.size());
  return layout;
}

std::vector<double> bar_percents(const std::vector<std::int64_t>& counts) {
  std::int64_t largest = 1;
  for (const std::int64_t count : counts) {
    largest = std::max(largest, count);
  }
  std::vector<double> percents;
  for (const std::int64_t count : counts) {
    percents.push_back(100.0 * static_cast<double>(count) / static_cast<double>(largest));
  }
  return percents;
}

Rgb heat_colour(double share) {
  struct Stop {
    double at;
    Rgb colour;
  };
  constexpr std::array<Stop, 3> stops = {
    {{0.0, {255, 237, 160}}, {0.5, {253, 141, 60}}, {1.0, {189, 0, 38}}}};
  std::size_t i = 0;
  while (i + 2 < stops.size() && share > stops[i + 1].at) {
    ++i;
  }
  const Stop& low = stops[i];
  const Stop& high = stops[i + 1];
  const double t = std::clamp((share - low.at) / (high.at - low.at), 0.0, 1.0);
  return {low.colour.r + (high.colour.r - low.colour.r) * t,
          low.colour.g + (high.colour.g - low.colour.g) * t,
          low.colour.b + (high.colour.b - low.colour.b) * t};
}

std::vector<HeatPicture> layout_heat(const std::vector<PageInsight>& pages) {
  std::vector<HeatPicture> pictures;
  for (const PageInsight& page : pages) {
    if (pictures.size() == k_heat_pictures) {
      break;
    }
    const std::int64_t busiest = *std::max_element(page.heat.begin(), page.heat.end());
    if (busiest == 0) {
      continue;
    }
    HeatPicture picture{&page, k_heat_cell * static_cast<double>(k_heat_cells), busiest, {}};
    for (std::size_t row = 0; row < k_heat_cells; ++row) {
      for (std::size_t column = 0; column < k_heat_cells; ++column) {
        const std::int64_t count = page.heat[row * k_heat_cells + column];
        if (count == 0) {
          continue;
        }
        // Half a unit in, a unit less wide: a hairline of background between the cells.
        const Rect rect{static_cast<double>(column) * k_heat_cell + 0.5,
                        static_cast<double>(row) * k_heat_cell + 0.5,
                        k_heat_cell - 1,
                        k_heat_cell - 1};
        picture.cells.push_back(
          {rect, count, heat_colour(static_cast<double>(count) / static_cast<double>(busiest))});
      }
    }
    pictures.push_back(std::move(picture));
  }
  return pictures;
}

bool hour_in_outage(Instant hour, const Outage& outage) {
  return hour_of(outage.start) <= hour && hour <= hour_of(outage.end);
}

std::vector<SampleLine> sample_lines(const std::vector<const SampleRow*>& rows) {
  std::vector<SampleLine> lines;
  for (const SampleRow* row : rows) {
    for (const std::pair<std::string, std::string>& value : row->values) {
      if (std::none_of(lines.begin(), lines.end(), [&](const SampleLine& line) {
            return line.column == value.first;
          })) {
        lines.push_back({value.first, {}, false});
      }
    }
  }
  for (SampleLine& line : lines) {
    for (const SampleRow* row : rows) {
      const std::string* found = nullptr;
      for (const std::pair<std::string, std::string>& value : row->values) {
        if (value.first == line.column) {
          found = &value.second;
          break;
        }
      }
      line.values.push_back(found);
    }
    // Two missing values are the same, a missing and a present one differ.
    const std::string* first = line.values.front();
    for (const std::string* value : line.values) {
      if ((value == nullptr || first == nullptr) ? value != first : *value != *first) {
        line.differs = true;
      }
    }
  }
  return lines;
}

} // namespace heatmap_merge
