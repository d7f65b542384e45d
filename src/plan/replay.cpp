// The replay pass of --replay-window (plan/replay.hpp): after the window pass of each segment of
// a key group (plan/match.cpp), its unpaired rows identical but for the time are paired again,
// across inputs first, then within the secondary. Pure, like the rest of plan/.

#include "plan/replay.hpp"

#include "plan/group_matcher.hpp"
#include "plan/timeline.hpp"

#include <algorithm>
#include <functional>
#include <queue>
#include <span>
#include <tuple>

namespace heatmap_merge {

namespace {

// A row left unpaired, and where it stands in its segment.
struct Left {
  RowKey key;
  std::size_t index = 0;
};

// The unpaired rows of a segment with a parsed time, by payload, then time: runs of one payload.
std::vector<Left> unpaired(const std::vector<RowKey>& rows,
                           const std::vector<std::uint8_t>& matched) {
  std::vector<Left> left;
  for (std::size_t n = 0; n < rows.size(); ++n) {
    if (matched[n] == 0 && rows[n].instant != k_text_instant) {
      left.push_back({rows[n], n});
    }
  }
  std::sort(left.begin(), left.end(), [](const Left& a, const Left& b) {
    return std::tie(a.key.payload, a.key.instant, a.key.rowid) <
           std::tie(b.key.payload, b.key.instant, b.key.rowid);
  });
  return left;
}

// The end of the run of one payload that starts at `begin`.
std::size_t run_end(const std::vector<Left>& rows, std::size_t begin) {
  std::size_t end = begin + 1;
  while (end < rows.size() && rows[end].key.payload == rows[begin].key.payload) {
    ++end;
  }
  return end;
}

// Pairs the rows of one side, sorted by time, one-to-one and nearest first within `window`:
// as in GroupMatcher, the nearest pair is always adjacent among the rows still unpaired.
// Calls `on_pair(earlier, later)`.
template <typename PairCallback>
void pair_within(std::span<const Left> rows, std::uint64_t window, const PairCallback& on_pair) {
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  const std::size_t count = rows.size();
  std::vector<std::size_t> previous(count);
  std::vector<std::size_t> next(count);
  std::vector<bool> alive(count, true);
  using Candidate = std::tuple<std::uint64_t, std::size_t, std::size_t>;
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> candidates;
  const auto consider = [&](std::size_t left, std::size_t right) {
    if (left == none || right == none) {
      return;
    }
    const std::uint64_t gap = instant_distance(rows[left].key.instant, rows[right].key.instant);
    if (gap <= window) {
      candidates.emplace(gap, left, right);
    }
  };
  for (std::size_t n = 0; n < count; ++n) {
    previous[n] = n == 0 ? none : n - 1;
    next[n] = n + 1 == count ? none : n + 1;
  }
  for (std::size_t n = 0; n + 1 < count; ++n) {
    consider(n, n + 1);
  }
  while (!candidates.empty()) {
    const auto [gap, left, right] = candidates.top();
    candidates.pop();
    // Both alive: still neighbours, since only rows between them could have gone.
    if (!alive[left] || !alive[right]) {
      continue;
    }
    on_pair(left, right);
    alive[left] = false;
    alive[right] = false;
    const std::size_t before = previous[left];
    const std::size_t after = next[right];
    if (before != none) {
      next[before] = after;
    }
    if (after != none) {
      previous[after] = before;
    }
    consider(before, after);
  }
}

void add_sample(InputPlan& tally, const ReplaySample& sample) {
  if (tally.replay_samples.size() < k_replay_samples) {
    tally.replay_samples.push_back(sample);
  }
}

// Pairs kept rows with secondary rows of one payload (`kept_left` and `fresh_left` its runs).
void match_across(std::span<const Left> kept_left,
                  std::span<const Left> fresh_left,
                  std::vector<std::uint8_t>& fresh_matched,
                  std::uint64_t window_ns,
                  InputPlan& tally) {
  std::vector<RowKey> kept_keys;
  kept_keys.reserve(kept_left.size());
  for (const Left& row : kept_left) {
    kept_keys.push_back(row.key);
  }
  std::vector<RowKey> fresh_keys;
  fresh_keys.reserve(fresh_left.size());
  for (const Left& row : fresh_left) {
    fresh_keys.push_back(row.key);
  }
  match_group(kept_keys, fresh_keys, window_ns, [&](std::size_t kept, std::size_t fresh) {
    const RowKey& dropped = fresh_keys[fresh];
    const std::int64_t offset = dropped.instant - kept_keys[kept].instant;
    fresh_matched[fresh_left[fresh].index] = 1;
    ++tally.duplicates_replay;
    tally.replay_offsets.add(offset);
    add_sample(tally, {kept_keys[kept].rowid, dropped.rowid, offset, false});
  });
}

// Pairs the secondary rows of one payload still unpaired among themselves: the later of each
// pair is a replayed duplicate.
void match_within(std::span<const Left> fresh_left,
                  std::vector<std::uint8_t>& fresh_matched,
                  std::uint64_t window_ns,
                  InputPlan& tally) {
  std::vector<Left> rows;
  for (const Left& row : fresh_left) {
    if (fresh_matched[row.index] == 0) {
      rows.push_back(row);
    }
  }
  pair_within(std::span<const Left>(rows), window_ns, [&](std::size_t earlier, std::size_t later) {
    const std::int64_t offset = rows[later].key.instant - rows[earlier].key.instant;
    fresh_matched[rows[later].index] = 1;
    ++tally.replayed_duplicates;
    tally.replayed_offsets.add(offset);
    add_sample(tally, {rows[earlier].key.rowid, rows[later].key.rowid, offset, true});
  });
}

} // namespace

void match_replays(const std::vector<RowKey>& kept,
                   const std::vector<std::uint8_t>& kept_matched,
                   const std::vector<RowKey>& fresh,
                   std::vector<std::uint8_t>& fresh_matched,
                   std::uint64_t window_ns,
                   InputPlan& tally) {
  const std::vector<Left> fresh_left = unpaired(fresh, fresh_matched);
  if (fresh_left.empty()) {
    return;
  }
  const std::vector<Left> kept_left = unpaired(kept, kept_matched);
  const std::span<const Left> all_fresh(fresh_left);
  const std::span<const Left> all_kept(kept_left);
  std::size_t k = 0;
  for (std::size_t begin = 0; begin < fresh_left.size();) {
    const std::size_t end = run_end(fresh_left, begin);
    const std::uint32_t payload = fresh_left[begin].key.payload;
    while (k < kept_left.size() && kept_left[k].key.payload < payload) {
      ++k;
    }
    if (k < kept_left.size() && kept_left[k].key.payload == payload) {
      const std::size_t kept_end = run_end(kept_left, k);
      match_across(all_kept.subspan(k, kept_end - k),
                   all_fresh.subspan(begin, end - begin),
                   fresh_matched,
                   window_ns,
                   tally);
      k = kept_end;
    }
    match_within(all_fresh.subspan(begin, end - begin), fresh_matched, window_ns, tally);
    begin = end;
  }
}

} // namespace heatmap_merge
