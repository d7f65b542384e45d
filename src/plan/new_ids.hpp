#pragma once
// The ids of the rows a secondary adds (plan/new_ids.cpp): make_plan's last step for each
// secondary. Internal to plan/.

#include "plan/stores.hpp"

#include <cstdint>
#include <vector>

namespace heatmap_merge {

// Gives the rows a secondary adds (its unkeyed rows and its unmatched keys) new ids from
// `next_id` on (k_no_id_left once past 2^63-1), in time order, then source id (rows whose time is
// text come last). Returns them sorted by source id, the order they are read back in; with
// `keys`, also gives it the added keys under their new ids, for the next secondary to be matched
// against.
AddedRows place_added(const std::vector<UnkeyedRow>& unkeyed,
                      const std::vector<UnplacedStore>& unmatched,
                      const PlanSpace& space,
                      std::int64_t& next_id,
                      KeyStore* keys);

} // namespace heatmap_merge
