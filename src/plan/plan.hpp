#pragma once
// The planner (plan/): make_plan takes every input's keys, as read/ produces them, and decides
// which rows are duplicates and which are added, with what id. Pure; write/ and report/ read it.

#include "plan/stats.hpp"
#include "plan/timeline.hpp"
#include "spill/key_store.hpp"
#include "spill/run_store.hpp"
#include "util/timestamp.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

namespace heatmap_merge {

// A row with a NULL time or key column: it never matches another click, but a row equal to it in
// every column but the id (the same value of the same type, NULL equal to NULL, as the SQL patch
// compares) is the same row, already there. `group` is a 96-bit hash of those columns.
struct UnkeyedRow {
  Instant instant = k_text_instant;
  std::int64_t rowid = 0;
  std::uint64_t group_hi = 0;
  std::uint32_t group_lo = 0;
};

// One input as read for planning.
struct Keys {
  KeyStore keys;
  std::vector<UnkeyedRow> unkeyed;
  // Keyed rows that the primary and the secondary hold byte for byte, at the same row ids: each
  // pairs with its twin, an exact duplicate, without being planned. Their instants, which both
  // inputs share, count in the report's timelines.
  std::int64_t paired = 0;
  // Of those, the rows with a NULL key: counted in the report's null keys.
  std::int64_t paired_unkeyed = 0;
  std::int64_t rows = 0;
  std::int64_t max_rowid = 0;
  std::optional<Instant> first; // the earliest and latest parsed instants
  std::optional<Instant> last;
  // Every row's instant, as the report's timelines count them.
  Timeline timeline;
};

struct AddedRow {
  std::int64_t source_rowid = 0;
  std::int64_t new_id = 0;
  Instant instant = k_text_instant;
  // The row's key group, for re-checking it against rows written later (--in-place); a row with
  // a NULL key has none and never matches.
  bool keyed = false;
  std::uint32_t group_lo = 0;
  std::uint64_t group_hi = 0;
  // The hash of its compared columns, for the re-check of --in-place --replay-window.
  std::uint32_t payload = 0;
};
// The man page's --memory-limit counts 48 bytes a planned row.
static_assert(sizeof(AddedRow) == 48);

// Added rows kept in the order they are read back in: by source row id.
using AddedRows = RunStore<AddedRow, Ascending<AddedRow, &AddedRow::source_rowid>>;

// A secondary's row that the replay pass paired and so does not add (--replay-window), for the
// report's pages: a replay pair across inputs, or a replayed duplicate within the secondary.
struct ReplayedRow {
  std::int64_t source_rowid = 0;
  bool within = false;
};
using ReplayedRows = RunStore<ReplayedRow, Ascending<ReplayedRow, &ReplayedRow::source_rowid>>;

// A duplicate whose other columns differ from the row kept: the row ids of both.
struct ConflictPair {
  std::int64_t kept_rowid = 0; // in the primary, or an id given to an earlier secondary's row
  std::int64_t dropped_rowid = 0;
};

// A pair the replay pass made (--replay-window): the row kept (in the primary, an id given to an
// earlier secondary's row, or, within this secondary, its earlier copy) and the row not added.
struct ReplaySample {
  std::int64_t kept_rowid = 0;
  std::int64_t dropped_rowid = 0;
  std::int64_t offset_ns = 0; // the dropped row's instant minus the kept one's
  bool within = false;        // both rows are this secondary's: a replayed duplicate
};

struct Share {
  std::int64_t rows = 0;
  std::int64_t unkeyed = 0;
  std::int64_t duplicates_exact = 0;
  std::int64_t duplicates_window = 0;
  std::int64_t conflicts = 0;
  // Of the conflicts, those whose kept row an earlier secondary added (the primary's the rest).
  std::int64_t conflicts_with_added = 0;
  std::optional<Instant> first;
  std::optional<Instant> last;
  // The rows this input adds, sorted by source row id (the order they are read back in).
  AddedRows added;
  // For each duplicate matched within the window: this row's instant minus its match's.
  OffsetSet match_offsets;
  // Pairs of same-key rows that the window left unmatched but that lie at most 10 s apart: the
  // same difference, for the report's window advice. They do not change the plan.
  OffsetSet near_miss_offsets;
  // The first conflicts met, for the report's samples.
  std::vector<ConflictPair> conflict_samples;
  // --replay-window: rows left unpaired by the window that pair with a kept row identical but
  // for the time (a replay pair across inputs), and the later copies of two such rows of this
  // secondary (replayed duplicates). Neither is added.
  std::int64_t duplicates_replay = 0;
  std::int64_t replayed_duplicates = 0;
  OffsetSet replay_offsets;   // the row's instant minus its kept match's
  OffsetSet replayed_offsets; // the later copy's instant minus the earlier's
  // The rows the window left unpaired with an identical row once to twice the replay window
  // away: about how many pairs chance alone gives within it (plan/replay.cpp, count_chance).
  std::int64_t replay_chance = 0;
  // The first replay pairs met, of both kinds, for the report's samples.
  std::vector<ReplaySample> replay_samples;
  // Every row of both kinds, by source row id: the report counts them per page.
  ReplayedRows replayed_rows;
};

// How many conflicts the plan keeps as samples, per input.
inline constexpr std::size_t k_conflict_samples = 5;
// How many replay pairs the plan keeps as samples, per input.
inline constexpr std::size_t k_replay_samples = 5;

// A primary row that --remove-replays removes: a replayed duplicate of the primary's row
// `kept_rowid`, which stays (the end of a chain: the row it was paired with may go too, a copy
// of another), `offset_ns` after the row it was paired with (or before it).
struct RemovedRow {
  std::int64_t rowid = 0;
  std::int64_t kept_rowid = 0;
  Instant instant = k_text_instant;
  std::int64_t offset_ns = 0;
};
using RemovedRows = RunStore<RemovedRow, Ascending<RemovedRow, &RemovedRow::rowid>>;

// The primary's replayed duplicates (--remove-replays; found only when asked): its rows
// identical but for the id and the time to another of its rows within the replay window, paired
// nearest first as a secondary's are, each pair with a row that no secondary's row
// paired with; the one left, the later if both are, is removed.
struct PrimaryReplays {
  bool found = false; // whether the plan looked for them
  RemovedRows rows;   // by row id
  OffsetSet offsets;  // the removed row's instant minus its kept partner's
  std::vector<ReplaySample> samples;
  // The rows the pass could pair (no secondary's row paired with them) with an identical row
  // that a secondary's row did pair with once to twice the replay window away: about how many
  // pairs chance alone gives within it (plan/primary_replays.cpp, count_primary_chance).
  std::int64_t chance = 0;
};

// The next id when none is left: the primary's largest id (or its AUTOINCREMENT sequence) is
// SQLite's largest, 2^63-1. The rows given it have no id (Plan::ids_left).
inline constexpr std::int64_t k_no_id_left = INT64_MIN;

struct Plan {
  std::vector<Share> shares; // [0] is the primary, which adds nothing
  // The rows of the output: the primary's, less those removed, and those added.
  std::int64_t rows_out = 0;
  std::int64_t first_new_id = 0;
  PrimaryReplays primary_replays;
  // False when the rows to add need ids past SQLite's largest: then the run is refused.
  bool ids_left = true;
};

// Sorts an input's keys the way the planner walks them; make_plan sorts what is not yet sorted,
// so this only lets the callers do it in parallel, one input per thread.
void sort_keys(Keys& input);

// Where the planner's own stores spill, and how much each may hold in memory: the rows each
// secondary adds, sorted by time and then by source id, and their keys for the next secondary.
struct PlanSpace {
  SpillSpace* spill = nullptr; // null: all in memory
  std::uint64_t store_bytes = UINT64_MAX;
};

// The one-to-one matching of make_plan, nearest first within `window`, between two sets of keys,
// each sorted by KeyLess: the pairs it makes, as (index in `kept`, index in `candidates`). For
// --in-place, which matches the rows it is about to add against the rows the service wrote
// meanwhile exactly as the plan matched them against the snapshot.
std::vector<std::pair<std::size_t, std::size_t>> match_keys(const std::vector<RowKey>& kept,
                                                            const std::vector<RowKey>& candidates,
                                                            std::chrono::nanoseconds window);

// The replay pass's pairing across inputs (--replay-window) between two sets of keys, in any
// order: rows of one group and one payload, with a parsed time, one-to-one and nearest first
// within `replay_window`; the pairs as match_keys gives them. For the re-check of --in-place,
// on the rows that match_keys left.
std::vector<std::pair<std::size_t, std::size_t>>
match_replay_keys(const std::vector<RowKey>& kept,
                  const std::vector<RowKey>& candidates,
                  std::chrono::nanoseconds replay_window);

// Decides which rows of each secondary are duplicates and which are added, with what id. Pure:
// the same keys give the same plan, whatever their order. `keys[0]` is the primary; each
// secondary is folded in against everything merged before it. New ids start at `next_id`.
// `replay_window` (0: none) pairs again the rows the window left unpaired (plan/replay.hpp);
// with it, `remove_primary_replays` finds the primary's replayed duplicates too
// (Plan::primary_replays), which the output then leaves out.
Plan make_plan(std::vector<Keys> keys,
               std::chrono::nanoseconds window,
               std::int64_t next_id,
               const PlanSpace& space = {},
               std::chrono::nanoseconds replay_window = std::chrono::nanoseconds(0),
               bool remove_primary_replays = false);

} // namespace heatmap_merge
