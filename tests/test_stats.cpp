// The match statistics (plan/stats.hpp): offsets summarised in memory or spilled, the histogram's
// bins, and the window the report suggests.
#include "plan/stats.hpp"
#include "spill/spill.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace {

constexpr std::int64_t k_ns_per_ms = 1'000'000;

} // namespace

TEST_CASE("stats: offsets spilled a few to a run summarise as the same offsets in memory") {
  heatmap_merge::SpillSpace space(std::filesystem::temp_directory_path());
  std::mt19937_64 random(99);
  for (const std::size_t count : {1UL, 2UL, 7UL, 100UL, 5'001UL}) {
    CAPTURE(count);
    std::vector<std::int64_t> offsets;
    heatmap_merge::OffsetSet first(&space, 3);
    heatmap_merge::OffsetSet second(&space, 5);
    for (std::size_t n = 0; n < count; ++n) {
      const std::int64_t offset =
        static_cast<std::int64_t>(random() % 4'000'000'000) - 2'500'000'000;
      offsets.push_back(offset);
      (n % 3 == 0 ? first : second).add(offset);
    }
    first.finish();
    second.finish();
    const heatmap_merge::OffsetSummary got = heatmap_merge::summarize_offsets(
      std::vector<const heatmap_merge::OffsetSet*>{&first, &second});
    // As the summary was first written: sorted copies and indexes.
    std::sort(offsets.begin(), offsets.end());
    std::vector<std::int64_t> magnitudes;
    for (const std::int64_t offset : offsets) {
      magnitudes.push_back(std::abs(offset));
    }
    std::sort(magnitudes.begin(), magnitudes.end());
    CHECK(got.count == static_cast<std::int64_t>(count));
    CHECK(got.min_ns == offsets.front());
    CHECK(got.max_ns == offsets.back());
    CHECK(got.median_ns == (count % 2 == 1 ? offsets[count / 2]
                                           : offsets[count / 2 - 1] / 2 + offsets[count / 2] / 2));
    CHECK(got.window_99_ns == magnitudes[(count * 99 + 99) / 100 - 1]);
    std::int64_t binned = 0;
    for (const heatmap_merge::HistogramBin& bin : got.histogram) {
      const std::int64_t inside =
        std::count_if(offsets.begin(), offsets.end(), [&](std::int64_t o) {
          return o >= bin.from_ns && o < bin.to_ns;
        });
      CHECK(bin.count == inside);
      binned += bin.count;
    }
    CHECK(binned == static_cast<std::int64_t>(count));
  }
}

namespace {

heatmap_merge::OffsetSet offsets_ms(const std::vector<std::int64_t>& milliseconds) {
  heatmap_merge::OffsetSet set;
  for (const std::int64_t ms : milliseconds) {
    set.add(ms * k_ns_per_ms);
  }
  set.finish();
  return set;
}

heatmap_merge::OffsetSummary summary_ms(const std::vector<std::int64_t>& milliseconds) {
  const heatmap_merge::OffsetSet set = offsets_ms(milliseconds);
  return heatmap_merge::summarize_offsets(std::vector<const heatmap_merge::OffsetSet*>{&set});
}

// "from-to:count" per bin, in ms: readable when a check fails.
std::string bins_of(const heatmap_merge::OffsetSummary& summary) {
  std::string text;
  for (const heatmap_merge::HistogramBin& bin : summary.histogram) {
    if (!text.empty()) {
      text += ' ';
    }
    text += std::to_string(bin.from_ns / k_ns_per_ms);
    text += '-';
    text += std::to_string(bin.to_ns / k_ns_per_ms);
    text += ':';
    text += std::to_string(bin.count);
  }
  return text;
}

// Whether some bin with no pair lies between two bins that have some.
bool empty_interior_bin(const heatmap_merge::OffsetSummary& summary) {
  const std::vector<heatmap_merge::HistogramBin>& bins = summary.histogram;
  for (std::size_t n = 1; n + 1 < bins.size(); ++n) {
    if (bins[n].count == 0) {
      return true;
    }
  }
  return false;
}

} // namespace

TEST_CASE("stats: histogram bins are never finer than the offsets' resolution") {
  SUBCASE("the sample replicas' failover pairs, 100 ms apart: one bin each, none empty") {
    const heatmap_merge::OffsetSummary summary = summary_ms({1250, 1350, 1450, 1550, 1650});
    CHECK(summary.resolution_ns == 100 * k_ns_per_ms);
    CHECK(bins_of(summary) == "1200-1300:1 1300-1400:1 1400-1500:1 1500-1600:1 1600-1700:1");
  }

  SUBCASE("a gap the data has stays: the resolution does not explain it") {
    const heatmap_merge::OffsetSummary summary = summary_ms({1200, 1300, 1600});
    CHECK(summary.resolution_ns == 100 * k_ns_per_ms);
    CHECK(bins_of(summary) == "1200-1300:1 1300-1400:1 1400-1500:0 1500-1600:0 1600-1700:1");
  }

  SUBCASE("a 300 ms step: bins of 500 ms, each holding a possible offset") {
    const heatmap_merge::OffsetSummary summary = summary_ms({-600, -300, 0, 300, 600, 900, 1200});
    CHECK(summary.resolution_ns == 300 * k_ns_per_ms);
    CHECK(bins_of(summary) == "-1000--500:1 -500-0:1 0-500:2 500-1000:2 1000-1500:1");
  }

  SUBCASE("fine offsets keep bins as fine as ten of them over the span allow") {
    const heatmap_merge::OffsetSummary summary = summary_ms({1000, 1001, 1037, 1100});
    CHECK(summary.resolution_ns == k_ns_per_ms);
    CHECK(bins_of(summary) ==
          "1000-1020:2 1020-1040:1 1040-1060:0 1060-1080:0 1080-1100:0 1100-1120:1");
  }

  SUBCASE("one offset, or several equal: one bin") {
    CHECK(summary_ms({1300}).resolution_ns == 0);
    CHECK(bins_of(summary_ms({1300, 1300})) == "1300-1301:2");
  }

  SUBCASE("offsets at every step of a lattice never leave an interior bin empty") {
    std::mt19937_64 random(16);
    for (const std::int64_t step_ms : {1, 20, 50, 100, 250, 300, 700, 1000}) {
      for (int trial = 0; trial < 20; ++trial) {
        CAPTURE(step_ms);
        CAPTURE(trial);
        const std::int64_t start = static_cast<std::int64_t>(random() % 5000) - 2500;
        const std::int64_t steps = 1 + static_cast<std::int64_t>(random() % 60);
        std::vector<std::int64_t> offsets;
        for (std::int64_t n = 0; n <= steps; ++n) {
          // Every lattice point at least once, some twice.
          for (std::uint64_t copies = 1 + random() % 2; copies > 0; --copies) {
            offsets.push_back(start + n * step_ms);
          }
        }
        const heatmap_merge::OffsetSummary summary = summary_ms(offsets);
        CHECK(summary.resolution_ns == step_ms * k_ns_per_ms);
        CHECK_FALSE(empty_interior_bin(summary));
        CHECK(summary.histogram.size() <= 11);
        CAPTURE(bins_of(summary));
        CHECK(summary.histogram.front().to_ns - summary.histogram.front().from_ns >=
              summary.resolution_ns);
      }
    }
  }
}

TEST_CASE("stats: a suggested window is the widest pair rounded up to half a power of ten") {
  const auto rounded = [](std::int64_t widest_ns) {
    std::int64_t step_ns = 0;
    const std::int64_t window_ns = heatmap_merge::round_window_up(widest_ns, step_ns);
    return std::pair<std::int64_t, std::int64_t>(window_ns, step_ns);
  };
  using Pair = std::pair<std::int64_t, std::int64_t>;
  CHECK(rounded(1'650'000'000) == Pair(2'000'000'000, 500'000'000));
  CHECK(rounded(1'694'000'000) == Pair(2'000'000'000, 500'000'000));
  CHECK(rounded(2'000'000'001) == Pair(2'500'000'000, 500'000'000));
  CHECK(rounded(1'000'000'000) == Pair(1'000'000'000, 500'000'000));
  CHECK(rounded(9'600'000'000) == Pair(10'000'000'000, 500'000'000));
  CHECK(rounded(10'000'000'000) == Pair(10'000'000'000, 5'000'000'000));
  CHECK(rounded(999'000'000) == Pair(1'000'000'000, 50'000'000));
  CHECK(rounded(32'000'000) == Pair(35'000'000, 5'000'000));
  CHECK(rounded(7) == Pair(7, 1));
  CHECK(rounded(0) == Pair(0, 0));
}

TEST_CASE("stats: the window advice") {
  const heatmap_merge::OffsetSet matched = offsets_ms({1200, -1300, 1600, 1600});
  const heatmap_merge::OffsetSet near = offsets_ms({1400});
  const std::vector<const heatmap_merge::OffsetSet*> sets{&matched, &near};

  SUBCASE("it matches every pair; one step less leaves the wider ones apart") {
    const heatmap_merge::WindowAdvice advice =
      heatmap_merge::advise_window(sets, 1500 * k_ns_per_ms);
    CHECK(advice.pairs == 5);
    CHECK(advice.widest_ns == 1600 * k_ns_per_ms);
    CHECK(advice.window_ns == 2000 * k_ns_per_ms);
    CHECK(advice.step_ns == 500 * k_ns_per_ms);
    CHECK(advice.tighter_ns == 1500 * k_ns_per_ms);
    CHECK(advice.tighter_apart == 2);
    CHECK(advice.beyond == 0);
    CHECK_FALSE(advice.too_wide);
  }

  SUBCASE("up to twice the suggestion is not too wide; more is") {
    CHECK_FALSE(heatmap_merge::advise_window(sets, 4000 * k_ns_per_ms).too_wide);
    CHECK(heatmap_merge::advise_window(sets, 4001 * k_ns_per_ms).too_wide);
    CHECK(heatmap_merge::advise_window(sets, 3'600'000 * k_ns_per_ms).too_wide);
  }

  SUBCASE("pairs beyond the horizon are not suggested for, and make the window too wide") {
    const heatmap_merge::OffsetSet far = offsets_ms({1200, 1300, -1'800'000, 11'000});
    const heatmap_merge::WindowAdvice advice = heatmap_merge::advise_window(
      std::vector<const heatmap_merge::OffsetSet*>{&far}, 3'600'000 * k_ns_per_ms);
    CHECK(advice.pairs == 2);
    CHECK(advice.window_ns == 1500 * k_ns_per_ms);
    CHECK(advice.beyond == 2);
    CHECK(advice.too_wide);
  }

  SUBCASE("only pairs beyond the horizon: nothing to suggest, still too wide") {
    const heatmap_merge::OffsetSet far = offsets_ms({600'000});
    const heatmap_merge::WindowAdvice advice = heatmap_merge::advise_window(
      std::vector<const heatmap_merge::OffsetSet*>{&far}, 3'600'000 * k_ns_per_ms);
    CHECK(advice.pairs == 0);
    CHECK(advice.beyond == 1);
    CHECK(advice.too_wide);
  }

  SUBCASE("no pair at all: nothing to suggest, nothing to warn of") {
    const heatmap_merge::OffsetSet none = offsets_ms({});
    const heatmap_merge::WindowAdvice advice = heatmap_merge::advise_window(
      std::vector<const heatmap_merge::OffsetSet*>{&none}, 3'600'000 * k_ns_per_ms);
    CHECK(advice.pairs == 0);
    CHECK_FALSE(advice.too_wide);
  }
}
