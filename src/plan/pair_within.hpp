#pragma once
// The pairing of rows of one input among themselves (--replay-window): a secondary's replayed
// duplicates (plan/replay.cpp) and, with --remove-replays, the primary's
// (plan/primary_replays.cpp). Internal to plan/.

#include "plan/group_matcher.hpp"
#include "plan/plan.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iterator>
#include <queue>
#include <span>
#include <tuple>
#include <vector>

namespace heatmap_merge {

// A row of a segment, where it stands in it, and whether a pair across inputs took it already.
struct Left {
  RowKey key;
  std::size_t index = 0;
  bool paired = false;
};

// The rows of a segment with a parsed time (`all`: the paired ones too, else only the others),
// by payload, then time: runs of one payload.
inline std::vector<Left>
rows_of(const std::vector<RowKey>& rows, const std::vector<std::uint8_t>& matched, bool all) {
  std::vector<Left> left;
  for (std::size_t n = 0; n < rows.size(); ++n) {
    if ((all || matched[n] == 0) && rows[n].instant != k_text_instant) {
      left.push_back({rows[n], n, matched[n] != 0});
    }
  }
  std::sort(left.begin(), left.end(), [](const Left& a, const Left& b) {
    return std::tie(a.key.payload, a.key.instant, a.key.rowid) <
           std::tie(b.key.payload, b.key.instant, b.key.rowid);
  });
  return left;
}

// The end of the run of one payload that starts at `begin`.
inline std::size_t run_end(const std::vector<Left>& rows, std::size_t begin) {
  std::size_t end = begin + 1;
  while (end < rows.size() && rows[end].key.payload == rows[begin].key.payload) {
    ++end;
  }
  return end;
}

// Whether a row of `run` (one payload, by time) lies more than `window` but at most twice
// `window` from `instant`, before it or after: the band of the chance estimates
// (plan/replay.cpp's count_chance, plan/primary_replays.cpp's count_primary_chance).
// Distances, not sums: `instant` plus or minus the window may pass the ends of Instant.
inline bool in_band(std::span<const Left> run, Instant instant, std::uint64_t window) {
  const auto far = [&](const Left& row) {
    return instant_distance(row.key.instant, instant) > window;
  };
  // The first row after `instant` further than the window, and the last one before it.
  const auto after = std::partition_point(run.begin(), run.end(), [&](const Left& row) {
    return row.key.instant <= instant || !far(row);
  });
  if (after != run.end() && instant_distance(after->key.instant, instant) <= 2 * window) {
    return true;
  }
  const auto before = std::partition_point(
    run.begin(), run.end(), [&](const Left& row) { return row.key.instant < instant && far(row); });
  return before != run.begin() &&
         instant_distance(std::prev(before)->key.instant, instant) <= 2 * window;
}

// Pairs the rows of one side, sorted by time, nearest first within `window`, each pair a row
// `paired` across inputs (its click is merged) and a row not: `on_pair(earlier, later)` returns
// the row that goes, the one not paired, and the paired one stays to pair again, so that a click
// with three copies on one node (a write that committed after the client's timeout, then
// replayed by two flushes at once) keeps one. Two rows neither paired never pair: a double click
// that only this node holds (the other was down) stays two clicks. As in GroupMatcher, the
// nearest such pair is always adjacent among the rows left (a row between them would be nearer
// to the one of the pair whose kind it is not).
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
    if (left == none || right == none || rows[left].paired == rows[right].paired) {
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
    const std::size_t gone = on_pair(left, right);
    alive[gone] = false;
    const std::size_t before = previous[gone];
    const std::size_t after = next[gone];
    if (before != none) {
      next[before] = after;
    }
    if (after != none) {
      previous[after] = before;
    }
    consider(before, after);
  }
}

} // namespace heatmap_merge
