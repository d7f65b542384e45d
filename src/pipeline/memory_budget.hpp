#pragma once
// --memory-limit split between the phases of a run: the one place that gives each phase its
// share (merge.cpp hands each phase its number; a phase knows nothing of the others').

#include <algorithm>
#include <cstdint>

namespace heatmap_merge {

struct MemoryBudget {
  std::uint64_t limit; // --memory-limit

  // The keys of every input while they are read (KeyReader shares it by rows): three quarters.
  std::uint64_t keys() const {
    return limit / 4 * 3;
  }
  // What the added rows' pages may take in memory while the copy's check still runs
  // (write_new_output): half, which the keys no longer take by then.
  std::uint64_t rows_beside_check() const {
    return limit / 2;
  }
  // What each of the planner's own stores may hold: the limit less what the keys kept in memory
  // (`keys_held`), a quarter of it at least, over the four stores alive at once (a secondary's
  // unmatched keys in two halves, its added rows, and their keys for the next secondary).
  std::uint64_t plan_store(std::uint64_t keys_held) const {
    const std::uint64_t left = std::max(limit > keys_held ? limit - keys_held : 0, limit / 4);
    return left / 4;
  }
};

} // namespace heatmap_merge
