#pragma once
// The planner's own stores, in memory or spilled as PlanSpace says: the rows a secondary adds
// before they have an id (Unplaced), and the offsets of its matches. Internal to plan/.

#include "plan/plan.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <vector>

namespace heatmap_merge {

// A row a secondary adds, before it has its new id: its key (or, for a row with a NULL key
// column, only its instant and row id).
struct Unplaced {
  RowKey key;
  bool keyed = false;
};

// New ids follow time, then source row id.
struct TimeOrder {
  static bool less(const Unplaced& a, const Unplaced& b) {
    return std::tie(a.key.instant, a.key.rowid) < std::tie(b.key.instant, b.key.rowid);
  }
  static void sort(std::vector<Unplaced>& rows) {
    std::sort(rows.begin(), rows.end(), less);
  }
};
using UnplacedStore = RunStore<Unplaced, TimeOrder>;

// How many items of T one of the planner's stores may hold in memory.
template <typename T>
std::size_t items_in(const PlanSpace& space) {
  return space.store_bytes == UINT64_MAX
           ? static_cast<std::size_t>(-1)
           : static_cast<std::size_t>(std::max<std::uint64_t>(space.store_bytes / sizeof(T), 1));
}

// An empty store of the planner's: in memory, or spilling past its share of the budget.
template <typename Store>
Store new_store(const PlanSpace& space) {
  return space.spill == nullptr ? Store()
                                : Store(space.spill, items_in<typename Store::value_type>(space));
}

// Offsets kept as the plan's stores are. A secondary's sets (matches and near misses, of each
// half; with a replay window, its two kinds of pairs too), two stores each, share what one of
// those may hold: `stores` is how many stores that makes.
inline OffsetSet new_offsets(const PlanSpace& space, std::size_t stores = 8) {
  return space.spill == nullptr ? OffsetSet()
                                : OffsetSet(space.spill, items_in<std::int64_t>(space) / stores);
}

} // namespace heatmap_merge
