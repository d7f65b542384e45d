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
        for (RunCursor<std::int64_t>& cursor :
             store->cursors(-1, NumberStore::k_run_buffer_items)) {
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

  const std::int64_t width = round_width(summary.max_ns - summary.min_ns, max_bins);
  const std::int64_t start = floor_to(summary.min_ns, width);
  for (std::int64_t from = start; from <= summary.max_ns; from += width) {
    summary.histogram.push_back({from, from + width, 0});
  }
  all.for_each([&](std::int64_t offset) {
    ++summary.histogram[static_cast<std::size_t>((offset - start) / width)].count;
  });
  return summary;
}

} // namespace heatmap_merge
