#include "page_file.hpp"

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

// The leaf pages of a table's b-tree in row id order, found by walking its interior pages; empty
// if the tree is not as SQLite writes one (a loop, a page of another kind, too deep). All leaves
// of a b-tree lie at one depth, so the leaves themselves are not read here: a page at that depth
// that is no leaf is found out when it is compared.
std::vector<std::uint32_t>
leaf_pages(PageFile& file, std::int64_t root, std::vector<KeyBounds>* bounds) {
  std::vector<std::uint32_t> leaves;
  if (root < 2 || root > file.pages()) {
    return leaves;
  }
  const std::optional<int> leaves_at = leaf_depth(file, static_cast<std::uint32_t>(root));
  if (!leaves_at) {
    return leaves;
  }
  std::vector<bool> seen(std::size_t{file.pages()} + 1, false);
  struct Visit {
    std::uint32_t page;
    int depth;
    KeyBounds keys;
  };
  std::vector<Visit> stack{{static_cast<std::uint32_t>(root), 0, {}}};
  std::vector<Visit> children;
  while (!stack.empty()) {
    const Visit visit = stack.back();
    stack.pop_back();
    if (visit.page < 2 || visit.page > file.pages() || seen[visit.page] ||
        visit.depth > k_max_depth) {
      return {};
    }
    seen[visit.page] = true;
    if (visit.depth == *leaves_at) {
      leaves.push_back(visit.page);
      if (bounds != nullptr) {
        bounds->push_back(visit.keys);
      }
      continue;
    }
    const unsigned char* page = file.page(visit.page, false);
    if (page == nullptr || page[0] != k_table_interior) {
      return {};
    }
    const std::uint32_t cells = big_endian(page + 3, 2);
    // A page below the root without cells is corrupt to SQLite (getAndInitPage()).
    if (12 + 2 * std::size_t{cells} > file.usable_size() || (cells == 0 && visit.depth > 0)) {
      return {};
    }
    children.clear();
    std::optional<std::int64_t> above = visit.keys.above;
    for (std::uint32_t cell = 0; cell < cells; ++cell) {
      const std::uint32_t offset = big_endian(page + 12 + 2 * cell, 2);
      if (offset < 12 + 2 * cells || offset + 4 > file.usable_size()) {
        return {};
      }
      const unsigned char* at = page + offset + 4;
      const std::optional<std::uint64_t> key = read_varint(at, page + file.usable_size());
      if (!key) {
        return {};
      }
      const std::int64_t upto = static_cast<std::int64_t>(*key);
      if (bounds != nullptr && (!visit.keys.holds(upto) || (above && upto <= *above))) {
        return {};
      }
      children.push_back({big_endian(page + offset, 4), visit.depth + 1, {above, upto}});
      above = upto;
    }
    children.push_back({big_endian(page + 8, 4), visit.depth + 1, {above, visit.keys.upto}});
    // Pushed in reverse, so that the leftmost child is walked first.
    for (auto child = children.rbegin(); child != children.rend(); ++child) {
      stack.push_back(*child);
    }
  }
  return leaves;
}

} // namespace heatmap_merge
