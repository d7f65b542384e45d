// The page scan on damaged files (unit tests): a leaf of another kind, a cell pointer out of range,
// short records, empty pages, a wrong page count, misplaced row ids and random damage; the page
// scan must stop or read as SQLite does, and call corrupt what SQLite calls corrupt.
#include "page_scan_check.hpp"
#include "temp_database.hpp"

#include "util/error.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace page_scan_check;
using heatmap_merge::Instant;

namespace {

// A click table over some 40 leaves of 1024 bytes: rows with overflow pages, and rows from
// before a column was added, among them (both read by SQLite, by row id).
void make_small_clicks(const std::string& path) {
  make_database(path,
                k_click_schema + click_rows(1, 150) + ";" + click_rows(151, 2, 3000) +
                  ";ALTER TABLE click_events ADD COLUMN source TEXT DEFAULT 'x';" +
                  click_rows(153, 150) + ";UPDATE click_events SET source = 'app' WHERE id > 250",
                1024);
}

// `bytes` with byte `offset` of page `page` set to `value`.
std::string
with_byte(std::string bytes, std::int64_t page_size, std::int64_t page, int offset, int value) {
  bytes[static_cast<std::size_t>((page - 1) * page_size + offset)] = static_cast<char>(value);
  return bytes;
}

// Where in page `page` of a sound file the cell of row `rowid` starts.
int cell_of(const std::string& bytes,
            std::int64_t page_size,
            std::int64_t page,
            std::int64_t rowid) {
  const std::vector<std::int64_t> ids = leaf_rowids(bytes, page_size, page);
  const auto found = std::find(ids.begin(), ids.end(), rowid);
  REQUIRE(found != ids.end());
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data()) + (page - 1) * page_size;
  const std::size_t cell = static_cast<std::size_t>(found - ids.begin());
  return data[8 + 2 * cell] << 8 | data[9 + 2 * cell];
}

// The leaf page of a sound file that holds row `rowid`.
std::int64_t leaf_of(const std::string& path, std::int64_t rowid) {
  const std::string bytes = read_bytes(path);
  const std::int64_t page_size = page_size_of(path);
  for (const std::int64_t page : leaf_pages_of(path, "click_events")) {
    const std::vector<std::int64_t> ids = leaf_rowids(bytes, page_size, page);
    if (std::find(ids.begin(), ids.end(), rowid) != ids.end()) {
      return page;
    }
  }
  FAIL("no leaf holds row " << rowid);
  return 0;
}

} // namespace

TEST_CASE("page scan: a leaf of another kind ends the walk, and SQLite reports the damage") {
  const TempDatabase sound("damaged-type-sound.db");
  const TempDatabase damaged("damaged-type.db");
  make_database(sound.path(), k_click_schema + click_rows(1, 3000), 1024);
  const std::string bytes = read_bytes(sound.path());
  const std::int64_t page_size = page_size_of(sound.path());
  const std::vector<std::int64_t> leaves = leaf_pages_of(sound.path(), "click_events");
  REQUIRE(leaves.size() > 20);
  const std::size_t bad = leaves.size() / 2;
  const std::int64_t last_good = leaf_rowids(bytes, page_size, leaves[bad - 1]).back();
  for (const int type : {0x0a, 0x02, 0x05, 0x00, 0xff}) {
    CAPTURE(type);
    write_bytes(damaged.path(), with_byte(bytes, page_size, leaves[bad], 0, type));
    const Walk result = walk(damaged.path(), "click_events", click_columns());
    CHECK_FALSE(result.end.complete);
    CHECK(result.end.last_rowid == last_good);
    REQUIRE_FALSE(result.order.empty());
    CHECK(result.order.back() == last_good);
    // SQLite's walk, past the rows decoded, meets the page and calls the file corrupt, as it does
    // without the page scan: the same error.
    const auto [plain, paged] = both_scans(damaged.path(), click_options());
    CHECK_FALSE(plain.ok);
    CHECK(plain.code == static_cast<int>(hm::ExitCode::data));
    CHECK(plain.error.find("database disk image is malformed") != std::string::npos);
    CHECK(difference(plain, paged) == "");
  }
}

TEST_CASE("page scan: a cell pointer out of range ends the walk") {
  const TempDatabase sound("damaged-cell-sound.db");
  const TempDatabase damaged("damaged-cell.db");
  make_database(sound.path(), k_click_schema + click_rows(1, 3000), 1024);
  const std::string bytes = read_bytes(sound.path());
  const std::int64_t page_size = page_size_of(sound.path());
  const std::vector<std::int64_t> leaves = leaf_pages_of(sound.path(), "click_events");
  const std::size_t bad = leaves.size() / 2;
  const std::vector<std::int64_t> ids = leaf_rowids(bytes, page_size, leaves[bad]);
  REQUIRE(ids.size() > 4);
  const std::int64_t before = leaf_rowids(bytes, page_size, leaves[bad - 1]).back();
  // Cell 3's pointer into the page header, past the page, onto the page size (SQLite masks it
  // to 0), and to 0: SQLite then fails on two and reads the other two as some row.
  for (const int pointer : {0x0002, 0xffff, 0x0400, 0x0000}) {
    CAPTURE(pointer);
    std::string broken = with_byte(bytes, page_size, leaves[bad], 8 + 2 * 3, pointer >> 8);
    broken = with_byte(broken, page_size, leaves[bad], 8 + 2 * 3 + 1, pointer & 0xff);
    write_bytes(damaged.path(), broken);
    const Walk result = walk(damaged.path(), "click_events", click_columns());
    // Before the damaged cell, or before its leaf.
    CHECK_FALSE(result.end.complete);
    REQUIRE(result.end.last_rowid);
    CHECK(*result.end.last_rowid >= before);
    CHECK(*result.end.last_rowid <= ids[2]);
    const auto [plain, paged] = both_scans(damaged.path(), click_options());
    CHECK(difference(plain, paged) == "");
  }
}

// SQLite calls a record whose fields end before its payload does corrupt, once it has read the
// header through (here the last column, created_at, is read).
TEST_CASE("page scan: a record whose fields do not fill it is as corrupt as SQLite finds it") {
  const TempDatabase sound("short-fields-sound.db");
  const TempDatabase damaged("short-fields.db");
  make_database(sound.path(), k_click_schema + click_rows(1, 100));
  const std::string bytes = read_bytes(sound.path());
  const std::int64_t page_size = page_size_of(sound.path());
  const std::int64_t page = leaf_of(sound.path(), 50);
  // The cell: payload size, row id, header size, then the serial types from the id's.
  const int cell = cell_of(bytes, page_size, page, 50);
  const int user_agent_type = cell + 1 + 1 + 1 + 7;
  const auto original = static_cast<unsigned char>(
    bytes[static_cast<std::size_t>((page - 1) * page_size + user_agent_type)]);
  REQUIRE(original == 13 + 2 * 52); // 'Mozilla/5.0 ' and 40 bytes of padding
  // The user agent one byte shorter: the record ends a byte after its last field.
  write_bytes(damaged.path(), with_byte(bytes, page_size, page, user_agent_type, original - 2));
  const auto [plain, paged] = both_scans(damaged.path(), click_options());
  CHECK_FALSE(plain.ok);
  CHECK(plain.error.find("database disk image is malformed") != std::string::npos);
  CHECK(difference(plain, paged) == "");
}

// A leaf other than the root that holds no cells: SQLite calls the file corrupt (getAndInitPage()).
TEST_CASE("page scan: a leaf without cells is as corrupt as SQLite finds it") {
  const TempDatabase sound("empty-leaf-sound.db");
  const TempDatabase damaged("empty-leaf.db");
  make_database(sound.path(), k_click_schema + click_rows(1, 3000), 1024);
  const std::string bytes = read_bytes(sound.path());
  const std::int64_t page_size = page_size_of(sound.path());
  const std::vector<std::int64_t> leaves = leaf_pages_of(sound.path(), "click_events");
  const std::int64_t page = leaves[leaves.size() / 2];
  write_bytes(damaged.path(),
              with_byte(with_byte(bytes, page_size, page, 3, 0), page_size, page, 4, 0));
  const auto [plain, paged] = both_scans(damaged.path(), click_options());
  CHECK_FALSE(plain.ok);
  CHECK(plain.error.find("database disk image is malformed") != std::string::npos);
  CHECK(difference(plain, paged) == "");
}

// An interior page other than the root that holds no cells (only its right child): SQLite calls
// the file corrupt (getAndInitPage(), as for a leaf).
TEST_CASE("page scan: an interior page without cells is as corrupt as SQLite finds it") {
  const TempDatabase sound("empty-interior-sound.db");
  const TempDatabase damaged("empty-interior.db");
  make_database(sound.path(), k_click_schema + click_rows(1, 3000), 1024);
  std::vector<std::int64_t> interior;
  {
    SQLite::Database database(sound.path(), SQLite::OPEN_READONLY);
    SQLite::Statement query(database,
                            "SELECT pageno FROM dbstat WHERE name = 'click_events' AND "
                            "pagetype = 'internal' AND path LIKE '/___/' ORDER BY path");
    while (query.executeStep()) {
      interior.push_back(query.getColumn(0).getInt64());
    }
  }
  // The root's second child, an interior page over leaves.
  REQUIRE(interior.size() >= 2);
  const std::string bytes = read_bytes(sound.path());
  const std::int64_t page_size = page_size_of(sound.path());
  write_bytes(
    damaged.path(),
    with_byte(with_byte(bytes, page_size, interior[1], 3, 0), page_size, interior[1], 4, 0));
  const auto [plain, paged] = both_scans(damaged.path(), click_options());
  CHECK_FALSE(plain.ok);
  CHECK(plain.error.find("database disk image is malformed") != std::string::npos);
  CHECK(difference(plain, paged) == "");
}

// SQLite takes the page count in the header when it is valid, and calls a page past it corrupt.
TEST_CASE("page scan: a leaf past the header's page count is as corrupt as SQLite finds it") {
  const TempDatabase sound("short-count-sound.db");
  const TempDatabase damaged("short-count.db");
  make_small_clicks(sound.path());
  std::string bytes = read_bytes(sound.path());
  const std::int64_t page_size = page_size_of(sound.path());
  const std::vector<std::int64_t> leaves = leaf_pages_of(sound.path(), "click_events");
  const auto pages = static_cast<std::int64_t>(bytes.size()) / page_size;
  REQUIRE(std::find(leaves.begin(), leaves.end(), pages) != leaves.end());
  // The header's page count (offset 28) one short: the file's last page is a leaf of the table.
  REQUIRE(bytes[31] != 0);
  bytes[31] = static_cast<char>(bytes[31] - 1);
  write_bytes(damaged.path(), bytes);
  const auto [plain, paged] = both_scans(damaged.path(), click_options());
  CHECK_FALSE(plain.ok);
  CHECK(plain.error.find("database disk image is malformed") != std::string::npos);
  CHECK(difference(plain, paged) == "");
}

// A row SQLite reads by row id (here: written before ALTER TABLE) is found through the interior
// pages, which send a row id outside its leaf's range elsewhere, while SQLite's own scan reads
// the cell on the leaf: the leaf must not be decoded.
TEST_CASE("page scan: a row id outside its leaf's range reads as SQLite reads it") {
  const TempDatabase sound("misplaced-rowid-sound.db");
  const TempDatabase damaged("misplaced-rowid.db");
  make_small_clicks(sound.path());
  const std::string bytes = read_bytes(sound.path());
  const std::int64_t page_size = page_size_of(sound.path());
  const std::vector<std::int64_t> leaves = leaf_pages_of(sound.path(), "click_events");
  // The last cell of the second leaf says row 100 (a one-byte varint, as its own id).
  const std::vector<std::int64_t> ids = leaf_rowids(bytes, page_size, leaves[1]);
  REQUIRE(ids.back() < 100);
  const int cell = cell_of(bytes, page_size, leaves[1], ids.back());
  write_bytes(damaged.path(), with_byte(bytes, page_size, leaves[1], cell + 1, 100));
  const auto [plain, paged] = both_scans(damaged.path(), click_options());
  REQUIRE_MESSAGE(plain.ok, plain.error); // SQLite's scan does not check the order of row ids
  CHECK(plain.rows == 302);
  CHECK(difference(plain, paged) == "");
}

// The same, with a row id repeated later in its leaf, where SQLite's binary search for the row
// looks first: a lookup would read that other cell, unless the leaf is checked whole first.
TEST_CASE("page scan: a row id repeated in its leaf reads as SQLite reads it") {
  const TempDatabase sound("repeated-rowid-sound.db");
  const TempDatabase damaged("repeated-rowid.db");
  make_small_clicks(sound.path());
  const std::string bytes = read_bytes(sound.path());
  const std::int64_t page_size = page_size_of(sound.path());
  const std::vector<std::int64_t> leaves = leaf_pages_of(sound.path(), "click_events");
  const std::vector<std::int64_t> ids = leaf_rowids(bytes, page_size, leaves[1]);
  REQUIRE(ids.size() >= 5);
  REQUIRE(ids.back() < 128);
  // The cell SQLite's search of the leaf looks at first says it is the leaf's second row.
  const std::size_t middle = (ids.size() - 1) / 2;
  const int cell = cell_of(bytes, page_size, leaves[1], ids[middle]);
  write_bytes(damaged.path(),
              with_byte(bytes, page_size, leaves[1], cell + 1, static_cast<int>(ids[1])));
  const auto [plain, paged] = both_scans(damaged.path(), click_options());
  REQUIRE_MESSAGE(plain.ok, plain.error);
  CHECK(difference(plain, paged) == "");
}

// 300 copies of a small click table, each with a few bytes of one leaf page overwritten (a fixed
// seed): whatever SQLite makes of the copy, reading it, or calling it corrupt, the page scan must
// make the same.
TEST_CASE("page scan: random damage to leaf pages, against SQLite's reading") {
  const TempDatabase sound("random-sound.db");
  const TempDatabase damaged("random-damaged.db");
  make_small_clicks(sound.path());
  const std::string bytes = read_bytes(sound.path());
  const std::int64_t page_size = page_size_of(sound.path());
  const std::vector<std::int64_t> leaves = leaf_pages_of(sound.path(), "click_events");
  REQUIRE(leaves.size() > 20);
  std::mt19937 random(20261201);
  std::map<std::string, int> outcomes;
  for (int round = 0; round < 300; ++round) {
    std::string broken = bytes;
    const std::int64_t page = leaves[random() % leaves.size()];
    const int changes = 1 + static_cast<int>(random() % 4);
    std::string what = fmt::format("page {}:", page);
    for (int change = 0; change < changes; ++change) {
      // Half of them in the first 64 bytes: the header, the cell pointers and (on pages of few
      // cells) the first record's header.
      const std::uint32_t span = random() % 2 == 0 ? 64 : static_cast<std::uint32_t>(page_size);
      const int offset = static_cast<int>(random() % span);
      const int value = static_cast<int>(random() % 256);
      broken = with_byte(broken, page_size, page, offset, value);
      what += fmt::format(" [{}]={:#04x}", offset, value);
    }
    write_bytes(damaged.path(), broken);
    const auto [plain, paged] = both_scans(damaged.path(), click_options());
    const std::string differs = difference(plain, paged);
    const char* kind = plain.ok == paged.ok ? (plain.ok ? "both read it" : "both call it corrupt")
                       : plain.ok           ? "only SQLite reads it"
                                            : "only the page scan reads it";
    ++outcomes[differs.empty() ? kind : std::string(kind) + ", differently"];
    CHECK_MESSAGE(differs.empty(), "round ", round, ", ", what, ": ", differs);
  }
  for (const auto& [kind, count] : outcomes) {
    MESSAGE(kind, ": ", count);
  }
  // Both outcomes are common: the damage is neither always harmless nor always fatal.
  CHECK(outcomes["both read it"] > 50);
  CHECK(outcomes["both call it corrupt"] > 50);
}
