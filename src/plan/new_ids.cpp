// The ids of the rows a secondary adds: given in time order, then source id, from the next free
// id on; the last step of make_plan for each secondary, after the matching (plan/match.cpp).

#include "plan/new_ids.hpp"

namespace heatmap_merge {

AddedRows place_added(const std::vector<UnkeyedRow>& unkeyed,
                      const std::vector<UnplacedStore>& unmatched,
                      const PlanSpace& space,
                      std::int64_t& next_id,
                      KeyStore* keys) {
  UnplacedStore unkeyed_rows;
  unkeyed_rows.reserve(unkeyed.size());
  for (const UnkeyedRow& row : unkeyed) {
    RowKey key;
    key.instant = row.instant;
    key.rowid = row.rowid;
    unkeyed_rows.add({key, false});
  }
  unkeyed_rows.finish();
  std::vector<RunCursor<Unplaced>> cursors = unkeyed_rows.cursors(0);
  for (const UnplacedStore& store : unmatched) {
    for (RunCursor<Unplaced>& cursor : store.cursors(UnplacedStore::k_run_buffer_items)) {
      cursors.push_back(std::move(cursor));
    }
  }
  AddedRows added = new_store<AddedRows>(space);
  for (RunMerger<Unplaced, TimeOrder> rows(std::move(cursors)); !rows.done(); rows.advance()) {
    const Unplaced& row = rows.head();
    added.add({row.key.rowid,
               next_id,
               row.key.instant,
               row.keyed,
               row.keyed ? row.key.group_lo : 0,
               row.keyed ? row.key.group_hi : 0,
               row.keyed ? row.key.payload : 0});
    if (keys != nullptr && row.keyed) {
      RowKey key = row.key;
      key.rowid = next_id;
      keys->add(key);
    }
    // Never past SQLite's largest id, which would wrap to the smallest: k_no_id_left instead.
    next_id = next_id == INT64_MAX || next_id == k_no_id_left ? k_no_id_left : next_id + 1;
  }
  added.finish();
  if (keys != nullptr) {
    keys->finish();
  }
  return added;
}

} // namespace heatmap_merge
