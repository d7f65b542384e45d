// libFuzzer target: arbitrary bytes opened as an input database (scripts/fuzz.sh runs it).
//
// The first byte of the fuzz input chooses how the run is made; the rest is the file:
//   bit 0    the file is the PRIMARY (set) or the SECONDARY (clear) of a dry run whose other
//            input is a small valid database made once at startup (the service's table);
//   bit 1    --window 2s (tolerance matching) instead of exact matching;
//   bit 2    --verbose (sample rows in the report);
//   bits 3-4 the report format (text, json, markdown, html) the result is rendered in.
// It runs the library's real pipeline, heatmap_merge::merge, then write_report into a string.
// heatmap_merge::Error is the expected outcome for a broken file. A finding is anything else:
// another exception type, a crash, a hang (-timeout), a sanitizer report, or a dry run that
// changes an input or leaves a file behind.
#include "util/error.hpp"
#include "pipeline/merge.hpp"
#include "util/options.hpp"
#include "util/progress.hpp"
#include "report/report.hpp"
#include "scratch.hpp"

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <typeinfo>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace {

// A few rows in the service's table (testdata/schema.sql, read at startup): a double click, a
// failover pair 1.3 s apart, a NULL in an optional column, a fraction and an offset.
constexpr const char* k_primary_rows_sql = R"sql(
INSERT INTO click_events (page_url, x, y, viewport_width, viewport_height, scroll_y, user_agent,
                          created_at) VALUES
  ('/', 0.25, 0.5, 1280, 720, 0, 'Mozilla/5.0', '2026-02-18 09:58:00'),
  ('/', 0.25, 0.5, 1280, 720, 0, 'Mozilla/5.0', '2026-02-18 09:58:00.2'),
  ('/pricing', 0.75, 0.125, 390, 844, 300, NULL, '2026-02-18T10:00:03.5Z'),
  ('/pricing', 0.5, 0.5, 390, 844, 0, 'curl', '2026-02-18T12:01:00+02:00'),
  ('/docs', 0.1, 0.9, NULL, NULL, NULL, NULL, '2026-02-18 10:30:00.123456');
)sql";

struct Fixture {
  fs::path dir;
  fs::path primary;
  fs::path input;
  std::string primary_bytes;
};

Fixture* g_fixture = nullptr;

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

[[noreturn]] void fail(const std::string& message) {
  fuzz::fail("fuzz_open", message);
}

Fixture* make_fixture() {
  auto* fixture = new Fixture;
  fixture->dir = fuzz::scratch_directory("fuzz_open");
  fixture->primary = fixture->dir / "primary.db";
  fixture->input = fixture->dir / "input.db";
  {
    SQLite::Database database(fixture->primary.string(),
                              SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    database.exec(read_bytes(HEATMAP_MERGE_SCHEMA_SQL));
    database.exec(k_primary_rows_sql);
  }
  fixture->primary_bytes = read_bytes(fixture->primary);
  return fixture;
}

// What SQLite may leave beside a database it opened read-only.
bool allowed_leftover(const std::string& name) {
  for (const char* base : {"primary.db", "input.db"}) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      if (name == std::string(base) + suffix) {
        return true;
      }
    }
  }
  return false;
}

void run_once(const std::uint8_t* data, std::size_t size) {
  const Fixture& fixture = *g_fixture;
  const std::uint8_t mode = data[0];
  const std::string file(reinterpret_cast<const char*>(data + 1), size - 1);
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    fs::remove(fixture.input.string() + suffix);
  }
  {
    std::ofstream out(fixture.input, std::ios::binary | std::ios::trunc);
    out.write(file.data(), static_cast<std::streamsize>(file.size()));
    if (!out.flush()) {
      fail("cannot write " + fixture.input.string());
    }
  }

  heatmap_merge::Options options;
  options.dry_run = true;
  if ((mode & 1) != 0) {
    options.primary = fixture.input;
    options.secondaries = {fixture.primary};
  } else {
    options.primary = fixture.primary;
    options.secondaries = {fixture.input};
  }
  options.window = (mode & 2) != 0 ? std::chrono::seconds(2) : std::chrono::seconds(0);
  options.verbosity = (mode & 4) != 0 ? 1 : 0;
  constexpr heatmap_merge::ReportFormat k_formats[] = {heatmap_merge::ReportFormat::text,
                                                       heatmap_merge::ReportFormat::json,
                                                       heatmap_merge::ReportFormat::markdown,
                                                       heatmap_merge::ReportFormat::html};
  options.format = k_formats[(mode >> 3) & 3];
  // Nobody else locks these files: a short wait keeps a bogus "locked" answer from costing
  // seconds per input.
  options.lock_timeout = std::chrono::milliseconds(50);

  try {
    heatmap_merge::Progress progress(false, std::chrono::milliseconds(0));
    const heatmap_merge::MergeResult result = heatmap_merge::merge(options, progress);
    std::ostringstream report;
    heatmap_merge::write_report(report, result, options);
  } catch (const heatmap_merge::Error&) {
    // Expected: a clear error naming the file.
  } catch (const std::exception& e) {
    fail(std::string("unexpected exception ") + typeid(e).name() + ": " + e.what());
  } catch (...) {
    fail("unexpected exception of a type not derived from std::exception");
  }

  // Snapshots are never modified and a dry run writes nothing.
  if (read_bytes(fixture.primary) != fixture.primary_bytes) {
    fail("the dry run modified the valid input " + fixture.primary.string());
  }
  if (read_bytes(fixture.input) != file) {
    fail("the dry run modified the fuzzed input " + fixture.input.string());
  }
  for (const fs::directory_entry& entry : fs::directory_iterator(fixture.dir)) {
    if (!allowed_leftover(entry.path().filename().string())) {
      fail("the dry run left " + entry.path().string() + " behind");
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  g_fixture = make_fixture();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  run_once(data, size);
  return 0;
}
