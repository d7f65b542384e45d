#pragma once

// Reading a database file's pages below SQLite's pager, for the b-tree walks of shared_pages.cpp
// and page_scan.cpp. Internal to the library.

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace heatmap_merge {

// The parts of SQLite's file format (https://www.sqlite.org/fileformat2.html) read here.
constexpr std::size_t k_header_bytes = 100;
constexpr std::uint8_t k_table_interior = 0x05;
constexpr std::uint8_t k_table_leaf = 0x0d;
constexpr int k_max_depth = 40;

inline std::uint32_t big_endian(const unsigned char* bytes, int count) {
  std::uint32_t value = 0;
  for (int n = 0; n < count; ++n) {
    value = (value << 8) | bytes[n];
  }
  return value;
}

// A varint of at most 9 bytes that must end before `end`; nothing if it does not.
inline std::optional<std::uint64_t> read_varint(const unsigned char*& at,
                                                const unsigned char* end) {
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
    // SQLite's own page count, as it reads it: the header's, while its change counter is the one
    // that count was written with (it calls a page beyond that count corrupt).
    const std::uint32_t in_header = big_endian(&header[28], 4);
    if (in_header != 0 && std::equal(&header[24], &header[28], &header[92])) {
      m_pages = std::min(m_pages, in_header);
    }
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
  // 1 for UTF-8, 2 and 3 for UTF-16.
  std::uint32_t encoding() const {
    return m_encoding;
  }

  // Page `number` (from 1), or nullptr if the file does not hold it whole. Pages asked for in
  // order come from the window, valid until the next such call; others from a buffer of one
  // page, valid until the next such call, so that reading an interior page now and then does not
  // throw the window away.
  const unsigned char* page(std::uint32_t number, bool in_order) {
    if (number == 0 || number > m_pages) {
      return nullptr;
    }
    if (number >= m_window_first && number < m_window_first + m_window_pages) {
      return m_window.data() + std::size_t{number - m_window_first} * m_page_size;
    }
    if (!in_order) {
      m_single.resize(m_page_size);
      const sqlite3_int64 offset = static_cast<sqlite3_int64>(number - 1) * m_page_size;
      return m_file->pMethods->xRead(
               m_file, m_single.data(), static_cast<int>(m_page_size), offset) == SQLITE_OK
               ? m_single.data()
               : nullptr;
    }
    const std::uint32_t wanted = std::min<std::uint32_t>(
      std::max<std::uint32_t>(1, k_window_bytes / m_page_size), m_pages - number + 1);
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
  std::vector<unsigned char> m_single;
  std::uint32_t m_window_first = 0;
  std::uint32_t m_window_pages = 0;
};

// The row ids a leaf may hold, as its parents' keys say: above `above` (when there is one), and
// up to `upto` (when there is one). SQLite's search for a row id relies on them.
struct KeyBounds {
  std::optional<std::int64_t> above;
  std::optional<std::int64_t> upto;
  bool holds(std::int64_t rowid) const {
    return (!above || rowid > *above) && (!upto || rowid <= *upto);
  }
};

// The leaf pages of a table's b-tree in row id order, one at a time, found by walking its
// interior pages as SQLite's scan walks them; memory for the path down, not for every leaf. All
// leaves of a b-tree lie at one depth, so the leaves themselves are not read here: a page at that
// depth that is no leaf is found out by the caller. The walk ends early (failed()) where the tree
// is not as SQLite writes one: a loop, a page of another kind, an interior page below the root
// without cells, too deep; and, when it checks keys, interior keys that do not ascend within
// their own bounds, as SQLite's search for a row id needs them to.
class LeafWalker {
public:
  struct Leaf {
    std::uint32_t page = 0;
    KeyBounds keys;
  };

  LeafWalker(PageFile& file, std::int64_t root, bool check_keys);
  // The next leaf, or nothing at the end of the walk or where it failed.
  std::optional<Leaf> next();
  bool failed() const {
    return m_failed;
  }

private:
  struct Visit {
    std::uint32_t page;
    int depth;
    KeyBounds keys;
  };
  // Pushes the children of interior page `visit`; false if it is not as SQLite writes one.
  bool push_children(const Visit& visit);

  PageFile& m_file;
  bool m_check_keys;
  std::optional<int> m_leaves_at;
  std::vector<bool> m_seen;
  std::vector<Visit> m_stack;
  std::vector<Visit> m_children;
  bool m_failed = false;
};

// Every leaf of LeafWalker's walk (keys unchecked), or none if it failed.
std::vector<std::uint32_t> leaf_pages(PageFile& file, std::int64_t root);

} // namespace heatmap_merge
