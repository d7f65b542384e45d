// The primary's replayed duplicates (--remove-replays, plan/primary_replays.hpp): the rows that a
// secondary paired with, by row id, and the walk of the primary's keys that pairs its own rows
// the way plan/replay.cpp pairs a secondary's. Pure, like the rest of plan/.

#include "plan/primary_replays.hpp"

#include "plan/pair_within.hpp"
#include "plan/stores.hpp"

#include <algorithm>
#include <atomic>
#include <iterator>
#include <span>

namespace heatmap_merge {

namespace {

// Ids beyond the primary's row count by this much still get a bit: a table whose early ids were
// deleted, or that skipped some, is not sparse enough to matter.
constexpr std::int64_t k_spare_ids = std::int64_t{1} << 20;

} // namespace

PairedRows::PairedRows(std::int64_t max_rowid, std::int64_t rows)
    : m_bound(std::max<std::int64_t>(0, std::min(max_rowid, 2 * rows + k_spare_ids))),
      m_bits(static_cast<std::size_t>(m_bound / 64 + 1), 0) {}

void PairedRows::mark(std::int64_t rowid) {
  if (rowid >= 1 && rowid <= m_bound) {
    const auto bit = static_cast<std::uint64_t>(rowid);
    std::atomic_ref<std::uint64_t>(m_bits[bit / 64])
      .fetch_or(std::uint64_t{1} << (bit % 64), std::memory_order_relaxed);
    return;
  }
  const std::lock_guard<std::mutex> lock(m_mutex);
  m_others.push_back(rowid);
}

void PairedRows::finish() {
  std::sort(m_others.begin(), m_others.end());
}

bool PairedRows::marked(std::int64_t rowid) const {
  if (rowid >= 1 && rowid <= m_bound) {
    const auto bit = static_cast<std::uint64_t>(rowid);
    return ((m_bits[bit / 64] >> (bit % 64)) & 1) != 0;
  }
  return std::binary_search(m_others.begin(), m_others.end(), rowid);
}

namespace {

// The chance estimate of the primary's pass over one segment of one group (rows with a parsed
// time, in time order, no gap wider than twice the window between two of them): as
// plan/replay.cpp's count_chance counts a secondary's rows, the rows that no secondary paired with
// and that have an identical row that one did pair with (the only partner the pass gives them)
// more than once and at most twice the window away, before or after.
std::int64_t count_primary_chance(std::span<const RowKey> segment,
                                  const PairedRows& paired,
                                  std::uint64_t replay_ns) {
  std::vector<Left> rows;
  rows.reserve(segment.size());
  std::size_t partners = 0;
  for (std::size_t n = 0; n < segment.size(); ++n) {
    rows.push_back({segment[n], n, paired.marked(segment[n].rowid)});
    partners += rows.back().paired ? 1 : 0;
  }
  if (partners == 0 || partners == rows.size()) {
    return 0;
  }
  std::sort(rows.begin(), rows.end(), [](const Left& a, const Left& b) {
    return std::tie(a.key.payload, a.key.instant, a.key.rowid) <
           std::tie(b.key.payload, b.key.instant, b.key.rowid);
  });
  std::int64_t chance = 0;
  std::vector<Left> run_partners; // of one run, by time
  for (std::size_t begin = 0; begin < rows.size();) {
    const std::size_t end = run_end(rows, begin);
    run_partners.clear();
    std::copy_if(rows.begin() + static_cast<std::ptrdiff_t>(begin),
                 rows.begin() + static_cast<std::ptrdiff_t>(end),
                 std::back_inserter(run_partners),
                 [](const Left& row) { return row.paired; });
    if (!run_partners.empty()) {
      for (std::size_t n = begin; n < end; ++n) {
        if (!rows[n].paired && in_band(run_partners, rows[n].key.instant, replay_ns)) {
          ++chance;
        }
      }
    }
    begin = end;
  }
  return chance;
}

// Pairs the rows of one segment of one group of the primary (rows with a parsed time, in time
// order, no gap wider than the window between two of them) among themselves, as plan/replay.cpp's
// match_within pairs a secondary's.
void pair_segment(std::span<const RowKey> segment,
                  const PairedRows& paired,
                  std::uint64_t replay_ns,
                  PrimaryReplays& found) {
  if (segment.size() < 2) {
    return;
  }
  std::vector<Left> rows;
  rows.reserve(segment.size());
  for (std::size_t n = 0; n < segment.size(); ++n) {
    rows.push_back({segment[n], n, paired.marked(segment[n].rowid)});
  }
  std::sort(rows.begin(), rows.end(), [](const Left& a, const Left& b) {
    return std::tie(a.key.payload, a.key.instant, a.key.rowid) <
           std::tie(b.key.payload, b.key.instant, b.key.rowid);
  });
  const std::span<const Left> all(rows);
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  std::vector<std::size_t> partner; // of each row of a run that goes: the row it copies
  std::vector<std::size_t> gone;    // in the order they went
  for (std::size_t begin = 0; begin < rows.size();) {
    const std::size_t end = run_end(rows, begin);
    const std::span<const Left> run = all.subspan(begin, end - begin);
    partner.assign(run.size(), none);
    gone.clear();
    pair_within(run, replay_ns, [&](std::size_t earlier, std::size_t later) {
      const std::size_t kept = run[later].paired ? later : earlier;
      const std::size_t dropped = kept == later ? earlier : later;
      const std::int64_t offset = run[dropped].key.instant - run[kept].key.instant;
      partner[dropped] = kept;
      gone.push_back(dropped);
      found.offsets.add(offset);
      if (found.samples.size() < k_replay_samples) {
        found.samples.push_back({run[kept].key.rowid, run[dropped].key.rowid, offset, true});
      }
      return dropped;
    });
    // A row kept may go later, a copy of another: each removed row names the row that stays,
    // which --in-place's re-check finds still there whatever order the rows go in.
    for (const std::size_t dropped : gone) {
      std::size_t stays = partner[dropped];
      while (partner[stays] != none) {
        stays = partner[stays];
      }
      found.rows.add({run[dropped].key.rowid,
                      run[stays].key.rowid,
                      run[dropped].key.instant,
                      run[dropped].key.instant - run[partner[dropped]].key.instant});
    }
    begin = end;
  }
}

} // namespace

PrimaryReplays find_primary_replays(const KeyStore& primary,
                                    const PairedRows& paired,
                                    std::uint64_t replay_ns,
                                    const PlanSpace& space) {
  PrimaryReplays found;
  found.found = true;
  found.rows = new_store<RemovedRows>(space);
  found.offsets = new_offsets(space, 2);
  std::vector<RowKey> segment;
  const auto finish_segment = [&]() {
    found.chance += count_primary_chance(segment, paired, replay_ns);
    // Paired a part at a time, cut at the gaps wider than the window, which no pair straddles:
    // the pairs come in the order they came before the estimate looked twice as far (samples).
    const std::span<const RowKey> rows(segment);
    std::size_t begin = 0;
    for (std::size_t n = 1; n < rows.size(); ++n) {
      if (instant_distance(rows[n - 1].instant, rows[n].instant) > replay_ns) {
        pair_segment(rows.subspan(begin, n - begin), paired, replay_ns, found);
        begin = n;
      }
    }
    pair_segment(rows.subspan(begin), paired, replay_ns, found);
    segment.clear();
  };
  // A segment ends at a new group or at a gap wider than twice the window: no pair straddles
  // either, nor do a row and another in its chance band (as plan/match.cpp cuts a secondary's).
  primary.for_each([&](const RowKey& key) {
    if (key.instant == k_text_instant) {
      return; // never pairs
    }
    if (!segment.empty() &&
        (!same_group(segment.back(), key) ||
         instant_distance(segment.back().instant, key.instant) > 2 * replay_ns)) {
      finish_segment();
    }
    segment.push_back(key);
  });
  finish_segment();
  found.rows.finish();
  found.offsets.finish();
  return found;
}

} // namespace heatmap_merge
