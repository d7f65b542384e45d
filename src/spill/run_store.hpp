#pragma once
// Sorted runs, in memory or in a spill file (spill_file.hpp), and their merge: RunStore keeps
// items sorted past the memory budget, RunCursor reads one run back and RunMerger merges them.
// The planner's stores, the keys' (key_store.hpp) and the report's offsets are RunStores.

#include "spill/spill_file.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace heatmap_merge {

// Reads one sorted run, from memory or from a spill file through a buffer of its own.
template <typename T>
class RunCursor {
public:
  explicit RunCursor(std::span<const T> items)
      : m_pos(items.data()), m_end(items.data() + items.size()) {}
  RunCursor(const SpillFile& file,
            std::uint64_t offset,
            std::size_t count,
            std::size_t buffer_items)
      : m_file(&file), m_offset(offset), m_left(count), m_buffer(std::min(count, buffer_items)) {
    refill();
  }
  RunCursor(RunCursor&& other) noexcept
      : m_file(other.m_file), m_offset(other.m_offset), m_left(other.m_left) {
    const bool buffered = other.m_file != nullptr;
    const std::ptrdiff_t pos = other.m_pos - other.m_buffer.data();
    const std::ptrdiff_t end = other.m_end - other.m_buffer.data();
    m_buffer = std::move(other.m_buffer);
    m_pos = buffered ? m_buffer.data() + pos : other.m_pos;
    m_end = buffered ? m_buffer.data() + end : other.m_end;
  }
  RunCursor(const RunCursor&) = delete;
  RunCursor& operator=(const RunCursor&) = delete;
  RunCursor& operator=(RunCursor&&) = delete;

  bool done() const {
    return m_pos == m_end;
  }
  const T& head() const {
    return *m_pos;
  }
  void advance() {
    if (++m_pos == m_end && m_file != nullptr) {
      refill();
    }
  }

private:
  void refill() {
    const std::size_t count = std::min(m_left, m_buffer.size());
    if (count > 0) {
      m_file->read(m_offset, m_buffer.data(), count * sizeof(T));
    }
    m_offset += count * sizeof(T);
    m_left -= count;
    m_pos = m_buffer.data();
    m_end = m_buffer.data() + count;
  }

  const SpillFile* m_file = nullptr;
  std::uint64_t m_offset = 0;
  std::size_t m_left = 0;
  std::vector<T> m_buffer;
  const T* m_pos = nullptr;
  const T* m_end = nullptr;
};

// Merges sorted runs into one sorted stream: a tournament (loser) tree over the runs' heads,
// which takes one comparison per level to replace the winner, where a heap takes two.
template <typename T, typename Traits>
class RunMerger {
public:
  explicit RunMerger(std::vector<RunCursor<T>> cursors) : m_cursors(std::move(cursors)) {
    const std::size_t runs = m_cursors.size();
    if (runs == 0) {
      return;
    }
    // Node n's children are 2n and 2n + 1; nodes from `runs` on are the runs themselves.
    m_tree.assign(runs, 0);
    m_tree[0] = play(1);
  }

  bool done() const {
    return m_cursors.empty() || m_cursors[m_tree[0]].done();
  }
  const T& head() const {
    return m_cursors[m_tree[0]].head();
  }
  void advance() {
    std::size_t winner = m_tree[0];
    m_cursors[winner].advance();
    for (std::size_t node = (winner + m_cursors.size()) / 2; node > 0; node /= 2) {
      if (before(m_tree[node], winner)) {
        std::swap(m_tree[node], winner);
      }
    }
    m_tree[0] = winner;
  }

private:
  // The winner of the subtree at `node`, its loser kept there.
  std::size_t play(std::size_t node) {
    if (node >= m_cursors.size()) {
      return node - m_cursors.size();
    }
    const std::size_t left = play(2 * node);
    const std::size_t right = play(2 * node + 1);
    const bool left_wins = before(left, right);
    m_tree[node] = left_wins ? right : left;
    return left_wins ? left : right;
  }
  // Whether run a's head comes out before run b's: a finished run comes last, and of equal
  // items the earlier run's first, so that they come out in the order they were added.
  bool before(std::size_t a, std::size_t b) const {
    if (m_cursors[a].done() || m_cursors[b].done()) {
      return !m_cursors[a].done() || (m_cursors[b].done() && a < b);
    }
    const T& x = m_cursors[a].head();
    const T& y = m_cursors[b].head();
    if (Traits::less(x, y)) {
      return true;
    }
    return !Traits::less(y, x) && a < b;
  }

  std::vector<RunCursor<T>> m_cursors;
  std::vector<std::size_t> m_tree; // [0] the winner, [n] the loser at node n
};

// Makes room for one more item in a buffer that may hold `max_items`: grown by hand, since
// doubling would overshoot the budget by up to its size.
template <typename T>
void make_room(std::vector<T>& buffer, std::size_t max_items) {
  if (buffer.size() == buffer.capacity()) {
    buffer.reserve(std::min(std::max<std::size_t>(buffer.capacity() * 2, 1024), max_items));
  }
}

// The order of a RunStore: its items ascending, or their `Member`.
template <typename T, auto Member = nullptr>
struct Ascending {
  static bool less(const T& a, const T& b) {
    return key(a) < key(b);
  }
  static void sort(std::vector<T>& items) {
    std::sort(items.begin(), items.end(), less);
  }

private:
  static const auto& key(const T& item) {
    if constexpr (std::is_null_pointer_v<decltype(Member)>) {
      return item;
    } else {
      return item.*Member;
    }
  }
};

// Items kept sorted by Traits::less, in memory up to `max_items`, beyond that in sorted runs
// in a spill file, merged back when read. Traits gives less(a, b) and sort(vector&).
template <typename T, typename Traits>
class RunStore {
public:
  using value_type = T;
  using Merger = RunMerger<T, Traits>;

  // In memory, unbounded.
  RunStore() = default;
  RunStore(SpillSpace* space, std::size_t max_items)
      : m_space(space), m_max_items(std::max<std::size_t>(max_items, 1)) {}

  void reserve(std::size_t items) {
    m_buffer.reserve(std::min(items, m_max_items));
  }
  // Adds an item; after finish() too, which must then be called again.
  void add(const T& item) {
    m_finished = false;
    if (m_buffer.size() >= m_max_items && m_space != nullptr) {
      spill();
    }
    if (m_space != nullptr) {
      make_room(m_buffer, m_max_items);
    }
    m_buffer.push_back(item);
    ++m_size;
  }
  // Sorts what is in memory. Once runs were spilled, the rest goes to disk too, and the memory
  // is given back for the next phase.
  void finish() {
    if (m_finished) {
      return;
    }
    m_finished = true;
    if (!m_runs.empty()) {
      if (!m_buffer.empty()) {
        spill();
      }
      std::vector<T>().swap(m_buffer);
      return;
    }
    Traits::sort(m_buffer);
  }

  std::size_t size() const {
    return m_size;
  }
  bool empty() const {
    return m_size == 0;
  }
  bool spilled() const {
    return !m_runs.empty();
  }
  std::size_t runs() const {
    return m_runs.empty() ? 1 : m_runs.size();
  }
  // What it holds in memory.
  std::uint64_t memory_bytes() const {
    return m_buffer.capacity() * sizeof(T);
  }

  // The runs' cursors, each reading `buffer_items` at a time from its spill file.
  std::vector<RunCursor<T>> cursors(std::size_t buffer_items) const {
    if (!m_finished && !m_runs.empty()) {
      // Its last items are still in memory, unsorted: a bug of the caller's.
      throw std::logic_error("a spilled store was read before finish()");
    }
    std::vector<RunCursor<T>> cursors;
    if (m_runs.empty()) {
      cursors.emplace_back(std::span<const T>(m_buffer));
      return cursors;
    }
    for (const Run& run : m_runs) {
      cursors.emplace_back(*m_file, run.offset, run.count, buffer_items);
    }
    return cursors;
  }
  RunMerger<T, Traits> merge() const {
    return RunMerger<T, Traits>(cursors(k_run_buffer_items));
  }
  // Calls `visit(item)` on every item, in order.
  template <typename Visit>
  void for_each(Visit visit) const {
    for (RunMerger<T, Traits> merger = merge(); !merger.done(); merger.advance()) {
      visit(merger.head());
    }
  }

  // How many items a cursor of a spilled run reads at a time: 64 KiB of keys.
  static constexpr std::size_t k_run_buffer_items = (std::size_t{64} << 10) / sizeof(T);

private:
  struct Run {
    std::uint64_t offset = 0;
    std::size_t count = 0;
  };

  void spill() {
    Traits::sort(m_buffer);
    if (!m_file) {
      m_file = std::make_shared<SpillFile>(*m_space);
    }
    const std::uint64_t offset = m_file->append(m_buffer.data(), m_buffer.size() * sizeof(T));
    m_runs.push_back({offset, m_buffer.size()});
    m_buffer.clear();
  }

  SpillSpace* m_space = nullptr;
  std::size_t m_max_items = static_cast<std::size_t>(-1);
  std::vector<T> m_buffer;
  std::size_t m_size = 0;
  bool m_finished = false;
  // Shared by copies (in tests): its runs never change once written.
  std::shared_ptr<SpillFile> m_file;
  std::vector<Run> m_runs;
};

} // namespace heatmap_merge
