#pragma once
// The page scan's unit tests' tools (test_page_scan*.cpp): click tables made with SQL, scan_keys()
// through SQLite and through the pages compared, scan_pages()'s walk and decoded values checked
// against SQLite's reading, and the bytes of a file's pages read and damaged.

#include "read/input.hpp"
#include "read/scan.hpp"
#include "read/schema.hpp"
#include "scan_outcome.hpp"
#include "sqlite_format/page_scan.hpp"
#include "util/options.hpp"

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace page_scan_check {

namespace hm = heatmap_merge;
using hm::RowRange;

// The service's click table and its index.
extern const std::string k_click_schema;

// `rows` clicks with ids from `from`: a few pages, integral and fractional x and y (x REAL holds
// an integral value as an integer), NULL and set scroll_y, a double click now and then; `pad`
// bytes of user agent.
std::string click_rows(int from, int rows, int pad = 40);

void make_database(const std::string& path, const std::string& sql, int page_size = 4096);

void run(const std::string& path, const std::string& sql);

hm::Options click_options();

hm::Options table_options(const std::string& time, const std::vector<std::string>& keys);

// A connection as the merge holds an input: read-only, inside a read transaction.
SQLite::Database open_snapshot(const std::string& path);

// What scan_keys() gave, or the error it threw.
using Outcome = ScanOutcome;

// scan_keys() on the table of `path` as the merge calls it for a lone input, through SQLite or,
// with `pages`, through the table's pages.
Outcome scan(const std::string& path,
             const hm::Options& options,
             bool pages,
             const std::vector<RowRange>& skip = {});

// scan_keys() through SQLite, then through the pages, on one connection as the merge has one per
// input. One connection, not two: on a damaged page SQLite may read a cell past the page's end,
// into memory of its page cache that differs between connections, and read other rows each time.
std::pair<Outcome, Outcome> both_scans(const std::string& path,
                                       const hm::Options& options,
                                       const std::vector<RowRange>& skip = {});

// How two outcomes differ, first difference only; empty when they are the same.
std::string difference(const Outcome& plain, const Outcome& paged);

// Both scans of `path` agree, and succeed; returns the outcome.
Outcome check_same_scans(const std::string& path,
                         const hm::Options& options,
                         const std::vector<RowRange>& skip = {});

// What scan_pages() handed out, in order.
struct Walk {
  hm::PageScanEnd end;
  std::vector<std::int64_t> decoded;
  std::vector<std::int64_t> looked_up;
  std::vector<std::int64_t> order;
};

// scan_pages() over `columns` of table `table`; `on_row` sees every decoded row, with SQLite's
// connection at hand.
template <typename OnRow>
Walk walk(const std::string& path,
          const std::string& table,
          const std::vector<std::string>& columns,
          const std::vector<RowRange>& skip,
          OnRow on_row) {
  SQLite::Database database = open_snapshot(path);
  const hm::TableSchema schema = hm::read_table_schema(database, path, table);
  const std::optional<hm::RecordFields> fields = hm::record_fields(schema, columns);
  REQUIRE(fields);
  Walk result;
  result.end = hm::scan_pages(
    hm::database_file(database),
    schema.root_page,
    *fields,
    skip,
    [&](const hm::RecordRow& row) {
      result.decoded.push_back(row.rowid);
      result.order.push_back(row.rowid);
      on_row(database, row);
    },
    [&](std::int64_t rowid) {
      result.looked_up.push_back(rowid);
      result.order.push_back(rowid);
    });
  return result;
}

Walk walk(const std::string& path,
          const std::string& table,
          const std::vector<std::string>& columns,
          const std::vector<RowRange>& skip = {});

std::vector<std::string> click_columns();

// The row ids of `path`'s table that `where` selects, in order.
std::vector<std::int64_t>
rowids(const std::string& path, const std::string& table, const std::string& where = "1");

// scan_pages() over `columns`: every decoded value must be what SQLite reads for that row, to
// the bit. Returns the walk.
Walk check_decoded_values(const std::string& path,
                          const std::string& table,
                          const std::vector<std::string>& columns);

std::string read_bytes(const std::string& path);

void write_bytes(const std::string& path, const std::string& bytes);

// The leaf pages of `table`, in row id order (SQLite's dbstat).
std::vector<std::int64_t> leaf_pages_of(const std::string& path, const std::string& table);

std::int64_t page_size_of(const std::string& path);

// The row ids of the cells of a sound table leaf page, in order.
std::vector<std::int64_t>
leaf_rowids(const std::string& bytes, std::int64_t page_size, std::int64_t page);

} // namespace page_scan_check
