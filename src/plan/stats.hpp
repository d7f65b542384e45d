#pragma once
// The time differences of the pairs the plan matched or left apart (OffsetSet, spilled past the
// budget), summarised for the report's window section and its advice.

#include "spill/run_store.hpp"
#include "util/units.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace heatmap_merge {

// How far apart the planner looks for same-key pairs that the window left apart (the near-miss
// probe of plan/match.cpp): the pairs within it are the ones a window is suggested for.
inline constexpr std::int64_t k_pair_horizon_ns = 10 * k_ns_per_second;

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
  // The step the differences come in: the greatest common divisor of their distances from the
  // smallest (0 when all are equal). Timestamps to the millisecond, a clock that ticks in 100 ms.
  std::int64_t resolution_ns = 0;
  // Bins of one round width (1, 2 or 5 times a power of ten) covering min to max, at most about
  // `max_bins` of them and never narrower than the resolution: each bin holds a difference the
  // data could have, so a bin between two others is empty only where the data has a gap.
  std::vector<HistogramBin> histogram;
};

// The window the report suggests, from the pairs within k_pair_horizon_ns: those matched at
// different instants and the near misses. The planner matches one-to-one, nearest first, so a
// window matches exactly the pairs of the full nearest-first pairing (the one the probe
// completes) that lie within it: a window at or above the widest pair matches every one of them,
// and a tighter window leaves apart exactly those further apart than it (with one secondary;
// with several, each is matched against what the earlier ones added, which the window changes).
struct WindowAdvice {
  std::int64_t pairs = 0;     // pairs within the horizon; 0: nothing to suggest
  std::int64_t widest_ns = 0; // the largest |difference| among them
  // The rounding: half the power of ten at or below `widest_ns` (0.5 s for 1 to 10 s).
  std::int64_t step_ns = 0;
  std::int64_t window_ns = 0;     // `widest_ns` rounded up to a multiple of `step_ns`
  std::int64_t tighter_ns = 0;    // one step less
  std::int64_t tighter_apart = 0; // the pairs a window of `tighter_ns` leaves apart (>= 1)
  // Pairs matched further apart than `window_ns` (all of them when `pairs` is 0): only a window
  // wider than the horizon matches them, and they are likely distinct clicks.
  std::int64_t beyond = 0;
  // The window given matched pairs beyond, or is more than twice `window_ns`.
  bool too_wide = false;
};

// `widest_ns` rounded up to a multiple of half the power of ten at or below it; `step_ns` gets
// that half (2 s and 0.5 s for 1.65 s, 35 ms and 5 ms for 32 ms). 0 for 0.
std::int64_t round_window_up(std::int64_t widest_ns, std::int64_t& step_ns);

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

// The advice for the offsets of all `sets` together (matches and near misses, each finished),
// for a plan made with a window of `window_ns`.
WindowAdvice advise_window(const std::vector<const OffsetSet*>& sets, std::int64_t window_ns);

} // namespace heatmap_merge
