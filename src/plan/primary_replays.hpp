#pragma once
// The primary's replayed duplicates (--remove-replays): the primary's rows that a secondary's row
// paired with, marked while each secondary is matched (PairedRows), then one more walk of the
// primary's keys that pairs its rows among themselves (find_primary_replays). Internal to plan/.

#include "plan/plan.hpp"

#include <cstdint>
#include <mutex>
#include <vector>

namespace heatmap_merge {

// The primary's rows that a secondary's row paired with, by the window or the replay pass across,
// by row id: a bit for each id from 1 to a bound that the primary's row count keeps small (a row
// id a bit: 2 MiB for 16M rows), and a list for the ids beyond it (or below 1), which a table's
// ids seldom are. Marked from the two threads of match_secondary.
class PairedRows {
public:
  PairedRows(std::int64_t max_rowid, std::int64_t rows);
  PairedRows(const PairedRows&) = delete;
  PairedRows& operator=(const PairedRows&) = delete;

  void mark(std::int64_t rowid);
  // Sorts the list; after every mark(), before any marked().
  void finish();
  bool marked(std::int64_t rowid) const;

private:
  std::int64_t m_bound; // ids 1..m_bound have a bit
  std::vector<std::uint64_t> m_bits;
  std::mutex m_mutex; // for m_others
  std::vector<std::int64_t> m_others;
};

// Walks the primary's keys (sorted by KeyLess) once: its rows with a parsed time, identical but
// for the id and the time (one group, one payload), paired nearest first within `replay_ns`,
// each pair with a row not `paired` across inputs; the one left, the later if both are, is a
// replayed duplicate, and the other stays to pair with more copies; in the same walk, the chance
// estimate of those pairs (PrimaryReplays::chance). Its stores spill as `space` says.
PrimaryReplays find_primary_replays(const KeyStore& primary,
                                    const PairedRows& paired,
                                    std::uint64_t replay_ns,
                                    const PlanSpace& space);

} // namespace heatmap_merge
