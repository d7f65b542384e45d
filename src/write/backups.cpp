// --in-place's backups (backups.hpp): named by the time of the run, listed oldest first, and
// pruned to --keep-backups after the merge, where a failure is only a warning.
#include "write/backups.hpp"

#include "read/input.hpp"
#include "util/options.hpp"
#include "util/progress.hpp"
#include "util/terminal_text.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>
#include <unistd.h>
#include <utility>

namespace heatmap_merge {

std::filesystem::path backup_path(const Options& options) {
  const std::filesystem::path primary = resolved_file(options.primary);
  const std::filesystem::path directory =
    options.backup_dir ? *options.backup_dir : primary.parent_path();
  const std::time_t now = std::time(nullptr);
  const std::string base =
    fmt::format("{}.backup-{:%Y%m%dT%H%M%SZ}", primary.filename().string(), fmt::gmtime(now));
  // Runs within one second get -2, -3...; the primary's lock keeps this free of races.
  std::filesystem::path path = directory / base;
  for (int n = 2; std::filesystem::exists(path) && n < 1000; ++n) {
    path = directory / fmt::format("{}-{}", base, n);
  }
  return path;
}

namespace {

// The stamp of one of `primary_name`'s backups as backup_path() names them, NAME.backup-
// YYYYMMDDTHHMMSSZ then -2, -3... for later runs within the second, as (stamp, n), which sort
// from oldest to newest; nothing for any other name.
std::optional<std::pair<std::string, int>> backup_stamp(const std::string& name,
                                                        const std::string& primary_name) {
  const std::string prefix = primary_name + ".backup-";
  if (name.compare(0, prefix.size(), prefix) != 0) {
    return std::nullopt;
  }
  const std::string rest = name.substr(prefix.size());
  // YYYYMMDD T HHMMSS Z: 16 characters.
  if (rest.size() < 16) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < 16; ++i) {
    const char want = i == 8 ? 'T' : (i == 15 ? 'Z' : 'd');
    const bool digit = rest[i] >= '0' && rest[i] <= '9';
    if (want == 'd' ? !digit : rest[i] != want) {
      return std::nullopt;
    }
  }
  int n = 1;
  if (rest.size() > 16) {
    const std::string suffix = rest.substr(16);
    if (suffix.size() < 2 || suffix.size() > 4 || suffix[0] != '-' ||
        suffix.find_first_not_of("0123456789", 1) != std::string::npos) {
      return std::nullopt;
    }
    n = std::stoi(suffix.substr(1));
  }
  return std::make_pair(rest.substr(0, 16), n);
}

} // namespace

std::vector<std::filesystem::path> list_backups(const Options& options) {
  const std::filesystem::path primary = resolved_file(options.primary);
  const std::filesystem::path directory =
    options.backup_dir ? *options.backup_dir : primary.parent_path();
  const std::string primary_name = primary.filename().string();
  std::vector<std::pair<std::pair<std::string, int>, std::filesystem::path>> found;
  // Never throws: the merge is done by now, and a directory that cannot be listed only leaves
  // old backups in place.
  std::error_code error;
  for (std::filesystem::directory_iterator it(directory, error);
       !error && it != std::filesystem::directory_iterator();
       it.increment(error)) {
    const std::optional<std::pair<std::string, int>> stamp =
      backup_stamp(it->path().filename().string(), primary_name);
    // Only regular files: a symbolic link or a directory of that name is not one we wrote.
    std::error_code status_error;
    if (stamp && it->symlink_status(status_error).type() == std::filesystem::file_type::regular) {
      found.emplace_back(*stamp, it->path());
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<std::filesystem::path> backups;
  for (const auto& [stamp, path] : found) {
    backups.push_back(path);
  }
  return backups;
}

std::vector<std::filesystem::path> prune_backups(const Options& options,
                                                 const std::filesystem::path& just_written,
                                                 Progress& progress) {
  std::vector<std::filesystem::path> backups = list_backups(options);
  // The backup this run wrote counts first, whatever its name says (a clock set back would make
  // an older backup look newer).
  std::size_t kept = 0;
  if (!just_written.empty()) {
    ++kept;
  }
  std::vector<std::filesystem::path> removed;
  for (auto it = backups.rbegin(); it != backups.rend(); ++it) {
    if (!just_written.empty() && it->filename() == just_written.filename()) {
      continue;
    }
    if (kept < options.keep_backups) {
      ++kept;
      continue;
    }
    if (unlink(it->c_str()) != 0) {
      // The merge is done: a backup left behind is worth a warning, not a failed run.
      progress.tell(fmt::format(
        "warning: cannot remove the old backup {}: {}", display(*it), std::strerror(errno)));
      continue;
    }
    removed.push_back(*it);
  }
  std::reverse(removed.begin(), removed.end()); // oldest first
  if (!removed.empty()) {
    std::string names;
    for (const std::filesystem::path& path : removed) {
      names += (names.empty() ? "" : ", ") + display(path.filename());
    }
    progress.tell(fmt::format("removed {} of {} (--keep-backups {}): {}",
                              removed.size() == 1 ? std::string("1 old backup")
                                                  : fmt::format("{} old backups", removed.size()),
                              display(options.primary),
                              options.keep_backups,
                              names));
  }
  return removed;
}

} // namespace heatmap_merge
