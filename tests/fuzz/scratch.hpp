#pragma once

// What the libFuzzer targets share: a scratch directory for their files, and how they report a
// finding.

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace fuzz {

// Prints `message` as the finding of `target` and aborts, which libFuzzer saves as a crash.
[[noreturn]] inline void fail(const char* target, const std::string& message) {
  std::fprintf(stderr, "%s: %s\n", target, message.c_str());
  std::abort();
}

// A fresh directory under the temporary directory, removed when the process exits; made once.
inline std::filesystem::path scratch_directory(const char* target) {
  static std::filesystem::path directory;
  if (directory.empty()) {
    std::string pattern =
      (std::filesystem::temp_directory_path() / "heatmap-merge-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      fail(target,
           "cannot create a temporary directory under " +
             std::filesystem::temp_directory_path().string());
    }
    directory = pattern;
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(directory, ignored);
    });
  }
  return directory;
}

} // namespace fuzz
