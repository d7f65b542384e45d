#pragma once

#include "heatmap_merge/spill.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
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

// Numbers kept in ascending order.
using NumberStore = RunStore<std::int64_t, Ascending<std::int64_t>>;

// Time differences of pairs (ns), kept for their summary, in memory or spilled: the negative
// ones as their magnitudes and the others, each sorted, so that the k-th smallest difference and
// the k-th smallest magnitude are both read in one pass.
class OffsetSet {
public:
  OffsetSet() = default;
  OffsetSet(SpillSpace* space, std::size_t max_items)
      : m_negative(space, max_items), m_other(space, max_items) {}

  void add(std::int64_t offset) {
    if (offset < 0) {
      m_negative.add(offset == std::numeric_limits<std::int64_t>::min()
                       ? std::numeric_limits<std::int64_t>::max()
                       : -offset);
    } else {
      m_other.add(offset);
    }
  }
  // Adds every offset of `more`.
  void add(const OffsetSet& more) {
    more.m_negative.for_each([this](std::int64_t magnitude) { m_negative.add(magnitude); });
    more.m_other.for_each([this](std::int64_t offset) { m_other.add(offset); });
  }
  void finish() {
    m_negative.finish();
    m_other.finish();
  }
  std::size_t size() const {
    return m_negative.size() + m_other.size();
  }
  bool empty() const {
    return size() == 0;
  }
  // All of them, sorted (for tests and small sets).
  std::vector<std::int64_t> values() const;

private:
  friend struct OffsetSets;
  NumberStore m_negative; // magnitudes of the negative offsets
  NumberStore m_other;
};

// Summarises the offsets of all `sets` together, each finished.
OffsetSummary summarize_offsets(const std::vector<const OffsetSet*>& sets,
                                std::size_t max_bins = 10);

} // namespace heatmap_merge
