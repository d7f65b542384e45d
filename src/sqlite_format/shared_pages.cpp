// The shared pages (shared_pages.hpp): two tables' b-trees walked side by side, and the rows of
// the leaf pages that both files hold byte for byte.

#include "sqlite_format/shared_pages.hpp"

#include "sqlite_format/page_file.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>

namespace heatmap_merge {

namespace {

// The smallest and largest row id of a table leaf page whose cells all fit on it (no overflow
// pages) and are in row id order, and how many there are; nothing otherwise.
struct LeafRows {
  RowRange range;
  std::int64_t rows = 0;
};
std::optional<LeafRows> leaf_rows(const unsigned char* page, std::uint32_t usable_size) {
  const std::uint32_t cells = big_endian(page + 3, 2);
  if (cells == 0 || 8 + 2 * std::size_t{cells} > usable_size) {
    return std::nullopt;
  }
  const std::uint64_t max_local = usable_size - 35;
  const unsigned char* end = page + usable_size;
  LeafRows rows;
  for (std::uint32_t cell = 0; cell < cells; ++cell) {
    const std::uint32_t offset = big_endian(page + 8 + 2 * cell, 2);
    if (offset < 8 + 2 * cells || offset >= usable_size) {
      return std::nullopt;
    }
    const unsigned char* at = page + offset;
    const std::optional<std::uint64_t> payload = read_varint(at, end);
    const std::optional<std::uint64_t> rowid = read_varint(at, end);
    if (!payload || !rowid || *payload > max_local ||
        *payload > static_cast<std::uint64_t>(end - at)) {
      return std::nullopt;
    }
    const std::int64_t id = static_cast<std::int64_t>(*rowid);
    if (cell > 0 && id <= rows.range.last) {
      return std::nullopt;
    }
    if (cell == 0) {
      rows.range.first = id;
    }
    rows.range.last = id;
  }
  rows.rows = cells;
  return rows;
}

} // namespace

SharedRows find_shared_rows(sqlite3_file* first,
                            std::int64_t first_root,
                            sqlite3_file* second,
                            std::int64_t second_root,
                            const std::atomic<bool>* stop) {
  const auto stopped = [stop] { return stop != nullptr && stop->load(std::memory_order_relaxed); };
  PageFile first_file(first);
  PageFile second_file(second);
  if (!first_file.comparable(second_file)) {
    return {};
  }
  const std::vector<std::uint32_t> first_leaves = leaf_pages(first_file, first_root);
  const std::vector<std::uint32_t> second_leaves = leaf_pages(second_file, second_root);
  if (first_leaves.empty() || second_leaves.empty() || stopped()) {
    return {};
  }

  // Where each page of the first file sits among its table's leaves.
  constexpr std::uint32_t k_absent = UINT32_MAX;
  std::vector<std::uint32_t> first_position(std::size_t{first_file.pages()} + 1, k_absent);
  for (std::size_t n = 0; n < first_leaves.size(); ++n) {
    first_position[first_leaves[n]] = static_cast<std::uint32_t>(n);
  }

  // The second table's leaves that are leaves of the first at the same page number, compared in
  // page order so that both files are read forwards.
  struct Candidate {
    std::uint32_t page;
    std::uint32_t second_position;
  };
  std::vector<Candidate> candidates;
  for (std::size_t n = 0; n < second_leaves.size(); ++n) {
    if (second_leaves[n] < first_position.size() && first_position[second_leaves[n]] != k_absent) {
      candidates.push_back({second_leaves[n], static_cast<std::uint32_t>(n)});
    }
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return a.page < b.page;
  });
  std::vector<std::optional<LeafRows>> shared(second_leaves.size());
  for (const Candidate& candidate : candidates) {
    if (stopped()) {
      return {};
    }
    const unsigned char* a = first_file.page(candidate.page, true);
    const unsigned char* b = second_file.page(candidate.page, true);
    if (a != nullptr && b != nullptr && std::memcmp(a, b, first_file.page_size()) == 0 &&
        a[0] == k_table_leaf) {
      shared[candidate.second_position] = leaf_rows(a, first_file.usable_size());
    }
  }

  // Runs of shared leaves that follow each other in both trees make one range: no row of either
  // table can lie between two leaves that are neighbours in it.
  SharedRows result;
  std::uint32_t previous_first_position = k_absent;
  for (std::size_t n = 0; n < second_leaves.size(); ++n) {
    if (!shared[n]) {
      previous_first_position = k_absent;
      continue;
    }
    const std::uint32_t position = first_position[second_leaves[n]];
    const RowRange range = shared[n]->range;
    if (!result.ranges.empty() && range.first <= result.ranges.back().last) {
      return {}; // leaves out of row id order: not a b-tree SQLite wrote
    }
    if (previous_first_position != k_absent && position == previous_first_position + 1 && n > 0 &&
        shared[n - 1]) {
      result.ranges.back().last = range.last;
    } else {
      result.ranges.push_back(range);
    }
    result.rows += shared[n]->rows;
    previous_first_position = position;
  }
  return result;
}

} // namespace heatmap_merge
