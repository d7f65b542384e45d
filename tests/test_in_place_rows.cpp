// Unit tests of --in-place's re-check (write/in_place_rows): the service's rows written since the
// snapshot against the planned rows, through a live database, catch-up by catch-up.
#include "read/raw_statement.hpp"
#include "read/scan.hpp"
#include "read/schema.hpp"
#include "temp_database.hpp"
#include "util/options.hpp"
#include "write/in_place_rows.hpp"

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>

#include <chrono>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

using namespace heatmap_merge;

namespace {

constexpr const char* k_schema = "CREATE TABLE click_events (id INTEGER PRIMARY KEY, page_url "
                                 "TEXT, x INTEGER, y INTEGER, scroll_y INTEGER, created_at TEXT)";

// A database opened as the tool opens its inputs and the live primary.
SQLite::Database open_database(const TempDatabase& file) {
  SQLite::Database database(file.path(),
                            SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
  database.exec(k_schema);
  return database;
}

void insert(SQLite::Database& database, const std::string& values) {
  database.exec("INSERT INTO click_events (page_url, x, y, scroll_y, created_at) VALUES " + values);
}

// The planned rows: every row of `secondary`, read as the key scan reads it, with new ids from
// 101 on.
std::vector<PlannedRows> planned_rows(SQLite::Database& secondary, const TempDatabase& file) {
  RawStatement read(secondary,
                    "SELECT id, created_at, page_url, x, y, scroll_y FROM click_events ORDER BY id",
                    file.path());
  AddedRows added;
  std::string buffer;
  std::int64_t new_id = 101;
  while (read.step("reading")) {
    RowKey key;
    const bool keyed = read_row_key(read.get(), 3, 1, buffer, key);
    added.add({key.rowid, new_id++, key.instant, keyed, key.group_lo, key.group_hi, key.payload});
  }
  added.finish();
  std::vector<PlannedRows> planned;
  planned.emplace_back(1, added, PlanSpace{});
  return planned;
}

// The new ids found already there after a catch-up from the first planned row on.
std::set<std::int64_t> catch_up(FreshRows& fresh, std::unordered_set<std::int64_t>& there) {
  fresh.catch_up(101, there);
  return {there.begin(), there.end()};
}

struct Fixture {
  TempDatabase live_file{"in-place-rows-live.db"};
  TempDatabase secondary_file{"in-place-rows-secondary.db"};
  SQLite::Database live = open_database(live_file);
  SQLite::Database secondary = open_database(secondary_file);
  Options options;

  FreshRows fresh_rows(const std::vector<PlannedRows>& planned) {
    const TableSchema table = read_table_schema(live, live_file.path(), "click_events");
    return FreshRows(live, live_file.path(), table, {"scroll_y"}, options, 0, planned);
  }
};

} // namespace

TEST_CASE("in-place re-check: a service row matched once is used up") {
  // Found by reading: the split of in_place.cpp dropped the line that keeps only the unmatched
  // service rows, so that a later catch-up matched the same row with a second planned row.
  Fixture f;
  f.options.window = std::chrono::seconds(2);
  insert(f.secondary,
         "('/a', 1, 1, 0, '2026-02-18T10:00:00Z'), ('/a', 1, 1, 0, '2026-02-18T10:00:01Z')");
  const std::vector<PlannedRows> planned = planned_rows(f.secondary, f.secondary_file);
  FreshRows fresh = f.fresh_rows(planned);
  std::unordered_set<std::int64_t> there;
  insert(f.live, "('/a', 1, 1, 0, '2026-02-18T10:00:00Z')");
  CHECK(catch_up(fresh, there) == std::set<std::int64_t>{101});
  insert(f.live, "('/z', 9, 9, 0, '2026-02-18T11:00:00Z')");
  CHECK(catch_up(fresh, there) == std::set<std::int64_t>{101});
}

TEST_CASE("in-place re-check: a service row identical but for the time within the replay window") {
  Fixture f;
  f.options.window = std::chrono::seconds(2);
  insert(f.secondary,
         "('/a', 1, 1, 5, '2026-02-18T10:00:00Z'), ('/b', 1, 1, 5, '2026-02-18T10:00:00Z')");
  const std::vector<PlannedRows> planned = planned_rows(f.secondary, f.secondary_file);
  // The replayed copy of '/a' five minutes later; '/b' again but with another scroll_y.
  const std::string service =
    "('/a', 1, 1, 5, '2026-02-18T10:05:00Z'), ('/b', 1, 1, 6, '2026-02-18T10:05:00Z')";

  SUBCASE("with --replay-window 10m, the planned row is already there") {
    f.options.replay_window = std::chrono::minutes(10);
    FreshRows fresh = f.fresh_rows(planned);
    std::unordered_set<std::int64_t> there;
    insert(f.live, service);
    CHECK(catch_up(fresh, there) == std::set<std::int64_t>{101});
  }
  SUBCASE("beyond the replay window, or without one, it is not") {
    f.options.replay_window = std::chrono::minutes(4);
    FreshRows fresh = f.fresh_rows(planned);
    std::unordered_set<std::int64_t> there;
    insert(f.live, service);
    CHECK(catch_up(fresh, there).empty());
    f.options.replay_window = std::chrono::nanoseconds(0);
    FreshRows plain = f.fresh_rows(planned);
    std::unordered_set<std::int64_t> none;
    CHECK(catch_up(plain, none).empty());
  }
  SUBCASE("the window first: a service row within the window pairs there, not as a replay") {
    // The service's '/a' within the window (a conflict: another scroll_y) takes the planned '/a'
    // at 10:00; its identical row at 10:00:50, nearer to that one, pairs with the one at 10:02.
    f.options.replay_window = std::chrono::minutes(10);
    insert(f.secondary, "('/a', 1, 1, 5, '2026-02-18T10:02:00Z')");
    const std::vector<PlannedRows> more = planned_rows(f.secondary, f.secondary_file);
    FreshRows fresh = f.fresh_rows(more);
    std::unordered_set<std::int64_t> there;
    insert(f.live,
           "('/a', 1, 1, 7, '2026-02-18T10:00:01Z'), ('/a', 1, 1, 5, '2026-02-18T10:00:50Z')");
    CHECK(catch_up(fresh, there) == std::set<std::int64_t>{101, 103});
  }
}
