#pragma once
// The rows with a NULL key column merged so far (plan/unkeyed.cpp), to tell which of a
// secondary's are already there: make_plan's step for them. Internal to plan/.

#include "plan/plan.hpp"

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace heatmap_merge {

// A NULL-key row's hash of its columns (UnkeyedRow), in the order rows are looked up by it.
using WholeRow = std::pair<std::uint64_t, std::uint32_t>;

// The NULL-key rows merged so far: the primary's, then those the earlier secondaries added,
// each sorted by their hash, to tell which rows of the next secondary are already there.
class MergedUnkeyed {
public:
  // Sorts `primary` in place; it must outlive this.
  explicit MergedUnkeyed(std::vector<UnkeyedRow>& primary);

  // Returns the rows of `secondary` to add: of each set of n rows equal in every column, as many
  // as the m merged rows equal to them lack (n - m, if more), the ones with the highest row ids;
  // the others are exact duplicates, counted into `tally`. Multisets, as for keyed rows: the
  // output holds max(m, n) of them.
  std::vector<UnkeyedRow> missing(std::vector<UnkeyedRow> secondary, Share& tally) const;

  // Counts `rows` as merged, for the secondaries after the one that adds them.
  void add(const std::vector<UnkeyedRow>& rows);

private:
  std::size_t count(const WholeRow& row) const;

  std::vector<UnkeyedRow>& m_primary;
  std::vector<WholeRow> m_added;
};

} // namespace heatmap_merge
