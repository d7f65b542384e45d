// The replay pass of --replay-window (plan/replay.hpp): after the window pass of each segment of
// a key group (plan/match.cpp), its unpaired rows identical but for the time are paired again,
// across inputs first, then within the secondary. Pure, like the rest of plan/.

#include "plan/replay.hpp"

#include "plan/group_matcher.hpp"
#include "plan/pair_within.hpp"
#include "plan/timeline.hpp"

#include <algorithm>
#include <functional>
#include <iterator>
#include <queue>
#include <span>
#include <tuple>

namespace heatmap_merge {

namespace {

void add_sample(Share& tally, const ReplaySample& sample) {
  if (tally.replay_samples.size() < k_replay_samples) {
    tally.replay_samples.push_back(sample);
  }
}

// The chance estimate: of the secondary rows of one payload that the window left unpaired, those
// with an identical row (kept or the secondary's own) in the band beyond the replay window, from
// once to twice it away, before or after: as wide as the window on both sides, so that where
// identical rows of distinct clicks come at a steady rate, about as many of the rows find one
// within the window by chance alone.
void count_chance(std::span<const Left> kept_run,
                  std::span<const Left> fresh_run,
                  std::uint64_t window_ns,
                  Share& tally) {
  for (const Left& row : fresh_run) {
    if (!row.paired && (in_band(kept_run, row.key.instant, window_ns) ||
                        in_band(fresh_run, row.key.instant, window_ns))) {
      ++tally.replay_chance;
    }
  }
}

// Pairs kept rows left unpaired with secondary rows left unpaired, of one payload (`kept_run`
// and `fresh_run` its runs, the rows paired too, skipped here).
void match_across(std::span<const Left> kept_run,
                  std::vector<std::uint8_t>& kept_matched,
                  std::span<const Left> fresh_run,
                  std::vector<std::uint8_t>& fresh_matched,
                  std::uint64_t window_ns,
                  Share& tally) {
  std::vector<RowKey> kept_keys;
  std::vector<std::size_t> kept_index;
  for (const Left& row : kept_run) {
    if (!row.paired) {
      kept_keys.push_back(row.key);
      kept_index.push_back(row.index);
    }
  }
  if (kept_keys.empty()) {
    return;
  }
  std::vector<RowKey> fresh_keys;
  std::vector<std::size_t> fresh_index;
  for (const Left& row : fresh_run) {
    if (!row.paired) {
      fresh_keys.push_back(row.key);
      fresh_index.push_back(row.index);
    }
  }
  if (fresh_keys.empty()) {
    return;
  }
  match_group(kept_keys, fresh_keys, window_ns, [&](std::size_t kept, std::size_t fresh) {
    const RowKey& dropped = fresh_keys[fresh];
    const std::int64_t offset = dropped.instant - kept_keys[kept].instant;
    fresh_matched[fresh_index[fresh]] = 1;
    kept_matched[kept_index[kept]] = 1;
    tally.replayed_rows.add({dropped.rowid, false});
    ++tally.duplicates_replay;
    tally.replay_offsets.add(offset);
    add_sample(tally, {kept_keys[kept].rowid, dropped.rowid, offset, false});
  });
}

// Pairs the secondary rows of one payload (`fresh_run`, all of them) among themselves, each pair
// with a row still unpaired: that row is a replayed duplicate, the later one if both are, and the
// other stays a partner for more copies. A row paired across inputs is a partner too: the click
// it holds is merged already, so a later copy of it on the same node (a write that committed
// after the client's timeout, then replayed) is not added either.
void match_within(std::span<const Left> fresh_run,
                  std::vector<std::uint8_t>& fresh_matched,
                  std::uint64_t window_ns,
                  Share& tally) {
  std::vector<Left> rows(fresh_run.begin(), fresh_run.end());
  for (Left& row : rows) {
    row.paired = fresh_matched[row.index] != 0;
  }
  pair_within(std::span<const Left>(rows), window_ns, [&](std::size_t earlier, std::size_t later) {
    const std::size_t kept = rows[later].paired ? later : earlier;
    const std::size_t dropped = kept == later ? earlier : later;
    const std::int64_t offset = rows[dropped].key.instant - rows[kept].key.instant;
    fresh_matched[rows[dropped].index] = 1;
    tally.replayed_rows.add({rows[dropped].key.rowid, true});
    ++tally.replayed_duplicates;
    tally.replayed_offsets.add(offset);
    add_sample(tally, {rows[kept].key.rowid, rows[dropped].key.rowid, offset, true});
    return dropped;
  });
}

} // namespace

void match_replays(const std::vector<RowKey>& kept,
                   std::vector<std::uint8_t>& kept_matched,
                   const std::vector<RowKey>& fresh,
                   std::vector<std::uint8_t>& fresh_matched,
                   std::uint64_t window_ns,
                   Share& tally) {
  if (std::all_of(fresh_matched.begin(), fresh_matched.end(), [](std::uint8_t m) { return m; })) {
    return;
  }
  const std::vector<Left> fresh_left = rows_of(fresh, fresh_matched, true);
  const std::vector<Left> kept_left = rows_of(kept, kept_matched, true);
  const std::span<const Left> all_fresh(fresh_left);
  const std::span<const Left> all_kept(kept_left);
  std::size_t k = 0;
  for (std::size_t begin = 0; begin < fresh_left.size();) {
    const std::size_t end = run_end(fresh_left, begin);
    const std::uint32_t payload = fresh_left[begin].key.payload;
    while (k < kept_left.size() && kept_left[k].key.payload < payload) {
      ++k;
    }
    std::span<const Left> kept_run;
    if (k < kept_left.size() && kept_left[k].key.payload == payload) {
      const std::size_t kept_end = run_end(kept_left, k);
      kept_run = all_kept.subspan(k, kept_end - k);
      k = kept_end;
    }
    const std::span<const Left> fresh_run = all_fresh.subspan(begin, end - begin);
    count_chance(kept_run, fresh_run, window_ns, tally);
    if (!kept_run.empty()) {
      match_across(kept_run, kept_matched, fresh_run, fresh_matched, window_ns, tally);
    }
    match_within(fresh_run, fresh_matched, window_ns, tally);
    begin = end;
  }
}

std::vector<std::pair<std::size_t, std::size_t>>
match_replay_keys(const std::vector<RowKey>& kept,
                  const std::vector<RowKey>& candidates,
                  std::chrono::nanoseconds replay_window) {
  // Each side's rows with a parsed time, by group, payload and time: runs of one group and one
  // payload, each in time order, as match_group wants them.
  const auto by_run = [](const std::vector<RowKey>& keys) {
    std::vector<std::size_t> order;
    for (std::size_t n = 0; n < keys.size(); ++n) {
      if (keys[n].instant != k_text_instant) {
        order.push_back(n);
      }
    }
    std::sort(order.begin(), order.end(), [&keys](std::size_t a, std::size_t b) {
      return std::tie(keys[a].group_hi,
                      keys[a].group_lo,
                      keys[a].payload,
                      keys[a].instant,
                      keys[a].rowid) <
             std::tie(
               keys[b].group_hi, keys[b].group_lo, keys[b].payload, keys[b].instant, keys[b].rowid);
    });
    return order;
  };
  const auto run_of = [](const RowKey& key) {
    return std::tie(key.group_hi, key.group_lo, key.payload);
  };
  const std::vector<std::size_t> left = by_run(kept);
  const std::vector<std::size_t> right = by_run(candidates);
  const std::uint64_t window_ns = static_cast<std::uint64_t>(replay_window.count());
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  std::vector<RowKey> left_run;
  std::vector<RowKey> right_run;
  for (std::size_t i = 0, j = 0; i < left.size() && j < right.size();) {
    const RowKey& a = kept[left[i]];
    const RowKey& b = candidates[right[j]];
    if (run_of(a) < run_of(b)) {
      ++i;
      continue;
    }
    if (run_of(b) < run_of(a)) {
      ++j;
      continue;
    }
    const std::size_t i_begin = i;
    const std::size_t j_begin = j;
    left_run.clear();
    right_run.clear();
    for (; i < left.size() && run_of(kept[left[i]]) == run_of(a); ++i) {
      left_run.push_back(kept[left[i]]);
    }
    for (; j < right.size() && run_of(candidates[right[j]]) == run_of(b); ++j) {
      right_run.push_back(candidates[right[j]]);
    }
    match_group(left_run, right_run, window_ns, [&](std::size_t k, std::size_t c) {
      pairs.emplace_back(left[i_begin + k], right[j_begin + c]);
    });
  }
  return pairs;
}

} // namespace heatmap_merge
