#include "heatmap_merge/plan.hpp"

#include <algorithm>
#include <functional>
#include <future>
#include <queue>
#include <tuple>

namespace heatmap_merge {

namespace {

constexpr KeyLess key_less;

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
// finds each next match in O(log n), and hot spots stay n log n. `on_match(merged_index,
// secondary_index)` is called for each pair: a template parameter, inlined (a std::function call
// per pair cost 5% of the planning). Over 80 lines on purpose: the nodes, the heap and the
// links of one group share their state in the hottest loop of the planning, and split into
// functions they would be passed around on every pair.
template <typename MatchCallback>
void match_group(const std::vector<RowKey>& merged,
                 std::size_t merged_begin,
                 std::size_t merged_end,
                 const std::vector<RowKey>& secondary,
                 std::size_t secondary_begin,
                 std::size_t secondary_end,
                 std::uint64_t window,
                 const MatchCallback& on_match) {
  if (merged_end - merged_begin == 1 && secondary_end - secondary_begin == 1) {
    if (distance(merged[merged_begin].instant, secondary[secondary_begin].instant) <= window) {
      on_match(merged_begin, secondary_begin);
    }
    return;
  }

  struct Node {
    Instant instant;
    std::uint32_t payload;
    bool from_secondary;
    std::size_t index;
  };
  std::vector<Node> nodes;
  nodes.reserve(merged_end - merged_begin + secondary_end - secondary_begin);
  std::size_t i = merged_begin;
  std::size_t j = secondary_begin;
  while (i < merged_end || j < secondary_end) {
    // Ties put the merged row first; both sides are already sorted by (instant, payload, rowid).
    if (j == secondary_end ||
        (i < merged_end && std::tie(merged[i].instant, merged[i].payload) <=
                             std::tie(secondary[j].instant, secondary[j].payload))) {
      nodes.push_back({merged[i].instant, merged[i].payload, false, i});
      ++i;
    } else {
      nodes.push_back({secondary[j].instant, secondary[j].payload, true, j});
      ++j;
    }
  }

  const std::size_t count = nodes.size();
  constexpr std::size_t k_none = static_cast<std::size_t>(-1);
  std::vector<std::size_t> previous(count);
  std::vector<std::size_t> next(count);
  std::vector<bool> alive(count, true);
  for (std::size_t n = 0; n < count; ++n) {
    previous[n] = n == 0 ? k_none : n - 1;
    next[n] = n + 1 == count ? k_none : n + 1;
  }

  // (distance, payloads differ, left node, right node): at equal distance identical rows pair
  // first, so that no conflict is made up; positions break the remaining ties deterministically.
  using Candidate = std::tuple<std::uint64_t, bool, std::size_t, std::size_t>;
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> candidates;
  auto consider = [&](std::size_t left, std::size_t right) {
    if (left == k_none || right == k_none ||
        nodes[left].from_secondary == nodes[right].from_secondary) {
      return;
    }
    const std::uint64_t gap = distance(nodes[left].instant, nodes[right].instant);
    if (gap <= window) {
      candidates.emplace(gap, nodes[left].payload != nodes[right].payload, left, right);
    }
  };
  for (std::size_t n = 0; n + 1 < count; ++n) {
    consider(n, n + 1);
  }

  // The first node of the run of rows of one side at one instant with one payload, found by
  // binary search; cursor[run] skips the run's matched rows, once each.
  std::vector<std::size_t> cursor(count);
  for (std::size_t n = 0; n < count; ++n) {
    cursor[n] = n;
  }
  auto alive_twin = [&](Instant instant, std::uint32_t payload, bool from_secondary) {
    const auto run = std::lower_bound(
      nodes.begin(),
      nodes.end(),
      std::tie(instant, payload, from_secondary),
      [](const Node& node, const std::tuple<Instant&, std::uint32_t&, bool&>& wanted) {
        return std::tie(node.instant, node.payload, node.from_secondary) < wanted;
      });
    const std::size_t start = static_cast<std::size_t>(run - nodes.begin());
    if (start == count) {
      return k_none;
    }
    std::size_t& n = cursor[start];
    while (n < count && !alive[n] && nodes[n].instant == instant && nodes[n].payload == payload &&
           nodes[n].from_secondary == from_secondary) {
      ++n;
    }
    const bool found = n < count && alive[n] && nodes[n].instant == instant &&
                       nodes[n].payload == payload && nodes[n].from_secondary == from_secondary;
    return found ? n : k_none;
  };
  auto unlink = [&](std::size_t node) {
    alive[node] = false;
    const std::size_t before = previous[node];
    const std::size_t after = next[node];
    if (before != k_none) {
      next[before] = after;
    }
    if (after != k_none) {
      previous[after] = before;
    }
    consider(before, after);
  };

  while (!candidates.empty()) {
    std::size_t left = std::get<2>(candidates.top());
    std::size_t right = std::get<3>(candidates.top());
    candidates.pop();
    // A pair goes stale when either row was matched since; its survivor gets a new pair then.
    if (!alive[left] || !alive[right]) {
      continue;
    }
    // Rows of one side at one instant sort by payload, so a row identical to the other one of
    // the pair may lie beyond its neighbour at the same instant: equally near, it pairs instead.
    if (nodes[left].payload != nodes[right].payload) {
      const std::size_t right_twin =
        alive_twin(nodes[right].instant, nodes[left].payload, nodes[right].from_secondary);
      const std::size_t left_twin =
        right_twin != k_none
          ? k_none
          : alive_twin(nodes[left].instant, nodes[right].payload, nodes[left].from_secondary);
      if (right_twin != k_none) {
        right = right_twin;
      } else if (left_twin != k_none) {
        left = left_twin;
      }
    }
    const Node& merged_node = nodes[left].from_secondary ? nodes[right] : nodes[left];
    const Node& secondary_node = nodes[left].from_secondary ? nodes[left] : nodes[right];
    on_match(merged_node.index, secondary_node.index);
    unlink(left);
    unlink(right);
  }
}

// Pairs the window left apart but that lie within the probe's horizon: what a wider window would
// merge. The plan ignores them; the report shows them so the operator can choose a window.
void probe_near_misses(const std::vector<RowKey>& merged,
                       const std::vector<std::uint8_t>& merged_matched,
                       std::size_t merged_begin,
                       std::size_t merged_end,
                       const std::vector<RowKey>& secondary,
                       const std::vector<std::uint8_t>& secondary_matched,
                       std::size_t secondary_begin,
                       std::size_t secondary_end,
                       std::vector<std::int64_t>& offsets) {
  std::vector<RowKey> merged_left;
  for (std::size_t n = merged_begin; n < merged_end; ++n) {
    if (!merged_matched[n] && merged[n].instant != k_text_instant) {
      merged_left.push_back(merged[n]);
    }
  }
  if (merged_left.empty()) {
    return;
  }
  std::vector<RowKey> secondary_left;
  for (std::size_t n = secondary_begin; n < secondary_end; ++n) {
    if (!secondary_matched[n] && secondary[n].instant != k_text_instant) {
      secondary_left.push_back(secondary[n]);
    }
  }
  if (secondary_left.empty()) {
    return;
  }
  match_group(merged_left,
              0,
              merged_left.size(),
              secondary_left,
              0,
              secondary_left.size(),
              k_probe_horizon_ns,
              [&](std::size_t merged_index, std::size_t secondary_index) {
                offsets.push_back(secondary_left[secondary_index].instant -
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

// What one secondary's matching works on.
struct Slice {
  const std::vector<RowKey>& merged;
  const std::vector<RowKey>& secondary;
  std::vector<std::uint8_t>& merged_matched;
  std::vector<std::uint8_t>& secondary_matched;
  std::uint64_t window;
};

// Matches the groups of merged[merged_begin, merged_end) and secondary[secondary_begin,
// secondary_end), both sorted by KeyLess, and tallies the matches into `tally`.
void match_range(const Slice& slice,
                 std::size_t merged_begin,
                 std::size_t merged_end,
                 std::size_t secondary_begin,
                 std::size_t secondary_end,
                 InputPlan& tally) {
  const std::vector<RowKey>& merged = slice.merged;
  const std::vector<RowKey>& secondary = slice.secondary;
  const auto on_match = [&](std::size_t merged_index, std::size_t secondary_index) {
    const RowKey& kept = merged[merged_index];
    const RowKey& dropped = secondary[secondary_index];
    slice.secondary_matched[secondary_index] = 1;
    slice.merged_matched[merged_index] = 1;
    if (kept.instant == dropped.instant) {
      ++tally.duplicates_exact;
    } else {
      ++tally.duplicates_window;
      tally.match_offsets.push_back(dropped.instant - kept.instant);
    }
    if (kept.payload != dropped.payload) {
      ++tally.conflicts;
      if (tally.conflict_samples.size() < k_conflict_samples) {
        tally.conflict_samples.push_back({kept.rowid, dropped.rowid});
      }
    }
  };

  const auto match = [&](std::size_t i,
                         std::size_t group_merged_end,
                         std::size_t j,
                         std::size_t group_secondary_end) {
    match_group(
      merged, i, group_merged_end, secondary, j, group_secondary_end, slice.window, on_match);
    if (slice.window < k_probe_horizon_ns) {
      probe_near_misses(merged,
                        slice.merged_matched,
                        i,
                        group_merged_end,
                        secondary,
                        slice.secondary_matched,
                        j,
                        group_secondary_end,
                        tally.near_miss_offsets);
    }
  };
  for_each_common_group(
    merged, merged_begin, merged_end, secondary, secondary_begin, secondary_end, match);
}

// Where the upper half of the group hashes starts. A group never straddles it, so the halves
// can be matched apart; walked one after the other they are the same walk as the whole.
std::size_t upper_half_start(const std::vector<RowKey>& keys) {
  constexpr std::uint64_t k_half = std::uint64_t{1} << 63;
  const auto start =
    std::lower_bound(keys.begin(), keys.end(), k_half, [](const RowKey& key, std::uint64_t hash) {
      return key.group_hi < hash;
    });
  return static_cast<std::size_t>(start - keys.begin());
}

// Adds the upper half's tally to the lower half's, in walk order.
void add_tally(InputPlan& lower, const InputPlan& upper) {
  lower.duplicates_exact += upper.duplicates_exact;
  lower.duplicates_window += upper.duplicates_window;
  lower.conflicts += upper.conflicts;
  lower.match_offsets.insert(
    lower.match_offsets.end(), upper.match_offsets.begin(), upper.match_offsets.end());
  lower.near_miss_offsets.insert(
    lower.near_miss_offsets.end(), upper.near_miss_offsets.begin(), upper.near_miss_offsets.end());
  for (const ConflictPair& pair : upper.conflict_samples) {
    if (lower.conflict_samples.size() < k_conflict_samples) {
      lower.conflict_samples.push_back(pair);
    }
  }
}

// Below this many keys the halves are matched one after the other: a thread costs more.
constexpr std::size_t k_parallel_keys = 1 << 16;

// Sorts by KeyLess. std::sort over a million keys spends its time on cache misses and branches
// it mispredicts; group hashes are uniform, so one in-place pass of radix partitioning on their
// top bits (American flag sort) first leaves buckets that sort within the cache.
void sort_if_needed(std::vector<RowKey>& keys) {
  if (std::is_sorted(keys.begin(), keys.end(), key_less)) {
    return;
  }
  constexpr int k_bits = 11;
  constexpr std::size_t k_buckets = std::size_t{1} << k_bits;
  if (keys.size() < 4 * k_buckets) {
    std::sort(keys.begin(), keys.end(), key_less);
    return;
  }
  const auto bucket_of = [](const RowKey& key) {
    return static_cast<std::size_t>(key.group_hi >> (64 - k_bits));
  };
  std::vector<std::size_t> head(k_buckets + 1, 0);
  for (const RowKey& key : keys) {
    ++head[bucket_of(key) + 1];
  }
  for (std::size_t b = 1; b <= k_buckets; ++b) {
    head[b] += head[b - 1];
  }
  std::vector<std::size_t> end(head.begin() + 1, head.end());
  std::vector<std::size_t> next(head.begin(), head.end() - 1);
  for (std::size_t b = 0; b < k_buckets; ++b) {
    // Each key taken out of bucket b's unfilled part is swapped along to where it belongs
    // until one that belongs in b comes back.
    while (next[b] < end[b]) {
      RowKey key = keys[next[b]];
      for (std::size_t target = bucket_of(key); target != b; target = bucket_of(key)) {
        std::swap(key, keys[next[target]++]);
      }
      keys[next[b]++] = key;
    }
  }
  const auto sort_buckets = [&keys, &head](std::size_t first, std::size_t last) {
    for (std::size_t b = first; b < last; ++b) {
      std::sort(keys.begin() + static_cast<std::ptrdiff_t>(head[b]),
                keys.begin() + static_cast<std::ptrdiff_t>(head[b + 1]),
                key_less);
    }
  };
  // The buckets sort independently: the upper half in a second thread, which takes up a core
  // that the other inputs' scans have left idle (the primary's, the largest, finishes last).
  std::future<void> upper = std::async(std::launch::async, sort_buckets, k_buckets / 2, k_buckets);
  sort_buckets(0, k_buckets / 2);
  upper.get();
}

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
      match_group(kept, i, kept_end, candidates, j, candidates_end, window_ns, on_match);
    };
  for_each_common_group(kept, 0, kept.size(), candidates, 0, candidates.size(), match);
  return pairs;
}

void sort_keys(InputKeys& input) {
  sort_if_needed(input.keys);
  input.sorted = true;
}

namespace {

// Matches one secondary's sorted keys against everything merged so far, the halves of the group
// hashes in two threads when there are enough keys; returns which secondary keys matched.
std::vector<std::uint8_t> match_secondary(const std::vector<RowKey>& merged,
                                          const std::vector<RowKey>& secondary,
                                          std::uint64_t window_ns,
                                          InputPlan& result) {
  // Matched flags as bytes, not vector<bool>: the two halves write them from two threads.
  std::vector<std::uint8_t> matched(secondary.size(), 0);
  std::vector<std::uint8_t> merged_matched(merged.size(), 0);
  const Slice whole{merged, secondary, merged_matched, matched, window_ns};
  const std::size_t merged_half = upper_half_start(merged);
  const std::size_t secondary_half = upper_half_start(secondary);
  InputPlan upper;
  const auto match_upper = [&]() {
    match_range(whole, merged_half, merged.size(), secondary_half, secondary.size(), upper);
  };
  if (merged.size() + secondary.size() >= k_parallel_keys) {
    std::future<void> upper_done = std::async(std::launch::async, match_upper);
    match_range(whole, 0, merged_half, 0, secondary_half, result);
    upper_done.get();
  } else {
    match_range(whole, 0, merged_half, 0, secondary_half, result);
    match_upper();
  }
  add_tally(result, upper);
  return matched;
}

// The rows a secondary adds: its unkeyed rows and its unmatched keys, with new ids from
// `next_id` on in time order, then source id (rows whose time is text come last); sorted by
// source id, the order they are read back in. `added_keyed` gets the unmatched keys' indexes.
std::vector<AddedRow> added_rows(const InputKeys& source,
                                 const std::vector<RowKey>& secondary,
                                 const std::vector<std::uint8_t>& matched,
                                 std::int64_t& next_id,
                                 std::vector<std::size_t>& added_keyed) {
  // Sized up front and sorted in place: fresh memory costs a page fault per 4 KiB.
  const std::size_t unmatched =
    static_cast<std::size_t>(std::count(matched.begin(), matched.end(), std::uint8_t{0}));
  std::vector<AddedRow> adding;
  adding.reserve(source.unkeyed.size() + unmatched);
  for (const UnkeyedRow& row : source.unkeyed) {
    adding.push_back({row.rowid, 0, row.instant, false, 0, 0});
  }
  added_keyed.reserve(unmatched);
  for (std::size_t n = 0; n < secondary.size(); ++n) {
    if (matched[n] == 0) {
      const RowKey& key = secondary[n];
      adding.push_back({key.rowid, 0, key.instant, true, key.group_lo, key.group_hi});
      added_keyed.push_back(n);
    }
  }
  std::sort(adding.begin(), adding.end(), [](const AddedRow& a, const AddedRow& b) {
    return std::tie(a.instant, a.source_rowid) < std::tie(b.instant, b.source_rowid);
  });
  for (AddedRow& row : adding) {
    row.new_id = next_id++;
  }
  std::sort(adding.begin(), adding.end(), [](const AddedRow& a, const AddedRow& b) {
    return a.source_rowid < b.source_rowid;
  });
  return adding;
}

// Adds a secondary's added keyed rows to the merged keys, under their new ids, so that the next
// secondary is matched against them too.
void merge_added(std::vector<RowKey>& merged,
                 const std::vector<RowKey>& secondary,
                 const std::vector<std::size_t>& added_keyed,
                 const std::vector<AddedRow>& added) {
  const std::size_t old_size = merged.size();
  for (const std::size_t n : added_keyed) {
    RowKey key = secondary[n];
    const std::vector<AddedRow>::const_iterator found = std::lower_bound(
      added.begin(), added.end(), key.rowid, [](const AddedRow& a, std::int64_t id) {
        return a.source_rowid < id;
      });
    key.rowid = found->new_id;
    merged.push_back(key);
  }
  std::sort(merged.begin() + static_cast<std::ptrdiff_t>(old_size), merged.end(), key_less);
  std::inplace_merge(
    merged.begin(), merged.begin() + static_cast<std::ptrdiff_t>(old_size), merged.end(), key_less);
}

// An input's counts, as the plan reports them.
void count_input(const InputKeys& input, InputPlan& plan) {
  plan.rows = input.rows;
  plan.unkeyed = static_cast<std::int64_t>(input.unkeyed.size());
  plan.first = input.first;
  plan.last = input.last;
}

} // namespace

Plan make_plan(std::vector<InputKeys> inputs,
               std::chrono::nanoseconds window,
               std::int64_t next_id) {
  Plan plan;
  plan.first_new_id = next_id;
  plan.inputs.resize(inputs.size());
  std::vector<RowKey> merged = std::move(inputs.front().keys);
  if (!inputs.front().sorted) {
    sort_if_needed(merged);
  }
  count_input(inputs.front(), plan.inputs.front());
  plan.rows_out = plan.inputs.front().rows;

  // Each secondary is folded in against everything merged before it.
  for (std::size_t input = 1; input < inputs.size(); ++input) {
    InputKeys& source = inputs[input];
    InputPlan& result = plan.inputs[input];
    count_input(source, result);
    std::vector<RowKey> secondary = std::move(source.keys);
    if (!source.sorted) {
      sort_if_needed(secondary);
    }
    const std::vector<std::uint8_t> matched =
      match_secondary(merged, secondary, static_cast<std::uint64_t>(window.count()), result);
    result.duplicates_exact += source.paired;
    std::vector<std::size_t> added_keyed;
    result.added = added_rows(source, secondary, matched, next_id, added_keyed);
    plan.rows_out += static_cast<std::int64_t>(result.added.size());
    if (input + 1 < inputs.size()) {
      merge_added(merged, secondary, added_keyed, result.added);
    }
  }
  return plan;
}

} // namespace heatmap_merge
