#pragma once
// Test helpers: replica files that share pages as a seeded secondary does (test_shared_pages.cpp).

#include "read/input.hpp"
#include "sqlite_format/shared_pages.hpp"

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <cstdint>
#include <filesystem>

// find_shared_rows on two files, each through a read-only connection of its own, as the merge
// calls it.
inline heatmap_merge::SharedRows shared_rows_of_files(const std::filesystem::path& first,
                                                      std::int64_t first_root,
                                                      const std::filesystem::path& second,
                                                      std::int64_t second_root) {
  SQLite::Database first_database = heatmap_merge::open_reader(first, std::chrono::milliseconds(0));
  SQLite::Database second_database =
    heatmap_merge::open_reader(second, std::chrono::milliseconds(0));
  return heatmap_merge::find_shared_rows(heatmap_merge::database_file(first_database),
                                         first_root,
                                         heatmap_merge::database_file(second_database),
                                         second_root);
}
