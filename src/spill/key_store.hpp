#pragma once
// The planner's keys (RowKey) and where an input's keys are kept (KeyStore): in memory, or past
// the budget partitioned in a spill file. read/ fills them; plan/ matches them.

#include "spill/run_store.hpp"
#include "util/timestamp.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <tuple>
#include <vector>

namespace heatmap_merge {

// What the planner knows of a row whose key columns are all set: 32 bytes, so that a million
// rows fit in 32 MB. `group` is a 96-bit hash of the key columns other than the time (and of the
// time itself when it is text); `payload` hashes the compared columns, to tell conflicts.
struct RowKey {
  std::uint64_t group_hi = 0;
  std::uint32_t group_lo = 0;
  std::uint32_t payload = 0;
  Instant instant = 0;
  std::int64_t rowid = 0;
};
static_assert(sizeof(RowKey) == 32);

// The order the planner walks keys in: by group, then time. Rows at the same instant sort by
// payload, so that identical rows end up next to each other and pair up first (a double click
// whose rows differ in scroll_y is not made into two conflicts). A function object, not a
// function pointer, so that std::sort inlines it.
struct KeyLess {
  bool operator()(const RowKey& a, const RowKey& b) const {
    return std::tie(a.group_hi, a.group_lo, a.instant, a.payload, a.rowid) <
           std::tie(b.group_hi, b.group_lo, b.instant, b.payload, b.rowid);
  }
};

// Sorts keys by KeyLess. `common_bits`: how many top bits of group_hi all of them share (a
// partition's), which the sort's radix pass skips; `parallel`: whether it may take a second
// thread.
void sort_row_keys(std::span<RowKey> keys, int common_bits = 0, bool parallel = true);

// Keys sorted by KeyLess, as a spilled key partition too large for memory keeps them.
struct KeyOrder {
  static bool less(const RowKey& a, const RowKey& b) {
    return KeyLess()(a, b);
  }
  static void sort(std::vector<RowKey>& keys) {
    sort_row_keys(keys, 0, false);
  }
};

// Some partitions of a KeyStore's keys, sorted by KeyLess: a view of the store's own memory, or
// of the caller's, where they were read back from the spill file, or (larger than the memory
// they may take) sorted runs in a spill file of their own. It and that memory live while its
// cursors are read.
class KeyPart {
public:
  std::vector<RunCursor<RowKey>> cursors() const;

private:
  friend class KeyStore;
  std::span<const RowKey> m_view;
  std::unique_ptr<RunStore<RowKey, KeyOrder>> m_runs;
};

// An input's keys, as the planner takes them: sorted in memory while they fit in `max_items`.
// Beyond that, in a spill file, partitioned by the top bits of their group hash (the space's
// partition_bits) but not sorted: the planner reads back as many partitions at a time as its
// budget holds, sorts each in memory, and matches them against the same partitions of the other
// stores. A group never straddles partitions, and the partitions in order are the whole in
// KeyLess order, so that this is the plan a sort of everything would make, in linear time, where
// sorted runs merged back cost a comparison per key per level of the merge.
class KeyStore {
public:
  using value_type = RowKey;

  // In memory, unbounded.
  KeyStore() = default;
  KeyStore(SpillSpace* space, std::size_t max_items);

  void reserve(std::size_t items);
  // Adds a key; after finish() too, which must then be called again.
  void add(const RowKey& key);
  // Sorts what is in memory, or, once keys were spilled, spills the rest and frees the memory.
  void finish();

  std::size_t size() const {
    return m_size;
  }
  bool empty() const {
    return m_size == 0;
  }
  bool spilled() const {
    return !m_chunks.empty();
  }
  // What it holds in memory.
  std::uint64_t memory_bytes() const {
    return m_buffer.capacity() * sizeof(RowKey);
  }

  // Partitions [first, last) of 2^`bits` (which must be the space's partition_bits once
  // spilled): read back into `memory` (kept from one call to the next, so that it is not
  // allocated and faulted in again) if they fit in `max_items`, else sorted runs spilled to
  // `space`.
  KeyPart part(std::size_t first,
               std::size_t last,
               int bits,
               SpillSpace* space,
               std::size_t max_items,
               std::vector<RowKey>& memory) const;
  // How many keys part() would read back from the spill file for those partitions: 0 for a
  // store held in memory.
  std::size_t spilled_keys(std::size_t first, std::size_t last) const;
  // Calls `visit(key)` on every key, in KeyLess order (before finish(), a store that never
  // spilled gives them in the order they were added).
  template <typename Visit>
  void for_each(Visit visit) const {
    const int bits = spilled() ? m_space->partition_bits() : 0;
    std::vector<RowKey> memory;
    for (std::size_t p = 0; p < (std::size_t{1} << bits); ++p) {
      const KeyPart keys = part(p, p + 1, bits, m_space, m_max_items, memory);
      for (RunMerger<RowKey, KeyOrder> merger(keys.cursors()); !merger.done(); merger.advance()) {
        visit(merger.head());
      }
    }
  }

private:
  // One spill of the buffer: where it starts, and where each partition starts within it.
  struct Chunk {
    std::uint64_t offset = 0;
    std::vector<std::size_t> starts; // 2^bits + 1 entries, the last the chunk's size
  };
  void spill();

  SpillSpace* m_space = nullptr;
  std::size_t m_max_items = static_cast<std::size_t>(-1);
  std::vector<RowKey> m_buffer;
  std::size_t m_size = 0;
  bool m_finished = false;
  std::shared_ptr<SpillFile> m_file; // shared by copies (in tests): its chunks never change
  std::vector<Chunk> m_chunks;
};

} // namespace heatmap_merge
