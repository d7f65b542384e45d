// The pairs' time differences summarised (stats.hpp): counts, median, 99th percentile and a
// histogram, read from sorted offsets in one pass, and the window to suggest.

#include "plan/stats.hpp"

#include "util/units.hpp"

#include <algorithm>
#include <cstdlib>
#include <numeric>

namespace heatmap_merge {

namespace {

// The smallest 1, 2 or 5 times a power of ten (at least 1 ms, and at least `resolution`) that
// covers `span` in `bins` bins.
std::int64_t round_width(std::int64_t span, std::size_t bins, std::int64_t resolution) {
  const std::int64_t wanted = std::max(span / static_cast<std::int64_t>(bins) + 1, resolution);
  for (std::int64_t power = k_ns_per_millisecond;; power *= 10) {
    for (const std::int64_t factor : {1, 2, 5}) {
      if (power * factor >= wanted) {
        return power * factor;
      }
    }
  }
}

} // namespace

// Reads several OffsetSets as one.
struct OffsetSets {
  const std::vector<const OffsetSet*>& sets;

  std::size_t negatives() const {
    std::size_t count = 0;
    for (const OffsetSet* set : sets) {
      count += set->m_negative.size();
    }
    return count;
  }
  // The k-th smallest of the stores that `pick` chooses of each set, merged.
  template <typename Pick>
  std::int64_t nth(std::size_t k, Pick pick) const {
    std::vector<RunCursor<std::int64_t>> cursors;
    for (const OffsetSet* set : sets) {
      for (const NumberStore* store : pick(*set)) {
        for (RunCursor<std::int64_t>& cursor : store->cursors(NumberStore::k_run_buffer_items)) {
          cursors.push_back(std::move(cursor));
        }
      }
    }
    NumberStore::Merger merged(std::move(cursors));
    for (std::size_t n = 0; n < k; ++n) {
      merged.advance();
    }
    return merged.head();
  }
  // The k-th smallest offset.
  std::int64_t offset(std::size_t k) const {
    const std::size_t negative = negatives();
    if (k < negative) {
      return -nth(negative - 1 - k, [](const OffsetSet& set) {
        return std::vector<const NumberStore*>{&set.m_negative};
      });
    }
    return nth(k - negative,
               [](const OffsetSet& set) { return std::vector<const NumberStore*>{&set.m_other}; });
  }
  // The k-th smallest magnitude.
  std::int64_t magnitude(std::size_t k) const {
    return nth(k, [](const OffsetSet& set) {
      return std::vector<const NumberStore*>{&set.m_negative, &set.m_other};
    });
  }
  // Calls `visit(magnitude)` for each offset, negative ones made positive.
  template <typename Visit>
  void for_each_magnitude(Visit visit) const {
    for (const OffsetSet* set : sets) {
      set->m_negative.for_each(visit);
      set->m_other.for_each(visit);
    }
  }
  template <typename Visit>
  void for_each(Visit visit) const {
    for (const OffsetSet* set : sets) {
      set->m_negative.for_each([&visit](std::int64_t magnitude) { visit(-magnitude); });
      set->m_other.for_each(visit);
    }
  }
};

std::vector<std::int64_t> OffsetSet::values() const {
  std::vector<std::int64_t> values;
  const std::vector<const OffsetSet*> sets{this};
  OffsetSets{sets}.for_each([&values](std::int64_t offset) { values.push_back(offset); });
  std::sort(values.begin(), values.end());
  return values;
}

OffsetSummary summarize_offsets(const std::vector<const OffsetSet*>& sets, std::size_t max_bins) {
  OffsetSummary summary;
  const OffsetSets all{sets};
  std::size_t count = 0;
  for (const OffsetSet* set : sets) {
    count += set->size();
  }
  if (count == 0) {
    return summary;
  }
  summary.count = static_cast<std::int64_t>(count);
  summary.min_ns = all.offset(0);
  summary.max_ns = all.offset(count - 1);
  summary.median_ns = count % 2 == 1 ? all.offset(count / 2)
                                     : all.offset(count / 2 - 1) / 2 + all.offset(count / 2) / 2;
  // The ceil(0.99 n)-th smallest magnitude: a window that wide catches at least 99%.
  summary.window_99_ns = all.magnitude((count * 99 + 99) / 100 - 1);

  std::uint64_t resolution = 0;
  all.for_each([&](std::int64_t offset) {
    resolution = std::gcd(
      resolution, static_cast<std::uint64_t>(offset) - static_cast<std::uint64_t>(summary.min_ns));
  });
  summary.resolution_ns = static_cast<std::int64_t>(resolution);

  const std::int64_t width =
    round_width(summary.max_ns - summary.min_ns, max_bins, summary.resolution_ns);
  const std::int64_t start = floor_div(summary.min_ns, width) * width;
  for (std::int64_t from = start; from <= summary.max_ns; from += width) {
    summary.histogram.push_back({from, from + width, 0});
  }
  all.for_each([&](std::int64_t offset) {
    ++summary.histogram[static_cast<std::size_t>((offset - start) / width)].count;
  });
  return summary;
}

std::int64_t round_window_up(std::int64_t widest_ns, std::int64_t& step_ns) {
  if (widest_ns <= 0) {
    step_ns = 0;
    return 0;
  }
  std::int64_t power = 1;
  while (power <= widest_ns / 10) {
    power *= 10;
  }
  step_ns = std::max<std::int64_t>(power / 2, 1);
  return (widest_ns + step_ns - 1) / step_ns * step_ns;
}

WindowAdvice advise_window(const std::vector<const OffsetSet*>& sets, std::int64_t window_ns) {
  WindowAdvice advice;
  const OffsetSets all{sets};
  all.for_each_magnitude([&advice](std::int64_t magnitude) {
    if (magnitude <= k_pair_horizon_ns) {
      ++advice.pairs;
      advice.widest_ns = std::max(advice.widest_ns, magnitude);
    }
  });
  if (advice.pairs > 0) {
    advice.window_ns = round_window_up(advice.widest_ns, advice.step_ns);
    advice.tighter_ns = advice.window_ns - advice.step_ns;
  }
  // A second pass: the tighter window is known only once the widest pair is.
  all.for_each_magnitude([&advice](std::int64_t magnitude) {
    if (advice.pairs > 0 && magnitude > advice.tighter_ns && magnitude <= k_pair_horizon_ns) {
      ++advice.tighter_apart;
    }
    if (magnitude > advice.window_ns) {
      ++advice.beyond;
    }
  });
  // Beyond twice what the data needs, a window gains no failover duplicate the report can see
  // and only risks matching distinct clicks that happen to lie that close.
  advice.too_wide =
    window_ns > 0 && (advice.beyond > 0 || (advice.pairs > 0 && window_ns > 2 * advice.window_ns));
  return advice;
}

} // namespace heatmap_merge
