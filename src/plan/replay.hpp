#pragma once
// The replay pass (--replay-window): after the window has matched a segment of one key group,
// the rows still unpaired are paired again, identical but for the time and the id, within the
// replay window. Called by plan/match.cpp for each segment. Internal to plan/.

#include "plan/plan.hpp"

#include <cstdint>
#include <vector>

namespace heatmap_merge {

// Pairs the unpaired rows of one segment of one key group (each side sorted by KeyLess; a flag
// per row, nonzero when the window paired it) with rows whose payloads are equal and whose
// instants are at most `window_ns` apart, one-to-one and nearest first: first a kept row left
// with a secondary row left (either may be the later: the secondary's is a duplicate, a replay
// pair), then a secondary row left with another of the secondary's rows, paired across or not
// (the one left, the later if both are, is a replayed duplicate). The secondary rows paired get
// their flag set, so that they are not added, and so do the kept rows paired across (the
// primary's replayed duplicates are those left unpaired, plan/primary_replays.hpp); the tallies
// go into `tally`. Rows whose time is text never pair.
void match_replays(const std::vector<RowKey>& kept,
                   std::vector<std::uint8_t>& kept_matched,
                   const std::vector<RowKey>& fresh,
                   std::vector<std::uint8_t>& fresh_matched,
                   std::uint64_t window_ns,
                   Share& tally);

} // namespace heatmap_merge
