// The planner's entry, make_plan: each secondary in turn is matched against everything merged
// before it (plan/match.cpp), its NULL-key rows against theirs (plan/unkeyed.cpp), and the rows
// it adds get their new ids (plan/new_ids.cpp). Pure: keys in, a Plan out.

#include "plan/plan.hpp"

#include "plan/match.hpp"
#include "plan/new_ids.hpp"
#include "plan/primary_replays.hpp"
#include "plan/stores.hpp"
#include "plan/unkeyed.hpp"

#include <memory>
#include <utility>
#include <vector>

namespace heatmap_merge {

void sort_keys(Keys& input) {
  input.keys.finish();
}

namespace {

// An input's counts, as the plan reports them.
void count_input(const Keys& input, Share& plan) {
  plan.rows = input.rows;
  plan.unkeyed = static_cast<std::int64_t>(input.unkeyed.size()) + input.paired_unkeyed;
  plan.first = input.first;
  plan.last = input.last;
}

} // namespace

Plan make_plan(std::vector<Keys> keys,
               std::chrono::nanoseconds window,
               std::int64_t next_id,
               const PlanSpace& space,
               std::chrono::nanoseconds replay_window,
               bool remove_primary_replays) {
  Plan plan;
  plan.first_new_id = next_id;
  plan.shares.resize(keys.size());
  keys.front().keys.finish();
  count_input(keys.front(), plan.shares.front());
  plan.rows_out = plan.shares.front().rows;
  // What each secondary is matched against: the primary's keys, then the keys each secondary
  // before it added, under their new ids.
  std::vector<KeyStore> added_keys;
  added_keys.reserve(keys.size());
  MergedUnkeyed merged_unkeyed(keys.front().unkeyed);
  // The primary's rows that a secondary's row paired with: only when its replayed duplicates are
  // asked for, so that a run without costs nothing.
  const bool primary_replays = remove_primary_replays && replay_window.count() > 0;
  std::unique_ptr<PairedRows> paired;
  if (primary_replays) {
    paired = std::make_unique<PairedRows>(keys.front().max_rowid, keys.front().rows);
  }

  // Each secondary is folded in against everything merged before it.
  for (std::size_t input = 1; input < keys.size(); ++input) {
    Keys& source = keys[input];
    Share& result = plan.shares[input];
    count_input(source, result);
    source.keys.finish();
    std::vector<const KeyStore*> merged{&keys.front().keys};
    for (const KeyStore& added : added_keys) {
      merged.push_back(&added);
    }
    const std::vector<UnplacedStore> unmatched =
      match_secondary(merged,
                      source.keys,
                      static_cast<std::uint64_t>(window.count()),
                      static_cast<std::uint64_t>(replay_window.count()),
                      plan.first_new_id,
                      space,
                      result,
                      paired.get());
    source.keys = KeyStore(); // its memory, or its spill file, is no longer needed
    result.duplicates_exact += source.paired;
    KeyStore* added = nullptr;
    if (input + 1 < keys.size()) {
      added_keys.push_back(new_store<KeyStore>(space));
      added = &added_keys.back();
    }
    const std::vector<UnkeyedRow> unkeyed =
      merged_unkeyed.missing(std::move(source.unkeyed), result);
    if (input + 1 < keys.size()) {
      merged_unkeyed.add(unkeyed);
    }
    const std::int64_t first_id = next_id;
    result.added = place_added(unkeyed, unmatched, space, next_id, added);
    const std::uint64_t count = result.added.size();
    if (count > 0 && (first_id == k_no_id_left ||
                      count - 1 > static_cast<std::uint64_t>(INT64_MAX - first_id))) {
      plan.ids_left = false;
    }
    plan.rows_out += static_cast<std::int64_t>(result.added.size());
  }
  if (primary_replays) {
    paired->finish();
    plan.primary_replays = find_primary_replays(
      keys.front().keys, *paired, static_cast<std::uint64_t>(replay_window.count()), space);
    plan.rows_out -= static_cast<std::int64_t>(plan.primary_replays.rows.size());
  }
  return plan;
}

} // namespace heatmap_merge
