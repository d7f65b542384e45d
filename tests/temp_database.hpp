#pragma once
// Test helper: a database file in a scratch directory, removed with its companions at the end.

#include <filesystem>
#include <string>
#include <unistd.h>

// A fresh database path under the temporary directory, named after the process and `name`; the
// file and SQLite's journal, WAL and shared-memory files beside it are removed before and after.
class TempDatabase {
public:
  explicit TempDatabase(const std::string& name)
      : m_path(std::filesystem::temp_directory_path() /
               ("heatmap-merge-test-" + std::to_string(getpid()) + "-" + name)) {
    remove_files();
  }
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;
  ~TempDatabase() {
    remove_files();
  }
  std::string path() const {
    return m_path.string();
  }

private:
  void remove_files() {
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
      std::filesystem::remove(m_path.string() + suffix);
    }
  }
  std::filesystem::path m_path;
};
