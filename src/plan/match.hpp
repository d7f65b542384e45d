#pragma once
// The matching of a secondary's keys against everything merged before it (plan/match.cpp): the
// first step of make_plan for each secondary. Internal to plan/.

#include "plan/stores.hpp"

#include <cstdint>
#include <vector>

namespace heatmap_merge {

class PairedRows;

// Matches one secondary's keys against everything merged so far (`merged`: the primary's keys,
// then those each earlier secondary added, under their new ids), one-to-one and nearest first
// within `window_ns`, then the rows left unpaired within `replay_ns` (0: none, replay.hpp), and
// tallies the duplicates and conflicts into `result`. The halves of the group hashes go in two
// threads when there are enough keys; returns the keys left unmatched, per half. `paired` (null:
// not asked for) gets the primary's rows that a row of this secondary paired with.
std::vector<UnplacedStore> match_secondary(const std::vector<const KeyStore*>& merged,
                                           const KeyStore& secondary,
                                           std::uint64_t window_ns,
                                           std::uint64_t replay_ns,
                                           std::int64_t first_new_id,
                                           const PlanSpace& space,
                                           Share& result,
                                           PairedRows* paired = nullptr);

} // namespace heatmap_merge
