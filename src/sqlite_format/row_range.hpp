#pragma once
// A span of row ids, the unit in which the page scan skips rows and the shared pages are found:
// the SQLite-format layer's own type, so that it needs nothing from the layers above it.

#include <cstdint>

namespace heatmap_merge {

// Row ids from `first` to `last`, both included.
struct RowRange {
  std::int64_t first = 0;
  std::int64_t last = 0;
  // How many row ids it spans (0 if none), at most INT64_MAX: ids from INT64_MIN to INT64_MAX
  // are allowed, so `last - first + 1` can overflow.
  std::int64_t ids() const {
    if (last < first) {
      return 0;
    }
    const std::uint64_t span = static_cast<std::uint64_t>(last) - static_cast<std::uint64_t>(first);
    return span >= static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX
                                                         : static_cast<std::int64_t>(span + 1);
  }
};

} // namespace heatmap_merge
