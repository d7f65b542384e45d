#include "heatmap_merge/stats.hpp"

#include <algorithm>
#include <cstdlib>

namespace heatmap_merge {

namespace {

std::int64_t floor_to(std::int64_t value, std::int64_t step) {
  const std::int64_t quotient = value / step;
  return (value % step != 0 && value < 0 ? quotient - 1 : quotient) * step;
}

// The smallest 1, 2 or 5 times a power of ten (at least 1 ms) that covers `span` in `bins` bins.
std::int64_t round_width(std::int64_t span, std::size_t bins) {
  const std::int64_t wanted = span / static_cast<std::int64_t>(bins) + 1;
  for (std::int64_t power = 1'000'000;; power *= 10) {
    for (const std::int64_t factor : {1, 2, 5}) {
      if (power * factor >= wanted) {
        return power * factor;
      }
    }
  }
}

} // namespace

OffsetSummary summarize_offsets(std::vector<std::int64_t> offsets, std::size_t max_bins) {
  OffsetSummary summary;
  if (offsets.empty()) {
    return summary;
  }
  std::sort(offsets.begin(), offsets.end());
  const std::size_t count = offsets.size();
  summary.count = static_cast<std::int64_t>(count);
  summary.min_ns = offsets.front();
  summary.max_ns = offsets.back();
  summary.median_ns =
    count % 2 == 1 ? offsets[count / 2] : offsets[count / 2 - 1] / 2 + offsets[count / 2] / 2;

  std::vector<std::int64_t> magnitudes(count);
  std::transform(offsets.begin(), offsets.end(), magnitudes.begin(), [](std::int64_t offset) {
    return std::llabs(offset);
  });
  std::sort(magnitudes.begin(), magnitudes.end());
  // The ceil(0.99 n)-th smallest magnitude: a window that wide catches at least 99%.
  const std::size_t rank = (count * 99 + 99) / 100;
  summary.window_99_ns = magnitudes[rank - 1];

  const std::int64_t width = round_width(summary.max_ns - summary.min_ns, max_bins);
  const std::int64_t start = floor_to(summary.min_ns, width);
  std::size_t next = 0;
  for (std::int64_t from = start; from <= summary.max_ns; from += width) {
    HistogramBin bin{from, from + width, 0};
    while (next < count && offsets[next] < bin.to_ns) {
      ++bin.count;
      ++next;
    }
    summary.histogram.push_back(bin);
  }
  return summary;
}

} // namespace heatmap_merge
