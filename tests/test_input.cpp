// The inputs (read/input.hpp): a data error's corrupt verdict stands only when a second check of
// the file, under a fresh read lock, confirms it.
#include "read/input.hpp"
#include "temp_database.hpp"
#include "util/error.hpp"

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <string>

namespace {

using heatmap_merge::confirm_corruption;
using heatmap_merge::Error;
using heatmap_merge::ExitCode;

constexpr std::chrono::milliseconds k_timeout{1000};

void make_table(const std::string& path) {
  SQLite::Database database(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  database.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
                "INSERT INTO t SELECT i, printf('%.*c', 100, 'v') FROM n");
}

} // namespace

TEST_CASE("input: a corrupt verdict on a sound file does not stand") {
  const TempDatabase sound("confirm-sound.db");
  make_table(sound.path());
  const Error seen = Error::corrupt(sound.path(), "x.db is corrupt (malformed while reading)");
  const Error verdict = confirm_corruption(seen, k_timeout);
  CHECK(verdict.code() == ExitCode::temp_fail);
  CHECK(std::string(verdict.what()).find("finds it intact; try again") != std::string::npos);
  CHECK(verdict.corrupt_file().empty());
}

TEST_CASE("input: a corrupt verdict on a damaged file is confirmed") {
  const TempDatabase damaged("confirm-damaged.db");
  make_table(damaged.path());
  {
    // Page 2 is the table's root, an interior page: its type byte made a leaf's.
    std::fstream file(damaged.path(), std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(4096);
    file.put(static_cast<char>(0x0d));
  }
  const Error seen = Error::corrupt(damaged.path(), "x.db is corrupt (malformed while reading)");
  const Error verdict = confirm_corruption(seen, k_timeout);
  CHECK(verdict.code() == ExitCode::data);
  CHECK(verdict.corrupt_file() == damaged.path());
  CHECK(std::string(verdict.what()).find("a second check under a fresh read lock confirms it") !=
        std::string::npos);
}
