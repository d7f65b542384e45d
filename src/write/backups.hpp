#pragma once
// --in-place's backups: the name of the one this run keeps (the primary's checked copy), and
// --keep-backups' pruning of the older ones once the merge is done.

#include <filesystem>
#include <vector>

namespace heatmap_merge {

struct Options;
class Progress;

// Where --in-place keeps the backup: beside the primary (or in --backup-dir), named after it and
// the time, e.g. heatmap.db.backup-20261128T153000Z.
std::filesystem::path backup_path(const Options& options);

// The primary's backups in the backup directory, oldest first: regular files named as
// backup_path() names them (NAME.backup-YYYYMMDDTHHMMSSZ, then -2, -3...), nothing else.
std::vector<std::filesystem::path> list_backups(const Options& options);

// --keep-backups N: removes all but the newest N of list_backups(), never `just_written` (which
// counts as one of the N); says so on stderr. A backup that cannot be removed is a warning.
std::vector<std::filesystem::path> prune_backups(const Options& options,
                                                 const std::filesystem::path& just_written,
                                                 Progress& progress);

} // namespace heatmap_merge
