// The matching of each secondary's keys against everything merged before it: group by group,
// segment by segment, some partitions of the spilled keys at a time, in two threads (the halves
// of the group hashes). make_plan's first step per secondary; match_keys for --in-place.

#include "plan/match.hpp"

#include "plan/group_matcher.hpp"
#include "plan/primary_replays.hpp"
#include "plan/replay.hpp"

#include <algorithm>
#include <future>
#include <span>
#include <tuple>

namespace heatmap_merge {

namespace {

// How far apart the near-miss probe looks for pairs that the window did not match: as far as the
// report's window advice looks.
constexpr std::uint64_t k_probe_horizon_ns = k_pair_horizon_ns;

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

namespace {

bool group_less(const RowKey& a, const RowKey& b) {
  return std::tie(a.group_hi, a.group_lo) < std::tie(b.group_hi, b.group_lo);
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
    if ((!kept_segment.empty() || !fresh_segment.empty()) &&
        instant_distance(instant, last) > gap) {
      return;
    }
    (from_kept ? kept_segment : fresh_segment).push_back(side.head());
    side.advance();
    last = instant;
  }
}

// Matches a secondary's keys against everything merged so far, group by group and segment by
// segment, and tallies the matches into `tally`; the keys left unmatched go to `added`. With a
// replay window (`replay`, 0: none), segments reach twice as far (the chance estimate looks there),
// and the rows the window left unpaired are paired again (plan/replay.cpp).
class PartMatcher {
public:
  PartMatcher(std::uint64_t window,
              std::uint64_t replay,
              std::int64_t first_new_id,
              Share& tally,
              UnplacedStore& added,
              PairedRows* paired)
      : m_window(window), m_replay(replay), m_probing(window < k_probe_horizon_ns),
        m_gap(std::max(m_probing ? k_probe_horizon_ns : window, 2 * replay)),
        m_first_new_id(first_new_id), m_tally(tally), m_added(added), m_paired(paired) {}

  // Matches the keys of one partition of the group hashes, each side sorted by KeyLess.
  void match(RunMerger<RowKey, KeyOrder>& kept, RunMerger<RowKey, KeyOrder>& fresh) {
    while (!fresh.done()) {
      while (!kept.done() && group_less(kept.head(), fresh.head())) {
        kept.advance();
      }
      const RowKey group = fresh.head();
      if (m_replay == 0 && (kept.done() || !same_group(kept.head(), group))) {
        // A group only the secondary holds: every row of it is added (without a replay window,
        // which may find replayed duplicates among them).
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
      m_kept_matched.assign(m_kept.size(), 0);
      if (!m_kept.empty() && !m_fresh.empty()) {
        match_group(
          m_kept, m_fresh, m_window, [this](std::size_t kept_index, std::size_t fresh_index) {
            on_match(kept_index, fresh_index);
          });
        if (m_probing) {
          probe_near_misses(
            m_kept, m_kept_matched, m_fresh, m_fresh_matched, m_tally.near_miss_offsets);
        }
      }
      if (m_replay > 0) {
        match_replays(m_kept, m_kept_matched, m_fresh, m_fresh_matched, m_replay, m_tally);
      }
      mark_primary_rows();
      for (std::size_t n = 0; n < m_fresh.size(); ++n) {
        if (m_fresh_matched[n] == 0) {
          m_added.add({m_fresh[n], true});
        }
      }
    }
  }

  // Marks the primary's rows of the segment that a row of this secondary paired with (the rows
  // that earlier secondaries added have new ids): they are never its replayed duplicates.
  void mark_primary_rows() {
    if (m_paired == nullptr) {
      return;
    }
    for (std::size_t n = 0; n < m_kept.size(); ++n) {
      if (m_kept_matched[n] != 0 && m_kept[n].rowid < m_first_new_id) {
        m_paired->mark(m_kept[n].rowid);
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
  const std::uint64_t m_replay;
  const bool m_probing;
  const std::uint64_t m_gap;
  const std::int64_t m_first_new_id;
  Share& m_tally;
  UnplacedStore& m_added;
  PairedRows* m_paired;       // null unless the primary's replayed duplicates are asked for
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
                std::uint64_t replay,
                std::int64_t first_new_id,
                const PlanSpace& space,
                Share& tally,
                UnplacedStore& added,
                PairedRows* paired) {
  const int bits = space.spill != nullptr ? space.spill->partition_bits() : 1;
  const std::size_t parts = std::size_t{1} << bits;
  const std::size_t max_items = part_items(space, merged.size() + 1);
  std::vector<const KeyStore*> stores = merged;
  stores.push_back(&secondary);
  PartMatcher matcher(window, replay, first_new_id, tally, added, paired);
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
  tally.replay_offsets.finish();
  tally.replayed_offsets.finish();
  tally.replayed_rows.finish();
}

// Adds the upper half's tally to the lower half's, in walk order.
void add_tally(Share& lower, const Share& upper) {
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
  lower.duplicates_replay += upper.duplicates_replay;
  lower.replayed_duplicates += upper.replayed_duplicates;
  lower.replay_chance += upper.replay_chance;
  lower.replay_offsets.add(upper.replay_offsets);
  lower.replayed_offsets.add(upper.replayed_offsets);
  upper.replayed_rows.for_each([&lower](const ReplayedRow& row) { lower.replayed_rows.add(row); });
  for (const ReplaySample& sample : upper.replay_samples) {
    if (lower.replay_samples.size() < k_replay_samples) {
      lower.replay_samples.push_back(sample);
    }
  }
}

// Below this many keys the halves are matched one after the other: a thread costs more.
constexpr std::size_t k_parallel_keys = 1 << 16;

} // namespace

// Matches one secondary's keys against everything merged so far, the halves of the group hashes
// in two threads when there are enough keys; returns the keys left unmatched, per half.
std::vector<UnplacedStore> match_secondary(const std::vector<const KeyStore*>& merged,
                                           const KeyStore& secondary,
                                           std::uint64_t window_ns,
                                           std::uint64_t replay_ns,
                                           std::int64_t first_new_id,
                                           const PlanSpace& space,
                                           Share& result,
                                           PairedRows* paired) {
  std::vector<UnplacedStore> added;
  added.push_back(new_store<UnplacedStore>(space));
  added.push_back(new_store<UnplacedStore>(space));
  Share upper;
  // With a replay window, eight sets (sixteen stores) and the replayed rows of each half share
  // what four sets do without (stores.hpp).
  const std::size_t sets = replay_ns > 0 ? 18 : 8;
  for (Share* tally : {&result, &upper}) {
    tally->match_offsets = new_offsets(space, sets);
    tally->near_miss_offsets = new_offsets(space, sets);
    if (replay_ns > 0) {
      tally->replay_offsets = new_offsets(space, sets);
      tally->replayed_offsets = new_offsets(space, sets);
      tally->replayed_rows =
        space.spill == nullptr
          ? ReplayedRows()
          : ReplayedRows(space.spill,
                         std::max<std::size_t>(items_in<ReplayedRow>(space) / sets, 1));
    }
  }
  const auto match_upper = [&]() {
    match_half(
      merged, secondary, 1, window_ns, replay_ns, first_new_id, space, upper, added[1], paired);
  };
  std::size_t keys = secondary.size();
  for (const KeyStore* store : merged) {
    keys += store->size();
  }
  if (keys >= k_parallel_keys) {
    std::future<void> upper_done = std::async(std::launch::async, match_upper);
    match_half(
      merged, secondary, 0, window_ns, replay_ns, first_new_id, space, result, added[0], paired);
    upper_done.get();
  } else {
    match_half(
      merged, secondary, 0, window_ns, replay_ns, first_new_id, space, result, added[0], paired);
    match_upper();
  }
  add_tally(result, upper);
  result.match_offsets.finish();
  result.near_miss_offsets.finish();
  result.replay_offsets.finish();
  result.replayed_offsets.finish();
  result.replayed_rows.finish();
  return added;
}

} // namespace heatmap_merge
