#pragma once
// The planner's matching of one key group, nearest first within the window (GroupMatcher): the
// heart of plan/match.cpp and of match_keys. Internal to plan/; all inline, as the hot loop wants.

#include "spill/key_store.hpp"
#include "util/timestamp.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <queue>
#include <span>
#include <tuple>
#include <vector>

namespace heatmap_merge {

inline bool same_group(const RowKey& a, const RowKey& b) {
  return a.group_hi == b.group_hi && a.group_lo == b.group_lo;
}

// Matches one group one-to-one, nearest first. The nearest pair of rows from different sides is
// always adjacent in time order among the rows still unmatched, so a heap of adjacent pairs
// finds each next match in O(log n), and hot spots stay n log n. The group's rows are nodes of
// one list in time order; a matched pair is unlinked, and its neighbours become adjacent.
class GroupMatcher {
public:
  GroupMatcher(std::span<const RowKey> merged,
               std::span<const RowKey> secondary,
               std::uint64_t window);

  // Calls `on_match(merged_index, secondary_index)` for each pair: a template parameter, inlined
  // (a std::function call per pair cost 5% of the planning).
  template <typename MatchCallback>
  void run(const MatchCallback& on_match);

private:
  struct Node {
    Instant instant;
    std::uint32_t payload;
    bool from_secondary;
    std::size_t index;
  };
  // (distance, payloads differ, left node, right node): at equal distance identical rows pair
  // first, so that no conflict is made up; positions break the remaining ties deterministically.
  using Candidate = std::tuple<std::uint64_t, bool, std::size_t, std::size_t>;
  static constexpr std::size_t k_none = static_cast<std::size_t>(-1);

  void interleave(std::span<const RowKey> merged, std::span<const RowKey> secondary);
  void consider(std::size_t left, std::size_t right);
  std::size_t alive_twin(Instant instant, std::uint32_t payload, bool from_secondary);
  void unlink(std::size_t node);

  std::uint64_t m_window;
  std::vector<Node> m_nodes;
  std::vector<std::size_t> m_previous;
  std::vector<std::size_t> m_next;
  std::vector<bool> m_alive;
  // For the first node of each run of rows of one side at one instant with one payload: the
  // run's first row not yet matched (alive_twin), so that each matched row is skipped once.
  std::vector<std::size_t> m_cursor;
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> m_candidates;
};

inline GroupMatcher::GroupMatcher(std::span<const RowKey> merged,
                                  std::span<const RowKey> secondary,
                                  std::uint64_t window)
    : m_window(window) {
  interleave(merged, secondary);
  const std::size_t count = m_nodes.size();
  m_previous.resize(count);
  m_next.resize(count);
  m_alive.assign(count, true);
  m_cursor.resize(count);
  for (std::size_t n = 0; n < count; ++n) {
    m_previous[n] = n == 0 ? k_none : n - 1;
    m_next[n] = n + 1 == count ? k_none : n + 1;
    m_cursor[n] = n;
  }
  for (std::size_t n = 0; n + 1 < count; ++n) {
    consider(n, n + 1);
  }
}

// Both sides' rows in one list, in time order.
inline void GroupMatcher::interleave(std::span<const RowKey> merged,
                                     std::span<const RowKey> secondary) {
  m_nodes.reserve(merged.size() + secondary.size());
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < merged.size() || j < secondary.size()) {
    // Ties put the merged row first; both sides are already sorted by (instant, payload, rowid).
    if (j == secondary.size() ||
        (i < merged.size() && std::tie(merged[i].instant, merged[i].payload) <=
                                std::tie(secondary[j].instant, secondary[j].payload))) {
      m_nodes.push_back({merged[i].instant, merged[i].payload, false, i});
      ++i;
    } else {
      m_nodes.push_back({secondary[j].instant, secondary[j].payload, true, j});
      ++j;
    }
  }
}

// Queues two neighbours as a candidate pair if they come from different sides within the window.
inline void GroupMatcher::consider(std::size_t left, std::size_t right) {
  if (left == k_none || right == k_none ||
      m_nodes[left].from_secondary == m_nodes[right].from_secondary) {
    return;
  }
  const std::uint64_t gap = instant_distance(m_nodes[left].instant, m_nodes[right].instant);
  if (gap <= m_window) {
    m_candidates.emplace(gap, m_nodes[left].payload != m_nodes[right].payload, left, right);
  }
}

// The first unmatched row of one side at `instant` with `payload`, or k_none: the run of such
// rows is found by binary search.
inline std::size_t
GroupMatcher::alive_twin(Instant instant, std::uint32_t payload, bool from_secondary) {
  const auto run = std::lower_bound(
    m_nodes.begin(),
    m_nodes.end(),
    std::tie(instant, payload, from_secondary),
    [](const Node& node, const std::tuple<Instant&, std::uint32_t&, bool&>& wanted) {
      return std::tie(node.instant, node.payload, node.from_secondary) < wanted;
    });
  const std::size_t count = m_nodes.size();
  const std::size_t start = static_cast<std::size_t>(run - m_nodes.begin());
  if (start == count) {
    return k_none;
  }
  const auto same = [&](std::size_t n) {
    return m_nodes[n].instant == instant && m_nodes[n].payload == payload &&
           m_nodes[n].from_secondary == from_secondary;
  };
  std::size_t& n = m_cursor[start];
  while (n < count && !m_alive[n] && same(n)) {
    ++n;
  }
  return n < count && m_alive[n] && same(n) ? n : k_none;
}

// Takes a matched row out of the list; its neighbours, now adjacent, may pair.
inline void GroupMatcher::unlink(std::size_t node) {
  m_alive[node] = false;
  const std::size_t before = m_previous[node];
  const std::size_t after = m_next[node];
  if (before != k_none) {
    m_next[before] = after;
  }
  if (after != k_none) {
    m_previous[after] = before;
  }
  consider(before, after);
}

template <typename MatchCallback>
void GroupMatcher::run(const MatchCallback& on_match) {
  while (!m_candidates.empty()) {
    std::size_t left = std::get<2>(m_candidates.top());
    std::size_t right = std::get<3>(m_candidates.top());
    m_candidates.pop();
    // A pair goes stale when either row was matched since; its survivor gets a new pair then.
    if (!m_alive[left] || !m_alive[right]) {
      continue;
    }
    // Rows of one side at one instant sort by payload, so a row identical to the other one of
    // the pair may lie beyond its neighbour at the same instant: equally near, it pairs instead.
    if (m_nodes[left].payload != m_nodes[right].payload) {
      const std::size_t right_twin =
        alive_twin(m_nodes[right].instant, m_nodes[left].payload, m_nodes[right].from_secondary);
      const std::size_t left_twin =
        right_twin != k_none
          ? k_none
          : alive_twin(m_nodes[left].instant, m_nodes[right].payload, m_nodes[left].from_secondary);
      if (right_twin != k_none) {
        right = right_twin;
      } else if (left_twin != k_none) {
        left = left_twin;
      }
    }
    const Node& merged_node = m_nodes[left].from_secondary ? m_nodes[right] : m_nodes[left];
    const Node& secondary_node = m_nodes[left].from_secondary ? m_nodes[left] : m_nodes[right];
    on_match(merged_node.index, secondary_node.index);
    unlink(left);
    unlink(right);
  }
}

// Matches one group (GroupMatcher); a lone row on each side, the common case, without building
// the list.
template <typename MatchCallback>
void match_group(std::span<const RowKey> merged,
                 std::span<const RowKey> secondary,
                 std::uint64_t window,
                 const MatchCallback& on_match) {
  if (merged.size() == 1 && secondary.size() == 1) {
    if (instant_distance(merged[0].instant, secondary[0].instant) <= window) {
      on_match(0, 0);
    }
    return;
  }
  GroupMatcher(merged, secondary, window).run(on_match);
}

} // namespace heatmap_merge
