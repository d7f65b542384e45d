// The HTML report's pure layout (report/html_layout.hpp): the timeline's bins, scales and ticks,
// the bars, the heat map's cells and colours, the outage bands and the sample lines.
#include "report/html_layout.hpp"
#include "util/timestamp.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace heatmap_merge;

namespace {

constexpr std::int64_t k_hour = 3'600'000'000'000;

Instant at(const char* text) {
  const std::optional<Instant> instant = parse_instant(text);
  REQUIRE(instant);
  return *instant;
}

std::vector<std::string> labels(const std::vector<TimeTick>& ticks) {
  std::vector<std::string> result;
  for (const TimeTick& tick : ticks) {
    result.push_back(tick.label);
  }
  return result;
}

std::vector<std::string> dates(const std::vector<TimeTick>& ticks) {
  std::vector<std::string> result;
  for (const TimeTick& tick : ticks) {
    result.push_back(tick.date);
  }
  return result;
}

// A scale over [first, end] as wide as the span in hours, so that x reads as hours.
TimeScale hour_scale(Instant first, Instant end) {
  return {first, end, 0, static_cast<double>((end - first) / k_hour)};
}

} // namespace

TEST_CASE("round_step picks 1, 2 or 5 times a power of ten") {
  CHECK(round_step(1, 5) == 1);
  CHECK(round_step(5, 5) == 1);
  CHECK(round_step(6, 5) == 2);
  CHECK(round_step(10, 5) == 2);
  CHECK(round_step(11, 5) == 5);
  CHECK(round_step(26, 5) == 10);
  CHECK(round_step(137, 5) == 50);
  CHECK(round_step(1000, 5) == 200);
  CHECK(round_step(1001, 5) == 500);
  CHECK(round_step(4'000'000, 5) == 1'000'000);
}

TEST_CASE("bin_hours sums hours only when there would be more than 720 bins") {
  CHECK(bin_hours(0) == 1);
  CHECK(bin_hours(1) == 1);
  CHECK(bin_hours(720) == 1);
  CHECK(bin_hours(721) == 2);
  CHECK(bin_hours(2160) == 3);
  CHECK(bin_hours(2163) == 6);
  CHECK(bin_hours(24 * 720) == 24);
  CHECK(bin_hours(24 * 720 + 24) == 48);
  CHECK(bin_hours(168 * 720) == 168);
  // Beyond weeks: whole weeks, as many as keep the bins at 720 or fewer.
  CHECK(bin_hours(168 * 721) == 336);
  CHECK(bin_hours(168 * 1440) == 336);
  CHECK(bin_hours(168 * 1441) == 504);
}

TEST_CASE("bin_unit names what one bin sums") {
  CHECK(bin_unit(1) == "hour");
  CHECK(bin_unit(2) == "2 hours");
  CHECK(bin_unit(24) == "day");
  CHECK(bin_unit(48) == "2 days");
  CHECK(bin_unit(168) == "week");
  CHECK(bin_unit(336) == "2 weeks");
}

TEST_CASE("bin_timeline: nothing to bin") {
  CHECK_FALSE(bin_timeline({}));
  const HourlyCounts empty;
  CHECK_FALSE(bin_timeline({&empty, &empty}));
}

TEST_CASE("bin_timeline: a single hour") {
  const Instant hour = at("2026-03-02 10:00");
  const HourlyCounts counts{hour, {3}};
  const HourlyCounts empty;
  const std::optional<TimelineBins> bins = bin_timeline({&counts, &empty});
  REQUIRE(bins);
  CHECK(bins->first == hour);
  CHECK(bins->end == hour + k_hour);
  CHECK(bins->hours_per_bin == 1);
  CHECK(bins->count == 1);
  CHECK(bins->values == std::vector<std::vector<std::int64_t>>{{3}, {0}});
  CHECK(bins->largest == 3);
}

TEST_CASE("bin_timeline: the edges span every series, and all-zero data still has a scale") {
  const Instant start = at("2026-03-02 00:00");
  const HourlyCounts late{start + 2 * k_hour, {1, 2}};
  const HourlyCounts early{start, {5}};
  const std::optional<TimelineBins> bins = bin_timeline({&late, &early});
  REQUIRE(bins);
  CHECK(bins->first == start);
  CHECK(bins->end == start + 4 * k_hour);
  CHECK(bins->count == 4);
  CHECK(bins->values == std::vector<std::vector<std::int64_t>>{{0, 0, 1, 2}, {5, 0, 0, 0}});
  CHECK(bins->largest == 5);

  const HourlyCounts zeros{start, {0, 0}};
  const std::optional<TimelineBins> zero_bins = bin_timeline({&zeros});
  REQUIRE(zero_bins);
  CHECK(zero_bins->largest == 1);
}

TEST_CASE("bin_timeline: long spans sum hours per bin, and the last edge rounds up") {
  const Instant start = at("2026-01-01 00:00");
  const HourlyCounts counts{start, std::vector<std::int64_t>(1001, 1)};
  const std::optional<TimelineBins> bins = bin_timeline({&counts});
  REQUIRE(bins);
  CHECK(bins->hours_per_bin == 2);
  CHECK(bins->count == 501);
  CHECK(bins->end == start + 1002 * k_hour);
  CHECK(bins->values[0].front() == 2);
  CHECK(bins->values[0].back() == 1);
  CHECK(bins->largest == 2);
}

TEST_CASE("scales map the ends of their domain onto the ends of their range") {
  const TimeScale x{1000, 3000, 64, 1016};
  CHECK(x.x(1000) == doctest::Approx(64));
  CHECK(x.x(3000) == doctest::Approx(1080));
  CHECK(x.x(2000) == doctest::Approx(572));
  const ValueScale y{50, 30, 248};
  CHECK(y.y(0) == doctest::Approx(278));
  CHECK(y.y(50) == doctest::Approx(30));
  CHECK(y.y(25) == doctest::Approx(154));
}

TEST_CASE("time_ticks: a day, every two hours, the date where it changes") {
  const Instant start = at("2026-03-02 00:00");
  const std::vector<TimeTick> ticks = time_ticks(hour_scale(start, start + 24 * k_hour));
  REQUIRE(ticks.size() == 13);
  CHECK(labels(ticks) == std::vector<std::string>{"00:00",
                                                  "02:00",
                                                  "04:00",
                                                  "06:00",
                                                  "08:00",
                                                  "10:00",
                                                  "12:00",
                                                  "14:00",
                                                  "16:00",
                                                  "18:00",
                                                  "20:00",
                                                  "22:00",
                                                  "00:00"});
  CHECK(ticks.front().date == "2026-03-02");
  CHECK(ticks[1].date.empty());
  CHECK(ticks.back().date == "2026-03-03");
  CHECK(ticks.front().x == doctest::Approx(0));
  CHECK(ticks[1].x == doctest::Approx(2));
  CHECK(ticks.back().x == doctest::Approx(24));
}

TEST_CASE("time_ticks: the first tick is on the first round hour at or after the start") {
  const Instant start = at("2026-03-02 01:30");
  const std::vector<TimeTick> ticks = time_ticks(hour_scale(start, start + 5 * k_hour));
  CHECK(labels(ticks) == std::vector<std::string>{"02:00", "03:00", "04:00", "05:00", "06:00"});
  CHECK(ticks.front().at == at("2026-03-02 02:00"));
}

TEST_CASE("time_ticks: before 1970 too") {
  const Instant start = at("1969-12-31 19:30");
  const std::vector<TimeTick> ticks = time_ticks(hour_scale(start, start + 6 * k_hour));
  CHECK(labels(ticks) ==
        std::vector<std::string>{"20:00", "21:00", "22:00", "23:00", "00:00", "01:00"});
  CHECK(dates(ticks) == std::vector<std::string>{"1969-12-31", "", "", "", "1970-01-01", ""});
}

TEST_CASE("time_ticks: ten days, daily, month and day with the year once") {
  const Instant start = at("2026-03-02 00:00");
  const std::vector<TimeTick> ticks = time_ticks(hour_scale(start, start + 240 * k_hour));
  REQUIRE(ticks.size() == 11);
  CHECK(ticks.front().label == "03-02");
  CHECK(ticks.back().label == "03-12");
  CHECK(ticks.front().date == "2026");
  CHECK(ticks[1].date.empty());
}

TEST_CASE("time_ticks: two years, on the first of every other month") {
  const Instant start = at("2024-05-07 00:00");
  const std::vector<TimeTick> ticks = time_ticks(hour_scale(start, at("2026-05-07 00:00")));
  REQUIRE(ticks.size() == 12);
  CHECK(ticks.front().label == "2024-07");
  CHECK(ticks[1].label == "2024-09");
  CHECK(ticks.back().label == "2026-05");
  CHECK(ticks.front().at == at("2024-07-01 00:00"));
  CHECK(ticks.front().date.empty());
}

TEST_CASE("time_ticks: seven years, on New Year") {
  const Instant start = at("2019-03-07 00:00");
  const std::vector<TimeTick> ticks = time_ticks(hour_scale(start, at("2026-03-07 00:00")));
  CHECK(labels(ticks) ==
        std::vector<std::string>{"2020", "2021", "2022", "2023", "2024", "2025", "2026"});
}

TEST_CASE("layout_timeline: nothing to draw") {
  const Insights insights;
  CHECK_FALSE(layout_timeline(insights));
}

TEST_CASE("layout_timeline: a single point") {
  Insights insights;
  const Instant hour = at("2026-03-02 10:00");
  insights.hourly.push_back({hour, {7}});
  const std::optional<TimelineLayout> layout = layout_timeline(insights);
  REQUIRE(layout);
  const TimelineFrame& frame = layout->frame;
  CHECK(layout->unit == "hour");
  // 7 on an axis of round steps: 0 to 8 by 2.
  REQUIRE(layout->value_ticks.size() == 5);
  CHECK(layout->value_ticks.back().value == 8);
  CHECK(layout->value_ticks.front().y == doctest::Approx(frame.plot_bottom()));
  CHECK(layout->value_ticks.back().y == doctest::Approx(frame.top));
  CHECK(labels(layout->time_ticks) == std::vector<std::string>{"10:00", "11:00"});
  CHECK(layout->time_ticks.front().x == doctest::Approx(frame.left));
  CHECK(layout->time_ticks.back().x == doctest::Approx(frame.left + frame.plot_width()));
  CHECK(layout->added_bars.empty());
  REQUIRE(layout->input_lines.size() == 1);
  REQUIRE(layout->input_lines[0].size() == 2);
  CHECK(layout->input_lines[0][0].x == doctest::Approx(frame.left));
  CHECK(layout->input_lines[0][1].x == doctest::Approx(frame.left + frame.plot_width()));
  CHECK(layout->input_lines[0][0].y == doctest::Approx(layout->y.y(7)));
}

TEST_CASE("layout_timeline: added bars stand on the axis, outage bands are never too thin") {
  Insights insights;
  const Instant start = at("2026-03-02 00:00");
  insights.hourly.push_back({start, {10, 0, 0, 10}});
  insights.hourly.push_back({start + k_hour, {4, 0}});
  insights.hourly_added = {start + k_hour, {4, 0}};
  insights.outages.push_back({start + k_hour, start + 2 * k_hour, 4});
  insights.outages.push_back({start + 3 * k_hour, start + 3 * k_hour, 10});
  const std::optional<TimelineLayout> layout = layout_timeline(insights);
  REQUIRE(layout);
  const double bin_width = layout->frame.plot_width() / 4;
  REQUIRE(layout->added_bars.size() == 1);
  const Rect& bar = layout->added_bars[0];
  CHECK(bar.x == doctest::Approx(layout->frame.left + bin_width + 1));
  CHECK(bar.width == doctest::Approx(bin_width - 2));
  CHECK(bar.y + bar.height == doctest::Approx(layout->frame.plot_bottom()));
  CHECK(bar.y == doctest::Approx(layout->y.y(4)));

  REQUIRE(layout->outage_bands.size() == 2);
  CHECK(layout->outage_bands[0].outage == 0);
  CHECK(layout->outage_bands[0].x == doctest::Approx(layout->frame.left + bin_width));
  CHECK(layout->outage_bands[0].width == doctest::Approx(bin_width));
  CHECK(layout->outage_bands[1].width == doctest::Approx(3));
  CHECK(layout->outage_bands[1].label_x == doctest::Approx(layout->outage_bands[1].x + 1.5));
  CHECK(layout->input_lines.size() == 2);
}

TEST_CASE("bar_percents: shares of the largest, and no division by zero") {
  CHECK(bar_percents({}).empty());
  CHECK(bar_percents({0, 0}) == std::vector<double>{0, 0});
  CHECK(bar_percents({5, 10, 0}) == std::vector<double>{50, 100, 0});
}

TEST_CASE("heat_colour: light yellow to dark red") {
  const Rgb none = heat_colour(0);
  CHECK(none.r == 255);
  CHECK(none.g == 237);
  CHECK(none.b == 160);
  const Rgb half = heat_colour(0.5);
  CHECK(half.r == 253);
  CHECK(half.g == 141);
  CHECK(half.b == 60);
  const Rgb full = heat_colour(1);
  CHECK(full.r == 189);
  CHECK(full.g == 0);
  CHECK(full.b == 38);
  const Rgb quarter = heat_colour(0.25);
  CHECK(quarter.r == doctest::Approx(254));
  CHECK(quarter.g == doctest::Approx(189));
  CHECK(quarter.b == doctest::Approx(110));
  CHECK(heat_colour(2).r == 189);
}

TEST_CASE("layout_heat: the first six pages with clicks, one cell per counted grid square") {
  std::vector<PageInsight> pages(9);
  for (std::size_t i = 0; i < pages.size(); ++i) {
    pages[i].page = "/p/" + std::to_string(i);
    if (i != 1) {
      pages[i].heat[0] = 4;
      pages[i].heat[k_heat_cells + 1] = 2;
    }
  }
  const std::vector<HeatPicture> pictures = layout_heat(pages);
  REQUIRE(pictures.size() == k_heat_pictures);
  CHECK(pictures[0].page == &pages[0]);
  CHECK(pictures[1].page == &pages[2]); // no clicks on its grid
  CHECK(pictures.back().page == &pages[6]);
  const HeatPicture& picture = pictures[0];
  CHECK(picture.side == doctest::Approx(220));
  CHECK(picture.busiest == 4);
  REQUIRE(picture.cells.size() == 2);
  CHECK(picture.cells[0].rect.x == doctest::Approx(0.5));
  CHECK(picture.cells[0].rect.width == doctest::Approx(10));
  CHECK(picture.cells[0].count == 4);
  CHECK(picture.cells[0].colour.r == 189);
  CHECK(picture.cells[1].rect.x == doctest::Approx(11.5));
  CHECK(picture.cells[1].rect.y == doctest::Approx(11.5));
  CHECK(picture.cells[1].colour.g == 141);
  CHECK(layout_heat({}).empty());
}

TEST_CASE("hour_in_outage: an hour overlaps the outage") {
  const Outage outage{at("2026-03-02 10:20"), at("2026-03-02 11:00"), 10};
  CHECK_FALSE(hour_in_outage(at("2026-03-02 09:00"), outage));
  CHECK(hour_in_outage(at("2026-03-02 10:00"), outage));
  CHECK(hour_in_outage(at("2026-03-02 11:00"), outage));
  CHECK_FALSE(hour_in_outage(at("2026-03-02 12:00"), outage));
}

TEST_CASE("sample_lines: the columns of all rows, in order, and where they differ") {
  const SampleRow kept{0, 1, 0, {{"page", "/a"}, {"x", "1"}}};
  const SampleRow dropped{1, 7, 0, {{"page", "/a"}, {"x", "2"}, {"ref", "r"}}};
  const std::vector<SampleLine> lines = sample_lines({&kept, &dropped});
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].column == "page");
  CHECK_FALSE(lines[0].differs);
  CHECK(*lines[0].values[1] == "/a");
  CHECK(lines[1].column == "x");
  CHECK(lines[1].differs);
  CHECK(lines[2].column == "ref");
  CHECK(lines[2].values[0] == nullptr);
  CHECK(*lines[2].values[1] == "r");
  CHECK(lines[2].differs);
  CHECK(sample_lines({&kept}).size() == 2);
}
