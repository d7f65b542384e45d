#include "heatmap_merge/shared_pages.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>

namespace heatmap_merge {

namespace {

// The parts of SQLite's file format (https://www.sqlite.org/fileformat2.html) read here.
constexpr std::size_t k_header_bytes = 100;
constexpr std::uint8_t k_table_interior = 0x05;
constexpr std::uint8_t k_table_leaf = 0x0d;
constexpr int k_max_depth = 40;

std::uint32_t big_endian(const unsigned char* bytes, int count) {
  std::uint32_t value = 0;
  for (int n = 0; n < count; ++n) {
    value = (value << 8) | bytes[n];
  }
  return value;
}

// A varint of at most 9 bytes that must end before `end`; nothing if it does not.
std::optional<std::uint64_t> read_varint(const unsigned char*& at, const unsigned char* end) {
  std::uint64_t value = 0;
  for (int n = 0; n < 9; ++n) {
    if (at >= end) {
      return std::nullopt;
    }
    const unsigned char byte = *at++;
    if (n == 8) {
      return (value << 8) | byte;
    }
    value = (value << 7) | (byte & 0x7f);
    if ((byte & 0x80) == 0) {
      return value;
    }
  }
  return value;
}

// One database file, read by page through the file handle of the SQLite connection that has it
// open (database_file()), never through a descriptor of our own: closing any descriptor of a file
// drops every POSIX lock the process holds on it, the connection's SHARED lock included, and the
// service could then write while the file is read. Pages asked for in ascending order come from
// a window of 1 MiB read at once; pages asked for out of order are read one by one.
class PageFile {
public:
  explicit PageFile(sqlite3_file* file) : m_file(file) {
    std::array<unsigned char, k_header_bytes> header{};
    sqlite3_int64 bytes = 0;
    if (m_file == nullptr || m_file->pMethods == nullptr ||
        m_file->pMethods->xRead(m_file, header.data(), static_cast<int>(header.size()), 0) !=
          SQLITE_OK ||
        m_file->pMethods->xFileSize(m_file, &bytes) != SQLITE_OK) {
      return;
    }
    const std::uint32_t size = big_endian(&header[16], 2);
    m_page_size = size == 1 ? 65536 : size;
    m_reserved = header[20];
    m_encoding = big_endian(&header[56], 4);
    if (m_page_size < 512 || (m_page_size & (m_page_size - 1)) != 0 || bytes <= 0 ||
        m_reserved + 480 > m_page_size) {
      m_page_size = 0;
      return;
    }
    m_pages = static_cast<std::uint32_t>(
      std::min<sqlite3_int64>(bytes / static_cast<sqlite3_int64>(m_page_size), UINT32_MAX));
  }

  bool valid() const {
    return m_page_size != 0;
  }
  // Two files whose pages can be compared byte for byte: the same layout and text encoding.
  bool comparable(const PageFile& other) const {
    return valid() && other.valid() && m_page_size == other.m_page_size &&
           m_reserved == other.m_reserved && m_encoding == other.m_encoding;
  }
  std::uint32_t pages() const {
    return m_pages;
  }
  std::uint32_t page_size() const {
    return m_page_size;
  }
  std::uint32_t usable_size() const {
    return m_page_size - m_reserved;
  }

  // Page `number` (from 1), or nullptr if the file does not hold it whole.
  const unsigned char* page(std::uint32_t number, bool in_order) {
    if (number == 0 || number > m_pages) {
      return nullptr;
    }
    if (number >= m_window_first && number < m_window_first + m_window_pages) {
      return m_window.data() + std::size_t{number - m_window_first} * m_page_size;
    }
    const std::uint32_t wanted =
      in_order ? std::min<std::uint32_t>(std::max<std::uint32_t>(1, k_window_bytes / m_page_size),
                                         m_pages - number + 1)
               : 1;
    m_window.resize(std::size_t{wanted} * m_page_size);
    const sqlite3_int64 offset = static_cast<sqlite3_int64>(number - 1) * m_page_size;
    // A read past the end of the file fails (SQLITE_IOERR_SHORT_READ): then page by page, so that
    // the pages that are there are still compared.
    std::uint32_t got = wanted;
    if (m_file->pMethods->xRead(
          m_file, m_window.data(), static_cast<int>(m_window.size()), offset) != SQLITE_OK) {
      got = 0;
      while (got < wanted &&
             m_file->pMethods->xRead(m_file,
                                     m_window.data() + std::size_t{got} * m_page_size,
                                     static_cast<int>(m_page_size),
                                     offset + static_cast<sqlite3_int64>(got) * m_page_size) ==
               SQLITE_OK) {
        ++got;
      }
    }
    m_window_first = number;
    m_window_pages = got;
    return m_window_pages > 0 ? m_window.data() : nullptr;
  }

private:
  static constexpr std::uint32_t k_window_bytes = 1 << 20;

  sqlite3_file* m_file;
  std::uint32_t m_page_size = 0;
  std::uint32_t m_reserved = 0;
  std::uint32_t m_encoding = 0;
  std::uint32_t m_pages = 0;
  std::vector<unsigned char> m_window;
  std::uint32_t m_window_first = 0;
  std::uint32_t m_window_pages = 0;
};

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

// The leaf pages of a table's b-tree in row id order, found by walking its interior pages; empty
// if the tree is not as SQLite writes one (a loop, a page of another kind, too deep). All leaves
// of a b-tree lie at one depth, so the leaves themselves are not read here: a page at that depth
// that is no leaf is found out when it is compared.
std::vector<std::uint32_t> leaf_pages(PageFile& file, std::int64_t root) {
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
  };
  std::vector<Visit> stack{{static_cast<std::uint32_t>(root), 0}};
  std::vector<std::uint32_t> children;
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
      continue;
    }
    const unsigned char* page = file.page(visit.page, false);
    if (page == nullptr || page[0] != k_table_interior) {
      return {};
    }
    const std::uint32_t cells = big_endian(page + 3, 2);
    if (12 + 2 * std::size_t{cells} > file.usable_size()) {
      return {};
    }
    children.clear();
    for (std::uint32_t cell = 0; cell < cells; ++cell) {
      const std::uint32_t offset = big_endian(page + 12 + 2 * cell, 2);
      if (offset < 12 + 2 * cells || offset + 4 > file.usable_size()) {
        return {};
      }
      children.push_back(big_endian(page + offset, 4));
    }
    children.push_back(big_endian(page + 8, 4));
    // Pushed in reverse, so that the leftmost child is walked first.
    for (auto child = children.rbegin(); child != children.rend(); ++child) {
      stack.push_back({*child, visit.depth + 1});
    }
  }
  return leaves;
}

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
                            std::int64_t second_root) {
  PageFile first_file(first);
  PageFile second_file(second);
  if (!first_file.comparable(second_file)) {
    return {};
  }
  const std::vector<std::uint32_t> first_leaves = leaf_pages(first_file, first_root);
  const std::vector<std::uint32_t> second_leaves = leaf_pages(second_file, second_root);
  if (first_leaves.empty() || second_leaves.empty()) {
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
