// libFuzzer target: arbitrary bytes read as a click database through the page scan
// (heatmap_merge::scan_pages and scan_keys with `pages`; scripts/fuzz.sh runs it).
//
// The fuzz input is the database file. It is opened read-only inside a read transaction, as the
// merge holds an input; without a click_events table that check_schemas() accepts, there is
// nothing to scan. A finding is a crash, a hang, a sanitizer report, an exception other than the
// tool's Error, a broken promise of scan_pages() (row ids handed out in ascending order, each
// once, none in the skipped ranges, none past the last row id walked), or a file that scan_keys()
// reads otherwise through the pages than through SQLite: other keys, counts or unkeyed rows, a
// table read that SQLite calls corrupt, or the reverse. FUZZ_PAGE_SCAN_DIFFERENTIAL=0 in the
// environment leaves that last comparison out.
#include "../scan_outcome.hpp"
#include "util/error.hpp"
#include "read/input.hpp"
#include "util/options.hpp"
#include "sqlite_format/page_scan.hpp"
#include "plan/plan.hpp"
#include "util/progress.hpp"
#include "read/scan.hpp"
#include "read/schema.hpp"
#include "scratch.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace fs = std::filesystem;
namespace hm = heatmap_merge;

namespace {

fs::path g_input;
bool g_differential = true;

[[noreturn]] void fail(const std::string& message) {
  fuzz::fail("fuzz_page_scan", message);
}

// What scan_keys() gave, or the error it threw.
using Outcome = ScanOutcome;

bool same(const Outcome& a, const Outcome& b) {
  return a.ok == b.ok && a.error == b.error && a.rows == b.rows && a.max_rowid == b.max_rowid &&
         a.first == b.first && a.last == b.last && a.unkeyed == b.unkeyed &&
         a.unkeyed_hashes == b.unkeyed_hashes && a.keys == b.keys;
}

Outcome scan(SQLite::Database& database,
             const hm::TableSchema& schema,
             const hm::ColumnLayout& layout,
             const hm::Options& options,
             sqlite3_file* pages) {
  Outcome outcome;
  hm::Progress progress(false, std::chrono::milliseconds(0));
  try {
    hm::Keys keys = hm::scan_keys(
      database, g_input, schema, layout, options, progress, hm::KeyStore(), {}, pages);
    outcome = outcome_of(keys);
  } catch (const hm::Error& e) {
    outcome.error = e.what();
  }
  return outcome;
}

// scan_pages() itself, with some rows skipped: checks what it promises of the rows it hands out.
// Reads every byte of each decoded text and blob, so that the sanitizer sees a read past a page.
void check_walk(sqlite3_file* pages,
                const hm::TableSchema& schema,
                const std::vector<std::string>& columns) {
  const std::optional<hm::RecordFields> fields = hm::record_fields(schema, columns);
  if (!fields) {
    return;
  }
  const std::vector<hm::RowRange> skip = {{INT64_MIN, -1000}, {5, 9}, {40, 60}};
  std::vector<std::int64_t> handed;
  std::uint64_t checksum = 0;
  const hm::PageScanEnd end = hm::scan_pages(
    pages,
    schema.root_page,
    *fields,
    skip,
    [&](const hm::RecordRow& row) {
      if (row.values.size() != columns.size() + 1) {
        fail("a decoded row without a value for each column");
      }
      for (const hm::FieldValue& value : row.values) {
        if (value.type == SQLITE_TEXT || value.type == SQLITE_BLOB) {
          if (value.size < 0 || (value.size > 0 && value.bytes == nullptr)) {
            fail("a decoded text or blob without its bytes");
          }
          const auto* bytes = static_cast<const unsigned char*>(value.bytes);
          for (int i = 0; i < value.size; ++i) {
            checksum += bytes[i];
          }
        }
      }
      handed.push_back(row.rowid);
    },
    [&](std::int64_t rowid) { handed.push_back(rowid); });
  for (std::size_t i = 0; i < handed.size(); ++i) {
    if (i > 0 && handed[i] <= handed[i - 1]) {
      fail("row ids handed out out of order, or twice");
    }
    for (const hm::RowRange& range : skip) {
      if (handed[i] >= range.first && handed[i] <= range.last) {
        fail("a row id in a skipped range handed out");
      }
    }
  }
  if (!handed.empty() && (!end.last_rowid || handed.back() > *end.last_rowid)) {
    fail("a row id handed out past the last row id walked");
  }
  // Keeps the reads of the bytes.
  if (checksum == 1) {
    std::abort();
  }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  g_input = fuzz::scratch_directory("fuzz_page_scan") / "input.db";
  const char* differential = std::getenv("FUZZ_PAGE_SCAN_DIFFERENTIAL");
  g_differential = differential == nullptr || std::string(differential) != "0";
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    fs::remove(g_input.string() + suffix);
  }
  {
    std::ofstream out(g_input, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out.flush()) {
      fail("cannot write " + g_input.string());
    }
  }
  const hm::Options options;
  try {
    SQLite::Database database = hm::open_reader(g_input, std::chrono::milliseconds(0));
    database.exec("BEGIN");
    SQLite::Statement read(database, "SELECT count(*) FROM sqlite_schema");
    read.executeStep();
    const hm::TableSchema schema = hm::read_table_schema(database, g_input, options.table);
    const hm::ColumnLayout layout = hm::check_schemas({schema}, options);
    sqlite3_file* pages = hm::snapshot_pages(database);
    if (pages == nullptr) {
      return 0;
    }
    // The columns as scan_keys() reads them.
    std::vector<std::string> columns{options.time_column};
    columns.insert(columns.end(), options.key_columns.begin(), options.key_columns.end());
    columns.insert(columns.end(), layout.compared_columns.begin(), layout.compared_columns.end());
    check_walk(pages, schema, columns);
    const Outcome paged = scan(database, schema, layout, options, pages);
    if (g_differential) {
      const Outcome plain = scan(database, schema, layout, options, nullptr);
      if (!same(plain, paged)) {
        fail(plain.ok
               ? (paged.ok ? "the page scan read other rows than SQLite"
                           : "the page scan failed where SQLite read the table: " + paged.error)
               : (paged.ok ? "the page scan read a table SQLite calls damaged: " + plain.error
                           : "the page scan failed otherwise than SQLite: " + paged.error + " / " +
                               plain.error));
      }
    }
  } catch (const SQLite::Exception&) {
    return 0; // not a database, or no table to scan: SQLite or the schema check said so
  } catch (const hm::Error&) {
    return 0;
  }
  return 0;
}
