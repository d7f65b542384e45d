#pragma once
// --in-place's preflight, run before anything is read or backed up (and by its dry run too): the
// refusals of a primary or backup directory it could not write, and a hot journal's rollback.

#include <chrono>
#include <filesystem>

namespace heatmap_merge {

struct Options;

// Refuses --in-place (and its dry run) on a primary that this user cannot write, or whose
// directory cannot take its journal, before anything is read or backed up: Error(cant_create)
// naming the primary.
void check_primary_writable(const std::filesystem::path& primary_path);

// Refuses --in-place (and its dry run) when --backup-dir is missing, not a directory, or not
// writable: Error(cant_create) naming the directory, before anything is read.
void check_backup_directory(const Options& options);

// A rollback-journal primary with a hot journal (a writer, perhaps an earlier --in-place, was
// killed mid-transaction) cannot be read read-only. --in-place opens it for writing anyway: the
// first read through a read-write connection rolls the journal back, as the service's next write
// would. Returns whether it did.
bool roll_back_hot_journal(const std::filesystem::path& primary_path,
                           std::chrono::milliseconds lock_timeout);

} // namespace heatmap_merge
