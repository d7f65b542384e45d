// The rows with a NULL key column: a secondary's row is a duplicate only of a row equal to it
// in every column (UnkeyedRow). make_plan's step for them, beside the matching of the keys.

#include "plan/unkeyed.hpp"

#include <algorithm>
#include <tuple>

namespace heatmap_merge {

namespace {

WholeRow whole_row(const UnkeyedRow& row) {
  return {row.group_hi, row.group_lo};
}

bool whole_row_less(const UnkeyedRow& a, const UnkeyedRow& b) {
  return std::tie(a.group_hi, a.group_lo, a.rowid) < std::tie(b.group_hi, b.group_lo, b.rowid);
}

} // namespace

MergedUnkeyed::MergedUnkeyed(std::vector<UnkeyedRow>& primary) : m_primary(primary) {
  std::sort(m_primary.begin(), m_primary.end(), whole_row_less);
}

std::vector<UnkeyedRow> MergedUnkeyed::missing(std::vector<UnkeyedRow> secondary,
                                               Share& tally) const {
  std::sort(secondary.begin(), secondary.end(), whole_row_less);
  std::vector<UnkeyedRow> left;
  for (std::size_t first = 0; first < secondary.size();) {
    const WholeRow row = whole_row(secondary[first]);
    std::size_t end = first + 1;
    while (end < secondary.size() && whole_row(secondary[end]) == row) {
      ++end;
    }
    const std::size_t there = std::min(count(row), end - first);
    tally.duplicates_exact += static_cast<std::int64_t>(there);
    left.insert(left.end(),
                secondary.begin() + static_cast<std::ptrdiff_t>(first + there),
                secondary.begin() + static_cast<std::ptrdiff_t>(end));
    first = end;
  }
  return left;
}

void MergedUnkeyed::add(const std::vector<UnkeyedRow>& rows) {
  for (const UnkeyedRow& row : rows) {
    m_added.push_back(whole_row(row));
  }
  std::sort(m_added.begin(), m_added.end());
}

// How many merged rows, the primary's and the added ones, have the hash `row`.
std::size_t MergedUnkeyed::count(const WholeRow& row) const {
  const auto in_primary = std::equal_range(
    m_primary.begin(),
    m_primary.end(),
    UnkeyedRow{0, INT64_MIN, row.first, row.second},
    [](const UnkeyedRow& a, const UnkeyedRow& b) { return whole_row(a) < whole_row(b); });
  const auto in_added = std::equal_range(m_added.begin(), m_added.end(), row);
  return static_cast<std::size_t>(in_primary.second - in_primary.first) +
         static_cast<std::size_t>(in_added.second - in_added.first);
}

} // namespace heatmap_merge
