// libFuzzer target: arbitrary bytes compared, page by page, with a valid database
// (heatmap_merge::find_shared_rows; scripts/fuzz.sh runs it).
//
// The valid database is made once at startup from testdata/fuzz/shared_pages/valid.sql: a table
// of a thousand rows on 512-byte pages, so that its b-tree has interior pages over two levels. The
// fuzz input is the other file. A finding is a crash, a hang, a sanitizer report, or a broken
// promise: ranges out of order, or a row count that is not the valid table's number of rows in the
// ranges (the valid file must hold every row that is claimed shared).
#include "../shared_pages_files.hpp"
#include "sqlite_format/shared_pages.hpp"
#include "scratch.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

struct Fixture {
  fs::path dir;
  fs::path valid;
  fs::path input;
};

Fixture* g_fixture = nullptr;

[[noreturn]] void fail(const std::string& message) {
  fuzz::fail("fuzz_shared_pages", message);
}

Fixture* make_fixture() {
  auto* fixture = new Fixture;
  fixture->dir = fuzz::scratch_directory("fuzz_shared_pages");
  fixture->valid = fixture->dir / "valid.db";
  fixture->input = fixture->dir / "input.db";
  SQLite::Database database(fixture->valid.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  std::ifstream sql(HEATMAP_MERGE_SHARED_PAGES_SQL);
  database.exec(std::string(std::istreambuf_iterator<char>(sql), std::istreambuf_iterator<char>()));
  return fixture;
}

// The rows of the valid table in the ranges, checking their order on the way.
std::int64_t valid_rows_in(const heatmap_merge::SharedRows& shared) {
  SQLite::Database database(g_fixture->valid.string(), SQLite::OPEN_READONLY);
  SQLite::Statement count(database, "SELECT count(*) FROM t WHERE id BETWEEN ?1 AND ?2");
  std::int64_t rows = 0;
  std::int64_t previous_last = INT64_MIN;
  for (const heatmap_merge::RowRange& range : shared.ranges) {
    if (range.first > range.last || (previous_last != INT64_MIN && range.first <= previous_last)) {
      fail("ranges out of order");
    }
    previous_last = range.last;
    count.bind(1, range.first);
    count.bind(2, range.last);
    count.executeStep();
    rows += count.getColumn(0).getInt64();
    count.reset();
  }
  return rows;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  g_fixture = make_fixture();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream out(g_fixture->input, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out.flush()) {
      fail("cannot write " + g_fixture->input.string());
    }
  }
  // The table's root is page 2 in the valid file; the fuzzed file's root is whatever it says.
  for (const std::int64_t root : {2, 3}) {
    const heatmap_merge::SharedRows forward =
      shared_rows_of_files(g_fixture->valid, 2, g_fixture->input, root);
    if (valid_rows_in(forward) != forward.rows) {
      fail("rows claimed shared that the valid file does not hold");
    }
    const heatmap_merge::SharedRows backward =
      shared_rows_of_files(g_fixture->input, root, g_fixture->valid, 2);
    if (valid_rows_in(backward) != backward.rows) {
      fail("rows claimed shared that the valid file does not hold (compared the other way)");
    }
    shared_rows_of_files(g_fixture->input, root, g_fixture->input, root);
  }
  return 0;
}
