#pragma once

#include <cstdint>
#include <vector>

namespace heatmap_merge {

struct HistogramBin {
  std::int64_t from_ns = 0; // inclusive
  std::int64_t to_ns = 0;   // exclusive
  std::int64_t count = 0;
};

// The time differences of matched pairs, summarised for choosing a window.
struct OffsetSummary {
  std::int64_t count = 0;
  std::int64_t min_ns = 0;
  std::int64_t max_ns = 0;
  // The median difference: the failover delay plus the clock skew between the nodes.
  std::int64_t median_ns = 0;
  // The smallest window that catches 99% of the pairs (the 99th percentile of |difference|).
  std::int64_t window_99_ns = 0;
  // Bins of one round width (1, 2 or 5 times a power of ten) covering min to max.
  std::vector<HistogramBin> histogram;
};

OffsetSummary summarize_offsets(std::vector<std::int64_t> offsets, std::size_t max_bins = 10);

} // namespace heatmap_merge
