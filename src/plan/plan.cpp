#include "plan/plan.hpp"

#include <algorithm>
#include <functional>
#include <future>
#include <queue>
#include <span>
#include <tuple>

namespace heatmap_merge {

namespace {

bool same_group(const RowKey& a, const RowKey& b) {
  return a.group_hi == b.group_hi && a.group_lo == b.group_lo;
}

// |a - b| without overflow.
std::uint64_t distance(Instant a, Instant b) {
  return a >= b ? static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b)
                : static_cast<std::uint64_t>(b) - static_cast<std::uint64_t>(a);
}

// How far apart the near-miss probe looks for pairs that the window did not match.
constexpr std::uint64_t k_probe_horizon_ns = 10'000'000'000;

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

GroupMatcher::GroupMatcher(std::span<const RowKey> merged,
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
void GroupMatcher::interleave(std::span<const RowKey> merged, std::span<const RowKey> secondary) {
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
void GroupMatcher::consider(std::size_t left, std::size_t right) {
  if (left == k_none || right == k_none ||
      m_nodes[left].from_secondary == m_nodes[right].from_secondary) {
    return;
  }
  const std::uint64_t gap = distance(m_nodes[left].instant, m_nodes[right].instant);
  if (gap <= m_window) {
    m_candidates.emplace(gap, m_nodes[left].payload != m_nodes[right].payload, left, right);
  }
}

// The first unmatched row of one side at `instant` with `payload`, or k_none: the run of such
// rows is found by binary search.
std::size_t GroupMatcher::alive_twin(Instant instant, std::uint32_t payload, bool from_secondary) {
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
void GroupMatcher::unlink(std::size_t node) {
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
    if (distance(merged[0].instant, secondary[0].instant) <= window) {
      on_match(0, 0);
    }
    return;
  }
  GroupMatcher(merged, secondary, window).run(on_match);
}

// Pairs the window left apart but that lie within the probe's horizon: what a wider window would
// merge. The plan ignores them; the report shows them so the operator can choose a window.
void probe_near_misses(std::span<const RowKey> merged,
                       const std::vector<std::uint8_t>& merged_matched,
                       std::span<const RowKey> secondary,
                       const std::vector<std::uint8_t>& secondary_matched,
                       OffsetSet& offsets) {
  std::vector<RowKey> merged_left;
  for (std::size_t n = 0; n < merged.size(); ++n) {
    if (!merged_matched[n] && merged[n].instant != k_text_instant) {
      merged_left.push_back(merged[n]);
    }
  }
  if (merged_left.empty()) {
    return;
  }
  std::vector<RowKey> secondary_left;
  for (std::size_t n = 0; n < secondary.size(); ++n) {
    if (!secondary_matched[n] && secondary[n].instant != k_text_instant) {
      secondary_left.push_back(secondary[n]);
    }
  }
  if (secondary_left.empty()) {
    return;
  }
  match_group(merged_left,
              secondary_left,
              k_probe_horizon_ns,
              [&](std::size_t merged_index, std::size_t secondary_index) {
                offsets.add(secondary_left[secondary_index].instant -
                            merged_left[merged_index].instant);
              });
}

// Calls `visit(a_begin, a_end, b_begin, b_end)` for each key group that both a[a_begin, a_end)
// and b[b_begin, b_end) hold, both sorted by KeyLess, in group order.
template <typename GroupVisitor>
void for_each_common_group(const std::vector<RowKey>& a,
                           std::size_t a_begin,
                           std::size_t a_end,
                           const std::vector<RowKey>& b,
                           std::size_t b_begin,
                           std::size_t b_end,
                           const GroupVisitor& visit) {
  std::size_t i = a_begin;
  std::size_t j = b_begin;
  while (i < a_end && j < b_end) {
    if (!same_group(a[i], b[j])) {
      if (std::tie(a[i].group_hi, a[i].group_lo) < std::tie(b[j].group_hi, b[j].group_lo)) {
        ++i;
      } else {
        ++j;
      }
      continue;
    }
    std::size_t group_a_end = i + 1;
    while (group_a_end < a_end && same_group(a[group_a_end], a[i])) {
      ++group_a_end;
    }
    std::size_t group_b_end = j + 1;
    while (group_b_end < b_end && same_group(b[group_b_end], b[j])) {
      ++group_b_end;
    }
    visit(i, group_a_end, j, group_b_end);
    i = group_a_end;
    j = group_b_end;
  }
}

// Adds the upper half's tally to the lower half's, in walk order.
void add_tally(InputPlan& lower, const InputPlan& upper) {
  lower.duplicates_exact += upper.duplicates_exact;
  lower.duplicates_window += upper.duplicates_window;
  lower.conflicts += upper.conflicts;
  lower.conflicts_with_added += upper.conflicts_with_added;
  lower.match_offsets.add(upper.match_offsets);
  lower.near_miss_offsets.add(upper.near_miss_offsets);
  for (const ConflictPair& pair : upper.conflict_samples) {
    if (lower.conflict_samples.size() < k_conflict_samples) {
      lower.conflict_samples.push_back(pair);
    }
  }
}

// Below this many keys the halves are matched one after the other: a thread costs more.
constexpr std::size_t k_parallel_keys = 1 << 16;

} // namespace

std::vector<std::pair<std::size_t, std::size_t>> match_keys(const std::vector<RowKey>& kept,
                                                            const std::vector<RowKey>& candidates,
                                                            std::chrono::nanoseconds window) {
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  const auto on_match = [&pairs](std::size_t kept_index, std::size_t candidate_index) {
    pairs.emplace_back(kept_index, candidate_index);
  };
  const std::uint64_t window_ns = static_cast<std::uint64_t>(window.count());
  const auto match =
    [&](std::size_t i, std::size_t kept_end, std::size_t j, std::size_t candidates_end) {
      const auto on_group_match = [&](std::size_t kept_index, std::size_t candidate_index) {
        on_match(i + kept_index, j + candidate_index);
      };
      match_group(std::span<const RowKey>(kept).subspan(i, kept_end - i),
                  std::span<const RowKey>(candidates).subspan(j, candidates_end - j),
                  window_ns,
                  on_group_match);
    };
  for_each_common_group(kept, 0, kept.size(), candidates, 0, candidates.size(), match);
  return pairs;
}

void sort_keys(InputKeys& input) {
  input.keys.finish();
}

namespace {

bool group_less(const RowKey& a, const RowKey& b) {
  return std::tie(a.group_hi, a.group_lo) < std::tie(b.group_hi, b.group_lo);
}

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

template <typename T>
std::size_t items_in(const PlanSpace& space) {
  return space.store_bytes == UINT64_MAX
           ? static_cast<std::size_t>(-1)
           : static_cast<std::size_t>(std::max<std::uint64_t>(space.store_bytes / sizeof(T), 1));
}

template <typename Store>
Store new_store(const PlanSpace& space) {
  return space.spill == nullptr ? Store()
                                : Store(space.spill, items_in<typename Store::value_type>(space));
}

// Takes from `kept` and `fresh` (both sorted by KeyLess, so by time within a group) the next
// segment of the group of `group`: its rows in time order up to the first gap of more than
// `gap` between one row and the next. No pair within `gap` straddles such a gap, nor does one
// ever stand between two rows that could pair, so segments are matched apart, as the group
// would be: a hot spot clicked all year long is matched a few clicks at a time.
void take_segment(RunMerger<RowKey, KeyOrder>& kept,
                  RunMerger<RowKey, KeyOrder>& fresh,
                  const RowKey& group,
                  std::uint64_t gap,
                  std::vector<RowKey>& kept_segment,
                  std::vector<RowKey>& fresh_segment) {
  kept_segment.clear();
  fresh_segment.clear();
  Instant last = 0;
  while (true) {
    const bool kept_left = !kept.done() && same_group(kept.head(), group);
    const bool fresh_left = !fresh.done() && same_group(fresh.head(), group);
    if (!kept_left && !fresh_left) {
      return;
    }
    const bool from_kept =
      kept_left && (!fresh_left || kept.head().instant <= fresh.head().instant);
    RunMerger<RowKey, KeyOrder>& side = from_kept ? kept : fresh;
    const Instant instant = side.head().instant;
    if ((!kept_segment.empty() || !fresh_segment.empty()) && distance(instant, last) > gap) {
      return;
    }
    (from_kept ? kept_segment : fresh_segment).push_back(side.head());
    side.advance();
    last = instant;
  }
}

// Offsets kept as the plan's stores are. A secondary's four sets (matches and near misses, of
// each half), two stores each, share what one of those may hold.
OffsetSet new_offsets(const PlanSpace& space) {
  return space.spill == nullptr ? OffsetSet()
                                : OffsetSet(space.spill, items_in<std::int64_t>(space) / 8);
}

// Matches a secondary's keys against everything merged so far, group by group and segment by
// segment, and tallies the matches into `tally`; the keys left unmatched go to `added`.
class PartMatcher {
public:
  PartMatcher(std::uint64_t window,
              std::int64_t first_new_id,
              InputPlan& tally,
              UnplacedStore& added)
      : m_window(window), m_probing(window < k_probe_horizon_ns),
        m_gap(m_probing ? k_probe_horizon_ns : window), m_first_new_id(first_new_id),
        m_tally(tally), m_added(added) {}

  // Matches the keys of one partition of the group hashes, each side sorted by KeyLess.
  void match(RunMerger<RowKey, KeyOrder>& kept, RunMerger<RowKey, KeyOrder>& fresh) {
    while (!fresh.done()) {
      while (!kept.done() && group_less(kept.head(), fresh.head())) {
        kept.advance();
      }
      const RowKey group = fresh.head();
      if (kept.done() || !same_group(kept.head(), group)) {
        // A group only the secondary holds: every row of it is added.
        do {
          m_added.add({fresh.head(), true});
          fresh.advance();
        } while (!fresh.done() && same_group(fresh.head(), group));
        continue;
      }
      match_shared_group(kept, fresh, group);
    }
  }

private:
  void match_shared_group(RunMerger<RowKey, KeyOrder>& kept,
                          RunMerger<RowKey, KeyOrder>& fresh,
                          const RowKey& group) {
    while (true) {
      take_segment(kept, fresh, group, m_gap, m_kept, m_fresh);
      if (m_kept.empty() && m_fresh.empty()) {
        return;
      }
      m_fresh_matched.assign(m_fresh.size(), 0);
      if (!m_kept.empty() && !m_fresh.empty()) {
        m_kept_matched.assign(m_kept.size(), 0);
        match_group(
          m_kept, m_fresh, m_window, [this](std::size_t kept_index, std::size_t fresh_index) {
            on_match(kept_index, fresh_index);
          });
        if (m_probing) {
          probe_near_misses(
            m_kept, m_kept_matched, m_fresh, m_fresh_matched, m_tally.near_miss_offsets);
        }
      }
      for (std::size_t n = 0; n < m_fresh.size(); ++n) {
        if (m_fresh_matched[n] == 0) {
          m_added.add({m_fresh[n], true});
        }
      }
    }
  }

  void on_match(std::size_t kept_index, std::size_t fresh_index) {
    const RowKey& kept = m_kept[kept_index];
    const RowKey& dropped = m_fresh[fresh_index];
    m_fresh_matched[fresh_index] = 1;
    m_kept_matched[kept_index] = 1;
    if (kept.instant == dropped.instant) {
      ++m_tally.duplicates_exact;
    } else {
      ++m_tally.duplicates_window;
      m_tally.match_offsets.add(dropped.instant - kept.instant);
    }
    if (kept.payload != dropped.payload) {
      ++m_tally.conflicts;
      // The kept row has a new id: an earlier secondary added it, and it wins over this one.
      if (kept.rowid >= m_first_new_id) {
        ++m_tally.conflicts_with_added;
      }
      if (m_tally.conflict_samples.size() < k_conflict_samples) {
        m_tally.conflict_samples.push_back({kept.rowid, dropped.rowid});
      }
    }
  }

  const std::uint64_t m_window;
  const bool m_probing;
  const std::uint64_t m_gap;
  const std::int64_t m_first_new_id;
  InputPlan& m_tally;
  UnplacedStore& m_added;
  std::vector<RowKey> m_kept; // the segment being matched
  std::vector<RowKey> m_fresh;
  std::vector<std::uint8_t> m_kept_matched;
  std::vector<std::uint8_t> m_fresh_matched;
};

// How many keys a store may read back into memory at a time (KeyStore::part): the matching of
// each half holds some partitions of every store, within half of the share of the plan's budget
// that one of the stores that place_added fills later leaves free meanwhile.
std::size_t part_items(const PlanSpace& space, std::size_t stores) {
  if (space.store_bytes == UINT64_MAX) {
    return static_cast<std::size_t>(-1);
  }
  return static_cast<std::size_t>(
    std::max<std::uint64_t>(space.store_bytes / 2 / stores / sizeof(RowKey), 1));
}

// Where the partitions from `first` on that are read back together end: as many as every
// store's budget takes, so that a spill file is read in large pieces (on a slow disk, a
// partition at a time would be a seek for every 50 KiB), and at least one.
std::size_t batch_end(const std::vector<const KeyStore*>& stores,
                      std::size_t first,
                      std::size_t end,
                      std::size_t max_items) {
  std::size_t last = first + 1;
  while (last < end && std::all_of(stores.begin(), stores.end(), [&](const KeyStore* store) {
           return store->spilled_keys(first, last + 1) <= max_items;
         })) {
    ++last;
  }
  return last;
}

// Matches one half of the group hashes of a secondary's keys against everything merged so far,
// some partitions at a time (key_store.hpp), and tallies the matches into `tally`; the keys left
// unmatched go to `added`.
void match_half(const std::vector<const KeyStore*>& merged,
                const KeyStore& secondary,
                int half,
                std::uint64_t window,
                std::int64_t first_new_id,
                const PlanSpace& space,
                InputPlan& tally,
                UnplacedStore& added) {
  const int bits = space.spill != nullptr ? space.spill->partition_bits() : 1;
  const std::size_t parts = std::size_t{1} << bits;
  const std::size_t max_items = part_items(space, merged.size() + 1);
  std::vector<const KeyStore*> stores = merged;
  stores.push_back(&secondary);
  PartMatcher matcher(window, first_new_id, tally, added);
  std::vector<std::vector<RowKey>> memory(stores.size());
  const std::size_t end = half == 0 ? parts / 2 : parts;
  for (std::size_t first = half == 0 ? 0 : parts / 2; first < end;) {
    const std::size_t last = batch_end(stores, first, end, max_items);
    std::vector<KeyPart> kept_parts;
    kept_parts.reserve(merged.size());
    std::vector<RunCursor<RowKey>> kept_cursors;
    for (std::size_t s = 0; s < merged.size(); ++s) {
      kept_parts.push_back(merged[s]->part(first, last, bits, space.spill, max_items, memory[s]));
      for (RunCursor<RowKey>& cursor : kept_parts.back().cursors()) {
        kept_cursors.push_back(std::move(cursor));
      }
    }
    const KeyPart fresh_part =
      secondary.part(first, last, bits, space.spill, max_items, memory.back());
    RunMerger<RowKey, KeyOrder> kept(std::move(kept_cursors));
    RunMerger<RowKey, KeyOrder> fresh(fresh_part.cursors());
    matcher.match(kept, fresh);
    first = last;
  }
  added.finish();
  tally.match_offsets.finish();
  tally.near_miss_offsets.finish();
}

// Matches one secondary's keys against everything merged so far, the halves of the group hashes
// in two threads when there are enough keys; returns the keys left unmatched, per half.
std::vector<UnplacedStore> match_secondary(const std::vector<const KeyStore*>& merged,
                                           const KeyStore& secondary,
                                           std::uint64_t window_ns,
                                           std::int64_t first_new_id,
                                           const PlanSpace& space,
                                           InputPlan& result) {
  std::vector<UnplacedStore> added;
  added.push_back(new_store<UnplacedStore>(space));
  added.push_back(new_store<UnplacedStore>(space));
  InputPlan upper;
  for (InputPlan* tally : {&result, &upper}) {
    tally->match_offsets = new_offsets(space);
    tally->near_miss_offsets = new_offsets(space);
  }
  const auto match_upper = [&]() {
    match_half(merged, secondary, 1, window_ns, first_new_id, space, upper, added[1]);
  };
  std::size_t keys = secondary.size();
  for (const KeyStore* store : merged) {
    keys += store->size();
  }
  if (keys >= k_parallel_keys) {
    std::future<void> upper_done = std::async(std::launch::async, match_upper);
    match_half(merged, secondary, 0, window_ns, first_new_id, space, result, added[0]);
    upper_done.get();
  } else {
    match_half(merged, secondary, 0, window_ns, first_new_id, space, result, added[0]);
    match_upper();
  }
  add_tally(result, upper);
  result.match_offsets.finish();
  result.near_miss_offsets.finish();
  return added;
}

// Gives the rows a secondary adds (its unkeyed rows and its unmatched keys) new ids from
// `next_id` on, in time order, then source id (rows whose time is text come last). Returns them
// sorted by source id, the order they are read back in; with `keys`, also gives it the added
// keys under their new ids, for the next secondary to be matched against.
AddedRows place_added(const std::vector<UnkeyedRow>& unkeyed,
                      const std::vector<UnplacedStore>& unmatched,
                      const PlanSpace& space,
                      std::int64_t& next_id,
                      KeyStore* keys) {
  UnplacedStore unkeyed_rows;
  unkeyed_rows.reserve(unkeyed.size());
  for (const UnkeyedRow& row : unkeyed) {
    RowKey key;
    key.instant = row.instant;
    key.rowid = row.rowid;
    unkeyed_rows.add({key, false});
  }
  unkeyed_rows.finish();
  std::vector<RunCursor<Unplaced>> cursors = unkeyed_rows.cursors(0);
  for (const UnplacedStore& store : unmatched) {
    for (RunCursor<Unplaced>& cursor : store.cursors(UnplacedStore::k_run_buffer_items)) {
      cursors.push_back(std::move(cursor));
    }
  }
  AddedRows added = new_store<AddedRows>(space);
  for (RunMerger<Unplaced, TimeOrder> rows(std::move(cursors)); !rows.done(); rows.advance()) {
    const Unplaced& row = rows.head();
    added.add({row.key.rowid,
               next_id,
               row.key.instant,
               row.keyed,
               row.keyed ? row.key.group_lo : 0,
               row.keyed ? row.key.group_hi : 0});
    if (keys != nullptr && row.keyed) {
      RowKey key = row.key;
      key.rowid = next_id;
      keys->add(key);
    }
    ++next_id;
  }
  added.finish();
  if (keys != nullptr) {
    keys->finish();
  }
  return added;
}

// A NULL-key row's hash of its columns (UnkeyedRow), in the order rows are looked up by it.
using WholeRow = std::pair<std::uint64_t, std::uint32_t>;

WholeRow whole_row(const UnkeyedRow& row) {
  return {row.group_hi, row.group_lo};
}

bool whole_row_less(const UnkeyedRow& a, const UnkeyedRow& b) {
  return std::tie(a.group_hi, a.group_lo, a.rowid) < std::tie(b.group_hi, b.group_lo, b.rowid);
}

// The NULL-key rows merged so far: the primary's, then those the earlier secondaries added,
// each sorted by their hash, to tell which rows of the next secondary are already there.
class MergedUnkeyed {
public:
  explicit MergedUnkeyed(std::vector<UnkeyedRow>& primary) : m_primary(primary) {
    std::sort(m_primary.begin(), m_primary.end(), whole_row_less);
  }

  // Returns the rows of `secondary` to add: of each set of n rows equal in every column, as many
  // as the m merged rows equal to them lack (n - m, if more), the ones with the highest row ids;
  // the others are exact duplicates, counted into `tally`. Multisets, as for keyed rows: the
  // output holds max(m, n) of them.
  std::vector<UnkeyedRow> missing(std::vector<UnkeyedRow> secondary, InputPlan& tally) const {
    std::sort(secondary.begin(), secondary.end(), whole_row_less);
    std::vector<UnkeyedRow> left;
    for (std::size_t first = 0; first < secondary.size();) {
      const WholeRow row = whole_row(secondary[first]);
      std::size_t end = first + 1;
      while (end < secondary.size() && whole_row(secondary[end]) == row) {
        ++end;
      }
      const std::size_t there = std::min(count(row), end - first);
      tally.duplicates_exact += static_cast<std::int64_t>(there);
      left.insert(left.end(),
                  secondary.begin() + static_cast<std::ptrdiff_t>(first + there),
                  secondary.begin() + static_cast<std::ptrdiff_t>(end));
      first = end;
    }
    return left;
  }

  // Counts `rows` as merged, for the secondaries after the one that adds them.
  void add(const std::vector<UnkeyedRow>& rows) {
    for (const UnkeyedRow& row : rows) {
      m_added.push_back(whole_row(row));
    }
    std::sort(m_added.begin(), m_added.end());
  }

private:
  std::size_t count(const WholeRow& row) const {
    const auto in_primary = std::equal_range(
      m_primary.begin(),
      m_primary.end(),
      UnkeyedRow{0, INT64_MIN, row.first, row.second},
      [](const UnkeyedRow& a, const UnkeyedRow& b) { return whole_row(a) < whole_row(b); });
    const auto in_added = std::equal_range(m_added.begin(), m_added.end(), row);
    return static_cast<std::size_t>(in_primary.second - in_primary.first) +
           static_cast<std::size_t>(in_added.second - in_added.first);
  }

  std::vector<UnkeyedRow>& m_primary;
  std::vector<WholeRow> m_added;
};

// An input's counts, as the plan reports them.
void count_input(const InputKeys& input, InputPlan& plan) {
  plan.rows = input.rows;
  plan.unkeyed = static_cast<std::int64_t>(input.unkeyed.size()) + input.paired_unkeyed;
  plan.first = input.first;
  plan.last = input.last;
}

} // namespace

Plan make_plan(std::vector<InputKeys> inputs,
               std::chrono::nanoseconds window,
               std::int64_t next_id,
               const PlanSpace& space) {
  Plan plan;
  plan.first_new_id = next_id;
  plan.inputs.resize(inputs.size());
  inputs.front().keys.finish();
  count_input(inputs.front(), plan.inputs.front());
  plan.rows_out = plan.inputs.front().rows;
  // What each secondary is matched against: the primary's keys, then the keys each secondary
  // before it added, under their new ids.
  std::vector<KeyStore> added_keys;
  added_keys.reserve(inputs.size());
  MergedUnkeyed merged_unkeyed(inputs.front().unkeyed);

  // Each secondary is folded in against everything merged before it.
  for (std::size_t input = 1; input < inputs.size(); ++input) {
    InputKeys& source = inputs[input];
    InputPlan& result = plan.inputs[input];
    count_input(source, result);
    source.keys.finish();
    std::vector<const KeyStore*> merged{&inputs.front().keys};
    for (const KeyStore& keys : added_keys) {
      merged.push_back(&keys);
    }
    const std::vector<UnplacedStore> unmatched =
      match_secondary(merged,
                      source.keys,
                      static_cast<std::uint64_t>(window.count()),
                      plan.first_new_id,
                      space,
                      result);
    source.keys = KeyStore(); // its memory, or its spill file, is no longer needed
    result.duplicates_exact += source.paired;
    KeyStore* keys = nullptr;
    if (input + 1 < inputs.size()) {
      added_keys.push_back(new_store<KeyStore>(space));
      keys = &added_keys.back();
    }
    const std::vector<UnkeyedRow> unkeyed =
      merged_unkeyed.missing(std::move(source.unkeyed), result);
    if (input + 1 < inputs.size()) {
      merged_unkeyed.add(unkeyed);
    }
    result.added = place_added(unkeyed, unmatched, space, next_id, keys);
    plan.rows_out += static_cast<std::int64_t>(result.added.size());
  }
  return plan;
}

} // namespace heatmap_merge
