// The walk of a table b-tree's leaf pages below SQLite's pager (page_file.hpp), for the page scan
// and the shared pages.

#include "sqlite_format/page_file.hpp"

namespace heatmap_merge {

namespace {

// How deep the leaves of a table's b-tree lie (0: the root is a leaf), found down its leftmost
// edge; nothing if a page on the way is of another kind.
std::optional<int> leaf_depth(PageFile& file, std::uint32_t root) {
  std::uint32_t page_number = root;
  for (int depth = 0; depth <= k_max_depth; ++depth) {
    const unsigned char* page = file.page(page_number, false);
    if (page == nullptr) {
      return std::nullopt;
    }
    if (page[0] == k_table_leaf) {
      return depth;
    }
    if (page[0] != k_table_interior || big_endian(page + 3, 2) == 0) {
      return std::nullopt;
    }
    const std::uint32_t offset = big_endian(page + 12, 2);
    if (offset + 4 > file.usable_size()) {
      return std::nullopt;
    }
    page_number = big_endian(page + offset, 4);
  }
  return std::nullopt;
}

} // namespace

LeafWalker::LeafWalker(PageFile& file, std::int64_t root, bool check_keys)
    : m_file(file), m_check_keys(check_keys) {
  if (root < 2 || root > file.pages()) {
    m_failed = true;
    return;
  }
  m_leaves_at = leaf_depth(file, static_cast<std::uint32_t>(root));
  if (!m_leaves_at) {
    m_failed = true;
    return;
  }
  m_seen.assign(std::size_t{file.pages()} + 1, false);
  m_stack.push_back({static_cast<std::uint32_t>(root), 0, {}});
}

std::optional<LeafWalker::Leaf> LeafWalker::next() {
  while (!m_failed && !m_stack.empty()) {
    const Visit visit = m_stack.back();
    m_stack.pop_back();
    if (visit.page < 2 || visit.page > m_file.pages() || m_seen[visit.page] ||
        visit.depth > k_max_depth) {
      m_failed = true;
      break;
    }
    m_seen[visit.page] = true;
    if (visit.depth == *m_leaves_at) {
      return Leaf{visit.page, visit.keys};
    }
    m_failed = !push_children(visit);
  }
  return std::nullopt;
}

bool LeafWalker::push_children(const Visit& visit) {
  const unsigned char* page = m_file.page(visit.page, false);
  if (page == nullptr || page[0] != k_table_interior) {
    return false;
  }
  const std::uint32_t cells = big_endian(page + 3, 2);
  // A page below the root without cells is corrupt to SQLite (getAndInitPage()).
  if (12 + 2 * std::size_t{cells} > m_file.usable_size() || (cells == 0 && visit.depth > 0)) {
    return false;
  }
  m_children.clear();
  std::optional<std::int64_t> above = visit.keys.above;
  for (std::uint32_t cell = 0; cell < cells; ++cell) {
    const std::uint32_t offset = big_endian(page + 12 + 2 * cell, 2);
    if (offset < 12 + 2 * cells || offset + 4 > m_file.usable_size()) {
      return false;
    }
    const unsigned char* at = page + offset + 4;
    const std::optional<std::uint64_t> key = read_varint(at, page + m_file.usable_size());
    if (!key) {
      return false;
    }
    const std::int64_t upto = static_cast<std::int64_t>(*key);
    if (m_check_keys && (!visit.keys.holds(upto) || (above && upto <= *above))) {
      return false;
    }
    m_children.push_back({big_endian(page + offset, 4), visit.depth + 1, {above, upto}});
    above = upto;
  }
  m_children.push_back({big_endian(page + 8, 4), visit.depth + 1, {above, visit.keys.upto}});
  // Pushed in reverse, so that the leftmost child is walked first.
  for (auto child = m_children.rbegin(); child != m_children.rend(); ++child) {
    m_stack.push_back(*child);
  }
  return true;
}

std::vector<std::uint32_t> leaf_pages(PageFile& file, std::int64_t root) {
  std::vector<std::uint32_t> leaves;
  LeafWalker walker(file, root, false);
  while (const std::optional<LeafWalker::Leaf> leaf = walker.next()) {
    leaves.push_back(leaf->page);
  }
  return walker.failed() ? std::vector<std::uint32_t>() : leaves;
}

} // namespace heatmap_merge
