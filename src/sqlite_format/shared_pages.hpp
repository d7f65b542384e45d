#pragma once
// The rows two database files hold byte for byte, found from their pages (find_shared_rows):
// read/read_keys.cpp pairs them as exact duplicates without planning them.

#include "sqlite_format/row_range.hpp"

#include <atomic>
#include <cstdint>
#include <vector>

struct sqlite3_file;

namespace heatmap_merge {

// Rows that two database files of the same table hold byte for byte: the rows of the leaf pages
// that sit at the same page number in both files, with the same bytes, and in the same order in
// both tables' b-trees. A replica seeded from a copy of the primary shares its whole history that
// way, since SQLite never rewrites a leaf page that no row was added to or changed on.
struct SharedRows {
  std::vector<RowRange> ranges; // sorted and disjoint: every row of either table in them is shared
  std::int64_t rows = 0;
};

// Compares the table whose b-tree is rooted at `first_root` in `first` with the one rooted at
// `second_root` in `second`: the files of two open connections (database_file()). Reads the files
// below SQLite's pager, so only valid while nothing can write to either (a read transaction on a
// rollback-journal database, or a file of our own), and the connections must stay open until it
// returns. Reads through the connections' own file handles, so that no descriptor of ours is
// closed on an input (which would drop its locks); may run in another thread than the one using
// the connection, since a page read is a pread() that shares no state with the pager. Never
// throws: anything it does not understand (another page size or text encoding, an overflow page,
// a page that is no table leaf) is simply not shared, and is left to the scan, which reads it
// through SQLite.
// `stop`, when set (by another thread), ends the comparison at the next page with nothing found:
// the rows are then read as all others.
SharedRows find_shared_rows(sqlite3_file* first,
                            std::int64_t first_root,
                            sqlite3_file* second,
                            std::int64_t second_root,
                            const std::atomic<bool>* stop = nullptr);

} // namespace heatmap_merge
